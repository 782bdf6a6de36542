"""JSON: the full contract, one object per report (an array when many)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

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
        return dump_report(report, 2 if options.pretty else None, fast=options.fast)

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


def dump_report(report: Report, indent: int | None, *, fast: bool = False) -> str:
    """`report.to_dict()` as JSON; `fast` (compact only) with orjson where it is installed."""
    data = report.to_dict()
    if fast and indent is None:
        encode = fast_encoder()
        if encode is not None:
            try:
                return encode(data)
            except TypeError:  # orjson refuses a lone surrogate (a path from os.fsdecode)
                pass
    return _standard(indent).encode(data)


def _standard(indent: int | None) -> json.JSONEncoder:
    encoder = _ENCODERS.get(indent)
    if encoder is None:
        separators = (",", ": ") if indent else (",", ":")
        encoder = _ENCODERS[indent] = json.JSONEncoder(
            ensure_ascii=False, indent=indent, separators=separators, check_circular=False
        )
    return encoder


@functools.cache
def fast_encoder() -> Callable[[Any], str] | None:
    """orjson's compact encoder as text, or None where orjson is not installed.

    Its compact output is the standard encoder's with `ensure_ascii=False` and separators
    `,` `:`, byte for byte, at a tenth of the time, for the data a report holds (its one
    kind of float, `tier_ordinal`, is 1, 2, 2.5 or 3; orjson writes exponents otherwise);
    tests/test_fast_json.py compares both on every fixture and on random data."""
    try:
        import orjson
    except ImportError:
        return None

    def encode(data: Any) -> str:
        return orjson.dumps(data).decode("utf-8")

    return encode
