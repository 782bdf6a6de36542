"""A report read from extracted lines, told in the terms of the file they came from.

The parser numbers lines of the text a reader extracted; a user looks at the HTML source
or the PDF's pages. This rewrites every line number (sections, parts, paragraphs, stated
tiers, diagnostics) through the layout's `origin`, and gives paragraphs and sections their
pages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .model import Diagnostic, Paragraph, Part, Report, Section

if TYPE_CHECKING:
    from .layout import Layout


def remap(report: Report, layout: Layout) -> Report:
    sections = tuple(_section(section, layout) for section in report.sections)
    diagnostics = tuple(_diagnostic(d, layout) for d in report.diagnostics)
    source = report.source.replace(form=layout.form, page_count=layout.page_count)
    return report.replace(source=source, sections=sections, diagnostics=diagnostics)


def _section(section: Section, layout: Layout) -> Section:
    parts = tuple(_part(part, layout) for part in section.parts)
    pages = [p.page for part in parts for p in part.paragraphs if p.page is not None]
    heading_page = layout.page(section.line) if section.line is not None else None
    if heading_page is not None:
        pages.insert(0, heading_page)
    stated = section.tier_stated
    if stated is not None:
        stated = stated.replace(line=layout.source_line(stated.line))
    return section.replace(
        line=layout.source_line(section.line) if section.line is not None else None,
        tier_stated=stated,
        parts=parts,
        first_page=min(pages) if pages else None,
        last_page=max(pages) if pages else None,
    )


def _part(part: Part, layout: Layout) -> Part:
    paragraphs = tuple(_paragraph(p, layout) for p in part.paragraphs)
    return part.replace(line=layout.source_line(part.line), paragraphs=paragraphs)


def _paragraph(paragraph: Paragraph, layout: Layout) -> Paragraph:
    return paragraph.replace(
        line=layout.source_line(paragraph.line), page=layout.page(paragraph.line)
    )


def _diagnostic(diagnostic: Diagnostic, layout: Layout) -> Diagnostic:
    message = _message(diagnostic.message, layout)
    if diagnostic.line is None:
        return diagnostic if message == diagnostic.message else diagnostic.replace(message=message)
    return diagnostic.replace(line=layout.source_line(diagnostic.line), message=message)


# The lines a message names: "line 7", "lines 3-5, 9" (as `text.line_ranges` writes them).
_LINES = re.compile(r"\blines? (\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*)")


def _message(message: str, layout: Layout) -> str:
    """`message` with the lines it names in the source file's terms."""
    if "line" not in message:
        return message

    def rewrite(found: re.Match[str]) -> str:
        mapped: list[tuple[int, int]] = []
        for span in found.group(1).split(", "):
            first, _, last = span.partition("-")
            start = layout.source_line(int(first))
            end = layout.source_line(int(last)) if last else start
            mapped.append((start, max(start, end)))
        spans: list[list[int]] = []
        for start, end in sorted(mapped):  # a reader may move a line (a page's title)
            if spans and spans[-1][0] <= start <= spans[-1][1] + 1:
                spans[-1][1] = max(spans[-1][1], end)  # source lines side by side: one span
            else:
                spans.append([start, end])
        texts = [str(start) if start >= end else f"{start}-{end}" for start, end in spans]
        word = "line" if len(texts) == 1 and "-" not in texts[0] else "lines"
        return f"{word} {', '.join(texts)}"

    return _LINES.sub(rewrite, message)
