"""Properties of `parse` on arbitrary and mutated text (hypothesis).

For any str: no exception and no internal error; every paragraph points at the input line
it starts on; the dict survives JSON; the CSV has one row per section; parsing is
deterministic; a BOM or CRLF line endings change nothing but the diagnostics about them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tipconv
from tipconv.model import Report
from tipconv.patterns import TIER_STATEMENT
from tipconv.statements import placements
from tipconv.text import clean_text, repair_mojibake
from tipconv.writers import WriterOptions, builtin_names, get_writer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _utf8_fixtures() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.glob("*.txt")):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue  # cp1252 and UTF-16 traps: the decoder's business, not the parser's
    return texts


FIXTURE_TEXTS = _utf8_fixtures()

# Pieces of real narratives, so random text reaches headings, labels, parts and statements.
TOKENS = [
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "\u00a0",
    "\ufeff",
    "\u200b",
    "\x00",
    "\t",
    "\u2022 ",
    "Freedonia",
    "HONG KONG",
    "Korea, Republic of",
    "Cote d\u2019Ivoire",
    "C\u00c3\u00b4te",
    " (Tier 2)",
    " (Tier 2 Watch List)",
    ": TIER 3",
    "SPECIAL CASE: ",
    " (Special Case)",
    "Tier II",
    "Last Updated: Friday, 27 November 2015, 12:04 GMT",
    "U.S. Department of State 2003 Trafficking in Persons Report - ",
    "Publisher ",
    "Publication Date 11 June 2003",
    "Cite as ",
    " available at: https://www.refworld.org/docid/x.html [accessed 30 November 2015]",
    "DisclaimerThis is not a UNHCR publication.",
    "Topics: ",
    "PROSECUTION",
    "Prosecution. ",
    "Recommendations for Freedonia: ",
    "PRIORITIZED RECOMMENDATIONS:",
    "Scope and Magnitude. ",
    "TRAFFICKING PROFILE",
    " is a source, transit, and destination country for ",
    "The Government of Freedonia does not fully meet the minimum standards",
    "therefore Freedonia remained on Tier 2 Watch List. ",
    "was downgraded to Tier 3. ",
    "anti-",
    "F R E E D O N I A :  T I E R  2",
    "Search Refworld",
    "Share",
]

ANY_CHAR = st.characters(exclude_categories=())  # surrogates and controls included
TEXT = st.lists(st.one_of(st.text(ANY_CHAR, max_size=12), st.sampled_from(TOKENS)), max_size=60)
ARBITRARY = TEXT.map("".join)

# CI runs a few hundred examples per property (seconds); raise it locally to hunt for bugs:
# TIPCONV_PROPERTY_EXAMPLES=20000 pytest tests/test_properties.py
EXAMPLES = int(os.environ.get("TIPCONV_PROPERTY_EXAMPLES", "800"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated_fixture(draw: st.DrawFn) -> str:
    """A fixture with lines dropped, duplicated, swapped or case-flipped; maybe CRLF, BOM, NBSP."""
    lines = draw(st.sampled_from(FIXTURE_TEXTS)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        kind = draw(st.sampled_from(["drop", "duplicate", "swap", "case", "nbsp", "junk"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "drop":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "case":
            lines[at] = lines[at].swapcase()
        elif kind == "nbsp":
            lines[at] = lines[at].replace(" ", "\u00a0", draw(st.integers(1, 3)))
        else:
            lines[at] = lines[at] + draw(st.text(ANY_CHAR, max_size=8))
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = _crlf(text)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


# The editor's line breaks (docs/format.md): LF, CRLF and lone CR; nothing else.
_BREAK = re.compile(r"\r\n|\r|\n")


def _input_lines(text: str) -> list[str]:
    """The input's lines after the parser's character normalisation (NBSP, invisibles, mojibake).

    The lines are split here at the editor's breaks, independently, and only then is each
    cleaned on its own (no removed character can join two breaks): the parser's line
    numbers must point into them.
    """
    text = text.removeprefix("\ufeff")
    if not text:
        return []
    lines = _BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    cleaned = []
    for line in lines:
        line = clean_text(line).text.rstrip()
        fixed = repair_mojibake(line) if not line.isascii() else None
        cleaned.append(fixed if fixed is not None else line)
    return cleaned


def _crlf(text: str) -> str:
    return re.sub(r"(?<!\r)\n", "\r\n", text)


def _check(text: str) -> Report:
    """Every property that holds for one input; returns the report for further checks."""
    report = tipconv.parse(text, source="input.txt")
    assert not report.has_internal_error(), report.diagnostics
    document = report.to_dict()

    lines = _input_lines(text)
    assert document["source"]["line_count"] == len(lines)
    last = max(len(lines), 1)
    for section in document["sections"]:
        assert section["line"] is None or 1 <= section["line"] <= last
        for part in section["parts"]:
            assert 1 <= part["line"] <= last
        paragraphs = [p for part in section["parts"] for p in part["paragraphs"]]
        for paragraph in paragraphs:
            number, start = paragraph["line"], paragraph["text"][:20]
            assert 1 <= number <= len(lines), paragraph
            line = lines[number - 1].strip()
            assert line, f"paragraph at line {number} points at a blank line"
            if paragraph["item"]:  # its bullet stands on its line; the text may wrap on
                assert "\u2022" in line, (line, paragraph)
            elif number == section["line"]:  # a heading that runs into its first sentence
                assert start in line, (line, paragraph)
            elif len(line) >= len(start):
                assert line.startswith(start), (line, paragraph)
            else:  # a short first line of a hard-wrapped paragraph
                assert start.startswith(line), (line, paragraph)
    for diagnostic in document["diagnostics"]:
        assert diagnostic["line"] is None or 1 <= diagnostic["line"] <= last, diagnostic

    encoded = json.dumps(document, ensure_ascii=False)
    encoded.encode("utf-8")  # what the writers do: no lone surrogate may reach the output
    assert json.loads(encoded) == document

    again = tipconv.parse(text, source="input.txt").to_dict()
    assert again == document

    if "csv" in builtin_names():
        out = io.StringIO(newline="")
        get_writer("csv", plugins=False).write([report], out, WriterOptions(csv_shape="sections"))
        rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
        assert len(rows) == len(document["sections"])
    return report


def _without_line_ending_news(report: Report) -> dict[str, Any]:
    document = report.to_dict()
    del document["source"]
    document["diagnostics"] = [
        d for d in document["diagnostics"] if d["code"] not in ("bom_removed", "line_endings")
    ]
    return document


@SETTINGS
@given(ARBITRARY)
def test_arbitrary_text(text: str) -> None:
    _check(text)


@SETTINGS
@given(st.text(ANY_CHAR, max_size=400))
def test_arbitrary_characters(text: str) -> None:
    _check(text)


@pytest.mark.skipif(not FIXTURE_TEXTS, reason="no UTF-8 fixtures")
@SETTINGS
@given(mutated_fixture())
def test_mutated_fixtures(text: str) -> None:
    _check(text)


@pytest.mark.skipif(not FIXTURE_TEXTS, reason="no UTF-8 fixtures")
@SETTINGS
@given(st.one_of(mutated_fixture(), ARBITRARY), st.booleans(), st.booleans())
def test_bom_and_crlf_change_only_their_diagnostics(text: str, bom: bool, crlf: bool) -> None:
    text = text.lstrip("\ufeff")  # the property is about adding the first BOM
    changed = ("\ufeff" if bom else "") + (_crlf(text) if crlf else text)
    before = tipconv.parse(text, source="input.txt")
    after = tipconv.parse(changed, source="input.txt")
    assert _without_line_ending_news(after) == _without_line_ending_news(before)
    assert after.source.sha256 == before.source.sha256  # the duplicate finder agrees too
    if bom:
        assert "bom_removed" in {d.code for d in after.diagnostics}


# A line break, with characters the cleaning removes on either side of it.
_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\r"])
_REMOVED = st.sampled_from(["", "\x00", "\x07", "\u200b", "\ufeff", "\u00ad", "\x7f"])
_BREAK_WITH_INVISIBLES = st.tuples(_REMOVED, _BREAKS, _REMOVED).map("".join)


@st.composite
def fixture_with_odd_breaks(draw: st.DrawFn) -> str:
    """A fixture whose every line break is LF, CRLF or CR, with invisible characters beside it."""
    lines = draw(st.sampled_from(FIXTURE_TEXTS)).split("\n")
    breaks = draw(st.lists(_BREAK_WITH_INVISIBLES, min_size=len(lines), max_size=len(lines)))
    return "".join(line + end for line, end in zip(lines, breaks, strict=True))


@pytest.mark.skipif(not FIXTURE_TEXTS, reason="no UTF-8 fixtures")
@SETTINGS
@given(fixture_with_odd_breaks())
def test_paragraphs_name_their_line_whatever_the_breaks(text: str) -> None:
    """Every paragraph's text is on the line it names, for any mix of CR, LF, CRLF and
    invisible characters (a CR, a NUL, an LF is two breaks, not one)."""
    _check(text)


@pytest.mark.parametrize("removed", ["\x00", "\u200b", "\ufeff", "\u00ad", "\x01"])
def test_a_removed_character_between_cr_and_lf_keeps_both_breaks(removed: str) -> None:
    text = f"one\r{removed}\nthree\nfour\n"
    tokens = tipconv.tokenize(text)
    assert [(token.line, token.text) for token in tokens] == [
        (1, "one"),
        (2, ""),
        (3, "three"),
        (4, "four"),
    ]
    assert tipconv.parse(text).source.line_count == 4


PLACEMENT_TOKENS = [
    "remained on Tier 2",
    " has been downgraded to  Tier 2 Watch List",
    "therefore Freedonia was placed at tier iii.",
    "is on TIER 1 -",
    "remains   on Tier 3\u2013Watch",
    " ",
    "  ",
    "\n",
    "Freedonia",
    "therefore",
    "remained",
    "remains",
    "remain",
    "is",
    "was",
    "has been",
    "have been",
    "downgraded",
    "placed",
    "on",
    "to",
    "at",
    "Tier",
    "TIER",
    "tier",
    "frontier",
    "1",
    "2",
    "II",
    "iii",
    "Watch",
    "List",
    "-",
    "\u2013",
    ".",
    ",",
    "İ",
]


@SETTINGS
@given(st.lists(st.sampled_from(PLACEMENT_TOKENS), max_size=60).map("".join))
def test_placements_find_what_the_one_pattern_finds(text: str) -> None:
    """body.placements (find "tier", then the verb before it) == TIER_STATEMENT.finditer."""
    expected = [(m.start(), m.end(), m.group("tier")) for m in TIER_STATEMENT.finditer(text)]
    assert list(placements(text, text.lower())) == expected
