"""JSON Lines: one compact `Report.to_dict()` object per line, written as each report arrives.

Usage::

    tipconv convert archive/ --to jsonl -o all.jsonl
    jq -c '.sections[] | {country, tier}' all.jsonl

Every line is a complete document carrying its own `schema_version`, so a file can be
appended to, split or streamed without a surrounding array.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._json import dump_report
from .base import Writer

if TYPE_CHECKING:
    from ..model import Report
    from .base import WriterOptions

# json.dumps(ensure_ascii=False) leaves these raw, yet str.splitlines() and many JSON Lines
# readers break lines at them; escaped, a record can never span two lines.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class JsonLinesWriter(Writer):
    name = "jsonl"
    suffix = ".jsonl"
    suffixes = (".jsonl", ".ndjson")
    description = "JSON Lines: one compact JSON object per report per line"
    parallel = True
    options_used = frozenset()

    def render(self, report: Report, options: WriterOptions) -> str:
        """One report's line, newline included."""
        # `pretty` is ignored on purpose: an indented record would not be one line.
        line = dump_report(report, None, fast=options.fast)
        # translate() visits every character: only when a line break is there to escape.
        if not line.isascii() and ("\x85" in line or "\u2028" in line or "\u2029" in line):
            line = line.translate(_LINE_BREAKS)
        return line + "\n"
