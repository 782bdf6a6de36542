"""Panel: a country x year table of tier placements across many reports (CSV).

    tipconv convert archive/ --to panel -o panel.csv [--wide] [--datapackage]

One row per country-year (long), or with `--wide` one row per country and one column per
year (`y2015`, `y2016`, ... holding the tier). Columns of the long table, in order:

    country, country_printed, iso3, cow_code, report_year, tier, tier_label, tier_printed,
    tier_ordinal, tier_stated, previous_tier, change, conflict, path, sha256

Rules (shared with the SQLite `panel` view through `build_panel`):

- A country is grouped by ISO3 when known, else by its upper-cased name, so `Cote d'Ivoire`
  (2015) and `CÔTE D'IVOIRE` (2017) are one country, and each country has ONE label in
  `country` across all its years: the crosswalk's canonical name (`Côte d'Ivoire`), or for a
  name the crosswalk does not know the name its latest narrative printed. `country_printed`
  is the name as printed that year. Rows sort by `country`, then year, then path.
- `tier_label` and `tier_ordinal` are the canonical words and Kelley & Simmons ordinal for
  `tier` (1, 2, 2.5 for Watch List, 3); `tier_printed` is the heading's spelling (`Tier II`).
- `previous_tier` is the country's tier in the previous report year present in the data (a
  missing year is skipped over, not filled). `change` compares ordinals: `up` (a better,
  lower tier), `down`, `same`; `new` in the country's first year in the data; empty when
  unknown: this or the previous tier is missing or a special case, or the previous year is
  a conflict (then `previous_tier` is empty too).
- Duplicates of one country-year are resolved per tier, keeping the copy with the smallest
  path so the result never depends on input order:
  - same sha256 (one narrative downloaded twice): one row, silently;
  - different text but the same tier (e.g. copies from two hosts): one row, and a warning
    naming both paths, since the texts may differ in more than the tier;
  - different tiers (including one copy with no tier): one row per tier, all flagged
    `conflict` = true, and a warning naming every path.
- A section without a tier still gives a row (tier empty), so a gap is visible; a report
  without a report year gives none, with one warning per file.

Only a few fields per section are kept while reading (`PanelEntry`), never whole reports,
so memory grows with the number of country-years, not with the text.

With `--datapackage` a Frictionless Data Package (Table Schema v1) that describes the CSV is
written atomically beside the `-o` file and named after it (`panel.csv` ->
`panel.datapackage.json`), so two panels in one folder keep a descriptor each.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, TextIO

from ..model import Tier
from ._csv import csv_cell
from .base import Writer

if TYPE_CHECKING:
    from ..model import Report
    from .base import WriterOptions

CHANGES = ("up", "down", "same", "new")
_TIERS = [tier.value for tier in Tier]


@dataclass(frozen=True, slots=True)
class Column:
    """A panel column as the CSV header, the Table Schema and the SQLite table see it."""

    name: str
    type: str  # Table Schema type: string, integer, number, boolean
    description: str
    enum: tuple[str, ...] = ()


PANEL_COLUMNS: tuple[Column, ...] = (
    Column(
        "country",
        "string",
        "Country or territory: the crosswalk's canonical name, one label per country",
    ),
    Column("country_printed", "string", "The country's name as printed that year"),
    Column("iso3", "string", "ISO 3166-1 alpha-3 code (XKX for Kosovo); empty when unknown"),
    Column("cow_code", "integer", "Correlates of War country code; empty when unknown"),
    Column("report_year", "integer", "Year of the TIP Report, from its title or date"),
    Column("tier", "string", "Tier placement; empty when not reported", tuple(_TIERS)),
    Column("tier_label", "string", "Canonical words for tier, e.g. Tier 2 Watch List"),
    Column("tier_printed", "string", "The tier words as printed in the heading, e.g. TIER II"),
    Column(
        "tier_ordinal",
        "number",
        "Kelley & Simmons ordinal: 1, 2, 2.5 (Watch List), 3; empty for special cases",
    ),
    Column(
        "tier_stated",
        "string",
        "Tier named in a placement sentence of the text, e.g. 'remained on Tier 2'",
        tuple(_TIERS),
    ),
    Column(
        "previous_tier",
        "string",
        "The country's tier in the previous report year present in the data",
        tuple(_TIERS),
    ),
    Column(
        "change",
        "string",
        "up (better, lower tier), down, same, or new (first year in the data); empty when unknown",
        CHANGES,
    ),
    Column(
        "conflict",
        "boolean",
        "true when copies of this country-year disagree on the tier; empty otherwise",
    ),
    Column("path", "string", "Source file of the narrative"),
    Column("sha256", "string", "Content hash of the source without provenance lines"),
)
PANEL_KEY: tuple[str, ...] = ("country", "report_year", "sha256")
WIDE_KEY: tuple[str, ...] = ("country",)


@dataclass(frozen=True, slots=True)
class PanelEntry:
    """The few fields of one section that the panel needs."""

    country: str | None
    country_printed: str | None
    subject: str | None
    iso3: str | None
    cow_code: int | None
    report_year: int | None
    tier: str | None
    tier_printed: str | None
    tier_stated: str | None
    path: str | None
    sha256: str


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One country-year row; field order is `PANEL_COLUMNS`."""

    country: str
    country_printed: str | None
    iso3: str | None
    cow_code: int | None
    report_year: int
    tier: str | None
    tier_label: str | None
    tier_printed: str | None
    tier_ordinal: float | None
    tier_stated: str | None
    previous_tier: str | None
    change: str | None
    conflict: bool | None  # True or None, so it reads `true` or empty in CSV and SQL alike
    path: str | None
    sha256: str

    def values(self) -> tuple[Any, ...]:
        return astuple(self)


def report_entries(report: Report) -> Iterator[PanelEntry]:
    """One entry per section of `report`."""
    metadata = report.metadata
    for section in report.sections:
        yield PanelEntry(
            country=section.country,
            country_printed=section.country_printed,
            subject=metadata.subject,
            iso3=section.iso3,
            cow_code=section.cow_code,
            report_year=metadata.report_year,
            tier=section.tier.value if section.tier else None,
            tier_printed=section.tier_printed,
            tier_stated=section.tier_stated.tier.value if section.tier_stated else None,
            path=report.source.path,
            sha256=report.source.sha256,
        )


def placed(
    entries: Iterable[PanelEntry], warn: Callable[[str], None]
) -> Iterator[tuple[str, int, PanelEntry]]:
    """(country name, report year, entry) for each entry the panel can place; the others are
    left out with a warning: a section naming no country at once, files without a report year
    once each at the end."""
    no_year: dict[str, None] = {}
    for entry in entries:
        name = entry.country or entry.subject
        if entry.report_year is None:
            no_year[_shown(entry.path)] = None
        elif not name:
            warn(f"{_shown(entry.path)}: a section names no country; left out of the panel")
        else:
            yield name, entry.report_year, entry
    for path in no_year:
        warn(
            f"{path}: no report year in the title or publication date; left out of the panel "
            "(--year YEAR supplies it)"
        )


def build_panel(entries: Iterable[PanelEntry], warn: Callable[[str], None]) -> list[PanelRow]:
    """The long panel rows, sorted; the one place the module docstring's rules live."""
    cells: dict[str, dict[int, list[PanelEntry]]] = defaultdict(lambda: defaultdict(list))
    for name, year, entry in placed(entries, warn):
        cells[group_key(entry.iso3, name)][year].append(entry)

    def label(group: str) -> str:
        """One name per country: its latest narrative's (smallest path first)."""
        latest = cells[group][max(cells[group])]
        return _name(min(latest, key=_path_order))

    labels = {group: label(group) for group in cells}
    rows: list[PanelRow] = []
    for group in sorted(cells, key=lambda group: (labels[group].casefold(), group)):
        previous: list[PanelEntry] | None = None
        for _, copies in sorted(cells[group].items()):
            kept = _resolve(copies, warn)
            for entry in kept:
                rows.append(_row(entry, labels[group], previous, conflict=len(kept) > 1 or None))
            previous = kept
    return rows


def _resolve(copies: list[PanelEntry], warn: Callable[[str], None]) -> list[PanelEntry]:
    """One entry per distinct tier of a country-year, the smallest path first."""
    by_tier: dict[str | None, PanelEntry] = {}
    for entry in sorted(copies, key=_path_order):
        kept = by_tier.setdefault(entry.tier, entry)
        if kept is not entry and kept.sha256 != entry.sha256:
            warn(
                f"{_name(kept)} {kept.report_year}: {_shown(kept.path)} and "
                f"{_shown(entry.path)} differ in text but agree on the tier; "
                f"the panel keeps {_shown(kept.path)}"
            )
    kept_entries = list(by_tier.values())
    if len(kept_entries) > 1:
        placed = "; ".join(f"{_shown(e.path)} says {e.tier or 'no tier'}" for e in kept_entries)
        first = kept_entries[0]
        warn(
            f"{_name(first)} {first.report_year}: copies disagree on the tier ({placed}); "
            "each kept, flagged conflict"
        )
    return kept_entries


def _row(
    entry: PanelEntry, label: str, previous: list[PanelEntry] | None, *, conflict: bool | None
) -> PanelRow:
    """A row for `entry` under the country's `label`; `previous` holds the kept copies of the
    country's previous year."""
    assert entry.report_year is not None
    tier = Tier(entry.tier) if entry.tier else None
    previous_tier = previous[0].tier if previous and len(previous) == 1 else None
    return PanelRow(
        country=label,
        country_printed=entry.country_printed,
        iso3=entry.iso3,
        cow_code=entry.cow_code,
        report_year=entry.report_year,
        tier=tier.value if tier else None,
        tier_label=tier.label if tier else None,
        tier_printed=entry.tier_printed,
        tier_ordinal=tier.ordinal if tier else None,
        tier_stated=entry.tier_stated,
        previous_tier=previous_tier,
        change="new" if previous is None else change_between(previous_tier, tier),
        conflict=conflict,
        path=entry.path,
        sha256=entry.sha256,
    )


def change_between(previous: str | None, current: Tier | None) -> str | None:
    """up (a better, lower tier), down or same; None when either tier has no ordinal."""
    before = Tier(previous).ordinal if previous else None
    after = current.ordinal if current else None
    if before is None or after is None:
        return None
    return "up" if after < before else "down" if after > before else "same"


def _path_order(entry: PanelEntry) -> str:
    return entry.path or ""


def _name(entry: PanelEntry) -> str:
    return entry.country or entry.subject or ""


def _shown(path: str | None) -> str:
    return path if path is not None else "<stdin>"


def wide_table(rows: list[PanelRow]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """One row per country and a `y<year>` column for every year from first to last.

    A year with conflicting copies holds their tiers joined by `|` (e.g. `2|2WL`); a year
    that is absent, or present without a tier, is empty. A country is listed under the name
    it has in the long table.
    """
    if not rows:
        return ["country", "iso3", "cow_code"], []
    years = range(min(r.report_year for r in rows), max(r.report_year for r in rows) + 1)
    header = ["country", "iso3", "cow_code", *(f"y{year}" for year in years)]
    table: list[tuple[Any, ...]] = []
    for _, group in groupby(rows, key=lambda row: group_key(row.iso3, row.country)):
        country = list(group)
        tiers: dict[int, list[str]] = defaultdict(list)
        for row in country:
            if row.tier:
                tiers[row.report_year].append(row.tier)
        cells = ["|".join(sorted(tiers.get(year, ()), key=_TIERS.index)) for year in years]
        table.append((country[0].country, country[0].iso3, country[0].cow_code, *cells))
    return header, table


def group_key(iso3: str | None, name: str) -> str:
    """Which rows are one country: ISO3 when known, else the name, upper-cased."""
    return iso3 or " ".join(name.split()).upper()


def wide_columns(header: list[str]) -> tuple[Column, ...]:
    by_name = {column.name: column for column in PANEL_COLUMNS}
    year_columns = tuple(
        Column(name, "string", f"Tier in the {name[1:]} report; a|b when copies conflict")
        for name in header[3:]
    )
    return (by_name["country"], by_name["iso3"], by_name["cow_code"], *year_columns)


class PanelWriter(Writer):
    """Aggregates every report before a row is written: it renders no single report."""

    name = "panel"
    suffix = ".csv"
    description = "Country x year tier panel as CSV (--wide, --datapackage)"
    options_used = frozenset({"wide", "datapackage", "bom"})

    def write(self, reports: Iterable[Report], out: TextIO, options: WriterOptions) -> None:
        rows = build_panel(
            (entry for report in reports for entry in report_entries(report)), options.warn
        )
        if options.wide:
            header, table = wide_table(rows)
            columns, key = wide_columns(header), WIDE_KEY
        else:
            header, table = [c.name for c in PANEL_COLUMNS], [r.values() for r in rows]
            columns, key = PANEL_COLUMNS, PANEL_KEY
        if options.bom:
            out.write("\ufeff")
        # CRLF as RFC 4180, the plain csv writer and the Table Schema default dialect have it.
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([csv_cell(value) for value in values] for values in table)
        if options.datapackage:
            if options.output_path is None:
                options.warn("--datapackage needs -o FILE; no data package written")
            else:
                write_datapackage(options.output_path, columns, key, bom=options.bom)


def datapackage(csv_path: str, columns: Iterable[Column], key: Iterable[str], *, bom: bool) -> Any:
    """A Frictionless Data Package (v1) describing the CSV at `csv_path`."""
    filename = os.path.basename(csv_path)
    stem = re.sub(r"[^a-z0-9._-]+", "-", filename.rsplit(".", 1)[0].lower()).strip("-")
    fields = []
    for column in columns:
        field: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "description": column.description,
        }
        if column.type == "boolean":
            field["trueValues"] = ["true"]
        if column.enum:
            field["constraints"] = {"enum": list(column.enum)}
        fields.append(field)
    return {
        "profile": "tabular-data-package",
        "name": "tipconv-panel",
        "title": "Trafficking in Persons Report tier placements, country x year",
        "resources": [
            {
                "name": stem or "panel",
                "path": filename,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig" if bom else "utf-8",
                "schema": {
                    "fields": fields,
                    "missingValues": [""],
                    "primaryKey": list(key),
                },
            }
        ],
    }


def datapackage_path(csv_path: str) -> str:
    """Where the descriptor of the CSV at `csv_path` goes: beside it, named after it."""
    return os.path.splitext(csv_path)[0] + ".datapackage.json"


def write_datapackage(
    csv_path: str, columns: Iterable[Column], key: Iterable[str], *, bom: bool
) -> None:
    from ..output import atomic_output

    with atomic_output(datapackage_path(csv_path)) as handle:
        json.dump(datapackage(csv_path, columns, key, bom=bom), handle, indent=2)
        handle.write("\n")
