"""One country across the years: tier, change, the sentence that places it, and its source.

    tipconv history Burma archive/                 # on a terminal: a table
    tipconv history MMR archive/ --to json         # or csv, md

Rows are the panel's rows for that country (`build_panel`: its change, duplicate and
conflict rules hold unchanged), each with the placement sentence the narrative states
("therefore Burma remained on Tier 3"), `file:line` (the sentence's line, else the
heading's), and the copies the panel set aside: the same text downloaded twice, or another
text that agrees on the tier. Copies that disagree are rows of their own, flagged `conflict`.

Narratives are parsed one at a time; only the sections of the country asked for are kept.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from ..errors import NothingToShowError, UsageError
from ..model import Tier
from ..output import check_output, open_output
from ..writers._csv import csv_cell
from ..writers._markdown import escape_line
from ..writers._panel import PanelEntry, PanelRow, build_panel, report_entries
from . import screen
from .names import Target, known_target, suggestions, unknown
from .screen import Line, pad, span_of
from .sources import no_year_files, read_reports, source_kind

TO = ("text", "json", "csv", "md")
CSV_COLUMNS = (
    "country",
    "iso3",
    "report_year",
    "tier",
    "tier_label",
    "previous_tier",
    "change",
    "conflict",
    "path",
    "line",
    "placement",
    "duplicates",
)
CHANGE_TEXT = {"up": "↑ up", "down": "↓ down", "same": "same", "new": "new"}


@dataclass(frozen=True, slots=True)
class Placement:
    """The sentence that states the tier: "therefore Burma remained on Tier 3"."""

    tier: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Detail:
    """What history keeps of a section beyond its panel entry."""

    year: int | None
    heading_line: int | None
    placement: Placement | None
    country_printed: str | None


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A copy of a country-year the panel set aside, as it agrees with a kept copy's tier."""

    path: str | None
    line: int | None
    sha256: str
    same_text: bool


@dataclass(frozen=True, slots=True)
class HistoryRow:
    row: PanelRow
    detail: Detail
    duplicates: tuple[Duplicate, ...]

    @property
    def line(self) -> int | None:
        return _line(self.detail)

    def to_dict(self) -> dict[str, Any]:
        row, placement = self.row, self.detail.placement
        return {
            "report_year": row.report_year,
            "tier": row.tier,
            "tier_label": row.tier_label,
            "previous_tier": row.previous_tier,
            "change": row.change,
            "conflict": bool(row.conflict),
            "country_printed": self.detail.country_printed,
            "tier_printed": row.tier_printed,
            "path": row.path,
            "line": self.line,
            "heading_line": self.detail.heading_line,
            "placement": (
                None
                if placement is None
                else {"tier": placement.tier, "line": placement.line, "text": placement.text}
            ),
            "sha256": row.sha256,
            "duplicates": [
                {"path": d.path, "line": d.line, "sha256": d.sha256, "same_text": d.same_text}
                for d in self.duplicates
            ],
        }


@dataclass(frozen=True, slots=True)
class History:
    country: str
    iso3: str | None
    cow_code: int | None
    rows: tuple[HistoryRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "iso3": self.iso3,
            "cow_code": self.cow_code,
            "rows": [row.to_dict() for row in self.rows],
        }


@dataclass(frozen=True, slots=True)
class HistoryRequest:
    """The `history` command's choices."""

    country: str
    to: str = "text"
    output: str | None = None
    no_color: bool = False
    pattern: str = "*.txt,*.html,*.htm,*.pdf"  # as batch.inputs.DEFAULT_GLOB
    encoding: str | None = None
    year: int | None = None  # --year: the report year of copies that print none


def run(
    inputs: Sequence[str],
    request: HistoryRequest,
    *,
    warn: Callable[[str], None],
    failed: Callable[[str], None],
) -> None:
    """Read the narratives, keep the country's sections, write its history."""
    wanted = known_target(request.country)
    kind = source_kind(inputs)
    if kind != "narratives":
        raise UsageError(
            None,
            f"history reads narratives, not a {'panel CSV' if kind == 'panel' else 'database'}: "
            "the placement sentences are in the text",
        )
    if request.output is not None:
        check_output(request.output)
    reports = read_reports(
        inputs,
        pattern=request.pattern,
        encoding=request.encoding,
        failed=failed,
        outputs=(("-o", request.output),),
        year=request.year,
    )
    history = collect(reports, wanted, warn)
    if request.to == "text":
        color = screen.use_color(request.output, forbidden=request.no_color)
        screen.show(layout(history), request.output, color)
        return
    with open_output(request.output) as out:
        _WRITERS[request.to](history, out)


def collect(
    reports: Iterable[Any], wanted: Target, warn: Callable[[str], None] = lambda m: None
) -> History:
    """The history of `wanted` in `reports`; raises UsageError when no narrative is of it."""
    entries: list[PanelEntry] = []
    details: dict[tuple[str | None, str, str | None], Detail] = {}
    present: dict[str, None] = {}
    for report in reports:
        for section, entry in zip(report.sections, report_entries(report), strict=True):
            name = section.country or entry.subject
            if name is None:
                continue
            present[name] = None
            if not wanted.matches(entry.iso3, name):
                continue
            entries.append(entry)
            stated = section.tier_stated
            placement = (
                None if stated is None else Placement(stated.tier.value, stated.line, stated.text)
            )
            key = (entry.path, entry.sha256, entry.tier)
            detail = Detail(entry.report_year, section.line, placement, section.country_printed)
            details.setdefault(key, detail)
    if not entries:
        if wanted.iso3 is None:
            raise unknown(wanted.query, present)
        close = suggestions(wanted.query, present, crosswalk=False)
        hint = f"; closest names there: {', '.join(close)}" if close else ""
        raise UsageError(None, f"no narrative of {wanted.name} in the inputs{hint}")
    rows = build_panel(entries, warn)
    if not rows:
        raise NothingToShowError(
            None,
            f"nothing to show: no narrative of {wanted.name} has a report year "
            f"({no_year_files(entry.path for entry in entries)})",
        )
    history_rows = [
        HistoryRow(row, details[(row.path, row.sha256, row.tier)], _duplicates(row, rows, details))
        for row in rows
    ]
    latest = rows[-1]
    name = wanted.name if wanted.iso3 is not None else latest.country
    return History(name, latest.iso3, latest.cow_code, tuple(history_rows))


def _duplicates(
    row: PanelRow,
    rows: list[PanelRow],
    details: dict[tuple[str | None, str, str | None], Detail],
) -> tuple[Duplicate, ...]:
    """The copies of `row`'s country-year that no row kept and that agree on its tier."""
    kept = {(r.path, r.sha256) for r in rows if r.report_year == row.report_year}
    return tuple(
        Duplicate(path, _line(detail), sha256, sha256 == row.sha256)
        for (path, sha256, tier), detail in sorted(details.items(), key=lambda i: i[0][0] or "")
        if tier == row.tier and (path, sha256) not in kept and detail.year == row.report_year
    )


def _line(detail: Detail) -> int | None:
    return detail.placement.line if detail.placement is not None else detail.heading_line


def layout(history: History) -> list[Line]:
    """The history as styled lines: a row per year, its sentence and other copies below."""
    code = f" ({history.iso3})" if history.iso3 else ""
    years = [row.row.report_year for row in history.rows]
    lines: list[Line] = [
        [(f"{history.country}{code}: TIP Report tiers, {span_of(years[0], years[-1])}", "title")],
        [],
    ]
    tiers = [_tier_words(row.row.tier) for row in history.rows]
    changes = [CHANGE_TEXT.get(row.row.change or "", "") for row in history.rows]
    tier_width = max(len("tier"), *(len(tier) for tier in tiers))
    change_width = max(len("change"), *(len(change) for change in changes))
    lines.append(
        [
            (f"year  {pad('tier', tier_width)}  {pad('change', change_width)}  source", "header"),
        ]
    )
    indent = " " * 6
    for row, tier, change in zip(history.rows, tiers, changes, strict=True):
        panel = row.row
        line: Line = [
            (f"{panel.report_year}  ", None),
            (tier, screen.tier_style(panel.tier)),
            (" " * (tier_width - len(tier) + 2), None),
            (change, panel.change if panel.change in ("up", "down") else None),
            (" " * (change_width - len(change) + 2), None),
            (_where(panel.path, row.line), "path"),
        ]
        if panel.conflict:
            line.append(("  copies disagree on the tier", "conflict"))
        lines.append(line)
        placement = row.detail.placement
        if placement is not None:
            lines.append([(indent, None), (f'"{placement.text}"', "dim")])
        for duplicate in row.duplicates:
            why = "same text" if duplicate.same_text else "other text, same tier"
            lines.append(
                [
                    (indent + "also ", "dim"),
                    (_where(duplicate.path, duplicate.line), "path"),
                    (f" ({why})", "dim"),
                ]
            )
    return lines


def _tier_words(tier: str | None) -> str:
    return Tier(tier).label if tier else "no tier found"


def _where(path: str | None, line: int | None) -> str:
    shown = path if path is not None else "<stdin>"
    return f"{shown}:{line}" if line is not None else shown


def write_json(history: History, out: TextIO) -> None:
    json.dump(history.to_dict(), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(history: History, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in history.rows:
        panel, placement = row.row, row.detail.placement
        values = (
            history.country,
            history.iso3,
            panel.report_year,
            panel.tier,
            panel.tier_label,
            panel.previous_tier,
            panel.change,
            panel.conflict,
            panel.path,
            row.line,
            placement.text if placement is not None else None,
            "; ".join(d.path or "<stdin>" for d in row.duplicates) or None,
        )
        writer.writerow([csv_cell(value) for value in values])


def write_markdown(history: History, out: TextIO) -> None:
    code = f" ({history.iso3})" if history.iso3 else ""
    out.write(f"# {escape_line(history.country)}{code}: TIP Report tiers\n\n")
    out.write("| Year | Tier | Change | Placement | Source |\n")
    out.write("|---|---|---|---|---|\n")
    for row in history.rows:
        panel, placement = row.row, row.detail.placement
        change = CHANGE_TEXT.get(panel.change or "", "")
        if panel.conflict:
            change = f"{change}, copies disagree".lstrip(", ")
        source = escape_line(_where(panel.path, row.line))
        for duplicate in row.duplicates:
            why = "same text" if duplicate.same_text else "other text, same tier"
            source += f"; also {escape_line(_where(duplicate.path, duplicate.line))} ({why})"
        sentence = escape_line(placement.text) if placement is not None else ""
        cells = (str(panel.report_year), _tier_words(panel.tier), change, sentence, source)
        out.write("| " + " | ".join(cells) + " |\n")


_WRITERS: dict[str, Callable[[History, TextIO], None]] = {
    "json": write_json,
    "csv": write_csv,
    "md": write_markdown,
}
