"""Usage labels (eg:usageLabel) and the thesaurus label coverage check (ontology.coverage, eval thesaurus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essgraph.app.cli import _register_all, app
from essgraph.core.errors import OntologyError
from essgraph.core.settings import Settings
from essgraph.ontology.coverage import COVERED_SCHEMES, label_counts, thin_concepts
from essgraph.ontology.thesaurus import load_thesaurus

PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix eg: <https://w3id.org/essgraph/def#> .
@prefix c: <https://w3id.org/essgraph/id/concept/> .
@prefix l: <https://w3id.org/essgraph/id/concept/leviers/> .
"""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "extra.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def test_the_packaged_thesaurus_passes_the_coverage_check() -> None:
    thin = thin_concepts(load_thesaurus(), Settings().thesaurus_min_labels)
    assert thin == [], [f"{c.concept.slug}: {c.total}" for c in thin]


def test_every_covered_scheme_has_usage_labels() -> None:
    counts = label_counts(load_thesaurus())
    for scheme in COVERED_SCHEMES:
        assert sum(c.usage for c in counts if c.concept.scheme == scheme) > 0, scheme


def test_a_concept_with_few_labels_is_listed(tmp_path: Path) -> None:
    extra = _write(
        tmp_path,
        """l:levier-d-essai a skos:Concept ; skos:inScheme c:leviers ;
    skos:prefLabel "levier d'essai"@fr ; skos:altLabel "essai"@fr , "levier d'essai"@fr ;
    eg:usageLabel "tester un levier"@fr .""",
    )
    thin = thin_concepts(load_thesaurus([extra]), 3)
    found = [c for c in thin if c.concept.slug == "levier-d-essai"]
    # the preferred label repeated as an alt label does not count
    assert [(c.alt, c.usage, c.total) for c in found] == [(1, 1, 2)]


def test_usage_labels_for_an_unknown_concept_are_refused(tmp_path: Path) -> None:
    extra = _write(tmp_path, 'l:faute-de-frappe eg:usageLabel "un mot"@fr .')
    with pytest.raises(OntologyError, match="faute-de-frappe"):
        load_thesaurus([extra])


def test_only_the_search_matcher_knows_usage_labels() -> None:
    thesaurus = load_thesaurus()
    text = "Deux associations se partagent un salarié partagé."
    concept = "https://w3id.org/essgraph/id/concept/formes-juridiques/groupement-d-employeurs"
    assert concept not in {str(m.iri) for m in thesaurus.match(text)}  # extraction: unchanged
    assert concept in {str(m.iri) for m in thesaurus.for_search().match(text)}
    assert thesaurus.for_search() is thesaurus.for_search()


def test_cli_lists_thin_concepts_and_fails(home: Path) -> None:
    _register_all()
    runner = CliRunner()
    ok = runner.invoke(app, ["--home", str(home), "eval", "thesaurus"])
    assert ok.exit_code == 0, ok.output
    assert "concepts ont au moins" in ok.output
    strict = runner.invoke(app, ["--home", str(home), "eval", "thesaurus", "--min", "1000", "--json"])
    assert strict.exit_code == 1
    report = json.loads(strict.output)
    assert report["minimum"] == 1000 and len(report["thin"]) == report["concepts"] > 0
