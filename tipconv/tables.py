"""The library's tables: the rows the CSV and panel writers write, as dicts or a DataFrame.

    >>> import tipconv
    >>> report = tipconv.parse_file("fixtures/refworld-2003-hong-kong.txt")
    >>> tipconv.rows(report)[0]["tier"]
    '1'
    >>> [row["report_year"] for row in tipconv.panel("fixtures/archive")][:2]
    [2015, 2016]

`rows` is `--to csv` (`shape` is `--csv-shape`) and `panel` is `--to panel`, made by the
writers' own row functions (`section_rows`, `paragraph_rows`, `build_panel`), so a row here
and a line of their CSV never disagree; the values are typed (int, float, bool, None for an
empty cell) and never cut to Excel's cell limit. `dataframe` puts either into a pandas
DataFrame, with nullable dtypes, where pandas is installed: tipconv does not depend on it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import TipconvWarning
from .model import Report
from .writers._csv import PARAGRAPH_COLUMNS, SECTION_COLUMNS, paragraph_rows, section_rows
from .writers._panel import PANEL_COLUMNS

if TYPE_CHECKING:
    import pandas

Row = dict[str, Any]
PathLike = str | os.PathLike[str]
SHAPES = ("sections", "paragraphs", "panel")

# Each table's columns and their pandas dtypes (nullable, so an empty cell stays missing).
_PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}
_INTEGERS = {"report_year", "cow_code", "heading_line", "paragraph_count", "word_count", "line"}
_INTEGERS |= {"paragraph_index"}
_FLOATS = {"tier_ordinal"}
_BOOLEANS = {"item"}


def rows(report: Report | Iterable[Report], *, shape: str = "sections") -> list[Row]:
    """The CSV writer's rows of `report` (or of several, in order) as dicts.

    `shape` is "sections" (a row per country section) or "paragraphs" (a row per
    paragraph), as `--csv-shape`; the keys are the CSV's columns, in its order.
    """
    function = {"sections": section_rows, "paragraphs": paragraph_rows}.get(shape)
    if function is None:
        raise ValueError(f"unknown shape {shape!r}; valid shapes: sections, paragraphs")
    reports = [report] if isinstance(report, Report) else report
    return [row for one in reports for row in function(one.to_dict())]


def panel(
    paths: PathLike | Iterable[PathLike],
    *,
    pattern: str = "*.txt",
    encoding: str | None = None,
    year: int | None = None,
) -> list[Row]:
    """The panel rows (`tipconv convert --to panel`) of the narratives `paths` name.

    `paths` are what `convert` takes: files, folders (searched recursively for `pattern`)
    and glob patterns (`"archive/**/*.txt"`); or a single panel CSV or tipconv database.
    An input that cannot be read is skipped, and the panel's warnings (copies that
    disagree, files without a report year) are given, as `TipconvWarning`s; raises
    `TipconvError` when no path names a file. `year` is the report year of narratives that
    print none (`--year`).
    """
    return _panel(paths, pattern=pattern, encoding=encoding, year=year, stacklevel=2)


def _panel(
    paths: PathLike | Iterable[PathLike],
    *,
    pattern: str,
    encoding: str | None,
    year: int | None,
    stacklevel: int,
) -> list[Row]:
    """`panel`, its warnings attributed `stacklevel` frames up (the user's line)."""
    from .views.sources import panel_rows

    if isinstance(paths, str | os.PathLike):
        inputs = [os.fspath(paths)]
    else:
        inputs = [os.fspath(path) for path in paths]
    names = [column.name for column in PANEL_COLUMNS]
    said: list[str] = []
    found = panel_rows(
        inputs,
        pattern=pattern,
        encoding=encoding,
        failed=said.append,
        warn=said.append,
        year=year,
    )
    _warn(said, stacklevel + 1)
    return [dict(zip(names, row.values(), strict=True)) for row in found]


def dataframe(
    source: Report | Iterable[Report] | PathLike | Iterable[PathLike],
    *,
    shape: str | None = None,
    pattern: str = "*.txt",
    encoding: str | None = None,
    year: int | None = None,
) -> pandas.DataFrame:
    """A pandas DataFrame of `rows` (for reports) or of `panel` (for paths), in one call.

    `shape` is "sections" (the default for reports), "paragraphs", or "panel" (the default
    for paths; paths with another shape are parsed and give that CSV's rows). Columns keep
    the CSV's order and have nullable dtypes (`Int64`, `Float64`, `boolean`, `string`), so
    a missing value is `<NA>`, never 0 or "". `year` is as for `panel`. Needs pandas
    (`pip install pandas`).
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "tipconv.dataframe needs pandas, which tipconv does not install: "
            "pip install pandas (tipconv.rows and tipconv.panel give the same rows as dicts)"
        ) from exc
    reports, paths = _split(source)
    chosen = shape or ("sections" if reports is not None else "panel")
    if chosen not in SHAPES:
        raise ValueError(f"unknown shape {chosen!r}; valid shapes: {', '.join(SHAPES)}")
    if chosen == "panel":
        if reports is not None:
            raise ValueError("shape 'panel' takes paths, as tipconv convert does")
        table = _panel(paths, pattern=pattern, encoding=encoding, year=year, stacklevel=2)
    else:
        if reports is None:
            reports = _parsed(paths, pattern=pattern, encoding=encoding, year=year)
        table = rows(reports, shape=chosen)
    columns = _columns(chosen)
    frame = pd.DataFrame(table, columns=list(columns))
    return frame.astype(columns)


def _columns(shape: str) -> dict[str, str]:
    """A table's columns, in order, with their pandas dtypes."""
    if shape == "panel":
        return {column.name: _PANDAS_TYPES[column.type] for column in PANEL_COLUMNS}
    names = SECTION_COLUMNS if shape == "sections" else PARAGRAPH_COLUMNS
    return {name: _dtype(name) for name in names}


def _dtype(name: str) -> str:
    if name in _INTEGERS:
        return "Int64"
    if name in _FLOATS:
        return "Float64"
    if name in _BOOLEANS:
        return "boolean"
    return "string"


def _split(source: object) -> tuple[list[Report] | None, list[str]]:
    """`source` as reports (and no paths), or as paths (and None)."""
    if isinstance(source, Report):
        return [source], []
    if isinstance(source, str | os.PathLike):
        return None, [os.fspath(source)]
    if not isinstance(source, Iterable):
        raise TypeError(f"expected a Report, reports, or paths, not {type(source).__name__}")
    items = list(source)
    if all(isinstance(item, Report) for item in items):
        return items, []
    return None, [os.fspath(item) for item in items]


def _parsed(
    paths: list[str], *, pattern: str, encoding: str | None, year: int | None
) -> list[Report]:
    """Each narrative the paths name, parsed; one that cannot be read is skipped."""
    from .views.sources import read_reports

    said: list[str] = []
    found = read_reports(paths, pattern=pattern, encoding=encoding, failed=said.append, year=year)
    reports = list(found)
    _warn(said, 4)
    return reports


def _warn(messages: list[str], stacklevel: int) -> None:
    """Each message as a TipconvWarning, attributed to the caller's line (`stacklevel`)."""
    for message in messages:
        warnings.warn(message, TipconvWarning, stacklevel=stacklevel + 1)
