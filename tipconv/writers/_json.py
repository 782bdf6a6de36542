"""JSON: the full contract, one object per report (an array when many)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..model import Report
    from . import WriterOptions


class JsonWriter:
    name = "json"
    suffix = ".json"
    description = "One JSON document (an array for many inputs)"

    def write(self, reports: Iterable[Report], out: TextIO, options: WriterOptions) -> None:
        indent = 2 if options.pretty else None
        if not options.as_array:
            for report in reports:
                out.write(dump_report(report, indent))
                out.write("\n")
            return
        # Stream the array so a large batch never sits in memory as one list.
        out.write("[")
        for index, report in enumerate(reports):
            out.write(",\n" if index else "\n" if indent else "")
            out.write(dump_report(report, indent))
        out.write("\n]\n" if indent else "]\n")


def dump_report(report: Report, indent: int | None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=indent, separators=separators)
