"""Cleaning keeps an exact map back to the source; property test over generated Markdown-ish text."""

from __future__ import annotations

import re
from bisect import bisect_right

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from essgraph.core.model import Section
from essgraph.ingest.clean import CleanText, clean, clean_line, paragraphs
from essgraph.ingest.segment import line_starts, make_passages

WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _in_order(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(w == h for h in it) for w in needles)


def test_emphasis_links_and_superscripts() -> None:
    source = "La ***Municipal**ESS* et **la SCIC** (voir fiche ^(n°5)) ou ^{n°7} et [Guide pratique](#) fin."
    ct = clean(source)
    assert ct.text == "La MunicipalESS et la SCIC (voir fiche (n°5)) ou (n°7) et Guide pratique fin."
    assert [link.title for link in ct.links] == ["Guide pratique"]
    link = ct.links[0]
    assert source[link.start : link.end] == "Guide pratique"
    for i, char in enumerate(ct.text):
        if char.isalnum():
            assert source[ct.to_source(i)] == char


def test_bullets_and_headings_markers_go() -> None:
    ct = clean("# Titre\n\n- premier point\n✓ second point\n► troisième\n")
    assert ct.text == "Titre\n\npremier point\nsecond point\ntroisième\n"


def test_page_break_sentence_join() -> None:
    source = "le constat est\n\naujourd'hui largement partagé.\n\nNouvelle idée."
    ct = clean(source)
    spans = paragraphs(ct)
    assert [ct.text[i:j] for i, j in spans] == [
        "le constat est aujourd'hui largement partagé.",
        "Nouvelle idée.",
    ]
    start, end = ct.source_span(*spans[0])
    assert source[start:end] == "le constat est\n\naujourd'hui largement partagé."


def test_no_join_after_sentence_end_or_before_capital() -> None:
    ct = clean("Phrase finie.\n\nsuite minuscule\n\nTexte sans point\n\nMajuscule")
    assert len(paragraphs(ct)) == 4


def test_key_figure_block_becomes_one_paragraph() -> None:
    ct = clean("2,4 millions\nde salariés,\nsoit 14%\nde l'emploi salarié privé\n")
    ((i, j),) = paragraphs(ct)
    assert " ".join(ct.text[i:j].split()) == "2,4 millions de salariés, soit 14% de l'emploi salarié privé"


def test_ocr_fixes_only_safe_patterns() -> None:
    assert clean_line("les acteurs de UESS et TESS") == "les acteurs de l'ESS et l'ESS"
    assert clean_line("la place de I'ESS via I'Agence") == "la place de l'ESS via l'Agence"
    assert clean_line("copilotée par UEtat et U'ESS") == "copilotée par l'État et l'ESS"
    assert clean_line("fait appel a TAg 35 et au RTESS") == "fait appel a TAg 35 et au RTESS"


def test_offsets_never_decrease() -> None:
    ct = clean("**Titre** ^(n°3) [lien](#) *x* ***y*** - z\n\nfin")
    assert all(a <= b for a, b in zip(ct.offsets, ct.offsets[1:], strict=False))
    assert isinstance(ct, CleanText)


_TOKENS = st.sampled_from(
    [
        "économie",
        "sociale",
        "SCIC",
        "commune",
        "l'ESS",
        "fiche",
        "n°9",
        "Ville",
        "(44)",
        "coopérative",
        "42",
        "et",
    ]
)


@st.composite
def _line(draw: st.DrawFn) -> str:
    words = draw(st.lists(_TOKENS, min_size=1, max_size=12))
    out = []
    for w in words:
        kind = draw(st.integers(0, 7))
        out.append(
            {
                1: f"**{w}**",
                2: f"*{w}*",
                3: f"***{w}***",
                4: f"[{w}](#)",
                5: f"^(n°{len(w)})",
                6: f"^{{{w}}}",
            }.get(kind, w)
        )
    prefix = draw(st.sampled_from(["", "", "- ", "# ", "✓ ", "  "]))
    end = draw(st.sampled_from(["", ".", ",", " :", "  "]))
    return prefix + " ".join(out) + end


@st.composite
def _document(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line(), min_size=1, max_size=25))
    out = []
    for line in lines:
        out.append(line)
        out.append(draw(st.sampled_from(["\n", "\n", "\n\n", "\n \n\n", "\r\n"])))
    return "".join(out).replace("\r\n", "\n")


@hsettings(max_examples=150, deadline=None)
@given(_document(), st.integers(100, 600))
def test_passages_point_back_at_their_source(source: str, target: int) -> None:
    starts = line_starts(source)
    n_lines = len(source.split("\n"))
    half = max(1, n_lines // 2)
    sections = [
        Section(index=0, title="a", kind="partie", start_line=1, end_line=half),
        Section(index=1, title="b", kind="partie", start_line=half + 1, end_line=n_lines),
    ][: 2 if n_lines > 1 else 1]
    passages = make_passages(source, sections, target, max(200, 2 * target))
    for p in passages:
        span = source[p.char_start : p.char_end]
        assert _in_order(_words(p.text), _words(span)), (p.text, span)
        assert p.start_line == bisect_right(starts, p.char_start)
        assert p.end_line == bisect_right(starts, p.char_end - 1)
        assert len(p.text) <= max(200, 2 * target)
        sec = sections[p.section or 0]
        assert sec.start_line <= p.start_line and p.end_line <= sec.end_line
