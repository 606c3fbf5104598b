"""Records and their API schemas must not drift. Every passage shape takes its source place from the one
`SourcePlace`, a search hit holds its passage record instead of a copy of its fields, the API hit names
exactly what the engine returns, and a staff decision's API schema names exactly the record's fields and
`active`."""

from __future__ import annotations

from dataclasses import fields

from essgraph.core.model import PLACE_FIELDS, Passage, PassageText, SourcePlace
from essgraph.search.engine import Hit
from essgraph.search.records import EntityRef, PassageRecord, SectionInfo
from essgraph.service import schemas
from essgraph.service.corrections import Correction
from essgraph.service.curation import CuratedLink, StaffDecision
from essgraph.service.views import PassageRef


def _names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def _hit() -> Hit:
    passage = Passage(index=3, text="t", start_line=4, end_line=6, char_start=10, char_end=90, page=2)
    record = PassageRecord(
        doc_id="d", document="d.txt", iri="https://e.org/p", index=3, text="t", **passage.place()
    )
    return Hit(record=record, score=1.0, highlight="t")


def test_every_passage_shape_takes_its_place_from_source_place() -> None:
    for shape in (Passage, PassageRecord):
        assert issubclass(shape, PassageText) and issubclass(shape, SourcePlace), shape
    assert _names(PassageText) == _names(SourcePlace) | {"index", "text"}
    for shape in (Passage, PassageRecord):  # the passage's own fields are declared once, in PassageText
        assert not (set(shape.__annotations__) & _names(PassageText)), shape
    assert _names(Hit) == {"record", "score", "highlight", "same_section"}  # the record, not a copy of it
    assert set(schemas.PlaceOut.model_fields) == set(PLACE_FIELDS) == _names(SourcePlace)
    assert issubclass(schemas.HitOut, schemas.PlaceOut)
    assert _names(PassageRef) >= {"start_line", "end_line"}  # a citation needs the lines only


def test_a_place_moves_from_one_shape_to_the_next_unchanged() -> None:
    passage = Passage(index=3, text="t", start_line=4, end_line=6, char_start=10, char_end=90, page=2)
    hit = _hit()
    place = {"start_line": 4, "end_line": 6, "char_start": 10, "char_end": 90, "page": 2}
    assert passage.place() == hit.record.place() == place
    assert {k: hit.to_dict()[k] for k in PLACE_FIELDS} == place


def test_a_record_written_before_index_was_named_so_reads_the_same() -> None:
    record = _hit().record
    old = record.to_dict()
    old["order"] = old.pop("index")
    assert PassageRecord.from_dict(old) == record == PassageRecord.from_dict(record.to_dict())


def test_a_hit_shows_its_record_in_the_api_keys_and_order() -> None:
    data = _hit().to_dict()
    assert list(data) == [
        *PLACE_FIELDS,
        "document",
        "doc_id",
        "passage",
        "url",
        "section",
        "text",
        "highlight",
        "score",
        "entities",
        "kind",
        "same_section",
    ]
    assert (data["passage"], data["url"], data["kind"], data["entities"]) == (
        "https://e.org/p",
        None,
        "answer",
        [],
    )
    assert data["section"] == {f: getattr(SectionInfo(), f) for f in _names(SectionInfo)}


def test_the_api_hit_is_the_engine_hit_plus_its_citation() -> None:
    assert set(schemas.HitOut.model_fields) == set(_hit().to_dict()) | {"citation"}
    assert set(schemas.SectionOut.model_fields) == _names(SectionInfo)
    entity = EntityRef(iri="https://example.org/e", label="e", type="Initiative")
    assert set(schemas.EntityRef.model_fields) == set(entity.public())


def test_the_api_staff_decisions_are_the_records_plus_active() -> None:
    assert set(schemas.StaffDecisionOut.model_fields) == _names(StaffDecision) | {"active"}
    assert set(schemas.LinkOut.model_fields) == _names(CuratedLink) | {"active"}
    assert set(schemas.CorrectionOut.model_fields) == _names(Correction) | {"active"}
