"""Headings read by evidence (issue 21): any known country, in any of the forms mirrors,
blogs, PDF-to-text sites and news sites print, is a heading; lines that only look like one
are not. Each case is a family, in the project's own words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tipconv
from tipconv.countries import all_countries
from tipconv.evidence import read_heading_line

NAMES = sorted({code.name for code in all_countries()})
TIERS = {"Tier 1": "1", "Tier 2": "2", "Tier 2 Watch List": "2WL", "Tier 3": "3"}

# {c}: the country; {t}: the tier words. Each a way a copy prints a heading.
FORMS = (
    "{c} ({t})",
    "{C} ({T})",
    "{C}: {t}",
    "{C}: {T}",
    "{c} ({t}).",
    "{C} ({t}) \u2013 taken in part from the State Department's 2021 report",
    "{c} ({t}) [source: the annual trafficking review]",
    "{C} ({t})   [Extracted from the Trafficking in Persons Report, June 2009]",
    "{C} ({t})Taken from the 2012 Trafficking in Persons Report",
    "{t} \u2013 {c}",
    "2018 TIP Report for {c} \u2013 {t}",
    "State Dept. Trafficking Report 2010 {C}:({t})",
    "**{c} ({t})**",
    "## {C}: {t}",
    "{c} - {t}",
    "{C} \u2014 {T}",
    "{c} | {t}",
    "{C} {T}",
    "{c} [{t}]",
    "{t}: {c}",
    "{C} ({T})*",
)


def narrative(country: str) -> str:
    return (
        f"The Government of {country} does not fully meet the minimum standards for the "
        "elimination of trafficking but is making significant efforts to do so.\n"
    )


@given(
    name=st.sampled_from(NAMES),
    form=st.sampled_from(FORMS),
    words=st.sampled_from(sorted(TIERS)),
)
@settings(max_examples=300, deadline=None)
def test_any_known_country_in_any_form_is_a_heading(name: str, form: str, words: str) -> None:
    line = form.format(c=name, C=name.upper(), t=words, T=words.upper())
    report = tipconv.parse(f"{line}\n\n{narrative(name)}")
    assert [(s.line, s.tier.value if s.tier else None) for s in report.sections] == [
        (1, TIERS[words])
    ], line
    assert report.sections[0].iso3 is not None, line


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('Nation slips\n\nHe said "Ghana (Tier 2) has improved" last week.\n', "quotation"),
        ("Ghana profile\n\nTrafficking ranking: Tier 3\n\nGhana is in West Africa.\n", "label"),
        (
            "Guide\n\nCOUNTRY NAME: TIER 2\n\nThe Government of COUNTRY NAME fully meets.\n",
            "placeholder",
        ),
        ("Ministry of Labour (Tier 2)\n\nThe ministry published its report.\n", "agency"),
        ("Narnia (Tier 2)\n\nThe wardrobe opened onto a snowy wood.\n", "unknown, unnamed"),
        ("Ghana (Tier 2) and Nigeria (Tier 3) were named in the annual review.\n", "sentence"),
        ("The report placed Ghana on Tier 2 Watch List for the third year in a row.\n", "prose"),
        ("TIER 1\nAustralia\nAustria\n\nTIER 2\nAlbania\nAngola\n", "placement list"),
    ],
)
def test_lines_that_only_look_like_headings_give_no_tier(text: str, why: str) -> None:
    report = tipconv.parse(text)
    assert [s.tier for s in report.sections if s.tier is not None] == [], why


def test_reading_says_why() -> None:
    reading = read_heading_line("TOGO (Tier 2) \u2013 taken in part from the 2022 report")
    assert reading is not None and not reading.vetoed
    assert reading.known and reading.year == 2022 and reading.attribution
    assert "known country" in reading.reasons() and "attribution" in reading.reasons()
    vetoed = read_heading_line("Trafficking ranking: Tier 3")
    assert vetoed is not None and vetoed.vetoed and "label" in vetoed.reasons()


def test_explain_prints_the_reasons() -> None:
    tokens = tipconv.tokenize(
        "Peru (Tier 1).\n\nThe Government of Peru fully meets the standards.\n"
    )
    assert tokens[0].kind.value == "heading"
    assert tokens[0].why is not None and "'Peru' is a known country (PER)" in tokens[0].why


def test_unknown_name_is_a_heading_only_when_the_narrative_names_it() -> None:
    named = tipconv.parse("Freedonia (Tier 2)\n\n" + narrative("Freedonia"))
    assert [s.line for s in named.sections] == [1]
    unnamed = tipconv.parse("Freedonia (Tier 2)\n\nThe committee met on Tuesday to discuss it.\n")
    assert [s.tier for s in unnamed.sections if s.tier] == []
    assert any(d.code == "heading_not_recognised" for d in unnamed.diagnostics)


def _verdict(reading: object) -> tuple[object, ...]:
    return tuple(
        getattr(reading, name)
        for name in ("subject", "tier_words", "mark", "known", "vetoed", "year", "attribution")
    )


@given(
    name=st.sampled_from([*NAMES, "Freedonia", "The report placed Ghana", "Ministry of Labour"]),
    form=st.sampled_from(["{c} ({t})", "{C}: {T}", "{C} ({t})   [Extracted from the 2009 report]"]),
    words=st.sampled_from(sorted(TIERS)),
)
def test_the_matched_heading_shortcut_reads_as_the_tier_pattern(
    name: str, form: str, words: str
) -> None:
    """`read_matched_heading` (no pattern compiled) judges a line a heading rule matched
    exactly as `read_heading_line` does."""
    from tipconv.classify import match_line
    from tipconv.evidence import read_matched_heading

    line = form.format(c=name, C=name.upper(), t=words, T=words.upper())
    token = match_line(line)
    if token.rule not in ("heading.parens", "heading.colon"):
        return
    groups = token.groups or {}
    shortcut = read_matched_heading(
        line,
        groups.get("country") or "",
        groups.get("tier") or "",
        groups.get("mark") or "",
        groups.get("attribution") or "",
    )
    assert _verdict(shortcut) == _verdict(read_heading_line(line))


# --- the country-report screen never turns away a line its pattern takes -------------------

_REPORT_PIECES = st.sampled_from(
    [
        "Oman",
        "Côte d'Ivoire",
        " : ",
        " - ",
        "\u2013",
        "\u2014",
        "|",
        ":",
        "US ",
        "U.S. ",
        "State Dept. ",
        "2008 ",
        "TIP Report",
        "Trafficking in Persons Report",
        "REPORT",
        " 2019",
        ", 2010",
        "report",
        " ",
        "x",
    ]
)


@settings(max_examples=800, deadline=None)
@given(st.lists(_REPORT_PIECES, max_size=8).map("".join))
def test_country_report_screen_admits_every_line_the_pattern_takes(text: str) -> None:
    from tipconv.evidence import _COUNTRY_THEN_REPORT, _report_after_separator

    if _COUNTRY_THEN_REPORT.fullmatch(text) is not None:
        assert _report_after_separator(text), text


def test_country_report_screen_on_every_fixture_line() -> None:
    from pathlib import Path

    from tipconv.evidence import _COUNTRY_THEN_REPORT, _report_after_separator

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    lines = {
        line.strip()
        for path in fixtures.glob("**/*.txt")
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    }
    taken = [line for line in lines if _COUNTRY_THEN_REPORT.fullmatch(line)]
    assert taken  # the fixtures hold such headings
    assert all(_report_after_separator(line) for line in taken)
    assert not _report_after_separator(
        "U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong"
    )
