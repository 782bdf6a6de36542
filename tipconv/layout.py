"""What a reader knows about the lines it hands the parser, beyond their text.

A text file is its own lines. An HTML page or a PDF is not: a reader (`tipconv.readers`)
turns it into lines and keeps, beside them, where each came from (the line of the HTML
source, the page of the PDF) and what the markup or the geometry said about it (a heading
element, site navigation, a box outside the column flow). The parser reads those hints as
evidence; it never sees a tag or a page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Report


class Hint(StrEnum):
    """What a reader saw of one line."""

    HEADING = "heading"  # an h1-h6 element, or a paragraph in bold type only
    CHROME = "chrome"  # site chrome: nav, header, footer, skip links, breadcrumbs
    ASIDE = "aside"  # a box outside the text flow: a sidebar, a photo caption
    RUNNING_HEADER = "running_header"  # a PDF's running header, kept once for its year


_NO_HINTS: Mapping[int, Hint] = MappingProxyType({})


class Layout:
    """Provenance and hints for the lines of one extracted text.

    `origin[i]` is the 1-based line of the source file where text line i + 1 comes from
    (None: the same number); `pages[i]` its 1-based page (None: no pages); `hints` maps a
    0-based text line index to what the reader saw of it.
    """

    __slots__ = ("form", "hints", "origin", "page_count", "pages")

    def __init__(
        self,
        form: str,
        *,
        origin: Sequence[int] | None = None,
        pages: Sequence[int] | None = None,
        hints: Mapping[int, Hint] = _NO_HINTS,
        page_count: int | None = None,
    ) -> None:
        self.form = form
        self.origin = origin
        self.pages = pages
        self.hints = hints
        self.page_count = page_count

    def source_line(self, line: int) -> int:
        """The source file's line for 1-based text line `line`."""
        origin = self.origin
        if origin is None or not 0 < line <= len(origin):
            return line
        return origin[line - 1]

    def page(self, line: int) -> int | None:
        """The page of 1-based text line `line`, or None."""
        pages = self.pages
        if pages is None or not 0 < line <= len(pages):
            return None
        return pages[line - 1]

    def apply(self, report: Report) -> Report:
        """`report` with its line numbers in the source file's terms, and pages added."""
        from .remap import remap

        return remap(report, self)
