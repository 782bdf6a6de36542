"""A third-party tipconv writer, as small as one can be: it needs nothing from tipconv.

tipconv finds it through the `tipconv.writers` entry point declared in pyproject.toml.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO


class UpperWriter:
    name = "upper"
    suffix = ".txt"
    description = "Country names, upper-cased, one per line"

    def write(self, reports: Iterable[Any], out: TextIO, options: Any) -> None:
        for report in reports:
            for section in report.sections:
                if section.country:
                    out.write(section.country.upper() + "\n")
