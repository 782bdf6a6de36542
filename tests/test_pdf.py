"""The PDF reader (issue 20), on PDFs that tests/pdf_fixtures.py generates.

Goldens for the committed fixtures (fixtures/pdf/*.pdf) live in test_goldens.py; here are
the reader's promises one by one, and the errors, each one line with exit 3.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pypdfium2")
pytest.importorskip("fpdf")

from fpdf import FPDF

from tipconv.errors import BinaryInputError, InputError
from tipconv.layout import Hint
from tipconv.readers import Document, detect_form, read
from tipconv.readers.pdf import _join
from tipconv.reading import parse_file

from . import pdf_fixtures
from .conftest import ROOT

PDFS = ROOT / "fixtures" / "pdf"


def _lines(document: Document) -> list[str]:
    return document.text.split("\n")


def _read(data: bytes) -> Document:
    return read(data, path="x.pdf")


@pytest.mark.parametrize("name", sorted(pdf_fixtures.FIXTURES))
def test_committed_fixtures_are_what_the_generator_makes(name: str) -> None:
    made = pdf_fixtures.FIXTURES[name]()
    committed = (PDFS / name).read_bytes()
    if made != committed:  # another fpdf2 may write other bytes: the text must agree
        assert _read(made).text == _read(committed).text, "run python -m tests.pdf_fixtures"


def test_form_is_detected_by_content() -> None:
    data = (PDFS / "pdf-2019-narrative.pdf").read_bytes()
    assert detect_form(data, "narrative.txt") == "pdf"


def test_narrative_reads_in_column_order_with_pages_and_hints() -> None:
    document = _read((PDFS / "pdf-2019-narrative.pdf").read_bytes())
    layout = document.layout
    assert layout is not None and layout.form == "pdf" and layout.page_count == 3
    lines = _lines(document)
    assert layout.pages is not None and len(layout.pages) == len(lines) - 1
    # The running header once, kept for its year; no page numbers, no other copy.
    assert lines[0] == "2019 TRAFFICKING IN PERSONS REPORT"
    assert layout.hints[0] is Hint.RUNNING_HEADER
    assert sum("TRAFFICKING IN PERSONS REPORT" in line for line in lines) == 1
    assert not [line for line in lines if line.strip().isdigit()]
    assert [d.code for d in document.diagnostics] == ["pdf_page_chrome"]
    headings = [lines[i] for i, hint in sorted(layout.hints.items()) if hint is Hint.HEADING]
    assert headings == [
        "ALBANIA: TIER 2",
        "PRIORITIZED RECOMMENDATIONS:",  # two lines in the PDF, one heading
        "PROSECUTION",
        "PROTECTION",
        "PREVENTION",
        "TRAFFICKING PROFILE",
    ]
    # A heading at the top of a page carries that page.
    assert layout.pages[lines.index("PROTECTION")] == 3
    # The caption box is an aside of its own, not glued into a paragraph.
    asides = [lines[i] for i, hint in layout.hints.items() if hint is Hint.ASIDE]
    assert len(asides) == 1 and asides[0].startswith("A volunteer at a coastal shelter")
    assert not any("volunteer" in line for line in lines if line not in asides)
    # A paragraph that crosses from page 1 to page 2 is one line, on its first page.
    crossing = next(line for line in lines if line.startswith("Prosecutors started 21"))
    assert "convictions of government employees complicit" in crossing
    assert crossing.endswith("southern port cities.")
    assert layout.pages[lines.index(crossing)] == 1
    # A paragraph that crosses from one column to the next, a word broken across them.
    prevention = next(line for line in lines if line.startswith("The government maintained ef"))
    assert "inspections of textile factories and farms. The government did not" in prevention
    # Words hyphenated at a line's end are whole again.
    text = document.text
    for word in ("officials", "approach", "nongovernmental", "convictions", "investigated"):
        assert word in text
    assert "\ufffe" not in text and "offi cials" not in text and "- " not in text


def test_narrative_parses_with_parts_and_pages() -> None:
    report = parse_file(str(PDFS / "pdf-2019-narrative.pdf"))
    assert report.source.form == "pdf" and report.source.page_count == 3
    (section,) = report.sections
    assert section.country == "Albania" and section.tier is not None
    assert (section.first_page, section.last_page) == (1, 3)
    kinds = [part.kind for part in section.parts]
    assert kinds[-4:] == ["prosecution", "protection", "prevention", "trafficking_profile"]
    pages = [p.page for part in section.parts for p in part.paragraphs]
    assert pages == sorted(pages) and None not in pages and pages[-1] == 3


def test_an_aside_stays_out_of_the_paragraphs() -> None:
    report = parse_file(str(PDFS / "pdf-2019-narrative.pdf"))
    texts = [p.text for s in report.sections for part in s.parts for p in part.paragraphs]
    assert not [text for text in texts if "volunteer" in text]


def test_report_reads_placement_lists_one_country_a_line() -> None:
    document = _read((PDFS / "pdf-2019-mini-report.pdf").read_bytes())
    lines = _lines(document)
    start = lines.index("TIER 2")
    assert lines[start : start + 6] == ["TIER 2", "", "Albania", "", "Botswana", ""]
    assert lines[0] == "2019 TRAFFICKING IN PERSONS REPORT"


def test_report_gives_one_section_a_narrative_with_pages() -> None:
    report = parse_file(str(PDFS / "pdf-2019-mini-report.pdf"))
    found = {s.country: (s.tier, s.first_page, s.last_page) for s in report.sections if s.parts}
    assert found["Albania"][1:] == (4, 4)
    assert found["Botswana"][1:] == (5, 5)
    assert found["Chile"][1:] == (6, 6)
    assert found["Eritrea"][1:] == (7, 7)
    assert found["Fiji"][1:] == (8, 8)


def test_a_page_without_a_text_layer_is_named_in_a_warning() -> None:
    document = _read((PDFS / "pdf-scanned-page.pdf").read_bytes())
    (scan,) = [d for d in document.diagnostics if d.code == "pdf_no_text_layer"]
    assert scan.message.startswith("page 2 has no text layer")
    assert document.layout is not None and document.layout.pages is not None
    assert set(document.layout.pages) == {1, 3}


def test_letter_soup_page_is_reported_and_left_out() -> None:
    document = _read(pdf_fixtures.letter_soup())
    (soup,) = [d for d in document.diagnostics if d.code == "pdf_letter_soup"]
    assert "page 2" in soup.message
    assert "bcdf" not in document.text and "CHILE: TIER 1" in document.text


def test_columns_drawn_row_by_row_are_read_one_after_the_other() -> None:
    """A producer that draws both columns line by line: geometry alone separates them."""
    pdf = FPDF(unit="pt", format=(420, 595))
    pdf.set_creation_date(pdf_fixtures.WHEN)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    left = [f"Left column sentence {n} goes on here" for n in range(1, 13)]
    right = [f"Right column sentence {n} goes on here" for n in range(1, 13)]
    for row, (a, b) in enumerate(zip(left, right, strict=True)):
        pdf.text(36, 80 + row * 12.5, a)
        pdf.text(220, 80 + row * 12.5, b)
    text = _read(bytes(pdf.output())).text
    assert text.index("Left column sentence 12") < text.index("Right column sentence 1 ")
    assert "Left" not in text[text.index("Right") :]


@pytest.mark.parametrize(
    ("before", "after", "words", "joined"),
    [
        ("made traf-", "ficking a crime", {"trafficking"}, "made trafficking a crime"),
        ("the anti-", "slavery law", set(), "the anti-slavery law"),
        ("a victim-", "centered approach", set(), "a victim-centered approach"),
        ("the recruit-", "ment agencies", set(), "the recruitment agencies"),
        ("labor incre\ufffe", "asing", set(), "labor increasing"),
        ("ended.", "Next", set(), "ended. Next"),
    ],
)
def test_words_broken_at_a_line_end(before: str, after: str, words: set[str], joined: str) -> None:
    compounds = {"victim-centered"}
    assert _join(before, after, words, compounds) == joined


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (pdf_fixtures.scanned, "a scanned PDF without a text layer: run OCR first"),
        (pdf_fixtures.encrypted, "an encrypted PDF"),
        (lambda: pdf_fixtures.narrative()[:5000], "a broken PDF"),
        (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40, "a broken PDF"),
        (lambda: b"%PDF-", "a broken PDF"),
    ],
    ids=["scanned", "encrypted", "truncated", "garbage", "header-only"],
)
def test_unreadable_pdfs_are_one_line_and_exit_3(
    make: Callable[[], bytes], says: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    result = _cli("parse", str(path))
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"tipconv: error: {path}: ") and says in line


def test_pdf_without_pypdfium2_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(InputError, match=r"tipconv\[pdf\]"):
        _read((PDFS / "pdf-2019-narrative.pdf").read_bytes())


def test_a_pdf_of_no_pages_is_an_error() -> None:
    pdf = FPDF()
    pdf.set_creation_date(datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC))
    pdf.add_page()  # an empty page: no text, no images
    with pytest.raises(BinaryInputError):
        _read(bytes(pdf.output()))


def test_pages_in_csv_and_sqlite(tmp_path: Path) -> None:
    import csv
    import io
    import sqlite3

    narrative = str(PDFS / "pdf-2019-narrative.pdf")
    result = _cli("parse", narrative, "--to", "csv", "--csv-shape", "paragraphs")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["page"] == "1" and rows[-1]["page"] == "3"
    assert [int(row["page"]) for row in rows] == sorted(int(row["page"]) for row in rows)
    result = _cli("parse", narrative, "--to", "csv")
    (section,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (section["first_page"], section["last_page"]) == ("1", "3")
    database = tmp_path / "tip.db"
    result = _cli("parse", narrative, "-o", str(database), "-q")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        pages = [row[0] for row in connection.execute("SELECT page FROM paragraphs ORDER BY id")]
        span = connection.execute("SELECT first_page, last_page FROM sections").fetchone()
        source = connection.execute("SELECT form, page_count FROM reports").fetchone()
    connection.close()
    assert pages[0] == 1 and pages[-1] == 3 and span == (1, 3) and source == ("pdf", 3)


def _mutants(seed: int, count: int) -> list[bytes]:
    import random

    rng = random.Random(seed)
    sources = [path.read_bytes() for path in sorted(PDFS.glob("*.pdf"))]
    out = []
    for _ in range(count):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 12)):
            what = rng.random()
            at = rng.randrange(len(data))
            if what < 0.5:
                data[at] = rng.randrange(256)
            elif what < 0.7:
                del data[at : at + rng.randint(1, 200)]
            elif what < 0.9:
                data[at:at] = data[rng.randrange(len(data)) :][: rng.randint(1, 200)]
            else:
                del data[at:]
        out.append(bytes(data))
    return out


def test_mutated_pdfs_give_a_result_or_one_error() -> None:
    """The fuzz kit's check (fuzz/fuzz_pdf.py), on seeded mutations of the fixtures."""
    from tipconv.errors import TipconvError
    from tipconv.parser import parse_text

    for data in _mutants(20190620, 150):
        try:
            document = read(data, form="pdf", path="mutant.pdf")
        except TipconvError as error:
            assert "\n" not in str(error)
            continue
        report = parse_text(document.text, layout=document.layout, strict=True)
        assert not report.has_internal_error()
        report.to_dict()


def test_ten_thousand_pages(tmp_path: Path) -> None:
    pages = [
        pdf_fixtures.text_stream(
            [f"Page {n}", "The Government of Chile fully meets the minimum standards."]
        )
        for n in range(10_000)
    ]
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_fixtures.raw_pdf(pages))
    result = _cli("parse", str(path), "--to", "jsonl")
    assert result.returncode == 0, result.stderr
    assert '"page_count":10000' in result.stdout


def test_a_page_of_a_million_characters(tmp_path: Path) -> None:
    lines = [f"Line {n} says the government made efforts to protect victims." for n in range(16000)]
    path = tmp_path / "dense.pdf"
    path.write_bytes(
        pdf_fixtures.raw_pdf(
            [pdf_fixtures.text_stream(lines, leading=0.7, top=14000)], height=14400
        )
    )
    result = _cli("parse", str(path), "--to", "jsonl")
    assert result.returncode == 0, result.stderr
    assert '"form":"pdf","page_count":1' in result.stdout


_FONTS = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]


@pytest.mark.skipif(not any(f.exists() for f in _FONTS), reason="no TrueType font with ligatures")
def test_ligature_glyphs_become_letters() -> None:
    font = next(f for f in _FONTS if f.exists())
    pdf = FPDF(unit="pt", format=(420, 595))
    pdf.set_creation_date(pdf_fixtures.WHEN)
    pdf.add_font("Sans", "", str(font))
    pdf.add_page()
    pdf.set_font("Sans", size=10)
    pdf.text(36, 80, "Tra\ufb03cking oﬃcials ﬁled ﬁve reports.")
    text = _read(bytes(pdf.output())).text
    assert "Trafficking officials filed five reports." in text


def test_chapter_headers_beside_the_page_number_are_chrome() -> None:
    """A header that changes with the chapter recurs on too few pages to count; it stands
    on the page number's baseline, and that says what it is."""
    pages = []
    for number in range(1, 7):
        chapter = "Chapter 1: Prosecution" if number < 4 else "Chapter 2: Protection"
        body = [f"Sentence {number}.{n} of the chapter goes on without a break" for n in range(8)]
        pages.append(
            pdf_fixtures.text_stream([chapter], top=560)
            + b"\n"
            + pdf_fixtures.text_stream([str(number)], x=370, top=560)
            + b"\n"
            + pdf_fixtures.text_stream(body, top=500)
        )
    text = _read(pdf_fixtures.raw_pdf(pages)).text
    assert "Chapter" not in text and "Sentence 6.7" in text


def test_a_box_across_the_gutter_is_an_aside_and_the_paragraph_runs_past_it() -> None:
    """A box laid across both columns (not at the left edge, in body type) is a block of
    its own, read after the columns; the paragraph that flows down the left column and on
    into the right one is not cut by it, though the box comes first in the content."""

    def column(x: float, label: str) -> bytes:
        lines = [f"{label} line {n} of the paragraph runs on" for n in range(1, 17)]
        return pdf_fixtures.text_stream(lines, x=x, top=520)

    box = pdf_fixtures.text_stream(
        [
            "BOX: Victims may call the hotline at any hour",
            "of the day; the call is free from any phone",
        ],
        x=120,
        top=290,
    )
    page = box + b"\n" + column(225, "Right") + b"\n" + column(36, "Left")
    document = _read(pdf_fixtures.raw_pdf([page]))
    lines = [line for line in _lines(document) if line]
    assert len(lines) == 2, lines
    assert lines[0].startswith("Left line 1 ")
    assert "Left line 16 of the paragraph runs on Right line 1 of the paragraph" in lines[0]
    assert lines[0].endswith("Right line 16 of the paragraph runs on")
    assert lines[1] == (
        "BOX: Victims may call the hotline at any hour of the day; the call is free from any phone"
    )
    assert document.layout is not None
    assert document.layout.hints[_lines(document).index(lines[1])] is Hint.ASIDE
