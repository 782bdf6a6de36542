"""JSON Lines: one compact `Report.to_dict()` object per line, written as each report arrives.

Usage::

    tipconv convert archive/ --to jsonl -o all.jsonl
    jq -c '.sections[] | {country, tier}' all.jsonl

Every line is a complete document carrying its own `schema_version`, so a file can be
appended to, split or streamed without a surrounding array.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from ._json import dump_report

if TYPE_CHECKING:
    from ..model import Report
    from . import WriterOptions

# json.dumps(ensure_ascii=False) leaves these raw, yet str.splitlines() and many JSON Lines
# readers break lines at them; escaped, a record can never span two lines.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class JsonLinesWriter:
    name = "jsonl"
    suffix = ".jsonl"
    description = "JSON Lines: one compact JSON object per report per line"

    def write(self, reports: Iterable[Report], out: TextIO, options: WriterOptions) -> None:
        self.write_rendered((self.render(report, options) for report in reports), out, options)

    def render(self, report: Report, options: WriterOptions) -> str:
        """One report's line, newline included."""
        # `pretty` is ignored on purpose: an indented record would not be one line.
        line = dump_report(report, None)
        # translate() visits every character: only when a line break is there to escape.
        if not line.isascii() and ("\x85" in line or "\u2028" in line or "\u2029" in line):
            line = line.translate(_LINE_BREAKS)
        return line + "\n"

    def write_rendered(self, pieces: Iterable[str], out: TextIO, options: WriterOptions) -> None:
        """`render` results, one after another: the lines need no frame."""
        for piece in pieces:
            out.write(piece)
