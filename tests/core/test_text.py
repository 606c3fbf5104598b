"""The one fold: accents, case, ligatures; spans found in folded text map back to the original."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from essgraph.core.text import LIGATURES, fold, fold_with_offsets, int_or_none, slugify, strip_accents


def _nfkd_lower(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def test_fold_examples() -> None:
    assert fold("Écossolies") == "ecossolies"
    assert fold("Cœur de ville, l’Œuvre") == "coeur de ville, l'oeuvre"
    assert strip_accents("Œuvre é") == "OEuvre e"
    assert slugify("Territoire au cœur de la SCIC") == "territoire-au-coeur-de-la-scic"


@given(st.text().filter(lambda t: not set(t) & {chr(c) for c in LIGATURES}))
def test_without_ligatures_fold_is_accent_stripping_and_lowercase(text: str) -> None:
    assert fold(text) == _nfkd_lower(text)


def test_spans_of_the_folded_text_map_back() -> None:
    text = "La mise en œuvre de la ﬁche et la Loi NOTRe"
    folded = fold_with_offsets(text)
    assert folded.text == fold(text)
    at = folded.text.index("loi notre")
    start, end = folded.span(at, at + len("loi notre"))
    assert text[start:end] == "Loi NOTRe"
    at = folded.text.index("oeuvre")
    assert text[slice(*folded.span(at, at + 2))] == "œ"  # a character folded into two is taken whole
    decomposed = "Economie\u0301 sociale"  # a combining accent after the last letter stays with it
    folded = fold_with_offsets(decomposed)
    assert decomposed[slice(*folded.span(0, len("economie")))] == "Economie\u0301"


@given(st.text(), st.data())
def test_every_folded_span_comes_from_its_original_span(text: str, data: st.DataObject) -> None:
    folded = fold_with_offsets(text)
    i = data.draw(st.integers(0, len(folded.text)))
    j = data.draw(st.integers(i, len(folded.text)))
    start, end = folded.span(i, j)
    assert 0 <= start <= end <= len(text)
    assert folded.text[i:j] in "".join(fold(c) for c in text[start:end])


def test_int_or_none_reads_sparql_literal_text() -> None:
    assert [int_or_none(v) for v in ("12", "12.0", "", None, "douze", "NaN", "INF")] == [12, 12, *[None] * 5]
