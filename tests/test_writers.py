"""Built-in writers: concrete outputs for small inline narratives, read back by real readers.

CSV goes through `csv.reader`, JSON Lines through `json.loads`, and Markdown through
markdown-it-py (a CommonMark implementation), so "renders as written" is checked, not assumed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

import tipconv
from tipconv.model import SCHEMA_VERSION, Report
from tipconv.writers import (
    FORMAT_OPTIONS,
    Writer,
    WriterOptions,
    builtin_names,
    canonical_name,
    format_for_suffix,
    get_writer,
    list_writers,
)
from tipconv.writers._csv import plain_row, word_count

from .conftest import FIXTURES, ROOT

SAMPLE = FIXTURES / "refworld-2003-hong-kong.txt"

SECTION_HEADER = [
    "path",
    "title",
    "report_year",
    "report_year_source",
    "subject",
    "country",
    "country_printed",
    "iso3",
    "cow_code",
    "tier",
    "tier_label",
    "tier_printed",
    "tier_ordinal",
    "tier_source",
    "publication_date",
    "last_updated",
    "accessed_date",
    "heading_line",
    "first_page",
    "last_page",
    "paragraph_count",
    "word_count",
    "sha256",
]
PARAGRAPH_HEADER = [
    "path",
    "report_year",
    "country",
    "iso3",
    "tier",
    "paragraph_index",
    "line",
    "page",
    "part",
    "item",
    "text",
]


def narrative(country: str = "Freedonia", tier: str = "Tier 2", body: str = "") -> str:
    return (
        f"{country} ({tier})\n\n"
        f"{country} is a source country for men, women, and children subjected to forced labor."
        f"\n\n{body or 'Police opened 12 investigations.'}\n\n"
        f"The Government of {country} does not fully meet the minimum standards."
    )


def report(country: str = "Freedonia", tier: str = "Tier 2", body: str = "") -> Report:
    return tipconv.parse(narrative(country, tier, body), source=f"{country.lower()}.txt")


def render(name: str, reports: Any, **options: Any) -> tuple[str, list[str]]:
    """Output and warnings of writer `name`, as the CLI would write them to a file."""
    warnings: list[str] = []
    out = io.StringIO(newline="")
    get_writer(name, plugins=False).write(
        reports, out, WriterOptions(warn=warnings.append, **options)
    )
    return out.getvalue(), warnings


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def as_dicts(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- registry ------------------------------------------------------------------------------


MINE = ["json", "jsonl", "csv", "markdown"]


def test_builtins_are_registered() -> None:
    assert builtin_names()[:4] == MINE


def test_each_writer_says_what_it_is_and_can_do() -> None:
    writers = {
        info.name: get_writer(info.name, plugins=False) for info in list_writers(plugins=False)
    }
    assert list(writers) == builtin_names()  # the class's own name, under its registry key
    assert [name for name, w in writers.items() if w.parallel] == MINE
    assert [name for name, w in writers.items() if w.needs_path] == ["sqlite"]
    for writer in writers.values():
        assert isinstance(writer, Writer)
        assert writer.suffixes[0] == writer.suffix
        assert writer.options_used <= FORMAT_OPTIONS


def test_md_is_an_alias_of_markdown() -> None:
    assert canonical_name("md") == canonical_name("MD") == "markdown"
    assert get_writer("md", plugins=False).name == "markdown"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("out.json", "json"),
        ("out.jsonl", "jsonl"),
        ("out.csv", "csv"),
        ("out.md", "markdown"),
        ("dir.v2/OUT.MD", "markdown"),
        ("out.ndjson", "jsonl"),
        ("out.markdown", "markdown"),
        ("out.sqlite", "sqlite"),
        ("out.sqlite3", "sqlite"),
        ("out.db", "sqlite"),
        ("out.txt", None),
        ("out", None),
        (".json", None),
    ],
)
def test_format_for_suffix(path: str, expected: str | None) -> None:
    assert format_for_suffix(path) == expected


@pytest.mark.parametrize("name", ["jsonl", "csv", "markdown"])
def test_writers_stream_reports_as_they_arrive(name: str) -> None:
    out = io.StringIO(newline="")
    seen: list[str] = []

    def reports() -> Iterator[Report]:
        yield report("Freedonia")
        seen.append(out.getvalue())  # what was written before the second report existed
        yield report("Sylvania")

    get_writer(name, plugins=False).write(reports(), out, WriterOptions())
    assert "Freedonia" in seen[0]
    assert "Sylvania" not in seen[0]
    assert "Sylvania" in out.getvalue()


# --- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_one_line_per_report_each_a_full_record() -> None:
    reports = [report("Freedonia"), report("Côte d'Ivoire", "Tier 2 Watch List"), tipconv.parse("")]
    text, warnings = render("jsonl", reports, pretty=True)  # pretty cannot split a record
    lines = text.split("\n")
    assert lines[-1] == ""
    assert len(lines[:-1]) == 3
    records = [json.loads(line) for line in lines[:-1]]
    assert [r["schema_version"] for r in records] == [SCHEMA_VERSION] * 3
    assert records == [r.to_dict() for r in reports]
    assert "Côte d'Ivoire" in text  # UTF-8, not \u00f4 escapes
    assert warnings == []


def test_jsonl_zero_reports_is_an_empty_file() -> None:
    assert render("jsonl", [])[0] == ""


def test_jsonl_unicode_line_separators_never_split_a_record() -> None:
    reports = [report(body="Shelters\u2028opened\u2029in\x85May."), report("Sylvania")]
    text, _ = render("jsonl", reports)
    assert len(text.splitlines()) == 2  # str.splitlines breaks at U+2028, U+2029 and U+0085
    first = json.loads(text.splitlines()[0])
    paragraphs = [p for part in first["sections"][0]["parts"] for p in part["paragraphs"]]
    assert paragraphs[1]["text"] == "Shelters\u2028opened\u2029in\x85May."


# --- CSV -----------------------------------------------------------------------------------


def test_csv_sections_one_row_per_section_under_one_header() -> None:
    chapter = tipconv.parse(
        narrative("Freedonia", "Tier 1") + "\n\n" + narrative("Sylvania", "Tier 2 Watch List"),
        source="chapter.txt",
    )
    reports = [chapter, report("Ruritania", "Tier 3"), tipconv.parse("Not a narrative.")]
    text, warnings = render("csv", reports)
    rows = read_csv(text)
    assert rows[0] == SECTION_HEADER
    assert rows.count(SECTION_HEADER) == 1
    assert len(rows) - 1 == sum(len(r.sections) for r in reports) == 3
    records = as_dicts(text)
    assert [r["country"] for r in records] == ["Freedonia", "Sylvania", "Ruritania"]
    assert [r["tier"] for r in records] == ["1", "2WL", "3"]
    assert [r["tier_ordinal"] for r in records] == ["1", "2.5", "3"]  # never "1.0"
    assert [r["path"] for r in records] == ["chapter.txt", "chapter.txt", "ruritania.txt"]
    first = records[0]
    assert first["heading_line"] == "1"
    assert first["tier_label"] == "Tier 1"
    assert first["tier_source"] == "heading"
    assert first["paragraph_count"] == "3"
    assert first["word_count"] == str(
        sum(len(p.text.split()) for p in chapter.sections[0].paragraphs)
    )
    assert first["sha256"] == chapter.source.sha256
    # Not reported is an empty cell, never "None" or 0.
    assert first["iso3"] == first["cow_code"] == first["title"] == first["report_year"] == ""
    assert warnings == []


def test_csv_known_country_codes_and_metadata() -> None:
    sample = tipconv.parse_file(str(SAMPLE.relative_to(ROOT)))
    (row,) = as_dicts(render("csv", [sample])[0])
    assert row["iso3"] == "HKG"
    assert row["cow_code"] == ""  # Hong Kong has no COW code
    assert row["report_year"] == "2003"
    assert row["subject"] == "Hong Kong"
    assert row["publication_date"] == "2003-06-11"
    assert row["last_updated"] == "2015-11-27T12:04:00+00:00"
    assert row["accessed_date"] == "2015-11-30"
    assert row["heading_line"] == "11"
    assert row["paragraph_count"] == "5"


def test_csv_is_rfc4180_crlf_with_quotes_and_embedded_newlines() -> None:
    base = report()
    title = 'Line one\nLine "two", with comma'
    tricky = base.replace(metadata=base.metadata.replace(title=title))
    text, _ = render("csv", [tricky, report("Sylvania")])
    assert '"Line one\nLine ""two"", with comma"' in text
    assert text.endswith("\r\n")
    assert text.count("\r\n") == 3  # header and two records; the embedded \n stays bare
    records = as_dicts(text)
    assert records[0]["title"] == title
    assert records[1]["country"] == "Sylvania"


def test_csv_zero_reports_still_has_the_header() -> None:
    assert render("csv", [])[0] == ",".join(SECTION_HEADER) + "\r\n"
    assert render("csv", [], csv_shape="paragraphs")[0] == ",".join(PARAGRAPH_HEADER) + "\r\n"


def test_csv_report_without_sections_gives_no_row() -> None:
    text, _ = render("csv", [tipconv.parse("Wikipedia: an encyclopedia article.")])
    assert read_csv(text) == [SECTION_HEADER]


def test_csv_heading_line_empty_when_the_tier_is_only_stated() -> None:
    stated = tipconv.parse(
        "The Government of Freedonia does not fully meet the minimum standards but is making "
        "significant efforts; therefore Freedonia was upgraded to Tier 2.\n\nIt convicted 3."
    )
    (row,) = as_dicts(render("csv", [stated])[0])
    assert (row["tier"], row["tier_source"], row["heading_line"]) == ("2", "stated", "")


def test_csv_paragraph_shape_one_row_per_paragraph() -> None:
    chapter = tipconv.parse(narrative("Freedonia") + "\n\n" + narrative("Sylvania", "Tier 3"))
    reports = [chapter, report("Ruritania")]
    text, _ = render("csv", reports, csv_shape="paragraphs")
    rows = read_csv(text)
    assert rows[0] == PARAGRAPH_HEADER
    paragraphs = [p for r in reports for s in r.sections for p in s.paragraphs]
    assert len(rows) - 1 == len(paragraphs) == 9
    records = as_dicts(text)
    assert [r["paragraph_index"] for r in records] == ["1", "2", "3"] * 3  # per section
    assert [r["text"] for r in records] == [p.text for p in paragraphs]
    assert [r["line"] for r in records[:3]] == ["3", "5", "7"]
    assert records[0]["path"] == ""  # parsed from a string: no path
    assert records[0]["part"] == "profile"
    assert records[3]["country"] == "Sylvania"
    assert records[3]["tier"] == "3"


def test_csv_paragraph_rows_name_their_part_and_mark_list_items() -> None:
    parsed = tipconv.parse_file(str((FIXTURES / "era-2021-prioritized.txt").relative_to(ROOT)))
    records = as_dicts(render("csv", [parsed], csv_shape="paragraphs")[0])
    held = [(part.kind, p.item) for part in parsed.sections[0].parts for p in part.paragraphs]
    assert [(r["part"], r["item"] == "true") for r in records] == held
    items = [r["text"] for r in records if r["item"]]
    assert [r["item"] for r in records if r["part"] != "recommendations"] == [""] * 5
    assert items == [p.text for part in parsed.sections[0].parts for p in part.items]
    assert len(items) == 3 and not any("\u2022" in text for text in items)


def test_csv_bom_only_when_asked() -> None:
    with_bom, _ = render("csv", [report()], bom=True)
    without, _ = render("csv", [report()])
    assert with_bom == "\ufeff" + without
    assert without.startswith("path,")
    assert with_bom.encode("utf-8").startswith(b"\xef\xbb\xbfpath,")


def test_csv_unknown_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown CSV shape 'wide'"):
        render("csv", [report()], csv_shape="wide")


LIMIT = 32_767


def test_csv_truncates_a_cell_excel_cannot_hold_and_warns() -> None:
    long = report(body="word " * 8000 + "end")  # 40,003 characters
    original = long.sections[0].paragraphs[1].text
    text, warnings = render("csv", [long], csv_shape="paragraphs")
    cell = as_dicts(text)[1]["text"]
    assert len(cell) == LIMIT
    assert cell.endswith(f"… [truncated by tipconv from {len(original)} characters]")
    assert original.startswith(cell[: cell.index("…")])
    assert len(warnings) == 1
    assert "freedonia.txt" in warnings[0]
    assert "'text'" in warnings[0]
    assert str(len(original)) in warnings[0]


@pytest.mark.parametrize(("length", "truncated"), [(LIMIT, False), (LIMIT + 1, True)])
def test_csv_truncation_boundary(length: int, truncated: bool) -> None:
    base = report()
    title = "t" * length
    long = base.replace(metadata=base.metadata.replace(title=title))
    text, warnings = render("csv", [long])
    cell = as_dicts(text)[0]["title"]
    assert len(cell) == LIMIT
    assert (cell != title) is truncated
    assert len(warnings) == int(truncated)


# Every character str.split() breaks at, a few that it does not, and letters.
WORDY = [char for char in map(chr, range(0x3001)) if char.isspace()] + list("ab-é\u200b€")


@settings(max_examples=500)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(WORDY) | st.sampled_from(" ab"), max_size=12),
        max_size=4,
    )
)
def test_csv_word_count_is_what_str_split_counts(texts: list[str]) -> None:
    assert word_count(texts) == sum(len(text.split()) for text in texts)


@pytest.mark.parametrize(
    ("texts", "words"),
    [
        ([], 0),
        ([""], 0),
        (["", ""], 0),
        ([" "], 0),
        (["a"], 1),
        ([" a b "], 2),
        (["a  b"], 2),
        (["a", "", "b c"], 3),
        (["a\tb\x1fc"], 3),
        (["a\u00a0b é"], 3),
    ],
)
def test_csv_word_count_by_spaces_and_otherwise(texts: list[str], words: int) -> None:
    assert word_count(texts) == words


@settings(max_examples=500)
@given(st.lists(st.text(alphabet=st.sampled_from(',"\r\n \x00\u2028a'), max_size=4), max_size=4))
def test_csv_plain_row_is_what_csv_writer_writes(cells: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    line = plain_row(cells)
    assert line is None or line == buffer.getvalue()
    if cells and not any(mark in cell for cell in cells for mark in ',"\r\n') and cells != [""]:
        assert line is not None


def test_csv_truncation_counts_utf16_units_as_excel_does() -> None:
    base = report()
    title = "😀" * 20_000  # 20,000 characters, 40,000 UTF-16 units
    long = base.replace(metadata=base.metadata.replace(title=title))
    text, warnings = render("csv", [long])
    cell = as_dicts(text)[0]["title"]
    assert len(cell.encode("utf-16-le")) // 2 <= LIMIT
    assert cell.endswith("… [truncated by tipconv from 20000 characters]")
    assert len(warnings) == 1


# --- Markdown ------------------------------------------------------------------------------

HOSTILE = [
    "Victims are *not bold*, _x_ and __y__, a | b, see [link](x) and ![img](y).",
    "<script>alert(1)</script> & AT&amp;T ~~struck~~ `code` back\\slash <http://a.example>",
    "# not heading",
    "- not a list",
    "1. not ordered",
    "2) not ordered either",
    "> not a quote",
    "+ plus",
    "=====",
    "***",
]


def commonmark() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def plain(inline: Token) -> str:
    """The text an inline token renders to, failing on any markup inside it."""
    parts = []
    for child in inline.children or []:
        assert child.type in ("text", "text_special", "softbreak"), child.type
        parts.append("\n" if child.type == "softbreak" else child.content)
    return "".join(parts)


def blocks(markdown: str) -> list[tuple[str, str]]:
    """(kind, plain text) per block: h1, h2, h3, p, td, th, li, quote, note."""
    tokens = commonmark().parse(markdown)
    found: list[tuple[str, str]] = []
    stack: list[str] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.tag)
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline":
            kind = stack[-1]
            if kind == "p" and "li" in stack:
                kind = "li"
            elif kind == "p" and "blockquote" in stack:
                kind = "quote"
            children = token.children or []
            wrapped = len(children) > 2 and children[0].type == "em_open"
            if kind == "p" and wrapped and children[-1].type == "em_close":
                # tipconv's own notes ("*Heading on line 11.*") are the only emphasis allowed.
                kind = "note"
                token = token.copy(children=children[1:-1])
            found.append((kind, plain(token)))
    return found


def texts(markdown: str, kind: str) -> list[str]:
    return [text for k, text in blocks(markdown) if k == kind]


def test_markdown_renders_hostile_text_as_written() -> None:
    hostile = tipconv.parse(narrative(body="\n\n".join(HOSTILE)), source="hostile.txt")
    markdown, _ = render("markdown", [hostile])
    note = "<em>Heading on line 1: Freedonia (Tier 2)</em>"
    html = commonmark().render(markdown).replace(note, "")
    for tag in ("<em>", "<strong>", "<a ", "<img", "<script", "<code>", "<s>", "<ol", "<ul"):
        assert tag not in html, tag
    assert html.count("<h1>") == 1
    assert html.count("<h2>") == 1
    assert "<hr" not in html
    assert "<blockquote>" not in html  # no disclaimer in this text
    paragraphs = [p.text for p in hostile.sections[0].paragraphs]
    assert set(HOSTILE) <= set(paragraphs)  # the parser kept them as paragraphs
    assert texts(markdown, "note") == ["Heading on line 1: Freedonia (Tier 2)"]
    assert texts(markdown, "p") == paragraphs


def test_markdown_embedded_newlines_cannot_make_headings_or_rules() -> None:
    base = report()
    text = "Line one\n---\nLine two\n===\n- three\n> four"
    section = base.sections[0]
    part = section.parts[0].replace(paragraphs=(section.paragraphs[0].replace(text=text),))
    odd = base.replace(sections=(section.replace(parts=(part,)),))
    markdown, _ = render("markdown", [odd])
    assert texts(markdown, "p") == [text]
    assert texts(markdown, "h2") == ["Freedonia — Tier 2"]


def test_markdown_headings_are_the_original_text() -> None:
    base = tipconv.parse(narrative("Côte d'Ivoire", "Tier 2 Watch List"))
    assert texts(render("md", [base])[0], "h2") == ["Côte d'Ivoire — Tier 2 Watch List"]
    title = "2003 Report - *Freedonia* _x_ # a | b [link](x) <script> `c` ~s~ & 1. -"
    country = "Free*donia* <b>|</b>"
    hostile = base.replace(
        metadata=base.metadata.replace(title=title, subject=title),
        sections=(base.sections[0].replace(country=country),),
    )
    markdown, _ = render("markdown", [hostile])
    assert texts(markdown, "h1") == [title]
    assert texts(markdown, "h2") == [f"{country} — Tier 2 Watch List"]
    cells = texts(markdown, "td")
    assert cells[cells.index("Subject") + 1] == title  # `|` stays inside its cell


def test_markdown_brief_of_the_sample() -> None:
    sample = tipconv.parse_file(str(SAMPLE.relative_to(ROOT)))
    markdown, _ = render("markdown", [sample])
    assert texts(markdown, "h1") == [sample.metadata.title]
    assert texts(markdown, "th") == ["Field", "Value"]
    cells = texts(markdown, "td")
    table = dict(zip(cells[::2], cells[1::2], strict=True))
    assert table == {
        "Report year": "2003",
        "Subject": "Hong Kong",
        "Publisher": "United States Department of State",
        "Author": "Office to Monitor and Combat Trafficking in Persons",
        "Publication date": "2003-06-11",
        "Last updated": "2015-11-27T12:04:00+00:00",
        "Accessed": "2015-11-30",
        "Source path": "fixtures/refworld-2003-hong-kong.txt",
        "SHA-256": sample.source.sha256,
    }  # no URL row: the copy stripped it
    assert texts(markdown, "quote") == [sample.disclaimer]
    assert texts(markdown, "h2") == ["Hong Kong — Tier 1"]
    assert texts(markdown, "note") == ["Heading on line 11: Hong Kong (Tier 1)"]
    assert texts(markdown, "h3") == [
        "Profile (inferred)",
        "Assessment (inferred)",
        "Prevention (inferred)",
        "Prosecution (inferred)",
        "Protection (inferred)",
    ]
    assert texts(markdown, "p") == [p.text for p in sample.sections[0].paragraphs]


def test_markdown_printed_part_headings_and_recommendation_items() -> None:
    path = FIXTURES / "era-2021-prioritized.txt"
    parsed = tipconv.parse_file(str(path))
    markdown, _ = render("markdown", [parsed])
    headings = texts(markdown, "h3")
    assert headings[:3] == ["Summary (inferred)", "PRIORITIZED RECOMMENDATIONS", "PROSECUTION"]
    (recommendations,) = [p for p in parsed.sections[0].parts if p.items]
    assert texts(markdown, "li") == [item.text for item in recommendations.items]
    assert "•" not in markdown  # the items replace the bullet-joined paragraph


def test_markdown_list_items_after_a_lead_in_paragraph() -> None:
    text = narrative(
        body="Recommendations for Freedonia: \u2022 Convict traffickers; \u2022 Fund shelters."
    )
    parsed = tipconv.parse(text)
    (recommendations,) = [p for p in parsed.sections[0].parts if p.kind == "recommendations"]
    assert [(p.text, p.item) for p in recommendations.paragraphs[:3]] == [
        ("Recommendations for Freedonia:", False),
        ("Convict traffickers", True),
        ("Fund shelters.", True),
    ]
    markdown, _ = render("markdown", [parsed])
    assert texts(markdown, "li") == ["Convict traffickers", "Fund shelters."]
    assert "Recommendations for Freedonia:" in texts(markdown, "p")


def test_markdown_title_fallbacks() -> None:
    assert texts(render("md", [report("Sylvania")])[0], "h1") == ["Sylvania"]
    nothing = tipconv.parse("", source="blank.txt")
    assert texts(render("md", [nothing])[0], "h1") == ["blank.txt"]
    assert texts(render("md", [tipconv.parse("")])[0], "h1") == ["Untitled narrative"]


def test_markdown_section_without_tier_or_heading() -> None:
    base = report()
    untiered = base.replace(sections=(base.sections[0].replace(tier=None, line=None),))
    markdown, _ = render("md", [untiered])
    assert texts(markdown, "h2") == ["Freedonia — no tier"]
    assert texts(markdown, "note") == ["No printed heading."]


def test_markdown_reports_separated_by_a_thematic_break() -> None:
    markdown, warnings = render("markdown", [report("Freedonia"), report("Sylvania")])
    html = commonmark().render(markdown)
    assert html.count("<hr />") == 1
    assert texts(markdown, "h1") == ["Freedonia", "Sylvania"]
    assert warnings == []


def test_markdown_zero_reports_is_empty() -> None:
    assert render("markdown", [])[0] == ""


# --- through the CLI -----------------------------------------------------------------------


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, "TIPCONV_NO_PLUGINS": "1", "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )


def test_cli_to_md() -> None:
    result = run("parse", str(SAMPLE.relative_to(ROOT)), "--to", "md", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# U.S. Department of State 2003 Trafficking in Persons")
    assert "## Hong Kong — Tier 1" in result.stdout


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("out.csv", b"path,title,report_year,"),
        ("out.md", b"# U.S. Department of State 2003"),
        ("out.jsonl", b'{"schema_version":2,'),
    ],
)
def test_cli_output_suffix_picks_the_format(tmp_path: Path, name: str, starts: bytes) -> None:
    target = tmp_path / name
    result = run("parse", str(SAMPLE), "-o", str(target), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = target.read_bytes()
    assert data.startswith(starts)
    if name == "out.csv":
        assert data.count(b"\r\n") == 2  # header and Hong Kong, CRLF kept on disk
    if name == "out.jsonl":
        assert data.count(b"\n") == 1


def test_cli_csv_paragraphs_with_bom(tmp_path: Path) -> None:
    target = tmp_path / "paragraphs.csv"
    result = run(
        "parse", str(SAMPLE), "-o", str(target), "--csv-shape", "paragraphs", "--bom", "-q"
    )
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8-sig")
    rows = read_csv(text)
    assert rows[0] == PARAGRAPH_HEADER
    assert [row[PARAGRAPH_HEADER.index("part")] for row in rows[1:]] == [
        "profile",
        "assessment",
        "prevention",
        "prosecution",
        "protection",
    ]
