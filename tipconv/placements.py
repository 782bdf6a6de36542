"""The annual report's tier placement lists, read and checked against its narratives.

The whole report prints, before the narratives, one list a tier: a line "TIER 1" (then
"TIER 2", "TIER 2 WATCH LIST", "TIER 3", and perhaps "SPECIAL CASES"), then the names of
the countries placed there, one a line or several a line in columns. `read_placement_lists`
finds such a run of lists in a text's lines; `check_placements` compares it with the
sections parsed from the narratives and names every country where the two disagree.

Pure functions, no I/O: the parser calls them on any copy that prints the lists (a PDF's
extracted lines, a text copy of the whole report).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .countries import lookup, normalize_name
from .model import Diagnostic, Level

if TYPE_CHECKING:
    from .model import Section

_LIST_HEADING = re.compile(
    r"\s*TIER\s+(?P<tier>1|2|3|ONE|TWO|THREE)(?P<watch>\s+WATCH[\s-]*LIST)?\s*:?\s*"
    r"|\s*(?P<special>SPECIAL\s+CASES?)\s*:?\s*"
)
_TIERS = {"1": "1", "ONE": "1", "2": "2", "TWO": "2", "3": "3", "THREE": "3"}
_LABELS = {"1": "Tier 1", "2": "Tier 2", "2WL": "Tier 2 Watch List", "3": "Tier 3"}
_LABELS["special_case"] = "Special Cases"
# Marks printed after a name in the lists: footnotes, an asterisk for an auto-downgrade.
_MARKS = re.compile(r"[\s*\u2020\u2021\d]+$")
_COLUMNS = re.compile(r"\s{2,}|\t")
_MAX_NAME_WORDS = 6


def list_heading(line: str) -> str | None:
    """The tier a placement-list heading line names ("1", "2", "2WL", "3",
    "special_case"), or None. Only the heading alone on its line, in capitals."""
    found = _LIST_HEADING.fullmatch(line)
    if found is None:
        return None
    if found["special"]:
        return "special_case"
    tier = _TIERS[found["tier"]]
    return "2WL" if found["watch"] and tier == "2" else tier


def read_placement_lists(lines: Sequence[str]) -> dict[str, str]:
    """Country as printed -> tier value, from the first run of placement lists in `lines`.

    A run is two or more list headings, each followed by country names (blank lines
    between are fine); it ends at the first line that is neither. A name that appears in
    two lists keeps the first. No run: an empty dict.
    """
    index = 0
    count = len(lines)
    while index < count:
        if list_heading(lines[index]) is not None:
            found, end = _run(lines, index)
            if found:
                return found
            index = end
        index += 1
    return {}


def _run(lines: Sequence[str], start: int) -> tuple[dict[str, str], int]:
    placements: dict[str, str] = {}
    headings = 0
    tier: str | None = None
    index = start
    while index < len(lines):
        line = lines[index]
        heading = list_heading(line)
        if heading is not None:
            tier = heading
            if heading != "special_case":
                headings += 1
        elif line.strip():
            names = country_names(line)
            if not names or tier is None:
                break
            for name in names:
                placements.setdefault(name, tier)
        index += 1
    if headings < 2:
        return {}, index
    return placements, index


def country_names(line: str) -> list[str]:
    """The country names on one line of a list, or [] if any part of it is not one.

    Names in columns are split where two spaces or a tab part them; otherwise the words
    are matched against the crosswalk, longest name first ("Bosnia and Herzegovina Burma")."""
    names: list[str] = []
    for cell in _COLUMNS.split(line.strip()):
        cell = _MARKS.sub("", cell).strip()
        if not cell:
            continue
        if lookup(cell) is not None:
            names.append(cell)
            continue
        words = cell.split()
        position = 0
        while position < len(words):
            for size in range(min(_MAX_NAME_WORDS, len(words) - position), 0, -1):
                candidate = _MARKS.sub("", " ".join(words[position : position + size]))
                if candidate and lookup(candidate) is not None:
                    names.append(candidate)
                    position += size
                    break
            else:
                return []
    return names


def check_placements(lists: dict[str, str], sections: Iterable[Section]) -> list[Diagnostic]:
    """Warnings where the placement lists and the narratives disagree, each naming the
    country: `placement_without_narrative`, `placement_mismatch`,
    `narrative_not_in_placements`. Countries compare by ISO3 where the crosswalk knows them,
    else by their normalised names. No lists: no warnings."""
    if not lists:
        return []
    listed: dict[str, tuple[str, str]] = {}
    for printed, tier in lists.items():
        listed.setdefault(_key(printed), (printed, tier))
    diagnostics: list[Diagnostic] = []
    seen: set[str] = set()
    for section in sections:
        name = section.country or section.country_printed
        if not name:
            continue
        key = section.iso3 or _key(name)
        if key in seen:
            continue
        seen.add(key)
        entry = listed.get(key)
        stated = section.tier.value if section.tier is not None else None
        if entry is None:
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    "narrative_not_in_placements",
                    section.line,
                    f"{name} has a narrative but is in none of the tier placement lists",
                )
            )
        elif stated is not None and stated != entry[1]:
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    "placement_mismatch",
                    section.line,
                    f"{name}: the narrative places it on {_LABELS.get(stated, stated)}, the "
                    f"placement lists on {_LABELS.get(entry[1], entry[1])}",
                )
            )
    for key, (printed, tier) in listed.items():
        if key not in seen:
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    "placement_without_narrative",
                    None,
                    f"{printed} is listed on {_LABELS.get(tier, tier)} but has no narrative",
                )
            )
    return diagnostics


def _key(name: str) -> str:
    code = lookup(name)
    return code.iso3 if code is not None else normalize_name(name)


__all__ = ["check_placements", "country_names", "list_heading", "read_placement_lists"]
