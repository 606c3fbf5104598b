"""Segmentation of the real corpus: Kit fiches from the TOC, Déniché list, fiches action, passage spans."""

from __future__ import annotations

import itertools
import re

from essgraph.core.model import Section
from essgraph.core.settings import Settings
from essgraph.ingest import ParsedDocument
from essgraph.ingest.clean import CleanText, clean_line, fix_ocr
from essgraph.ingest.segment import line_starts, make_passages, title_match

EXPECTED_KINDS = (
    {1: "introductive", 2: "introductive", 3: "introductive"}
    | {n: "levier" for n in (4, 7, 9, 11, 13, 15, 17, 20, 23, 24)}
    | {n: "thematique" for n in (5, 6, 8, 10, 12, 14, 16, 18, 19, 21, 22)}
)


def _fiches(kit: ParsedDocument) -> dict[int, Section]:
    return {s.number: s for s in kit.sections if s.series == "Kit MunicipalESS" and s.number is not None}


def test_kit_has_24_fiches_with_toc_numbers_and_kinds(kit: ParsedDocument) -> None:
    fiches = _fiches(kit)
    assert sorted(fiches) == list(range(1, 25))
    assert {n: s.kind for n, s in fiches.items()} == EXPECTED_KINDS
    starts = [fiches[n].start_line for n in range(1, 25)]
    assert starts == sorted(starts), "bodies come in number order"
    assert (
        fiches[9].label == "Kit MunicipalESS — fiche n°9 : Sociétés Coopératives d'Intérêt Collectif - SCIC"
    )
    assert fiches[7].title == "Commande publique responsable"
    assert fiches[16].title == "ESS & ruralité(s)"
    assert fiches[24].title == "Synthèse des ressources mobilisables par les collectivités"


def test_kit_fiche_bodies_open_with_their_title(kit: ParsedDocument) -> None:
    lines = kit.source.split("\n")
    for number, fiche in _fiches(kit).items():
        heading = clean_line(lines[fiche.start_line - 1])
        assert title_match(fiche.title, heading) >= 0.75, (number, heading)
        if fiche.aliases:
            assert heading in fiche.aliases


def test_kit_cross_references_agree_with_numbers(kit: ParsedDocument) -> None:
    """A "voir fiche n°X" sits next to words of fiche X's title (checked on the corpus by hand)."""
    fiches = _fiches(kit)
    lines = kit.source.split("\n")
    for n, word in ((8, "alimentation"), (7, "marchés publics"), (13, "foncier"), (4, "acteurs")):
        refs = [
            line
            for line in lines
            if re.search(rf"fiche[^.\n]{{0,12}}n°{n}\b", clean_line(line), re.IGNORECASE)
        ]
        assert any(word in clean_line(line).lower() for line in refs), n
    assert "alimentation" in fiches[8].title and "foncier" in fiches[13].title


def test_deniche_list_items(kit: ParsedDocument) -> None:
    deniche = [s for s in kit.sections if s.kind == "deniche"]
    assert len(deniche) == 1
    items = {i.number: i for i in kit.listed_items}
    assert len(items) >= 70 and max(items) == 83 and min(items) == 1
    assert items[38].label == "Déniché pour vous n°38 : Solidarauto49"
    assert items[27].title == "Garage SolidarAuto 38"
    assert items[38].group == "Sur la mobilité durable"
    lines = kit.source.split("\n")
    for item in items.values():
        assert item.title.split()[0].strip("«»") in lines[item.line - 1]
        assert item.section == deniche[0].index


def test_fiches_action_labels(corpus_docs: dict[str, ParsedDocument]) -> None:
    doc = corpus_docs["rtes-fiches-action-2022.txt"]
    fiches = {s.number: s for s in doc.sections if s.kind == "fiche-action" and s.number is not None}
    assert sorted(fiches) == list(range(1, 13))
    assert fiches[6].label == "Fiche action n°6 : SCIC"
    assert fiches[1].title == "Les 20 ans du RTES"
    lines = doc.source.split("\n")
    assert any(
        "Fiche-action n°6" in lines[i] for i in range(fiches[6].start_line - 1, fiches[6].start_line + 3)
    )


def test_report_and_cpo_chapters(corpus_docs: dict[str, ParsedDocument]) -> None:
    rapport = corpus_docs["rtes-rapport-activite-2023.txt"]
    titles = [s.title for s in rapport.sections if s.kind == "chapitre"]
    assert "PLAIDOYER" in titles and "EUROPE & INTERNATIONAL" in titles and "NOVEMBRE" in titles
    cpo = corpus_docs["rtes-cpo-anct-2020-2022.txt"]
    assert sum(1 for s in cpo.sections if s.title.startswith("ACTION 3")) >= 1
    ville = corpus_docs["rtes-ess-politique-de-la-ville.txt"]
    assert any(s.title.startswith("INTEGRER LA QUESTION DU FONCIER") for s in ville.sections)


def test_every_passage_points_back_at_its_text(
    corpus_docs: dict[str, ParsedDocument], settings: Settings
) -> None:
    word = re.compile(r"\w+")
    for name, doc in corpus_docs.items():
        starts = line_starts(doc.source)
        sections = doc.sections
        assert sections[0].start_line == 1
        for a, b in itertools.pairwise(sections):
            assert b.start_line == a.end_line + 1, name
        for p in doc.passages:
            span = doc.source[p.char_start : p.char_end]
            span_words = word.findall(fix_ocr(CleanText.of(span.replace("*", ""))).text)
            missing, pos = [], 0
            for w in word.findall(p.text):
                try:
                    pos = span_words.index(w, pos) + 1
                except ValueError:
                    missing.append(w)
            # OCR repairs ("UESS" -> "l+ESS, UEtat -> lÉtat") make the only words absent from the span
            assert not missing, (name, p.index, missing[:5])
            assert p.start_line == sum(1 for s in starts if s <= p.char_start)
            assert p.end_line == sum(1 for s in starts if s <= p.char_end - 1)
            sec = sections[p.section or 0]
            assert sec.start_line <= p.start_line and p.end_line <= sec.end_line, (name, p.index)
            assert len(p.text) <= settings.passage_max_chars
        assert [p.index for p in doc.passages] == list(range(len(doc.passages)))


def test_passages_do_not_cross_sections_at_any_size(kit: ParsedDocument) -> None:
    for target in (300, 1000, 3000):
        passages = make_passages(kit.source, kit.sections, target, 2 * target)
        for p in passages:
            sec = kit.sections[p.section or 0]
            assert sec.start_line <= p.start_line and p.end_line <= sec.end_line


def test_ocr_damage_is_repaired_in_passages(corpus_docs: dict[str, ParsedDocument]) -> None:
    doc = corpus_docs["rtes-ess-politique-de-la-ville.txt"]
    text = " ".join(p.text for p in doc.passages)
    assert "UESS" not in text and "I'ESS" not in text and "UEtat" not in text
    assert "l'ESS" in text and "TAg 35" in text


def test_toc_pages_give_each_listed_section_its_printed_pages(
    kit: ParsedDocument, corpus_docs: dict[str, ParsedDocument]
) -> None:
    fiches = _fiches(kit)
    ranges = [(fiches[n].first_page, fiches[n].last_page) for n in range(1, 25)]
    assert all(first is not None for first, _ in ranges)
    firsts = [first for first, _ in ranges]
    assert firsts == sorted(firsts)
    for (first, last), (after, _) in itertools.pairwise(ranges):  # up to the page before the next fiche
        assert last == after - 1 >= first  # type: ignore[operator]
    assert ranges[-1][1] is None  # where the last fiche ends, the table does not say
    actions = corpus_docs["rtes-fiches-action-2022.txt"]
    listed = [s for s in actions.sections if s.kind == "fiche-action" and s.first_page is not None]
    assert len(listed) >= 10
    unlisted = [s for s in kit.sections if s.series != "Kit MunicipalESS"]
    assert all(s.first_page is None and s.last_page is None for s in unlisted)  # never a guessed page


def test_page_ranges_share_a_page_and_skip_unlisted_sections() -> None:
    from essgraph.ingest.segment import _page_ranges

    sections = [
        Section(index=k, title=f"s{k}", kind="partie", start_line=k + 1, end_line=k + 1) for k in range(5)
    ]
    _page_ranges(sections, [None, 4, 4, None, 9])
    assert [(s.first_page, s.last_page) for s in sections] == [
        (None, None),
        (4, 4),
        (4, 8),
        (None, None),
        (9, None),
    ]
