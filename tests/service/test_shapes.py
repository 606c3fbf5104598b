"""Records and their API schemas must not drift. The passage travels in five shapes: until they are one,
the same source place everywhere, and the API hit naming exactly what the engine returns. A staff
decision's API schema names exactly the record's fields and `active`."""

from __future__ import annotations

from dataclasses import fields

from essgraph.core.model import Passage
from essgraph.search.engine import Hit
from essgraph.search.records import EntityRef, PassageRecord, SectionInfo
from essgraph.service import schemas
from essgraph.service.corrections import Correction
from essgraph.service.curation import CuratedLink, StaffDecision
from essgraph.service.views import PassageRef

PLACE = {"start_line", "end_line", "char_start", "char_end", "page"}


def _names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def test_every_passage_shape_carries_the_same_source_place() -> None:
    for shape in (Passage, PassageRecord, Hit):
        assert _names(shape) >= PLACE, shape
    assert _names(PassageRef) >= {"start_line", "end_line"}  # a citation needs the lines only


def test_the_api_hit_is_the_engine_hit_plus_its_citation() -> None:
    assert set(schemas.HitOut.model_fields) == _names(Hit) | {"citation"}
    assert set(schemas.SectionOut.model_fields) == _names(SectionInfo)
    entity = EntityRef(iri="https://example.org/e", label="e", type="Initiative")
    assert set(schemas.EntityRef.model_fields) == set(entity.public())


def test_the_api_staff_decisions_are_the_records_plus_active() -> None:
    assert set(schemas.StaffDecisionOut.model_fields) == _names(StaffDecision) | {"active"}
    assert set(schemas.LinkOut.model_fields) == _names(CuratedLink) | {"active"}
    assert set(schemas.CorrectionOut.model_fields) == _names(Correction) | {"active"}
