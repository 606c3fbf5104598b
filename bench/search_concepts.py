"""How often search understands the concept a question is about, per question set.

Usage (ESSGRAPH_HOME holding an index of ../shared/corpus):

    OMP_NUM_THREADS=1 python bench/search_concepts.py tests/data/search/own-questions-a.jsonl \
        tests/data/search/own-questions-b.jsonl -- tests/data/search/heldout-questions-c.jsonl

Every own question carries `concept`, the thesaurus concept it was written about. For each group of
files (groups separated by `--`) this prints the share of questions whose concept the understander finds
by label (`Understander.analyse_labels`: preferred, alternative and usage labels) and the share whose
concept is the nearest, or among the 3 nearest, of the concepts' vectors to the question's vector (what
`concept_similarity` thresholds). Questions whose concept the understander does not search (another
scheme) are left out and counted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from essgraph.core.settings import get_settings
from essgraph.search.engine import SearchEngine
from essgraph.search.query_vectors import embedding_text


def groups(argv: Sequence[str]) -> list[list[Path]]:
    """The file groups of the command line, split at `--`."""
    out: list[list[Path]] = [[]]
    for arg in argv:
        if arg == "--":
            out.append([])
        else:
            out[-1].append(Path(arg))
    return [group for group in out if group]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    settings = get_settings()
    engine = SearchEngine.open(settings)
    engine._ensure_concept_vectors()
    understander = engine.understander
    iris = understander._concept_iris
    vectors = understander._concept_vectors
    print("| files | questions | left out | concept by label | nearest by meaning | among 3 nearest |")
    print("|---|---:|---:|---:|---:|---:|")
    for group in groups(args):
        asked = skipped = by_label = first = top3 = 0
        for path in group:
            for line in path.read_text(encoding="utf-8").splitlines():
                question = json.loads(line)
                concept = question["concept"]
                if concept not in understander.concepts or concept not in iris:
                    skipped += 1
                    continue
                asked += 1
                analysis = understander.analyse_labels(question["query"], engine.snapshot.entities)
                by_label += concept in analysis.concepts
                vector = engine.embedder.embed_query(embedding_text(question["query"], settings)).reshape(-1)
                sims = vectors @ vector
                rank = int((sims > sims[iris.index(concept)]).sum()) + 1
                first += rank == 1
                top3 += rank <= 3
        names = ", ".join(path.name for path in group)
        shares = " | ".join(f"{n / max(asked, 1):.3f}" for n in (by_label, first, top3))
        print(f"| {names} | {asked} | {skipped} | {shares} |")
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
