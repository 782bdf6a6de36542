"""The tier grid: one row per country, one column per report year, each cell the tier.

    tipconv grid archive/                       # narratives, as `convert` takes them
    tipconv grid panel.csv --country Burma      # or the panel CSV of `convert --to panel`
    tipconv grid tip.db --years 2010-2020       # or a tipconv database
    tipconv grid archive/ --svg grid.svg        # a picture of the same grid

A cell follows the panel's rules (`build_panel`): the tier of that country-year, `↑`/`↓`
when the panel's `change` is up/down (against the previous year present in the data),
`a|b` when copies disagree (the panel's `conflict`), `?` for a narrative whose tier was not
found, blank for no narrative. The grid keeps, per country-year, only its distinct tiers and
how many copies it had (`Tally`), never the copies: its memory grows with country-years, not
with narratives. Tests prove every cell equal to the panel's rows.

Too wide for the screen (20+ years), the year headers shorten to `'03`, and if that is not
enough the years are wrapped into blocks, each repeating the country names: never cut.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..countries import normalize_name
from ..errors import NothingToShowError, UsageError
from ..model import Tier
from ..output import atomic_output, check_output, open_output
from ..writers._panel import PanelEntry, PanelRow, change_between, group_key, placed
from . import screen
from .names import Target, known_target, unknown
from .screen import Line, pad, span_of, text_width
from .sources import no_year_files, panel_source

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
    tiers: tuple[str | None, ...]  # its distinct tiers; two or more: a conflict
    change: str | None = None  # the panel's change, for a cell of one tier


@dataclass(frozen=True, slots=True)
class Country:
    """One grid row: a country (ISO3, else name) and its cells in the years shown."""

    label: str
    iso3: str | None
    cow_code: int | None
    cells: dict[int, Cell]

    def changes(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.change in MARKS)

    def latest_ordinal(self) -> float:
        """The latest year's first tier; unknown and special cases last."""
        tier = self.cells[max(self.cells)].tiers[0]
        ordinal = Tier(tier).ordinal if tier else None
        return ordinal if ordinal is not None else 9.0


@dataclass(frozen=True, slots=True)
class Grid:
    years: tuple[int, ...]
    countries: tuple[Country, ...]


@dataclass(slots=True)
class _Group:
    """One country while copies arrive: the copy that names it, and per year its tiers."""

    label: str
    iso3: str | None
    cow_code: int | None
    year: int  # the latest year, and its smallest path: the copy whose name labels it
    path: str
    years: dict[int, tuple[tuple[str | None, ...], int]]  # year -> (distinct tiers, copies)


def _tier_order(tier: str | None) -> int:
    return _ORDER.index(tier) if tier else len(_ORDER)


class Tally:
    """The grid's country-years as the copies arrive, each reduced at once to its tier.

    The panel's rules decide what a copy is (`placed`), which name labels a country (its
    latest narrative, smallest path first) and how a year changes from the one before
    (`change_between`); a cell keeps its distinct tiers and a count of copies, never a copy.
    """

    def __init__(self) -> None:
        self.groups: dict[str, _Group] = {}

    def add(
        self,
        name: str,
        iso3: str | None,
        cow_code: int | None,
        year: int,
        tier: str | None,
        path: str | None,
    ) -> None:
        key = group_key(iso3, name)
        where = path or ""
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group(sys.intern(name), iso3, cow_code, year, where, {})
        elif year > group.year or (year == group.year and where < group.path):
            group.label, group.year, group.path = sys.intern(name), year, where
        tiers, copies = group.years.get(year, ((), 0))
        if tier not in tiers:
            tiers = tuple(sorted((*tiers, tier), key=_tier_order))
        group.years[year] = (tiers, copies + 1)

    def add_rows(self, rows: Iterable[PanelRow]) -> None:
        """A panel CSV's or database's rows: one copy per row, as `build_panel` kept them."""
        for row in rows:
            self.add(row.country, row.iso3, row.cow_code, row.report_year, row.tier, row.path)

    def countries(self) -> Iterable[tuple[_Group, dict[int, Cell]]]:
        """Each country with its cells, every year of the data (changes need them all)."""
        for group in self.groups.values():
            cells: dict[int, Cell] = {}
            previous: tuple[str | None, ...] | None = None
            for year in sorted(group.years):
                tiers, _ = group.years[year]
                cells[year] = _cell(tiers, previous)
                previous = tiers
            yield group, cells

    def several(self) -> tuple[int, int]:
        """Country-years whose copies disagree on the tier, and more with copies that agree."""
        disagree = agree = 0
        for group in self.groups.values():
            for tiers, copies in group.years.values():
                if len(tiers) > 1:
                    disagree += 1
                elif copies > 1:
                    agree += 1
        return disagree, agree


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
    pattern: str = "*.txt,*.html,*.htm,*.pdf"  # as batch.inputs.DEFAULT_GLOB
    encoding: str | None = None
    year: int | None = None  # --year: the report year of copies that print none


def run(
    inputs: Sequence[str],
    request: GridRequest,
    *,
    warn: Callable[[str], None],
    failed: Callable[[str], None],
) -> None:
    """Read the inputs, build the grid, write what was asked for."""
    span = parse_years(request.years)
    targets = [known_target(query, where=" in --country") for query in request.countries]
    outputs = (("-o", request.output), ("--svg", request.svg), ("--html", request.html))
    for _, path in outputs:
        if path is not None:
            check_output(path)
    tally = Tally()
    no_year: dict[str, None] = {}
    rows, entries = panel_source(
        inputs,
        pattern=request.pattern,
        encoding=request.encoding,
        failed=failed,
        outputs=outputs,
        year=request.year,
    )
    if rows is not None:
        tally.add_rows(rows)
    else:
        for name, year, entry in placed(_noting_no_year(entries, no_year), warn):
            tally.add(name, entry.iso3, entry.cow_code, year, entry.tier, entry.path)
        _warn_about_copies(tally, warn)
    grid = build(tally, targets=targets, years=span, sort=request.sort, warn=warn)
    if not grid.countries:
        raise NothingToShowError(None, f"nothing to show: {_why_empty(tally, no_year)}")
    if request.svg is not None or request.html is not None:
        _write_figure(grid, svg=request.svg, html=request.html)
        if request.to is None and request.output is None:
            return
    if request.to == "csv":
        with open_output(request.output) as out:
            write_csv(grid, out)
        return
    color = screen.use_color(request.output, forbidden=request.no_color)
    screen.show(layout(grid, screen.layout_width(request.output, color)), request.output, color)


def _write_figure(grid: Grid, *, svg: str | None, html: str | None) -> None:
    """The grid as a figure (`--svg`) and a page (`--html`), each written atomically."""
    from . import figure

    picture = figure.build(grid)
    if svg is not None:
        with atomic_output(svg) as handle:
            handle.write(figure.to_svg(picture))
    if html is not None:
        with atomic_output(html) as handle:
            handle.write(figure.to_html(picture, grid))


def _noting_no_year(
    entries: Iterable[PanelEntry], no_year: dict[str, None]
) -> Iterator[PanelEntry]:
    """The entries, passed on; the paths of those without a report year noted on the way."""
    for entry in entries:
        if entry.report_year is None:
            no_year[entry.path or "<stdin>"] = None
        yield entry


def _why_empty(tally: Tally, no_year: dict[str, None]) -> str:
    """Why a grid has no row, in words that say what to change."""
    if tally.groups:
        return "no country-year in the countries and years asked for"
    if not no_year:
        return "no input holds a country narrative"
    return f"no narrative has a report year ({no_year_files(no_year)})"


def parse_years(text: str | None) -> tuple[int | None, int | None] | None:
    """--years: `2015`, `2010-2020`, or open-ended `2010-` / `-2015`."""
    if text is None:
        return None
    first, dash, last = text.strip().partition("-")
    if not dash:
        last = first
    start = int(first) if first.isdigit() else None
    end = int(last) if last.isdigit() else None
    if (start is None and end is None) or (first and start is None) or (last and end is None):
        raise UsageError(None, f"--years {text!r}: give YEAR or FIRST-LAST, e.g. 2010-2020")
    if start is not None and end is not None and start > end:
        raise UsageError(
            None, f"--years {text!r}: the range runs backwards; give FIRST-LAST, e.g. {end}-{start}"
        )
    return start, end


def _warn_about_copies(tally: Tally, warn: Callable[[str], None]) -> None:
    disagree, agree = tally.several()
    if disagree or agree:
        warn(
            f"country-years with more than one copy: {disagree} where copies disagree on the "
            f"tier (a|b), {agree} where they agree on the tier; 'tipconv convert --to panel' "
            "names their files"
        )


def build(
    source: Tally | Iterable[PanelRow],
    *,
    targets: Sequence[Target] = (),
    years: tuple[int | None, int | None] | None = None,
    sort: str = "name",
    warn: Callable[[str], None] = lambda message: None,
) -> Grid:
    """The grid of a tally (or of panel rows): filtered by country and year, sorted."""
    if isinstance(source, Tally):
        tally = source
    else:
        tally = Tally()
        tally.add_rows(source)
    countries: list[Country] = []
    present = [group.label for group in tally.groups.values()]
    for group, cells in tally.countries():
        if targets and not any(t.matches(group.iso3, group.label) for t in targets):
            continue
        shown = {y: c for y, c in cells.items() if years is None or _within(y, years)}
        if shown:
            countries.append(Country(group.label, group.iso3, group.cow_code, shown))
    for wanted in targets:
        if any(wanted.matches(c.iso3, c.label) for c in countries):
            continue
        if wanted.iso3 is None and not any(wanted.matches(None, name) for name in present):
            raise unknown(wanted.query, dict.fromkeys(present), where=" in --country")
        warn(f"--country {wanted.query}: no narrative of {wanted.name} in the years shown")
    countries.sort(key=_SORT_KEYS[sort])
    shown_years = [year for country in countries for year in country.cells]
    span = range(min(shown_years), max(shown_years) + 1) if shown_years else range(0)
    return Grid(tuple(span), tuple(countries))


def _within(year: int, span: tuple[int | None, int | None]) -> bool:
    first, last = span
    return (first is None or year >= first) and (last is None or year <= last)


def _cell(tiers: tuple[str | None, ...], previous: tuple[str | None, ...] | None) -> Cell:
    """A country-year's cell; `previous` is the year before present in the data, as the
    panel compares (`new` in the first, nothing after a conflict)."""
    if len(tiers) > 1:
        text = "|".join(TIER_TEXT[tier] if tier else NO_TIER for tier in tiers)
        return Cell(text, "conflict", tiers)
    (tier,) = tiers
    before = previous[0] if previous is not None and len(previous) == 1 else None
    change = "new" if previous is None else change_between(before, Tier(tier) if tier else None)
    if tier is None:
        return Cell(NO_TIER, "none", tiers, change)
    return Cell(
        TIER_TEXT[tier] + MARKS.get(change or "", ""), screen.tier_style(tier), tiers, change
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
    """The wide panel (`convert --to panel --wide`) of the countries and years the grid shows:
    a year's tiers joined by `|` when copies disagree, empty when none was found."""
    from ..writers._csv import csv_cell

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["country", "iso3", "cow_code", *(f"y{year}" for year in grid.years)])
    order = sorted(grid.countries, key=lambda c: (c.label.casefold(), group_key(c.iso3, c.label)))
    for country in order:
        cells = [country.cells.get(year) for year in grid.years]
        tiers = ["|".join(t for t in cell.tiers if t) if cell else "" for cell in cells]
        writer.writerow(
            [csv_cell(value) for value in (country.label, country.iso3, country.cow_code, *tiers)]
        )
