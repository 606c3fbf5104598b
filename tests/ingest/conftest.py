"""Fixtures of the ingest tests: settings, the real corpus folder, the samples and the hostile files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

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
NETWORK_KEY = "organisation/rtes"  # the network publishing the pages, named on every one


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


def relation_labels(ex: Extraction) -> set[tuple[str, str, str]]:
    """The entity-to-entity relations of `ex` as (kind, subject label, object label)."""
    e = ex.entities
    return {(r.kind, e[r.subject].label, e[r.object].label) for r in ex.relations if r.object in e}


def with_gaps(cases: list[tuple[Any, ...]], gaps: dict[str, str]) -> list[Any]:
    """`cases` as pytest parameters, those whose text is a key of `gaps` marked strict xfail with its
    reason (a known gap must fail today, so a fix shows up)."""
    return [
        pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=gaps[case[0]]))
        if case[0] in gaps
        else case
        for case in cases
    ]


def assert_sentence_case(ex: Extraction, kind: str, subject: str, obj: str | None) -> None:
    """Check one family sentence: `kind` links `subject` to `obj`, or, when `obj` is None (a negated or
    conditional sentence), `subject` is linked to no other actor of the sentence (the network itself,
    named on every page, aside). Raises AssertionError with what was found."""
    s = entity_key(ex, subject)
    assert s is not None, f"{subject!r} not recognised: {[e.label for e in ex.entities.values()]}"
    if obj is None:
        actors = set(ex.entities) - {NETWORK_KEY}
        linked = [
            r
            for r in ex.relations
            if r.object and {r.subject, r.object} <= actors and s in (r.subject, r.object)
        ]
        assert not linked, linked
        return
    o = entity_key(ex, obj)
    assert o is not None, f"{obj!r} not recognised: {[e.label for e in ex.entities.values()]}"
    found = [(r.kind, r.subject, r.object) for r in ex.relations]
    assert (kind, s, o) in found, found


def assert_roles(ex: Extraction, roles: set[tuple[str, str, str]], not_roles: set[tuple[str, str]]) -> None:
    """Each (person, organisation, words) of `roles` is a Role whose title (lower-cased) holds the words, and
    no Role joins a (person, organisation) of `not_roles`. Raises AssertionError."""
    e = ex.entities
    got = {
        (e[r.subject].label, e[r.object].label, r.qualifiers.get("roleTitle", "").lower())
        for r in ex.relations
        if r.kind == "Role" and r.object in e and r.subject in e
    }
    for person, org, words in roles:
        assert any(p == person and o == org and words.lower() in t for p, o, t in got), got
    assert not ({(p, o) for p, o, _ in got} & not_roles), got


def extract_news(text: str, folder: Path, thesaurus: object) -> Extraction:
    """The extraction of `text` as a news item of the network (a page headed « Actualités du réseau »)."""
    return extract_text("# Actualités du réseau\n\n" + text + "\n", folder, thesaurus, "evenement.md")


def event_keys(ex: Extraction, fragment: str) -> list[str]:
    """The keys of the events whose label or alt label contains `fragment`."""
    return [
        key
        for key, entity in ex.entities.items()
        if entity.type == "Event" and any(fragment in n for n in (entity.label, *entity.alt_labels))
    ]


def assert_event_case(
    ex: Extraction, kind: str, event: str, other: str | None, *, forbidden: tuple[str, ...], exact: bool
) -> None:
    """Check one event sentence: the event named by `event` has `kind` to `other` (an actor or place
    whose label is — `exact` — or contains `other`; for eventDate / participantCount the value itself);
    when `other` is None no event has any relation of the `forbidden` kinds. Raises AssertionError."""
    if other is None:
        linked = [r for r in ex.relations if r.kind in forbidden and r.subject.startswith("event/")]
        assert not linked, linked
        return
    keys = event_keys(ex, event)
    assert keys, f"{event!r}: {[e.label for e in ex.entities.values() if e.type == 'Event']}"
    if kind in ("eventDate", "participantCount"):
        values = [v for k in keys for v in ex.entities[k].attributes.get(kind, [])]
        assert other in values, values
        return
    others = [
        key
        for key, entity in ex.entities.items()
        if entity.type != "Event"
        and any((other == n) if exact else (other in n) for n in (entity.label, *entity.alt_labels))
    ]
    assert others, f"{other!r}: {[e.label for e in ex.entities.values()]}"
    found = [(r.kind, r.subject, r.object) for r in ex.relations]
    assert any((kind, k, o) in found for k in keys for o in others), found


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
