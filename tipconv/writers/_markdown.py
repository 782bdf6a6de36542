"""Markdown: one readable brief per report, for reading, quoting and sharing.

Usage::

    tipconv parse hong-kong.txt --to md
    tipconv parse hong-kong.txt -o hong-kong.md

Layout (CommonMark plus a GFM table; reports are separated by a `---` thematic break)::

    # U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong
    | Field | Value |                       <- only the metadata the text states
    > This is not a UNHCR publication. ...   <- the disclaimer
    ## Hong Kong — Tier 1                   <- the canonical country name and tier
    *Heading on line 11: Hong Kong (Tier 1)*  <- the heading as printed
    ### Profile (inferred)                   <- printed heading, or the kind in words
    Hong Kong is a point of transit ...

All text from the input is escaped so it renders exactly as written: a narrative quoting
`*` or `<script>` must never turn into emphasis or HTML. Diagnostics are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from .base import Writer

if TYPE_CHECKING:
    from ..model import Paragraph, Part, Report, Section
    from .base import WriterOptions

# Backslash escapes work on any ASCII punctuation in CommonMark, so escaping is always safe.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
# Only at the start of a line: list markers, and `=`/`-` lines that would underline the
# line before into a heading.
_BULLET_START = re.compile(r"^([+\-=])", re.MULTILINE)
_ORDERED_START = re.compile(r"^(\d+)([.)])", re.MULTILINE)
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)  # four spaces would start a code block


def escape(text: str) -> str:
    """Text from the input as Markdown that renders to exactly that text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LEADING_SPACE.sub("", text)
    text = _INLINE.sub(r"\\\1", text)
    text = _BULLET_START.sub(r"\\\1", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def escape_line(text: str) -> str:
    """For headings, table cells and list items, which must stay on one line."""
    return escape(" ".join(text.split()))


class MarkdownWriter(Writer):
    name = "markdown"
    suffix = ".md"
    suffixes = (".md", ".markdown")
    description = "A readable Markdown brief per report"
    parallel = True
    options_used = frozenset()

    def render(self, report: Report, options: WriterOptions) -> str:
        """One report's brief, without the break that separates it from the one before."""
        return render_report(report)

    def frame(self, pieces: Iterable[str], out: TextIO, options: WriterOptions) -> None:
        """`render` results with a `---` thematic break between each two."""
        for index, piece in enumerate(pieces):
            if index:
                out.write("\n---\n\n")
            out.write(piece)


def render_report(report: Report) -> str:
    blocks = [f"# {escape_line(_title(report))}", _metadata_table(report)]
    if report.disclaimer:
        blocks.append(
            "\n".join(f"> {line}".rstrip() for line in escape(report.disclaimer).split("\n"))
        )
    for section in report.sections:
        blocks.extend(_section_blocks(section))
    if not report.sections:
        blocks.append("*No country narrative found in this text.*")
    return "\n\n".join(blocks) + "\n"


def _title(report: Report) -> str:
    if report.metadata.title:
        return report.metadata.title
    if report.sections and report.sections[0].country:
        return report.sections[0].country
    return report.source.path or "Untitled narrative"


def _metadata_table(report: Report) -> str:
    metadata = report.metadata
    year: object = metadata.report_year
    if year is not None and metadata.report_year_source == "supplied":
        year = f"{year} (supplied with --year: the copy prints none)"
    rows = [
        ("Report year", year),
        ("Subject", metadata.subject),
        ("Publisher", metadata.publisher),
        ("Author", metadata.author),
        ("Publication date", metadata.publication_date),
        ("Last updated", metadata.last_updated),
        ("Accessed", metadata.accessed_date),
        ("URL", metadata.url),
        ("Source path", report.source.path),
        ("SHA-256", report.source.sha256),
    ]
    lines = ["| Field | Value |", "| --- | --- |"]
    lines += [f"| {label} | {escape_line(str(value))} |" for label, value in rows if value]
    return "\n".join(lines)


def _section_blocks(section: Section) -> Iterator[str]:
    country = section.country or section.heading or "Unnamed narrative"
    tier = section.tier.label if section.tier else "no tier"
    yield f"## {escape_line(country)} — {tier}"
    yield _where(section)
    for part in section.parts:
        yield f"### {escape_line(_part_title(part))}"
        yield from _part_blocks(part)


def _where(section: Section) -> str:
    if section.line is not None and section.heading is not None:
        return f"*Heading on line {section.line}: {escape_line(section.heading)}*"
    if section.tier_stated is not None:
        return f"*No printed heading; tier stated on line {section.tier_stated.line}.*"
    return "*No printed heading.*"


def _part_title(part: Part) -> str:
    if part.heading:
        return part.heading
    words = part.kind.replace("_", " ").capitalize()
    return f"{words} (inferred)" if part.inferred else words


def _part_blocks(part: Part) -> Iterator[str]:
    """Paragraphs in order; a run of list items becomes one bullet list."""
    bullets: list[Paragraph] = []
    for paragraph in part.paragraphs:
        if paragraph.item:
            bullets.append(paragraph)
            continue
        if bullets:
            yield _bullet_list(bullets)
            bullets = []
        yield escape(paragraph.text)
    if bullets:
        yield _bullet_list(bullets)


def _bullet_list(items: list[Paragraph]) -> str:
    return "\n".join(f"- {escape_line(item.text)}" for item in items)
