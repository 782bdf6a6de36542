"""The HTML reader: markup to lines, chrome and headings hinted, source lines kept.

What each fixture page says (a person reading it knows this without the parser), the
reader's rules one by one, encodings (a lying `<meta charset>` among them), hostile markup
through the real process, mutated pages (hypothesis), and `convert` of a folder of pages.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipconv.layout import Hint
from tipconv.parser import parse_text
from tipconv.readers import detect_form, read
from tipconv.readers.html import defuse, page_title, read_html
from tipconv.reading import parse_file
from tipconv.text import split_lines

from .conftest import FIXTURES, ROOT

PAGES = FIXTURES / "html"


def page(body: str, head: str = "", charset: str = "utf-8") -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}</head>'
        f"<body>{body}</body></html>"
    ).encode(charset if charset != "klingon" else "utf-8")


def lines_of(data: bytes, **options: Any) -> list[str]:
    return read_html(data, **options).text.split("\n")


def text_lines(data: bytes) -> list[str]:
    return [line for line in lines_of(data) if line]


# --- what each fixture says ------------------------------------------------------------------

# page: (title, report year, subject, [(country, tier, heading line, [part kinds])])
FACTS: dict[str, tuple[str, int, str | None, list[tuple[str, str, int, list[str]]]]] = {
    "stategov-2022-peru.html": (
        "2022 Trafficking in Persons Report: Peru",
        2022,
        "Peru",
        [
            (
                "Peru",
                "2",
                43,
                [
                    "summary",
                    "recommendations",
                    "prosecution",
                    "protection",
                    "prevention",
                    "trafficking_profile",
                ],
            )
        ],
    ),
    "stategov-archive-2008-romania.html": (
        "Trafficking in Persons Report 2008",
        2008,
        None,
        [
            (
                "Romania",
                "2",
                28,
                [
                    "profile",
                    "assessment",
                    "recommendations",
                    "prosecution",
                    "protection",
                    "prevention",
                ],
            )
        ],
    ),
    "stategov-archive-chapter-2005.html": (
        "Trafficking in Persons Report 2005",
        2005,
        None,
        [
            (
                country,
                tier,
                line,
                ["profile", "assessment", "prosecution", "protection", "prevention"],
            )
            for country, tier, line in (
                ("Ghana", "2", 27),
                ("Hungary", "2", 44),
                ("Jamaica", "2WL", 59),
            )
        ],
    ),
    "refworld-2010-kenya.html": (
        "Trafficking in Persons Report 2010 - Kenya",
        2010,
        "Kenya",
        [
            (
                "Kenya",
                "2",
                26,
                [
                    "profile",
                    "assessment",
                    "recommendations",
                    "prosecution",
                    "protection",
                    "prevention",
                ],
            )
        ],
    ),
    "saved-page-2023-nepal.html": (
        "2023 Trafficking in Persons Report: Nepal",
        2023,
        "Nepal",
        [
            (
                "Nepal",
                "2",
                20,
                [
                    "summary",
                    "recommendations",
                    "prosecution",
                    "protection",
                    "prevention",
                    "trafficking_profile",
                ],
            )
        ],
    ),
    "hostile-lying-charset.html": (
        "2021 Trafficking in Persons Report: Morocco",
        2021,
        "Morocco",
        [("Morocco", "2", 9, ["summary", "prosecution", "trafficking_profile"])],
    ),
    "hostile-deep-nesting.html": (
        "2020 Trafficking in Persons Report: Chile",
        2020,
        "Chile",
        [("Chile", "1", 10, ["summary", "protection"])],
    ),
}
# What a page's own faults give, beyond info.
WARNINGS = {"hostile-lying-charset.html": {"charset_mismatch", "encoding_detected"}}


def test_every_page_fixture_has_its_facts() -> None:
    assert {path.name for path in PAGES.glob("*.html")} == set(FACTS)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_fixture_page_reads_as_its_narratives(name: str) -> None:
    title, year, subject, sections = FACTS[name]
    report = parse_file(PAGES / name)
    assert report.source.form == "html"
    assert (report.metadata.title, report.metadata.report_year, report.metadata.subject) == (
        title,
        year,
        subject,
    )
    got = [
        (s.country, s.tier.value if s.tier else None, s.line, [p.kind for p in s.parts])
        for s in report.sections
    ]
    assert got == sections
    warned = {d.code for d in report.diagnostics if d.level.value != "info"}
    assert warned == WARNINGS.get(name, set())


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_paragraph_points_at_the_source_line_of_its_element(name: str) -> None:
    """A paragraph's line is where its `<p>` (or `<li>`, `<tr>`) starts in the HTML source;
    the text of its first words is on that line or the next."""
    source = (
        (PAGES / name)
        .read_bytes()
        .decode("cp1252" if b"1252" in (PAGES / name).read_bytes()[:300] else "utf-8", "replace")
        .split("\n")
    )
    report = parse_file(PAGES / name)
    for section in report.sections:
        assert section.line is not None
        assert section.country_printed and section.country_printed in source[section.line - 1]
        for part in section.parts:
            for paragraph in part.paragraphs:
                nearby = " ".join(source[paragraph.line - 1 : paragraph.line + 1])
                nearby = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", nearby)).split())
                first = " ".join(paragraph.text.split()[:3])
                assert first in nearby, (paragraph.line, first)


def test_site_chrome_never_reaches_a_paragraph() -> None:
    for name in FACTS:
        report = parse_file(PAGES / name)
        text = " ".join(
            p.text for s in report.sections for part in s.parts for p in part.paragraphs
        )
        for chrome in ("Skip to", "Privacy", "Home", "Back to Top", "Search Refworld", "Share"):
            assert chrome not in text, (name, chrome)
        for never in ("not text", "never text", "never shown", "enable JavaScript", "saved from"):
            assert never not in text, (name, never)


def test_a_fixture_piped_on_stdin_is_read_as_html() -> None:
    data = (PAGES / "stategov-2022-peru.html").read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "tipconv", "parse", "-", "--to", "json"],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["source"]["form"] == "html"
    assert [s["country"] for s in document["sections"]] == ["Peru"]


# --- the reader's rules ------------------------------------------------------------------------


def test_blocks_end_lines_and_inline_elements_join() -> None:
    data = page("<div>One <em>two</em> <a href='#'>three</a></div><p>Four<span>five</span></p>")
    assert text_lines(data) == ["One two three", "Fourfive"]


def test_blocks_stand_apart_with_a_blank_line() -> None:
    assert lines_of(page("<h2>FREEDONIA: Tier 2</h2><p>Text.</p>")) == [
        "FREEDONIA: Tier 2",
        "",
        "Text.",
    ]


def test_entities_decode_and_whitespace_collapses() -> None:
    data = page("<p>  Caf&eacute;\n\n &amp;&nbsp;&#8220;tea&#x201D;   &lt;b&gt; </p>")
    assert text_lines(data) == ["Café & \u201ctea\u201d <b>"]


def test_what_is_never_text_never_reaches_the_lines() -> None:
    data = page(
        "<script>var a = '<p>x</p>';</script><style>p { color: red }</style>"
        "<noscript>Enable it</noscript><template><p>Hidden</p></template>"
        "<p>Kept<!-- a comment --> text</p><svg><title>Icon</title><text>Svg</text></svg>"
        "<div hidden>Gone</div><div style='display: none'>Gone too</div>",
        head="<title>2022 Trafficking in Persons Report: Freedonia</title><script>x()</script>",
    )
    assert text_lines(data) == ["2022 Trafficking in Persons Report: Freedonia", "Kept text"]


def test_chrome_is_hinted_and_kept_apart() -> None:
    data = page(
        "<a class='skip-link' href='#main'>Skip to main content</a>"
        "<header><p>Banner</p></header><nav><ul><li>Home</li></ul></nav>"
        "<div class='breadcrumb'>Home &gt; Reports</div><div role='navigation'>Menu</div>"
        "<p>Narrative text.</p><aside>Related</aside><footer>Footer</footer>"
    )
    document = read_html(data)
    lines = document.text.split("\n")
    assert document.layout is not None
    chrome = {lines[index] for index, hint in document.layout.hints.items() if hint is Hint.CHROME}
    assert chrome == {
        "Skip to main content",
        "Banner",
        "Home",
        "Home > Reports",
        "Menu",
        "Related",
        "Footer",
    }
    assert "Narrative text." in lines


def test_outside_main_is_chrome() -> None:
    data = page("<div>Outside</div><main><p>Inside</p></main><div>After</div>")
    document = read_html(data)
    lines = document.text.split("\n")
    assert document.layout is not None
    hinted = {lines[i] for i, hint in document.layout.hints.items() if hint is Hint.CHROME}
    assert hinted == {"Outside", "After"}


def test_an_article_is_the_document_only_when_it_holds_the_prose() -> None:
    prose = "The Government of Freedonia does not fully meet the minimum standards. " * 4
    one = read_html(page(f"<div>Menu</div><article><p>{prose}</p></article>"))
    assert one.layout is not None
    assert [one.text.split("\n")[i] for i in one.layout.hints] == ["Menu"]
    card = read_html(page(f"<p>{prose}</p><article><p>Related story</p></article>"))
    assert card.layout is not None and not card.layout.hints
    cards = read_html(page(f"<p>{prose}</p><article>One</article><article>Two</article>"))
    assert cards.layout is not None and not cards.layout.hints


def test_headings_and_bold_paragraphs_are_hinted() -> None:
    data = page(
        "<h3>PROSECUTION</h3><p><b>FREEDONIA</b> <strong>(Tier 2)</strong></p><p><b>Run</b> in.</p>"
    )
    document = read_html(data)
    lines = document.text.split("\n")
    assert document.layout is not None
    headings = [lines[i] for i, hint in document.layout.hints.items() if hint is Hint.HEADING]
    assert headings == ["PROSECUTION", "FREEDONIA (Tier 2)"]


def test_list_items_are_bullet_lines_one_under_another() -> None:
    data = page("<p>PRIORITIZED RECOMMENDATIONS:</p><ul><li>One.</li><li><p>Two</p></li></ul>")
    assert lines_of(data) == ["PRIORITIZED RECOMMENDATIONS:", "", "\u2022 One.", "\u2022 Two"]


def test_a_list_item_is_one_line_whatever_it_holds() -> None:
    data = page(
        "<ul><li><p>Train judges.</p><p>Fund shelters<br>in every province.</p></li>"
        "<li>Screen migrants<ul><li>at airports</li></ul></li></ul>"
    )
    assert text_lines(data) == [
        "\u2022 Train judges. Fund shelters in every province.",
        "\u2022 Screen migrants",
        "\u2022 at airports",
    ]


def test_preformatted_text_keeps_its_lines_and_paragraphs() -> None:
    data = (
        b"<html><body>\n<pre>FREEDONIA (Tier 2)\n\nFreedonia is a source\ncountry.\n"
        b"</pre></body></html>"
    )
    document = read_html(data)
    assert document.text.split("\n") == [
        "FREEDONIA (Tier 2)",
        "",
        "Freedonia is a source",
        "country.",
    ]
    assert document.layout is not None and [document.layout.origin[i] for i in (0, 2, 3)] == [
        2,
        4,
        5,
    ]


def test_a_definition_list_gives_a_line_per_term() -> None:
    data = page(
        "<dl><dt>Publisher</dt><dd>United States Department of State</dd>"
        "<dt>Publication Date</dt>\n<dd>14 June 2010</dd></dl><p>Text.</p>"
    )
    assert text_lines(data) == [
        "Publisher United States Department of State",
        "Publication Date 14 June 2010",
        "Text.",
    ]


def test_the_document_is_never_chrome_by_its_class() -> None:
    data = page(
        "<div id='main-content' class='skip-target'><p>Narrative.</p></div>"
        "<div class='report__body sidebar-left'><p>Kept too.</p></div>"
        "<div id='main-menu'><p>Menu</p></div>"
    )
    document = read_html(data)
    assert document.layout is not None
    lines = document.text.split("\n")
    assert [lines[i] for i in document.layout.hints] == ["Menu"]


def test_table_rows_are_lines_of_their_cells() -> None:
    data = page(
        "<table><tr><th>Publisher</th><td>United States Department of State</td></tr>"
        "<tr><td>Cite as</td><td>United <i>States</i></td></tr>"
        "<tr><td><p>Left</p></td><td><p>Para one.</p><p>Para two.</p></td></tr></table>"
    )
    assert text_lines(data) == [
        "Publisher United States Department of State",
        "Cite as United States",
        "Left",
        "Para one.",
        "Para two.",
    ]


def test_br_breaks_a_line_and_two_end_the_block() -> None:
    assert lines_of(page("<p>One<br>two<br/><br>three</p>")) == ["One", "two", "", "three"]


def test_the_title_loses_the_site_name_and_is_not_repeated_by_its_h1() -> None:
    assert page_title(
        "2022 Trafficking in Persons Report: Peru - United States Department of State"
    ) == ("2022 Trafficking in Persons Report: Peru")
    assert page_title(
        "Refworld | U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong"
    ) == ("U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong")
    assert page_title("Refworld") == ""
    head = "<title>Trafficking in Persons Report 2010 - Kenya - Refworld</title>"
    assert (
        text_lines(page("<p>Text.</p>", head=head))[0]
        == "Trafficking in Persons Report 2010 - Kenya"
    )
    repeated = page("<h1>Trafficking in Persons Report 2010 - Kenya</h1><p>Text.</p>", head=head)
    assert text_lines(repeated) == ["Trafficking in Persons Report 2010 - Kenya", "Text."]


def test_each_line_keeps_the_source_line_of_its_element() -> None:
    data = b"<html>\n<body>\n<p>\nFirst\n</p>\n<div>Second<br>\nThird</div>\n</body></html>"
    document = read_html(data)
    assert document.layout is not None
    pairs = [
        (line, origin)
        for line, origin in zip(
            document.text.split("\n"), document.layout.origin or [], strict=True
        )
        if line
    ]
    assert pairs == [("First", 3), ("Second", 6), ("Third", 7)]


def test_a_page_without_markup_is_read_as_text() -> None:
    document = read(b"FREEDONIA (Tier 2)\n\nFreedonia is a source country.\n", path="copy.htm")
    assert document.text.split("\n")[:3] == [
        "FREEDONIA (Tier 2)",
        "",
        "Freedonia is a source country.",
    ]
    assert document.layout is None and "no_markup" in codes(document)


def test_html_is_found_by_its_markup_whatever_the_suffix() -> None:
    data = page("<p>x</p>")
    assert detect_form(data, "copy.txt") == "html"
    assert detect_form(b"Plain text with a <br /> in it", "copy.txt") == "text"
    assert detect_form(b"Plain", "page.htm") == "html"


# --- encodings ---------------------------------------------------------------------------------

NARRATIVE = (
    "<p><b>FREEDONIA (Tier 2)</b></p><p>The Government of Freedonia does not fully comply "
    "with the minimum standards for the elimination of trafficking.</p><p>{extra}</p>"
)


def codes(document: Any) -> set[str]:
    return {d.code for d in document.diagnostics}


def test_meta_charset_and_http_equiv_name_the_encoding() -> None:
    body = NARRATIVE.format(extra="Caf\u00e9 \u2019quoted\u2019")
    for head in (
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=ISO-8859-1'>",
    ):
        data = f"<html><head>{head}</head><body>{body}</body></html>".encode("cp1252")
        document = read(data, path="page.html")
        assert document.encoding == "cp1252", head
        assert "Caf\u00e9 \u2019quoted\u2019" in document.text
        assert "encoding_detected" not in codes(document)


def test_a_bom_wins_over_the_meta_charset() -> None:
    data = b"\xef\xbb\xbf" + page(NARRATIVE.format(extra="\u00e9"), charset="utf-8").replace(
        b'charset="utf-8"', b'charset="windows-1252"'
    )
    document = read_html(data)
    assert document.encoding.startswith("utf-8") and "\u00e9" in document.text


def test_a_lying_meta_charset_warns_and_detects() -> None:
    data = page(NARRATIVE.format(extra="x")) + "caf\u00e9 \u201cquoted\u201d".encode("cp1252")
    document = read_html(data)
    assert document.encoding == "cp1252"
    assert {"charset_mismatch", "encoding_detected"} <= codes(document)
    assert "caf\u00e9 \u201cquoted\u201d" in document.text


def test_an_unknown_meta_charset_warns_and_detects() -> None:
    document = read_html(page(NARRATIVE.format(extra="caf\u00e9"), charset="klingon"))
    assert document.encoding == "utf-8" and "charset_unknown" in codes(document)


def test_no_charset_reads_utf8_then_windows_1252() -> None:
    utf8 = b"<html><body><p>caf\xc3\xa9</p></body></html>"
    assert "caf\u00e9" in read_html(utf8).text
    legacy = read_html(b"<html><body><p>caf\xe9</p></body></html>")
    assert legacy.encoding == "cp1252" and "encoding_detected" in codes(legacy)


def test_encoding_option_overrides_the_page() -> None:
    data = page(NARRATIVE.format(extra="\u00e9"), charset="utf-8")
    document = read_html(data, encoding="latin-1")
    assert document.encoding == "iso8859-1" and "\u00c3\u00a9" in document.text


def test_an_archived_page_in_windows_1252_is_no_longer_refused() -> None:
    report = parse_file(PAGES / "stategov-archive-2008-romania.html")
    assert report.source.encoding == "cp1252"
    text = " ".join(p.text for s in report.sections for part in s.parts for p in part.paragraphs)
    assert "government\u2019s" in text and "\u201cone-stop\u201d" in text


# --- hostile markup ----------------------------------------------------------------------------


def run_cli(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[bytes]) -> dict[str, Any]:
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


HEADED = NARRATIVE.format(extra="Freedonia is a source country for forced labor.")


def test_a_hundred_thousand_nested_elements(tmp_path: Path) -> None:
    data = b"<html><body>" + b"<div>" * 100_000 + HEADED.encode() + b"</div>" * 100_000
    document = ok(run_cli("parse", "-", "--from", "html", "--compact", stdin=data))
    assert [s["country"] for s in document["sections"]] == ["FREEDONIA"]


def test_a_hundred_thousand_unclosed_elements() -> None:
    data = b"<html><body>" + b"<div><span><b><em>" * 100_000 + HEADED.encode()
    assert ok(run_cli("parse", "-", "--from", "html", "--compact", stdin=data))["sections"]


def test_several_megabytes_on_one_line() -> None:
    paragraph = b"<p>The government <a href='#'>identified</a> victims &amp; referred them.</p>"
    data = b"<html><body>" + HEADED.encode() + paragraph * (4_000_000 // len(paragraph))
    started = time.monotonic()
    document = ok(run_cli("parse", "-", "--compact", stdin=data))
    assert time.monotonic() - started < 60
    assert document["source"]["form"] == "html" and document["sections"]


@pytest.mark.parametrize("unit", [b"</", b"<a", b"<?", b"<!", b"<!-- >", b"<![CDATA[ >", b"<"])
def test_markup_that_never_closes_is_linear(unit: bytes) -> None:
    """Each of these took HTMLParser quadratic time (100,000 `</` took over a minute)."""
    data = b"<html><body>" + HEADED.encode() + unit * (400_000 // len(unit))
    started = time.monotonic()
    document = read_html(data)
    assert time.monotonic() - started < 10
    assert "FREEDONIA (Tier 2)" in document.text


def test_defuse_leaves_real_markup_alone() -> None:
    for name in FACTS:
        text = (PAGES / name).read_bytes().decode("latin-1")
        assert defuse(text) == text, name


def test_a_lying_charset_through_the_process() -> None:
    data = page(HEADED) + b"<p>caf\xe9</p>"
    document = ok(run_cli("parse", "-", "--compact", stdin=data))
    assert "charset_mismatch" in {d["code"] for d in document["diagnostics"]}


def test_binary_bytes_forced_to_html_give_a_result() -> None:
    data = bytes(range(256)) * 50
    result = run_cli("parse", "-", "--from", "html", "--compact", stdin=data)
    assert result.returncode == 0 and b"Traceback" not in result.stderr


# --- mutated pages (the fuzz kit's mutation test) -------------------------------------------

PAGE_TEXTS = [path.read_bytes() for path in sorted(PAGES.glob("*.html"))]
PIECES = [
    b"<",
    b">",
    b"</p>",
    b"<p>",
    b"<!--",
    b"-->",
    b"<li>",
    b"<nav>",
    b"<b>",
    b"&",
    b"&#",
    b"\x00",
    b"\xe9",
    b"\n",
    b"<![CDATA[",
    b"<script>",
    b"<main>",
    b"<title>",
]


@st.composite
def mutated_page(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(PAGE_TEXTS)))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["drop", "insert", "duplicate"]))
        if kind == "drop":
            del data[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(PIECES))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_page())
def test_mutated_pages_read_and_parse(data: bytes) -> None:
    document = read(data, form="html", path="page.html")
    layout = document.layout
    if layout is None:  # no markup left: read as text
        assert "no_markup" in codes(document)
        return
    assert layout.origin is not None
    lines = split_lines(document.text) if document.text else []
    assert len(layout.origin) == len(lines)
    assert all(0 <= index < len(lines) for index in layout.hints)
    source_lines = data.count(b"\n") + 1
    assert all(1 <= line <= source_lines for line in layout.origin)
    report = parse_text(
        document.text,
        path="page.html",
        encoding=document.encoding,
        notes=document.diagnostics,
        strict=True,
        layout=layout,
    )
    report.to_dict()
    for section in report.sections:
        for part in section.parts:
            for paragraph in part.paragraphs:
                assert 1 <= paragraph.line <= source_lines


# --- a folder of pages -------------------------------------------------------------------------


def test_convert_takes_pages_from_a_folder_and_skips_saved_files(tmp_path: Path) -> None:
    out = tmp_path / "panel.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tipconv",
            "convert",
            "fixtures/html",
            "--to",
            "panel",
            "-o",
            str(out),
            "-q",
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    assert sorted(row.split(",")[0] for row in rows) == [
        "Chile",
        "Ghana",
        "Hungary",
        "Jamaica",
        "Kenya",
        "Morocco",
        "Nepal",
        "Peru",
        "Romania",
    ]
    assert "_files" not in out.read_text(encoding="utf-8")


def test_glob_takes_several_patterns() -> None:
    from tipconv.batch.inputs import DEFAULT_GLOB, compile_glob

    match = compile_glob(DEFAULT_GLOB)
    for name in ("a.txt", "b.html", "c.htm", "d.pdf"):
        assert match(name), name
    assert not match("e.json") and not match("f.txt.bak")
    assert compile_glob("*.txt")("a.txt") and not compile_glob("*.txt")("a.html")


# --- the README's and the help's examples run as written -------------------------------------


def _run_block(block: str, tmp_path: Path) -> Path:
    root = tmp_path / "repository"
    shutil.copytree(FIXTURES, root / "fixtures")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        capture_output=True,
        cwd=root,
        env={**os.environ, "PATH": path, "TIPCONV_NO_PLUGINS": "1"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    return root


def test_the_readme_web_page_examples_run(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Web pages and PDFs\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert "fixtures/html" in block and "--to panel" in block
    assert "curl -s URL | tipconv parse -" in section
    root = _run_block(block, tmp_path)
    for name in re.findall(r"-o (\S+)", block):
        assert (root / name).stat().st_size > 0, name


def test_the_parse_help_examples_run(tmp_path: Path) -> None:
    from tipconv.cli import main

    help_text = main.get_command(click.Context(main), "parse").help  # type: ignore[union-attr]
    assert help_text is not None
    examples = help_text.split("Examples:", 1)[1].strip().splitlines()
    assert any(line.strip().startswith("cat fixtures/html/") for line in examples)
    assert not any("URL" in line for line in examples)
    _run_block("\n".join(line.strip() for line in examples) + "\n", tmp_path)


def test_every_default_glob_is_the_batch_default() -> None:
    """convert, grid and history take the same files from a folder by default."""
    from tipconv.batch.inputs import DEFAULT_GLOB
    from tipconv.views.grid import GridRequest
    from tipconv.views.history import HistoryRequest

    from .test_cli import _all_commands

    for name, command in _all_commands().items():
        assert command is not None
        for param in command.params:
            if param.name == "pattern":
                assert param.default == DEFAULT_GLOB, name
    for request in (GridRequest, HistoryRequest):
        assert request.__dataclass_fields__["pattern"].default == DEFAULT_GLOB


def test_the_page_title_stands_after_the_banners_so_the_header_reads_on() -> None:
    """Refworld without an `h1`: the `<title>` comes after the menus, then the labels."""
    data = (PAGES / "refworld-2010-kenya.html").read_bytes()
    data = data.replace(b"<h1>Trafficking in Persons Report 2010 - Kenya</h1>", b"")
    document = read(data, path="page.html")
    report = parse_text(document.text, layout=document.layout)
    assert report.metadata.title == "Trafficking in Persons Report 2010 - Kenya"
    assert report.metadata.publisher == "United States Department of State"
    assert report.metadata.publication_date == "2010-06-14"
    assert report.disclaimer and report.disclaimer.startswith("This is not a UNHCR")
