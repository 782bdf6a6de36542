"""JSON: the full contract, one object per report (an array when many)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from .base import Writer

if TYPE_CHECKING:
    from ..model import Report
    from .base import WriterOptions


class JsonWriter(Writer):
    name = "json"
    suffix = ".json"
    description = "One JSON document (an array for many inputs)"
    parallel = True
    options_used = frozenset({"pretty"})

    def render(self, report: Report, options: WriterOptions) -> str:
        """One report's document, without the array's brackets and commas."""
        return dump_report(report, 2 if options.pretty else None)

    def frame(self, pieces: Iterable[str], out: TextIO, options: WriterOptions) -> None:
        """`render` results, framed: one document per line, or an array when `as_array`."""
        indent = options.pretty
        if not options.as_array:
            for piece in pieces:
                out.write(piece)
                out.write("\n")
            return
        # Stream the array so a large batch never sits in memory as one list.
        out.write("[")
        for index, piece in enumerate(pieces):
            out.write(",\n" if index else "\n" if indent else "")
            out.write(piece)
        out.write("\n]\n" if indent else "]\n")


# One encoder per indent, made once: json.dumps makes one per call. A `to_dict()` is a tree,
# never circular, so the encoder need not look for cycles (the output is the same).
_ENCODERS: dict[int | None, json.JSONEncoder] = {}


def dump_report(report: Report, indent: int | None) -> str:
    encoder = _ENCODERS.get(indent)
    if encoder is None:
        separators = (",", ": ") if indent else (",", ":")
        encoder = _ENCODERS[indent] = json.JSONEncoder(
            ensure_ascii=False, indent=indent, separators=separators, check_circular=False
        )
    return encoder.encode(report.to_dict())
