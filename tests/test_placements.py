"""Tier placement lists (tipconv.placements): read from lines, checked against sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipconv.model import Section, Tier
from tipconv.parser import parse_text
from tipconv.placements import (
    check_placements,
    country_names,
    list_heading,
    read_placement_lists,
)

LISTS = """\
The report places countries on tiers. Tier 1 is the highest placement.

TIER 1
Chile
Sweden*

TIER 2
Albania
Bosnia and Herzegovina    Botswana
TIER 2 WATCH LIST
Zambia
TIER 3
Eritrea
SPECIAL CASES
Libya

ALBANIA: TIER 2
The Government of Albania does not fully meet the minimum standards.
"""


@pytest.mark.parametrize(
    ("line", "tier"),
    [
        ("TIER 1", "1"),
        ("TIER 2", "2"),
        ("TIER 2 WATCH LIST", "2WL"),
        ("TIER 2 WATCH-LIST:", "2WL"),
        ("  TIER 3 ", "3"),
        ("SPECIAL CASES", "special_case"),
        ("Tier 1", None),
        ("ALBANIA: TIER 2", None),
        ("TIER 2 countries are those", None),
    ],
)
def test_list_heading(line: str, tier: str | None) -> None:
    assert list_heading(line) == tier


def test_lists_are_read_one_or_several_names_a_line() -> None:
    assert read_placement_lists(LISTS.splitlines()) == {
        "Chile": "1",
        "Sweden": "1",
        "Albania": "2",
        "Bosnia and Herzegovina": "2",
        "Botswana": "2",
        "Zambia": "2WL",
        "Eritrea": "3",
        "Libya": "special_case",
    }


def test_names_run_together_are_split_by_the_crosswalk() -> None:
    assert country_names("Bosnia and Herzegovina Burma Chile") == [
        "Bosnia and Herzegovina",
        "Burma",
        "Chile",
    ]
    assert country_names("The government said") == []


def test_no_run_of_lists_no_placements() -> None:
    assert read_placement_lists(["TIER 1", "Chile", "", "Chile remained on Tier 1."]) == {}
    assert read_placement_lists(["SPECIAL CASES", "SOMALIA", "", "TIER 1", "Chile"]) == {}
    assert read_placement_lists([]) == {}


def _sections(text: str) -> list[Section]:
    return list(parse_text(text).sections)


NARRATIVES = """\
CHILE: TIER 1

The Government of Chile fully meets the minimum standards for the elimination of trafficking.

BOTSWANA: TIER 2 WATCH LIST

The Government of Botswana does not fully meet the minimum standards for the elimination of
trafficking but is making significant efforts to do so.

FIJI: TIER 2

The Government of Fiji does not fully meet the minimum standards for the elimination of
trafficking but is making significant efforts to do so.
"""


def test_check_names_each_country_where_lists_and_narratives_disagree() -> None:
    sections = _sections(NARRATIVES)
    assert [s.tier for s in sections] == [Tier.TIER_1, Tier.TIER_2_WATCH_LIST, Tier.TIER_2]
    lists = {"Chile": "1", "Botswana": "2", "Zambia": "2WL"}
    found = {(d.code, d.message) for d in check_placements(lists, sections)}
    assert found == {
        (
            "placement_mismatch",
            "Botswana: the narrative places it on Tier 2 Watch List, the placement lists on Tier 2",
        ),
        (
            "narrative_not_in_placements",
            "Fiji has a narrative but is in none of the tier placement lists",
        ),
        (
            "placement_without_narrative",
            "Zambia is listed on Tier 2 Watch List but has no narrative",
        ),
    }
    assert all(d.level.value == "warning" for d in check_placements(lists, sections))


def test_check_compares_by_iso3() -> None:
    sections = _sections(
        "BURMA: TIER 3\n\nThe Government of Burma does not fully meet the "
        "minimum standards and is not making significant efforts to do so.\n"
    )
    assert check_placements({"Myanmar": "3"}, sections) == []
    assert check_placements({}, sections) == []


def test_the_mini_report_pdf_shows_each_kind_of_warning() -> None:
    pytest.importorskip("pypdfium2")
    from tipconv.readers import read
    from tipconv.reading import parse_file

    path = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "pdf-2019-mini-report.pdf"
    lists = read_placement_lists(read(path.read_bytes()).text.split("\n"))
    assert lists["Zambia"] == "2WL" and lists["Libya"] == "special_case"
    codes = sorted(d.code for d in check_placements(lists, parse_file(str(path)).sections))
    assert codes == [
        "narrative_not_in_placements",
        "placement_mismatch",
        "placement_without_narrative",
    ]


def test_an_abbreviation_ends_no_placement_sentence() -> None:
    from tipconv.statements import _sentence_around

    text = "It did little. St. Lucia was downgraded to Tier 3 as U.S. officials said. Next."
    at = text.index("was downgraded")
    assert _sentence_around(text, at, at + 30) == (
        "St. Lucia was downgraded to Tier 3 as U.S. officials said."
    )
