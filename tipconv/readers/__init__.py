"""Readers: bytes in one of the forms the report is published in, to lines for the parser.

Each form has a module of its own: `text` (any encoding), `html` (state.gov, Refworld,
saved pages) and `pdf` (a country's PDF or the whole annual report). A reader returns a
`Document`: the text as lines joined by "\\n", the encoding, what it noticed, and a `Layout`
(where each line came from, what the markup or geometry said of it). The parser never
sees a tag or a page.

The form is found from the content first (a PDF starts with `%PDF-`; HTML by its markup),
then from the file's suffix; `--from` on the command line overrides both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..layout import Layout
    from ..model import Diagnostic

FORMS = ("text", "html", "pdf")
_SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html"}
# How far into a file its first markup may lie (a BOM, blank lines, an XML prolog).
_SNIFF = 2048
_HTML_OPENINGS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<?xml")


class Document:
    """What a reader made of one input: the text, its encoding, notes, and its layout."""

    __slots__ = ("diagnostics", "encoding", "layout", "text")

    def __init__(
        self,
        text: str,
        encoding: str,
        diagnostics: tuple[Diagnostic, ...] = (),
        layout: Layout | None = None,
    ) -> None:
        self.text = text
        self.encoding = encoding
        self.diagnostics = diagnostics
        self.layout = layout  # None: plain text, every line its own


def detect_form(data: bytes, path: str | None = None) -> str:
    """ "pdf", "html" or "text": by the content, then by the suffix of `path`."""
    head = data[:_SNIFF]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if _looks_like_html(head):
        return "html"
    if path:
        dot = path.rfind(".")
        if dot >= 0 and "/" not in path[dot:]:
            return _SUFFIXES.get(path[dot:].lower(), "text")
    return "text"


def _looks_like_html(head: bytes) -> bool:
    """Markup at the start of the file: a text copy with a stray `<br />` is still text."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
            if bom != b"\xef\xbb\xbf":
                head = head.replace(b"\x00", b"")  # UTF-16: enough to see the markup
            break
    opening = head.lstrip()[:64].lower()
    return opening.startswith(_HTML_OPENINGS) and (
        not opening.startswith((b"<!--", b"<?xml")) or b"<html" in head.lower()
    )


def read(
    data: bytes, *, form: str | None = None, encoding: str | None = None, path: str | None = None
) -> Document:
    """Turn `data` into a Document with the reader for `form` (None: detect it).

    Raises InputError (or a subclass) when the input cannot be read as that form.
    """
    chosen = form or detect_form(data, path)
    if chosen == "html":
        from .html import read_html

        return read_html(data, encoding=encoding, path=path)
    if chosen == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, path=path)
    from .text import read_text

    return read_text(data, encoding=encoding, path=path)


__all__ = ["FORMS", "Document", "detect_form", "read"]
