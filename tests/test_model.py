"""The model is not a tuple: it says what it is, compares as itself, and cannot be changed."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

import tipconv
from tipconv.model import Metadata, Model, Paragraph, Part, Report, Section

from .conftest import FIXTURES

SAMPLE = FIXTURES / "refworld-2003-hong-kong.txt"


@pytest.fixture(scope="module")
def report() -> Report:
    return tipconv.parse_file(SAMPLE)


def test_json_dumps_refuses_a_report(report: Report) -> None:
    with pytest.raises(TypeError):
        json.dumps(report)
    assert json.loads(json.dumps(report.to_dict()))["schema_version"] == 2


def test_model_objects_equal_only_model_objects() -> None:
    assert Paragraph(1, "a") != (1, "a")
    assert Paragraph(1, "a") != [1, "a", False]
    assert Paragraph(1, "a") == Paragraph(1, "a", False)
    assert Paragraph(1, "a") != Paragraph(1, "a", True)
    assert hash(Paragraph(1, "a")) == hash(Paragraph(1, "a"))
    assert not isinstance(Paragraph(1, "a"), tuple)


def test_fields_and_containers_are_read_only(report: Report) -> None:
    with pytest.raises(TypeError):
        report.metadata.fields["Publisher"] = "someone else"  # type: ignore[index]
    with pytest.raises(AttributeError):
        report.disclaimer = None  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del report.sections[0].parts[0].kind
    assert isinstance(report.sections, tuple)
    assert isinstance(report.sections[0].parts, tuple)
    assert isinstance(report.sections[0].parts[0].paragraphs, tuple)
    assert isinstance(report.diagnostics, tuple)


def test_a_callers_dict_cannot_change_the_metadata_afterwards() -> None:
    fields = {"Publisher": "United States Department of State"}
    metadata = Metadata(publisher="United States Department of State", fields=fields)
    fields["Publisher"] = "changed"
    assert metadata.fields["Publisher"] == "United States Department of State"


def test_replace_gives_a_changed_copy(report: Report) -> None:
    changed = report.replace(disclaimer=None)
    assert changed.disclaimer is None and report.disclaimer is not None
    assert changed.sections == report.sections
    assert copy.copy(report) == report
    with pytest.raises(TypeError, match="no field"):
        report.replace(paragraphs=())


def test_pickle_round_trip(report: Report) -> None:
    """convert's worker processes send reports to writers that cannot render in workers."""
    assert pickle.loads(pickle.dumps(report)) == report


def test_repr_names_the_class_and_fields() -> None:
    assert repr(Paragraph(3, "x")) == "Paragraph(line=3, text='x', item=False, page=None)"


def test_fields_are_declared_in_constructor_order() -> None:
    for cls in (Paragraph, Part, Section, Metadata, Report):
        assert issubclass(cls, Model)
        assert set(cls._fields) == set(cls.__slots__)
        assert cls.__match_args__ == cls._fields


def test_sections_paragraphs_are_their_parts_paragraphs(report: Report) -> None:
    section = report.sections[0]
    assert section.paragraphs == tuple(p for part in section.parts for p in part.paragraphs)
    text = json.dumps(report.to_dict())
    for paragraph in section.paragraphs:
        assert text.count(json.dumps(paragraph.text)[1:-1]) == 1  # said once
