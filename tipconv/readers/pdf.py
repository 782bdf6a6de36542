"""PDF documents: not yet read (issue 20)."""

from __future__ import annotations

from ..errors import BinaryInputError
from . import Document


def read_pdf(data: bytes, *, path: str | None = None) -> Document:
    raise BinaryInputError(path, "binary file: looks like a PDF document (extract its text first)")
