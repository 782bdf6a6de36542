"""Text in any encoding: decoding is all there is to read (`tipconv.text.decode`)."""

from __future__ import annotations

from ..text import decode
from . import Document


def read_text(data: bytes, *, encoding: str | None = None, path: str | None = None) -> Document:
    decoded = decode(data, encoding, path)
    return Document(decoded.text, decoded.encoding, decoded.diagnostics)
