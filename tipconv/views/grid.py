"""The tier grid: one row per country, one column per report year, each cell the tier.

    tipconv grid archive/                       # narratives, as `convert` takes them
    tipconv grid panel.csv --country Burma      # or the panel CSV of `convert --to panel`
    tipconv grid tip.db --years 2010-2020       # or a tipconv database
    tipconv grid archive/ --svg grid.svg        # a picture of the same grid

Every cell comes from the panel (`build_panel`), so its rules hold here unchanged: a cell is
the tier of that country-year, `↑`/`↓` when the panel's `change` is up/down (against the
previous year present in the data), `a|b` when copies disagree (the panel's `conflict`),
`?` for a narrative whose tier was not found, blank for no narrative.

Too wide for the screen (20+ years), the year headers shorten to `'03`, and if that is not
enough the years are wrapped into blocks, each repeating the country names: never cut.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..countries import normalize_name
from ..errors import UsageError
from ..model import Tier
from ..output import check_output, open_output
from ..writers._panel import PanelRow, _group_key, wide_table
from . import screen
from .names import Target, target, unknown
from .screen import Line, pad, span_of, text_width
from .sources import panel_rows

SORTS = ("name", "tier", "changes")
TO = ("text", "csv")

TIER_TEXT = {"1": "1", "2": "2", "2WL": "2WL", "3": "3", "special_case": "SC"}
MARKS = {"up": "↑", "down": "↓"}
NO_TIER = "?"
GAP = 2
_ORDER = [tier.value for tier in Tier]

LEGEND: tuple[tuple[str, str | None, str], ...] = (
    ("1", "tier1", "Tier 1"),
    ("2", "tier2", "Tier 2"),
    ("2WL", "tier2wl", "Tier 2 Watch List"),
    ("3", "tier3", "Tier 3"),
    ("SC", "special", "special case"),
    ("↑", "up", "better than the previous year in the data"),
    ("↓", "down", "worse"),
    ("a|b", "conflict", "copies disagree"),
    (NO_TIER, "none", "tier not found"),
    ("blank", "dim", "no narrative"),
)


@dataclass(frozen=True, slots=True)
class Cell:
    """One country-year as the grid shows it."""

    text: str
    style: str
    tiers: tuple[str | None, ...]  # the tier of each kept copy; two or more: a conflict


@dataclass(frozen=True, slots=True)
class Country:
    """One grid row: the panel rows of one country (ISO3, else name) in the years shown."""

    label: str
    iso3: str | None
    rows: tuple[PanelRow, ...]
    cells: dict[int, Cell]

    def changes(self) -> int:
        return sum(1 for row in self.rows if row.change in MARKS)

    def latest_ordinal(self) -> float:
        """The first copy's tier in the latest year shown; unknown and special cases last."""
        latest = max(row.report_year for row in self.rows)
        tier = next(row.tier for row in self.rows if row.report_year == latest)
        ordinal = Tier(tier).ordinal if tier else None
        return ordinal if ordinal is not None else 9.0


@dataclass(frozen=True, slots=True)
class Grid:
    years: tuple[int, ...]
    countries: tuple[Country, ...]

    def rows(self) -> list[PanelRow]:
        """The panel rows behind the grid, country by country in the grid's order."""
        return [row for country in self.countries for row in country.rows]


@dataclass(frozen=True, slots=True)
class GridRequest:
    """The `grid` command's choices."""

    countries: tuple[str, ...] = ()
    years: str | None = None
    sort: str = "name"
    to: str | None = None  # None: text, unless a picture is all that was asked for
    output: str | None = None
    svg: str | None = None
    html: str | None = None
    no_color: bool = False
    pattern: str = "*.txt"
    encoding: str | None = None


def run(
    inputs: Sequence[str],
    request: GridRequest,
    *,
    warn: Callable[[str], None],
    failed: Callable[[str], None],
) -> None:
    """Read the inputs, build the grid, write what was asked for."""
    span = parse_years(request.years)
    targets = [target(query) for query in request.countries]
    outputs = (("-o", request.output), ("--svg", request.svg), ("--html", request.html))
    for _, path in outputs:
        if path is not None:
            check_output(path)
    rows = panel_rows(
        inputs,
        pattern=request.pattern,
        encoding=request.encoding,
        failed=failed,
        warn=warn,
        outputs=outputs,
    )
    grid = build(rows, targets=targets, years=span, sort=request.sort, warn=warn)
    if request.svg is not None or request.html is not None:
        picture = layout(grid, screen.PICTURE_WIDTH)
        screen.export(picture, svg=request.svg, html=request.html, title="tipconv grid")
        if request.to is None and request.output is None:
            return
    if request.to == "csv":
        with open_output(request.output) as out:
            write_csv(grid, out)
        return
    color = screen.use_color(request.output, forbidden=request.no_color)
    screen.show(layout(grid, screen.layout_width(request.output, color)), request.output, color)


def parse_years(text: str | None) -> tuple[int | None, int | None] | None:
    """--years: `2015`, `2010-2020`, or open-ended `2010-` / `-2015`."""
    if text is None:
        return None
    first, dash, last = text.strip().partition("-")
    if not dash:
        last = first
    start = int(first) if first.isdigit() else None
    end = int(last) if last.isdigit() else None
    if (
        (start is None and end is None)
        or (first and start is None)
        or (last and end is None)
        or (start is not None and end is not None and start > end)
    ):
        raise UsageError(None, f"--years {text!r}: give YEAR or FIRST-LAST, e.g. 2010-2020")
    return start, end


def build(
    rows: Iterable[PanelRow],
    *,
    targets: Sequence[Target] = (),
    years: tuple[int | None, int | None] | None = None,
    sort: str = "name",
    warn: Callable[[str], None] = lambda message: None,
) -> Grid:
    """The grid of panel `rows`: filtered by country and year, one `Country` per group."""
    groups: dict[str, list[PanelRow]] = {}
    present: dict[str, None] = {}
    for row in rows:
        present[row.country] = None
        if years is not None and not _within(row.report_year, years):
            continue
        if targets and not any(t.matches(row.iso3, row.country) for t in targets):
            continue
        groups.setdefault(_group_key(row.iso3, row.country), []).append(row)
    for wanted in targets:
        if any(wanted.matches(group[0].iso3, group[0].country) for group in groups.values()):
            continue
        if wanted.iso3 is None and not any(wanted.matches(None, name) for name in present):
            raise unknown(wanted.query, present, where=" in --country")
        warn(f"--country {wanted.query}: no narrative of {wanted.name} in the years shown")
    countries = [_country(group) for group in groups.values()]
    countries.sort(key=_SORT_KEYS[sort])
    shown = [row.report_year for country in countries for row in country.rows]
    span = range(min(shown), max(shown) + 1) if shown else range(0)
    return Grid(tuple(span), tuple(countries))


def _within(year: int, span: tuple[int | None, int | None]) -> bool:
    first, last = span
    return (first is None or year >= first) and (last is None or year <= last)


def _country(rows: list[PanelRow]) -> Country:
    rows.sort(key=lambda row: row.report_year)  # stable: copies keep the panel's order
    by_year: dict[int, list[PanelRow]] = {}
    for row in rows:
        by_year.setdefault(row.report_year, []).append(row)
    latest = by_year[max(by_year)][0]
    cells = {year: _cell(copies) for year, copies in by_year.items()}
    return Country(latest.country, latest.iso3, tuple(rows), cells)


def _cell(copies: list[PanelRow]) -> Cell:
    tiers = tuple(row.tier for row in copies)
    if len(copies) > 1:
        ordered = sorted(tiers, key=lambda tier: _ORDER.index(tier) if tier else len(_ORDER))
        text = "|".join(TIER_TEXT[tier] if tier else NO_TIER for tier in ordered)
        return Cell(text, "conflict", tiers)
    row = copies[0]
    if row.tier is None:
        return Cell(NO_TIER, "none", tiers)
    return Cell(
        TIER_TEXT[row.tier] + MARKS.get(row.change or "", ""), screen.tier_style(row.tier), tiers
    )


_SORT_KEYS: dict[str, Callable[[Country], tuple[object, ...]]] = {
    "name": lambda country: (normalize_name(country.label), country.label),
    "tier": lambda country: (
        country.latest_ordinal(),
        normalize_name(country.label),
        country.label,
    ),
    "changes": lambda country: (-country.changes(), normalize_name(country.label), country.label),
}


def layout(grid: Grid, width: int | None) -> list[Line]:
    """The grid as styled lines no wider than `width` (None: as wide as it needs)."""
    if not grid.countries:
        return [[("No country-years to show.", "dim")]]
    first, last = grid.years[0], grid.years[-1]
    noun = "country" if len(grid.countries) == 1 else "countries"
    lines: list[Line] = [
        [(f"TIP Report tiers, {span_of(first, last)}: {len(grid.countries)} {noun}", "title")],
        [],
    ]
    name_width = max(text_width(country.label) for country in grid.countries)
    name_width = max(name_width, len("country"))
    room = None if width is None else width - name_width
    labels = [str(year) for year in grid.years]
    widths = _widths(grid, labels)
    if room is not None and sum(GAP + w for w in widths) > room:
        labels = [f"'{year % 100:02d}" for year in grid.years]
        widths = _widths(grid, labels)
    for number, block in enumerate(_blocks(widths, room)):
        if number:
            lines.append([])
        header: Line = [(pad("country", name_width), "header")]
        for index in block:
            header += [(" " * GAP, None), (pad(labels[index], widths[index]), "header")]
        lines.append(header)
        for country in grid.countries:
            line: Line = [(pad(country.label, name_width), "label")]
            for index in block:
                cell = country.cells.get(grid.years[index])
                text, style = (cell.text, cell.style) if cell else ("", None)
                filler = " " * (widths[index] - text_width(text))
                line += [(" " * GAP, None), (text, style), (filler, None)]
            lines.append(line)
    lines.append([])
    lines.extend(legend(width or screen.PICTURE_WIDTH))
    return lines


def _widths(grid: Grid, labels: list[str]) -> list[int]:
    return [
        max(
            [text_width(label)]
            + [text_width(c.cells[year].text) for c in grid.countries if year in c.cells]
        )
        for label, year in zip(labels, grid.years, strict=True)
    ]


def _blocks(widths: list[int], room: int | None) -> list[list[int]]:
    """Year columns split into blocks that fit `room`, at least one column each."""
    blocks: list[list[int]] = [[]]
    used = 0
    for index, width in enumerate(widths):
        if blocks[-1] and room is not None and used + GAP + width > room:
            blocks.append([])
            used = 0
        blocks[-1].append(index)
        used += GAP + width
    return blocks


def legend(width: int) -> list[Line]:
    """What the cells mean, wrapped to `width`."""
    lines: list[Line] = [[]]
    used = 0
    for sample, style, meaning in LEGEND:
        size = text_width(sample) + 1 + text_width(meaning)
        if lines[-1] and used + 3 + size > width:
            lines.append([])
            used = 0
        if lines[-1]:
            lines[-1].append(("   ", None))
            used += 3
        lines[-1] += [(sample, style), (" " + meaning, "dim")]
        used += size
    return lines


def write_csv(grid: Grid, out: TextIO) -> None:
    """The wide panel (`convert --to panel --wide`) of the rows the grid shows."""
    from ..writers._csv import csv_cell

    header, table = wide_table(grid.rows())
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in values] for values in table)
