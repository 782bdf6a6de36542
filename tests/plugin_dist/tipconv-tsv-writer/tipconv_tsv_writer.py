"""A third-party tipconv writer that subclasses `tipconv.writers.base.Writer`.

It renders one report at a time (so `tipconv convert` renders in its worker processes) and
frames the pieces with one header row; `write` comes from the base class.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from tipconv import Report
from tipconv.writers import WriterOptions
from tipconv.writers.base import Writer


class TsvWriter(Writer):
    name = "tsv"
    suffix = ".tsv"
    suffixes = (".tsv", ".tab")
    description = "Country and tier, tab-separated, one row per section"
    parallel = True
    options_used = frozenset({"bom"})

    def render(self, report: Report, options: WriterOptions) -> str:
        return "".join(
            f"{section.country}\t{section.tier.value if section.tier else ''}\n"
            for section in report.sections
        )

    def frame(self, pieces: Iterable[str], out: TextIO, options: WriterOptions) -> None:
        out.write(("\ufeff" if options.bom else "") + "country\ttier\n")
        for piece in pieces:
            out.write(piece)
