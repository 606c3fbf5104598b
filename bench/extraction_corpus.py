"""Extraction alone over a folder (no embedding, no index): facts held and statements asserted, fast.

Reads, extracts and maps every document of FOLDER as `essgraph ingest` does, loads the graphs into an
in-memory store with the ontology, and checks one or more facts files with the same checker as
`essgraph eval facts`. Minutes instead of the quarter of an hour a full ingest with embeddings takes, so
a rule change can be judged on the development facts and on held-out ones in one run.

    python bench/extraction_corpus.py ../shared/corpus ../shared/eval/facts.jsonl [more.jsonl ...]
        [--drop-rule RULE ...] [--missed] [--judged JUDGED.jsonl [--sample 160] [--seed 1] [--out NEW.jsonl]]

With --judged, the seeded precision sample (`essgraph eval precision`) is drawn from the same in-memory
store: the precision of the statements already judged is printed by predicate and by rule, and the new
statements of the sample (to judge by hand) are written to --out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from essgraph.core.settings import get_settings  # noqa: E402
from essgraph.graph.facts import evaluate_facts, load_facts, summary  # noqa: E402
from essgraph.graph.mapping import document_graph  # noqa: E402
from essgraph.graph.precision import compare, load_judged, sample_statements  # noqa: E402
from essgraph.ingest.extract import extract  # noqa: E402
from essgraph.ingest.reading import read_document  # noqa: E402
from essgraph.ontology.thesaurus import load_thesaurus  # noqa: E402

SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".csv", ".json", ".jsonl"}


def main() -> None:
    """Extract FOLDER, check each facts file; prints held/total per file and relations per rule."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("facts", type=Path, nargs="+")
    ap.add_argument("--drop-rule", action="append", default=[], help="rule name to leave out (ablation)")
    ap.add_argument("--missed", action="store_true")
    ap.add_argument("--judged", type=Path, help="judged precision sample (JSON lines) to re-score")
    ap.add_argument("--sample", type=int, default=160)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="where to write the drawn statements not judged yet")
    args = ap.parse_args()
    settings = get_settings()
    thesaurus = load_thesaurus()
    store = ox.Store()
    rules: Counter[str] = Counter()
    started = time.perf_counter()
    for path in sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in SUFFIXES):
        doc = read_document(path, settings)
        ex = extract(doc, thesaurus, settings)
        ex.relations = [r for r in ex.relations if r.qualifiers.get("rule", "") not in args.drop_rule]
        for r in ex.relations:
            rules[r.qualifiers.get("rule", f"rule:{r.kind}")] += 1
        graph = document_graph(doc, ex, settings.base_iri)
        g = ox.NamedNode(f"{settings.base_iri}graph/{doc.doc_id}")
        store.load(graph.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=g)
    elapsed = time.perf_counter() - started
    print(f"extraction of {args.folder} in {elapsed:.0f} s")
    for facts_path in args.facts:
        facts = load_facts(facts_path)
        facts = [f for f in facts if "document" not in f or (args.folder / f["document"]).exists()]
        results = evaluate_facts(store, facts)
        report = summary(results)
        print(f"{facts_path}: {report['held']}/{report['total']} = {report['ratio']:.1%}")
        if args.missed:
            for r in results:
                if not r.held:
                    print(f"   missed {r.id}: {r.subject[:40]} -{r.predicate}-> {r.object[:40]} ({r.reason})")
    print("relations per rule:", ", ".join(f"{k} {v}" for k, v in rules.most_common()))
    if args.judged is not None:
        _precision(store, args)


def _precision(store: ox.Store, args: argparse.Namespace) -> None:
    """Draw the seeded sample from `store`, print the precision of its judged part, write the rest."""
    drawn, population = sample_statements(store, args.sample, args.seed)
    report = compare(drawn, population, load_judged(args.judged))
    print(
        f"sample {len(drawn)} of {report.population} statements; {len(report.to_judge)} to judge "
        f"({report.rejudge} judged before on other passages); {report.absent} judged ones gone"
    )
    if report.precision is not None:
        print(f"precision {report.correct}/{len(report.judged)} = {report.precision:.1%}")
    for predicate, (correct, total) in report.per_predicate().items():
        print(f"   {predicate:<24} {correct}/{total}")
    by_rule: dict[str, list[int]] = {}
    for statement, item in report.judged:
        rule = ",".join(sorted({e["rule"] for e in statement.evidence})) or "?"
        counts = by_rule.setdefault(rule, [0, 0])
        counts[0] += item["verdict"] == "correct"
        counts[1] += 1
    print("by rule:", ", ".join(f"{r} {c}/{t}" for r, (c, t) in sorted(by_rule.items())))
    for statement in report.to_judge:
        ev = "; ".join(f"{e['rule']} @{e['start_line']}-{e['end_line']}" for e in statement.evidence)
        subject, obj = statement.subject["label"][:50], statement.object["label"][:50]
        print(f"   NEW {subject} -{statement.predicate}-> {obj} [{ev}]")
    if args.out is not None:
        lines = [json.dumps(s.to_json(), ensure_ascii=False) + "\n" for s in report.to_judge]
        args.out.write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
