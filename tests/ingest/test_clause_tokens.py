"""Clause helpers compare spaCy tokens by position: spaCy makes a new Token object on every access
(`token.head`, `token.children`, `doc[i]`), so an identity test between two of them never holds."""

from __future__ import annotations

from typing import Any

import pytest

from essgraph.core.settings import get_settings
from essgraph.ingest.extract import clauses
from essgraph.ingest.extract.mentions import Mention


@pytest.fixture(scope="module")
def nlp() -> Any:
    return clauses.load_parser(get_settings().spacy_model)


def _mention(doc: Any, i: int) -> Mention:
    token = doc[i]
    return Mention(f"k{i}", "Collectivite", token.idx, token.idx + len(token.text), token.text)


def test_the_subject_before_clitics_and_an_auxiliary(nlp: Any) -> None:
    """« X lui a versé … »: X stands before the clitic and the auxiliary of the verb."""
    doc = nlp("Poligny lui a versé une aide .")
    verb = next(t for t in doc if t.lemma_ == "verser")
    found = {0: _mention(doc, 0)}
    assert clauses._clitic_subject(verb, found) == [found[0]]


def test_mentions_stop_at_the_token_they_are_told_to(nlp: Any) -> None:
    """Walking a verb's subtree does not enter `stop` (the trigger, or the clause already read)."""
    doc = nlp("Poligny a versé une aide à Salins .")
    verb = next(t for t in doc if t.lemma_ == "verser")
    salins = next(t for t in doc if t.text == "Salins")
    found = {0: _mention(doc, 0), salins.i: _mention(doc, salins.i)}
    everything = clauses._mentions_in(verb, found, None)
    assert found[salins.i] in everything
    assert found[salins.i] not in clauses._mentions_in(verb, found, salins)
