"""Relation-family sentences (tests/data/extraction/families.jsonl) through the extractor: recall and traps.

Each sentence is read as a document of its own and extracted; a fact is held when an extracted relation
joins an entity named like its subject and one named like its object (either direction for `expected`,
kind-agnostic, as the facts checker does; the subject → object direction for `must_not`, so a reversed
or negated statement counts as a trap taken). Prints recall per family and phrasing, and the traps taken.

    python bench/extraction_families.py [--family support] [--show-missed] [--json OUT] [--data FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from essgraph.core.model import Extraction  # noqa: E402
from essgraph.core.settings import get_settings  # noqa: E402
from essgraph.core.text import fold  # noqa: E402
from essgraph.graph.facts import labels_match  # noqa: E402
from essgraph.ingest.extract import extract  # noqa: E402
from essgraph.ingest.reading import read_document  # noqa: E402
from essgraph.ontology.thesaurus import load_thesaurus  # noqa: E402

DATA = ROOT / "tests" / "data" / "extraction" / "families.jsonl"
LITERAL_TYPES = {"Date", "Lieu", "Thematique", "Literal"}


def _labels(ex: Extraction, key: str | None) -> list[str]:
    if key is None:
        return []
    ent = ex.entities.get(key)
    if ent is None:
        return [key]
    return [ent.label, *getattr(ent, "alt_labels", ())]


def _edges(ex: Extraction) -> list[tuple[list[str], list[str], str, list[str]]]:
    """(subject labels, object labels or literal, kind, qualifier values) of every relation and entity
    attribute."""
    out = []
    for r in ex.relations:
        objs = _labels(ex, r.object) if r.object else []
        if r.object_literal:
            objs.append(r.object_literal)
        out.append((_labels(ex, r.subject), objs, r.kind, [str(v) for v in r.qualifiers.values()]))
    # what the graph states as an entity's own value (an event's date and status, written as its
    # eg:eventDate / eg:eventStatus), an edge to a literal like any other
    for key, entity in ex.entities.items():
        for name, values in entity.attributes.items():
            out.append((_labels(ex, key), list(values), name, []))
    return out


# A trap names a predicate; these are the relation kinds that would assert it (others cannot).
TRAP_KINDS = {
    "funded": {"Funding"},
    "holds capital in": {"CapitalParticipation"},
    "supports": {"supports", "Funding", "CapitalParticipation"},
    "member of": {"memberOf"},
    "created in": {"foundingDate", "createdBy"},
}


def _former(values: list[str]) -> bool:
    """Whether qualifier values (a role title) say the role was held before (« ancien », « ex- »)."""
    return any(re.search(r"\b(?:ancien(?:ne)?s?\b|ex-)", v, re.IGNORECASE) for v in values)


def _numbers(values: list[str]) -> set[str]:
    return {
        re.sub(r"[\s\u202f\u00a0.]", "", n).replace(",", ".")
        for v in values
        for n in re.findall(r"\d[\d\s\u202f.,]*\d|\d", v)
    }


def _holds(fact: dict[str, Any], edges: list[Any], directed: bool) -> bool:
    """Whether an edge joins the fact's subject and object; for a trap (`directed`), only an edge of a
    kind that asserts its predicate and carrying its numbers (amount, share, year) counts."""
    literal = fact.get("object_type") in LITERAL_TYPES
    numbers = _numbers([str(v) for v in fact.get("qualifiers", {}).values()]) if directed else set()
    # a date is held by a relation of the kind that asserts it (a year qualifying some other relation of
    # the subject, a support dated 2005, is no founding in 2005)
    kinds = TRAP_KINDS.get(fact["predicate"]) if directed or literal else None
    status = fact.get("qualifiers", {}).get("status")
    # a role trap that names its title (« chargé d'études » where the text makes the person director) is
    # taken only by a role whose title says it: without it, holding the expected role would count as the trap
    # (each word of the trap's title by its first letters: « présidente » is held by « présidence »)
    role = (
        [w[:5] for w in fold(fact.get("qualifiers", {}).get("role", "")).split() if len(w) > 2]
        if directed
        else []
    )
    for subj, objs, kind, quals in edges:
        if role and not any(all(w in fold(q) for w in role) for q in quals):
            continue
        if kinds is not None and kind not in kinds:
            continue
        if numbers and not numbers <= _numbers(quals):
            continue
        if status in ("ancien", "actuel") and (status == "ancien") != _former(quals):
            continue  # a role whose title says « ancien » / « ex- » is a former one, and only that
        pairs = [(subj, objs + (quals if literal else []))]
        if not directed:
            pairs.append((objs, subj))
        for a, b in pairs:
            if any(labels_match(fact["subject"], x) for x in a) and any(
                labels_match(fact["object"], y) or (literal and fact["object"] in y) for y in b
            ):
                return True
    return False


def main() -> None:
    """Run the families; prints the table (and writes --json)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family")
    ap.add_argument("--show-missed", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--data", type=Path, default=DATA, help="a families file (default: families.jsonl)")
    args = ap.parse_args()
    items = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.family:
        items = [i for i in items if i["family"] == args.family]
    settings = get_settings()
    thesaurus = load_thesaurus()
    held: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_phrasing: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    traps = 0
    trap_lines: list[str] = []
    missed: list[str] = []
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in items:
            path = Path(tmp) / f"{item['id']}.md"
            path.write_text(item["text"] + "\n", encoding="utf-8")
            ex = extract(read_document(path, settings), thesaurus, settings)
            edges = _edges(ex)
            ok = [_holds(f, edges, directed=False) for f in item["expected"]]
            bad = [_holds(f, edges, directed=True) for f in item.get("must_not", [])]
            for f, h in zip(item["expected"], ok, strict=True):
                held[item["family"]][0] += h
                held[item["family"]][1] += 1
                by_phrasing[item["phrasing"]][0] += h
                by_phrasing[item["phrasing"]][1] += 1
                if not h:
                    missed.append(f"{item['id']}: {f['subject']} -{f['predicate']}-> {f['object']}")
            for f, b in zip(item.get("must_not", []), bad, strict=True):
                if b:
                    traps += 1
                    trap_lines.append(f"{item['id']}: {f['subject']} -{f['predicate']}-> {f['object']}")
            rows.append({"id": item["id"], "held": ok, "traps": bad})
    total = [sum(v[0] for v in held.values()), sum(v[1] for v in held.values())]
    print(f"{'family':<16} held/expected")
    for fam, (h, n) in sorted(held.items()):
        print(f"{fam:<16} {h:>3}/{n:<3} {h / n:.0%}")
    print("-- by phrasing")
    for ph, (h, n) in sorted(by_phrasing.items()):
        print(f"{ph:<16} {h:>3}/{n:<3} {h / n:.0%}")
    n_must_not = sum(len(i.get("must_not", [])) for i in items)
    print(
        f"\nrecall {total[0]}/{total[1]} = {total[0] / max(1, total[1]):.1%}; "
        f"traps taken {traps}/{n_must_not}"
    )
    for line in trap_lines:
        print("  trap:", line)
    if args.show_missed:
        for line in missed:
            print("  missed:", line)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
