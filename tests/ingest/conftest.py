"""Fixtures of the ingest tests: settings, the real corpus folder, the samples and the hostile files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from essgraph.core.model import Extraction
from essgraph.core.settings import Settings, get_settings
from essgraph.ingest import ParsedDocument, read_document
from essgraph.ingest.extract import extract
from essgraph.ontology.thesaurus import load_thesaurus

REPO = Path(__file__).resolve().parents[2]
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
SAMPLES = REPO / "essgraph" / "ingest" / "samples"
KIT = "rtes-kit-municipaless-2020.txt"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default settings with a throw-away data directory."""
    return Settings(home=tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="session")
def thesaurus() -> object:
    """The packaged SKOS thesaurus, loaded once."""
    return load_thesaurus()


def extract_text(text: str, folder: Path, thesaurus: object, name: str = "doc.md") -> Extraction:
    """The extraction of `text` written as the Markdown file `name` in `folder`, read like an upload."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    settings = get_settings()
    return extract(read_document(path, settings), thesaurus, settings)


def entity_key(ex: Extraction, label: str) -> str | None:
    """The key of the entity labelled (or alt-labelled, or label-suffixed) `label` in `ex`, or None."""
    for key, entity in ex.entities.items():
        if label in (entity.label, *entity.alt_labels) or entity.label.endswith(label):
            return key
    return None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real corpus folder (../shared/corpus); the test is skipped when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus absent")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_docs(corpus_dir: Path, settings: Settings) -> dict[str, ParsedDocument]:
    """Every corpus file read once, keyed by file name."""
    return {p.name: read_document(p, settings) for p in sorted(corpus_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def kit(corpus_docs: dict[str, ParsedDocument]) -> ParsedDocument:
    """The Kit MunicipalESS, read."""
    return corpus_docs[KIT]


def _load_make_hostile() -> ModuleType:
    """tests/data/make_hostile.py imported as a module (tests/data is not a package)."""
    spec = importlib.util.spec_from_file_location("make_hostile", REPO / "tests" / "data" / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """The hostile files generated in a temporary folder, with their manifest."""
    folder = tmp_path_factory.mktemp("hostile")
    return folder, _load_make_hostile().generate(folder)
