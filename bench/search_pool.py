"""Pooled judging of a question set: what several rankings return that the first judgements never saw.

The own question sets were judged by reading and grepping the documents; a passage that answers in
words the judge did not grep for stays unjudged and counts as a miss for every system. Like the
development set (`../shared/eval/README.md`, spans marked `"pooled": true`), the top hits of several
rankings are pooled and judged blind (no system, no rank, shuffled), then added to the set.

    # 1. the pool: top-`depth` of hybrid, BM25 and dense, minus passages overlapping a judged span
    ESSGRAPH_HOME=<home> OMP_NUM_THREADS=1 python bench/search_pool.py pool QUESTIONS.jsonl \
        --docs ../shared/corpus --out pool/ --batches 6
    # 2. judges write, per batch file, JSON lines {"id", "cand", "grade", "start_line", "end_line", "why"}
    # 3. merge: every judged span of grade 1 or 2 joins its question, marked "pooled": true; with
    #    --pool, the document comes from the candidate and the lines must lie within it
    python bench/search_pool.py merge QUESTIONS.jsonl pool/judged-*.jsonl --pool pool/ --out QUESTIONS.jsonl

`pool` prints how many candidates each question got; `merge` prints how many spans it added and
refuses a judgement naming an unknown question or candidate, or lines outside the candidate.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from essgraph.search.evaluate import overlaps

MODES = ("hybrid", "bm25", "dense")


def read_lines(docs: Sequence[Path], document: str) -> list[str]:
    """The lines of `document` found in one of the `docs` folders; raises FileNotFoundError."""
    for folder in docs:
        path = folder / document
        if path.exists():
            return path.read_text(encoding="utf-8").splitlines()
    raise FileNotFoundError(document)


def pool(args: argparse.Namespace) -> int:
    """Write the pool of every question into `--batches` files under `--out`; returns 0."""
    from essgraph.core.settings import get_settings
    from essgraph.search.engine import SearchEngine

    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line]
    engine = SearchEngine.open(get_settings())
    rng = random.Random(args.seed)
    entries: list[dict[str, Any]] = []
    sizes: list[int] = []
    try:
        for q in questions:
            seen: list[tuple[str, int, int]] = []
            for mode in MODES:
                for hit in engine.search(q["query"], k=args.depth, mode=mode).hits:
                    span = (hit.record.document, hit.record.start_line, hit.record.end_line)
                    if span in seen or any(overlaps(span, rel) for rel in q["relevant"]):
                        continue
                    seen.append(span)
            rng.shuffle(seen)  # blind: neither the system nor the rank shows
            candidates = []
            for number, (document, start, end) in enumerate(seen, start=1):
                lines = read_lines(args.docs, document)
                text = "\n".join(f"{n}: {lines[n - 1]}" for n in range(start, min(end, len(lines)) + 1))
                candidates.append(
                    {"cand": number, "document": document, "start_line": start, "end_line": end, "text": text}
                )
            judged = []
            for rel in q["relevant"]:
                lines = read_lines(args.docs, rel["document"])
                text = " ".join(lines[rel["start_line"] - 1 : rel["end_line"]])
                judged.append({**rel, "text": text})
            sizes.append(len(candidates))
            entries.append(
                {
                    "id": q["id"],
                    "query": q["query"],
                    "persona": q.get("persona", ""),
                    "notes": q.get("notes", ""),
                    "judged": judged,
                    "candidates": candidates,
                }
            )
    finally:
        engine.close()
    args.out.mkdir(parents=True, exist_ok=True)
    per = -(-len(entries) // args.batches)
    for b in range(args.batches):
        chunk = entries[b * per : (b + 1) * per]
        if chunk:
            path = args.out / f"batch-{b + 1:02d}.json"
            path.write_text(json.dumps(chunk, ensure_ascii=False, indent=1), encoding="utf-8")
    total = sum(sizes)
    print(f"{len(entries)} questions, {total} candidates to judge (mean {total / max(len(sizes), 1):.1f})")
    return 0


def pooled_candidates(folder: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """{(question id, candidate number): candidate} of the batch files `pool` wrote into `folder`."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for path in sorted(folder.glob("batch-*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            for cand in entry["candidates"]:
                found[(entry["id"], int(cand["cand"]))] = cand
    return found


def _candidate_error(j: dict[str, Any], cand: dict[str, Any] | None) -> str | None:
    """Why judgement `j` does not fit its pooled candidate (None when it does)."""
    if cand is None:
        return f"unknown candidate {j.get('cand')!r} of {j.get('id')!r}"
    if j.get("document", cand["document"]) != cand["document"]:
        return f"document {j['document']!r} is not the candidate's"
    if not cand["start_line"] <= int(j["start_line"]) <= int(j["end_line"]) <= cand["end_line"]:
        return f"lines {j['start_line']}-{j['end_line']} outside the candidate"
    return None


def merge(args: argparse.Namespace) -> int:
    """Add the judged spans of grade 1 or 2 to their questions (marked pooled); returns 0, or 1 when
    a judgement is malformed (nothing written then). With `--pool`, each judgement is checked against
    its candidate in the batch files, which also give its document; without, it must name it."""
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line]
    by_id = {q["id"]: q for q in questions}
    candidates = pooled_candidates(args.pool) if args.pool is not None else None
    added = 0
    errors: list[str] = []
    for path in args.judged:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            j = json.loads(line)
            q = by_id.get(j.get("id"))
            where = f"{path}:{number}"
            if q is None:
                errors.append(f"{where}: unknown question {j.get('id')!r}")
                continue
            grade = int(j["grade"])
            if grade not in (0, 1, 2):
                errors.append(f"{where}: grade {grade}")
                continue
            if candidates is not None:
                cand = candidates.get((str(j["id"]), int(j.get("cand", -1))))
                problem = _candidate_error(j, cand)
                if problem is not None:
                    errors.append(f"{where}: {problem}")
                    continue
                assert cand is not None
                j = {**j, "document": cand["document"]}
            elif "document" not in j:
                errors.append(f"{where}: no document (give --pool to take it from the candidate)")
                continue
            if grade == 0:
                continue
            span = {
                "document": j["document"],
                "start_line": int(j["start_line"]),
                "end_line": int(j["end_line"]),
                "grade": grade,
                "pooled": True,
            }
            key = (span["document"], span["start_line"], span["end_line"])
            if span["start_line"] > span["end_line"]:
                errors.append(f"{where}: empty line range")
                continue
            if any((r["document"], r["start_line"], r["end_line"]) == key for r in q["relevant"]):
                continue
            q["relevant"].append(span)
            added += 1
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    args.out.write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8"
    )
    print(f"{added} pooled spans added to {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pool", help="write the unjudged top hits of each question, in batches")
    p.add_argument("questions", type=Path)
    p.add_argument("--docs", type=Path, action="append", required=True, help="folder of the documents")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--depth", type=int, default=10)
    p.add_argument("--batches", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    m = sub.add_parser("merge", help="add the judged spans to the question set")
    m.add_argument("questions", type=Path)
    m.add_argument("judged", type=Path, nargs="+")
    m.add_argument("--out", type=Path, required=True)
    m.add_argument(
        "--pool", type=Path, help="the folder `pool` wrote: check judgements against their candidates"
    )
    args = parser.parse_args(argv)
    return pool(args) if args.command == "pool" else merge(args)


if __name__ == "__main__":
    sys.exit(main())
