"""HTML pages: not yet read (issue 20)."""

from __future__ import annotations

from ..errors import BinaryInputError
from . import Document


def read_html(data: bytes, *, encoding: str | None = None, path: str | None = None) -> Document:
    raise BinaryInputError(path, "an HTML page: tipconv cannot read HTML yet")
