"""Where a view's rows come from: narratives, a panel CSV, or a tipconv SQLite database.

    narratives   what `convert` takes: files, folders (--glob), quoted patterns, - (a list)
    panel CSV    `tipconv convert --to panel` (the long table; its header says so)
    database     `tipconv convert --to sqlite` (its `panel` view; the file's magic says so)

All three give the same `PanelRow`s for the same narratives, because the panel CSV and the
database were made by `build_panel`, and narratives go through it here. Narratives are
parsed one at a time and only a `PanelEntry` of each section is kept, so memory grows with
the number of country-years, never with the text.
"""

from __future__ import annotations

import codecs
import csv
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from ..errors import InputError, UsageError
from ..writers._panel import (
    PANEL_COLUMNS,
    PanelEntry,
    PanelRow,
    build_panel,
    report_entries,
)

if TYPE_CHECKING:
    from ..batch.inputs import Item
    from ..model import Report

Kind = Literal["narratives", "panel", "database"]
# A view's outputs as (option, path), e.g. ("-o", "grid.txt"): none may be an input.
Outputs = Sequence[tuple[str, str | None]]

SQLITE_MAGIC = b"SQLite format 3\x00"
PANEL_HEADER = tuple(column.name for column in PANEL_COLUMNS)


def narrative_items(inputs: Sequence[str], pattern: str, outputs: Outputs = ()) -> Iterator[Item]:
    """The files INPUTs name, expanded exactly as `convert` expands them (the one place that
    knows where that expansion lives). No file at all is a UsageError, as for `convert`,
    and so is an output that is one of the inputs."""
    from ..batch.inputs import Inputs

    source = Inputs(inputs, pattern=pattern)
    for flag, path in outputs:
        named = source.names(path) if path is not None else None
        if named is not None:
            raise UsageError(None, f"{flag} {path} is the input {named}: it would be overwritten")
    head, rest, _ = source.begin()
    yield from head
    yield from rest


def check_encoding(encoding: str | None) -> None:
    """An unknown --encoding is a usage error before anything is read, as in `convert`."""
    name = (encoding or "").strip().lower()
    if name and name != "auto":
        try:
            codecs.lookup(name)
        except LookupError:
            raise UsageError(None, f"unknown encoding {encoding!r}") from None


def read_reports(
    inputs: Sequence[str],
    *,
    pattern: str,
    encoding: str | None,
    failed: Callable[[str], None],
    outputs: Outputs = (),
    year: int | None = None,
) -> Iterator[Report]:
    """Parse each narrative in turn; one that cannot be read is reported and skipped.

    Raises UsageError when the INPUTs name no file at all (nothing to do is a typo), or
    when one of `outputs` is an input.
    """
    from ..reading import parse_file

    check_encoding(encoding)
    for item in narrative_items(inputs, pattern, outputs):
        if item.problem is not None:
            failed(f"{item.path}: {item.problem.message}")
            continue
        try:
            report = parse_file(item.path, encoding=encoding, year=year)
        except InputError as exc:
            failed(str(exc))
            continue
        if report.has_internal_error():
            message = next(d.message for d in report.diagnostics if d.code == "internal_error")
            failed(f"{item.path}: {message}")
            continue
        yield report


def source_kind(inputs: Sequence[str]) -> Kind:
    """Narratives, unless an INPUT is a panel CSV or a database, which must then be alone."""
    kinds = {spec: _file_kind(spec) for spec in inputs}
    tables = [spec for spec, kind in kinds.items() if kind != "narratives"]
    if not tables:
        return "narratives"
    if len(inputs) > 1:
        raise UsageError(
            None,
            f"{tables[0]} is a {_NOUNS[kinds[tables[0]]]}: give it as the only INPUT "
            "(a panel CSV or database is read alone, narratives as many as you like)",
        )
    return kinds[tables[0]]


_NOUNS = {"panel": "panel CSV", "database": "tipconv database", "narratives": "narrative"}


def _file_kind(spec: str) -> Kind:
    """A panel CSV by its suffix or header, a database by SQLite's magic bytes."""
    if spec == "-" or not os.path.isfile(spec):
        return "narratives"
    try:
        with open(spec, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return "narratives"  # the narrative reader reports it, as `convert` would
    if head.startswith(SQLITE_MAGIC):
        return "database"
    first = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8-sig", "replace")
    if tuple(first.split(",")) == PANEL_HEADER:
        return "panel"
    if spec.lower().endswith(".csv"):
        what = "a wide panel" if first.startswith("country,iso3,cow_code,y") else "not a panel"
        raise InputError(
            spec,
            f"{what}: a view reads the long panel CSV of 'tipconv convert --to panel' "
            f"(header {','.join(PANEL_HEADER[:4])},...)",
        )
    return "narratives"


def panel_rows(
    inputs: Sequence[str],
    *,
    pattern: str,
    encoding: str | None,
    failed: Callable[[str], None],
    warn: Callable[[str], None],
    outputs: Outputs = (),
    year: int | None = None,
) -> list[PanelRow]:
    """The panel of whatever the INPUTs are: one canonical label per country, all three."""
    rows, entries = panel_source(
        inputs, pattern=pattern, encoding=encoding, failed=failed, outputs=outputs, year=year
    )
    if rows is not None:
        return rows
    years: dict[int, int] = {}
    return build_panel((_slim(entry, years) for entry in entries), warn)


def panel_source(
    inputs: Sequence[str],
    *,
    pattern: str,
    encoding: str | None,
    failed: Callable[[str], None],
    outputs: Outputs = (),
    year: int | None = None,
) -> tuple[list[PanelRow] | None, Iterator[PanelEntry]]:
    """A panel CSV's or database's rows; or else, streamed, the narratives' entries, for a
    view that keeps less of them than the panel does (see `placed`). `year` (--year) is
    for narratives: a panel's rows have their years, so it is a usage error there."""
    kind = source_kind(inputs)
    if kind != "narratives":
        if year is not None:
            raise UsageError(
                None,
                f"--year supplies the year of narratives that print none; {inputs[0]} is a "
                f"{_NOUNS[kind]}, whose rows have their years",
            )
        _refuse_overwriting(inputs[0], outputs)
        rows = read_database(inputs[0]) if kind == "database" else read_panel_csv(inputs[0])
        return rows, iter(())
    reports = read_reports(
        inputs, pattern=pattern, encoding=encoding, failed=failed, outputs=outputs, year=year
    )
    return None, (entry for report in reports for entry in report_entries(report))


def no_year_files(paths: Iterable[str | None]) -> str:
    """The files that print no report year, in words: why a view had nothing to show."""
    named = sorted({path or "<stdin>" for path in paths})
    if len(named) == 1:
        return f"1 file prints none: {named[0]}; --year YEAR supplies it"
    return f"{len(named)} files print none, e.g. {named[0]}; --year YEAR supplies it"


def _refuse_overwriting(source: str, outputs: Outputs) -> None:
    for flag, path in outputs:
        if path is not None and os.path.exists(path) and os.path.samefile(source, path):
            raise UsageError(None, f"{flag} {path} is the input {source}: it would be overwritten")


def _slim(entry: PanelEntry, years: dict[int, int]) -> PanelEntry:
    """An entry holding no more than it must: thousands wait in memory for `build_panel`.

    Names, tier words and years repeat across narratives, so one copy of each serves them
    all; the subject only names a section that has no country.
    """
    year = entry.report_year
    if year is not None:
        year = years.setdefault(year, year)
    return replace(
        entry,
        country=_shared(entry.country),
        country_printed=_shared(entry.country_printed),
        tier_printed=_shared(entry.tier_printed),
        subject=entry.subject if entry.country is None else None,
        report_year=year,
    )


def _shared(text: str | None) -> str | None:
    return sys.intern(text) if text is not None else None


def read_panel_csv(path: str) -> list[PanelRow]:
    """The rows of a long panel CSV, typed as `build_panel` made them."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or tuple(header) != PANEL_HEADER:
                raise InputError(path, "not a long panel CSV (its header changed)")
            rows: list[PanelRow] = []
            for values in reader:
                if not values:
                    continue
                try:
                    rows.append(_row(values))
                except (TypeError, ValueError) as exc:
                    message = f"a malformed panel row: {exc}"
                    raise InputError(path, message, line=reader.line_num) from None
            return rows
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(path, f"not a CSV file ({exc})") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None


def read_database(path: str) -> list[PanelRow]:
    """The rows of a tipconv database's `panel` view (the panel CSV's rows and order)."""
    import sqlite3
    from pathlib import Path

    names = ", ".join(PANEL_HEADER)
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'panel'"
            ).fetchone()
            if found is None:
                raise InputError(path, "an SQLite database that tipconv did not write (no panel)")
            return [_row(values) for values in connection.execute(f"SELECT {names} FROM panel")]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise InputError(path, f"SQLite: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise InputError(path, f"a malformed panel row: {exc}") from None


def _row(values: Sequence[Any]) -> PanelRow:
    """A PanelRow from CSV text or SQLite values, each typed by its panel column."""
    if len(values) != len(PANEL_COLUMNS):
        raise ValueError(f"{len(values)} values for {len(PANEL_COLUMNS)} columns")
    typed = {
        column.name: _typed(column.type, value)
        for column, value in zip(PANEL_COLUMNS, values, strict=True)
    }
    if typed["country"] is None or typed["report_year"] is None:
        raise ValueError("a row without country or report_year")
    return PanelRow(**typed)


def _typed(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return True if value in ("true", 1, True) else None
    return str(value)
