"""CSV (RFC 4180, UTF-8): one table for any number of reports, ready for pandas, R or Excel.

Usage::

    tipconv parse hong-kong.txt --to csv                       # one row per section
    tipconv convert archive/ --to csv --csv-shape paragraphs -o paragraphs.csv
    tipconv convert archive/ --to csv --bom -o tiers.csv       # Excel wants the BOM

Shapes (columns in this order; an empty cell means "not reported"):

    sections    path, title, report_year, report_year_source, subject, country,
                country_printed, iso3, cow_code, tier, tier_label, tier_printed, tier_ordinal,
                tier_source, publication_date, last_updated, accessed_date, heading_line,
                first_page, last_page, paragraph_count, word_count, sha256
    paragraphs  path, report_year, country, iso3, tier, paragraph_index, line, page, part,
                item, text

`line` is the 1-based line in the source file (for a PDF, in its extracted text); `page`,
`first_page` and `last_page` are 1-based PDF pages, empty for text and HTML.

Example (sections)::

    path,title,report_year,subject,country,iso3,cow_code,tier,tier_label,tier_ordinal,...
    fixtures/refworld-2003-hong-kong.txt,U.S. Department of State 2003 ...,2003,Hong Kong,...

Cells are the values of `Report.to_dict()`, so the table and the JSON never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TextIO

from .base import Writer

if TYPE_CHECKING:
    from ..model import Report
    from .base import WriterOptions

Row = dict[str, Any]

SECTION_COLUMNS = (
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
)
PARAGRAPH_COLUMNS = (
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
)

# Excel silently cuts longer cells (and breaks the row layout doing so); we cut visibly.
EXCEL_CELL_LIMIT = 32_767


def section_rows(report: dict[str, Any]) -> Iterator[Row]:
    """One row per country section; a report without sections has no row."""
    source, metadata = report["source"], report["metadata"]
    for section in report["sections"]:
        paragraphs = [p for part in section["parts"] for p in part["paragraphs"]]
        yield {
            "path": source["path"],
            "title": metadata["title"],
            "report_year": metadata["report_year"],
            "report_year_source": metadata["report_year_source"],
            "subject": metadata["subject"],
            "country": section["country"],
            "country_printed": section["country_printed"],
            "iso3": section["iso3"],
            "cow_code": section["cow_code"],
            "tier": section["tier"],
            "tier_label": section["tier_label"],
            "tier_printed": section["tier_printed"],
            "tier_ordinal": section["tier_ordinal"],
            "tier_source": section["tier_source"],
            "publication_date": metadata["publication_date"],
            "last_updated": metadata["last_updated"],
            "accessed_date": metadata["accessed_date"],
            "heading_line": section["line"],
            "first_page": section["first_page"],
            "last_page": section["last_page"],
            "paragraph_count": len(paragraphs),
            "word_count": word_count([p["text"] for p in paragraphs]),
            "sha256": source["sha256"],
        }


# In ASCII text, the whitespace str.split() breaks at; with none of these (nor two spaces in
# a row), the words are the spaces plus one.
_ASCII_BREAKS = ("  ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")


def word_count(texts: list[str]) -> int:
    """The words in `texts`, as str.split() counts them; counted by spaces when it can.

    Splitting builds every word as a string: the bulk of a row's cost.
    """
    text = " ".join(texts)  # a space between texts: no word spans two
    if text.isascii() and not any(mark in text for mark in _ASCII_BREAKS):
        text = text.strip(" ")
        return text.count(" ") + 1 if text else 0
    return len(text.split())


def paragraph_rows(report: dict[str, Any]) -> Iterator[Row]:
    """One row per paragraph, tagged with the part (prosecution, ...) that holds it."""
    source, metadata = report["source"], report["metadata"]
    for section in report["sections"]:
        index = 0
        for part in section["parts"]:
            for paragraph in part["paragraphs"]:
                index += 1
                yield {
                    "path": source["path"],
                    "report_year": metadata["report_year"],
                    "country": section["country"],
                    "iso3": section["iso3"],
                    "tier": section["tier"],
                    "paragraph_index": index,
                    "line": paragraph["line"],
                    "page": paragraph["page"],
                    "part": part["kind"],
                    "item": paragraph["item"] or None,
                    "text": paragraph["text"],
                }


Shape = tuple[tuple[str, ...], Callable[[dict[str, Any]], Iterator[Row]], Callable[[Row], Any]]
# name -> (columns, rows, a row's values in column order)
_SHAPES: dict[str, Shape] = {
    "sections": (SECTION_COLUMNS, section_rows, itemgetter(*SECTION_COLUMNS)),
    "paragraphs": (PARAGRAPH_COLUMNS, paragraph_rows, itemgetter(*PARAGRAPH_COLUMNS)),
}


class CsvWriter(Writer):
    name = "csv"
    suffix = ".csv"
    description = "RFC 4180 CSV: one row per section (or per paragraph)"
    parallel = True
    options_used = frozenset({"csv_shape", "bom"})

    def render(self, report: Report, options: WriterOptions) -> str:
        """One report's data rows (no header), cells cut to Excel's limit through `warn`."""
        columns, rows, values = _shape(options)
        buffer = io.StringIO()
        table = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        data = report.to_dict()
        for row in rows(data):
            cells = [value if type(value) is str else csv_cell(value) for value in values(row)]
            if max(map(len, cells)) > EXCEL_CELL_LIMIT // 2:  # rare: look closer
                path = data["source"]["path"] or "<stdin>"
                cells = [
                    _fit(path, column, cell, options.warn)
                    for column, cell in zip(columns, cells, strict=True)
                ]
            line = plain_row(cells)
            if line is None:
                table.writerow(cells)
            else:
                buffer.write(line)
        return buffer.getvalue()

    def frame(self, pieces: Iterable[str], out: TextIO, options: WriterOptions) -> None:
        """`render` results under one header row (after the BOM, when asked for)."""
        columns, _, _ = _shape(options)
        if options.bom:
            out.write("\ufeff")
        csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(columns)
        for piece in pieces:
            out.write(piece)


def _shape(options: WriterOptions) -> Shape:
    if options.csv_shape not in _SHAPES:
        raise ValueError(
            f"unknown CSV shape {options.csv_shape!r}; valid shapes: {', '.join(_SHAPES)}"
        )
    return _SHAPES[options.csv_shape]


def plain_row(cells: list[str]) -> str | None:
    """`cells` as a CSV row when no cell needs quotes: what csv.writer writes, sooner.

    None when one does (a comma, quote or line break in it), or for a row of one empty
    cell (written ""); csv.writer then writes the row.
    """
    line = ",".join(cells)
    if not line or line.count(",") >= len(cells) or '"' in line or "\r" in line or "\n" in line:
        return None
    return line + "\r\n"


def csv_cell(value: Any) -> str:
    """A JSON value as a CSV cell: None is empty, 2.0 is "2" (tier_ordinal), 2.5 stays."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fit(path: str, column: str, text: str, warn: Callable[[str], None]) -> str:
    """Cut a cell Excel could not hold, saying so in the cell and through `warn`."""
    if len(text) <= EXCEL_CELL_LIMIT // 2 or _excel_length(text) <= EXCEL_CELL_LIMIT:
        return text
    marker = f"… [truncated by tipconv from {len(text)} characters]"
    keep = EXCEL_CELL_LIMIT - len(marker)
    head = text[:keep]
    while (excess := _excel_length(head) - keep) > 0:
        head = head[:-excess]
    warn(
        f"{path}: CSV column {column!r}: a cell of {len(text)} characters exceeds Excel's "
        f"{EXCEL_CELL_LIMIT}-character limit; truncated"
    )
    return head + marker


def _excel_length(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units, so an emoji counts twice."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
