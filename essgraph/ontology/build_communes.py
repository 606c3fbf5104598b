"""Writes ontology/data/communes.tsv.gz and epci.tsv from the public découpage administratif (INSEE COG).

    python -m essgraph.ontology.build_communes PACKAGE_DIR

PACKAGE_DIR is the unpacked npm package `@etalab/decoupage-administratif` (its `data/communes.json` and
`data/epci.json`, INSEE Code officiel géographique; see ontology/data/README.md for source, licence and
date). The `common` column marks a one-word commune name that is also an ordinary French word (from
the lemma tables of the spaCy French pipeline, when installed): the extractor never reads such a word
as a commune without a place context.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMUNES_PATH = DATA_DIR / "communes.tsv.gz"
EPCI_PATH = DATA_DIR / "epci.tsv"

# decoupage-administratif EPCI type -> collectivité level slug (scheme niveaux-collectivite)
EPCI_LEVELS = {
    "CC": "communaute-de-communes",
    "CA": "communaute-d-agglomeration",
    "CU": "communaute-urbaine",
    "METRO": "metropole",
    "MET69": "metropole",
    "EPT": "etablissement-public-territorial",
}


def french_words() -> frozenset[str]:
    """Lower-case French lemmas (nouns, adjectives, verbs, adverbs of the spaCy French lemma index), or an
    empty set when the model is not installed (the `common` column is then all 0)."""
    try:
        import spacy

        nlp = spacy.load("fr_core_news_md", disable=["ner", "parser"])
    except (ImportError, OSError):
        return frozenset()
    tables: Any = getattr(nlp.get_pipe("lemmatizer"), "lookups")  # noqa: B009 (untyped spaCy attribute)
    words: set[str] = set()
    for values in tables.get_table("lemma_index").values():
        words.update(str(w).lower() for w in values)
    return frozenset(words)


def build(package: Path) -> tuple[int, int]:
    """Write the two data files; returns (communes, EPCI) written. Raises OSError or KeyError when
    `package` is not the expected package."""
    communes = json.loads((package / "data" / "communes.json").read_text(encoding="utf-8"))
    epcis = json.loads((package / "data" / "epci.json").read_text(encoding="utf-8"))
    ept_path = package / "data" / "ept.json"
    if ept_path.exists():
        epcis += json.loads(ept_path.read_text(encoding="utf-8"))
    words = french_words()
    rows = []
    for c in communes:
        if c["type"] != "commune-actuelle":
            continue
        name = c["nom"]
        common = int(" " not in name and "-" not in name and name.lower() in words)
        rows.append(f"{c['code']}\t{name}\t{c['departement']}\t{c.get('population') or 0}\t{common}")
    DATA_DIR.mkdir(exist_ok=True)
    header = "code\tname\tdepartement\tpopulation\tcommon\n"
    with gzip.GzipFile(COMMUNES_PATH, "wb", mtime=0) as out:
        out.write((header + "\n".join(sorted(rows)) + "\n").encode("utf-8"))
    erows = []
    for e in epcis:
        members = e.get("membres") or []
        deps = sorted({m["code"][:3] if m["code"].startswith("97") else m["code"][:2] for m in members})
        dep = deps[0] if len(deps) == 1 else ""
        erows.append(f"{e['code']}\t{e['nom']}\t{EPCI_LEVELS.get(e['type'], '')}\t{dep}")
    EPCI_PATH.write_text(
        "code\tname\tlevel\tdepartement\n" + "\n".join(sorted(erows)) + "\n", encoding="utf-8"
    )
    return len(rows), len(erows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m essgraph.ontology.build_communes PACKAGE_DIR")
    n_communes, n_epci = build(Path(sys.argv[1]))
    print(f"{n_communes} communes -> {COMMUNES_PATH}\n{n_epci} EPCI -> {EPCI_PATH}")
