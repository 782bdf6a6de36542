"""`--year N` gives a copy that prints no report year its year, recorded as supplied (#23).

A printed year always wins; a supplied one never overwrites it and is never mixed up with
it (`metadata.report_year_source`). The warning for a copy without a year names --year.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

import tipconv

from .conftest import ROOT
from .views_support import one_error_line, run

NO_YEAR = "examples/no-year.txt"
PRINTED = "fixtures/archive/2017/burma.txt"


def test_the_example_is_the_2017_narrative_without_its_header() -> None:
    example = (ROOT / NO_YEAR).read_text(encoding="utf-8")
    assert (ROOT / PRINTED).read_text(encoding="utf-8").endswith(example)
    assert tipconv.parse_file(ROOT / NO_YEAR).metadata.report_year is None


@pytest.mark.parametrize(
    ("text", "year", "source"),
    [
        ("2010 Trafficking in Persons Report - Freedonia\n\nMOLDOVA: TIER 2\n\nText.\n", 2010,
         "title"),
        ("Publication Date 1 June 2011\n\nMOLDOVA: TIER 2\n\nText.\n", 2011,
         "publication_date"),
        ("MOLDOVA: TIER 2\n\nText.\n", None, None),
    ],
)  # fmt: skip
def test_the_source_of_a_printed_year(text: str, year: int | None, source: str | None) -> None:
    metadata = tipconv.parse(text).metadata
    assert (metadata.report_year, metadata.report_year_source) == (year, source)


def test_a_mirrors_attribution_on_the_heading_line_is_its_own_source() -> None:
    report = tipconv.parse_file(ROOT / "fixtures" / "heading-attribution-bracketed.txt")
    assert report.metadata.report_year_source == "heading"


def test_a_supplied_year_fills_a_gap_and_says_so() -> None:
    report = tipconv.parse_file(ROOT / NO_YEAR, year=2017)
    metadata = report.metadata
    assert (metadata.report_year, metadata.report_year_source) == (2017, "supplied")
    (note,) = [d for d in report.diagnostics if d.code == "report_year"]
    assert note.level.value == "info" and "2017 supplied with --year" in note.message
    assert report.to_dict()["metadata"]["report_year_source"] == "supplied"


def test_a_printed_year_always_wins() -> None:
    report = tipconv.parse_file(ROOT / PRINTED, year=2016)
    assert (report.metadata.report_year, report.metadata.report_year_source) == (2017, "title")
    (note,) = [d for d in report.diagnostics if d.code == "report_year"]
    assert note.message == "--year 2016 not used: the copy prints 2017 (from its title)"
    same = tipconv.parse_file(ROOT / PRINTED, year=2017)
    assert same == tipconv.parse_file(ROOT / PRINTED)


def test_a_text_without_a_narrative_takes_no_year() -> None:
    report = tipconv.parse_file(ROOT / "fixtures" / "not-narrative-encyclopedia.txt", year=2017)
    assert report.metadata.report_year is None and report.metadata.report_year_source is None


def test_views_without_a_year_name_the_option_and_take_it() -> None:
    missing = run("grid", NO_YEAR, "-q")
    assert missing.returncode == 3 and "--year YEAR supplies it" in one_error_line(missing)
    loud = run("grid", NO_YEAR).stderr.decode("utf-8")
    assert "left out of the panel (--year YEAR supplies it)" in loud
    shown = run("grid", NO_YEAR, "--year", "2017", "--to", "csv", "-q")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.decode("utf-8").splitlines()[1] == "Myanmar,MMR,775,2WL"
    history = run("history", "Burma", NO_YEAR, "--year", "2017", "--to", "json", "-q")
    assert [row["report_year"] for row in json.loads(history.stdout)["rows"]] == [2017]


def test_parse_and_convert_record_the_supplied_year(tmp_path: Path) -> None:
    parsed = run("parse", NO_YEAR, "--year", "2017", "--to", "csv", "-q")
    row = next(csv.DictReader(io.StringIO(parsed.stdout.decode("utf-8"))))
    assert (row["report_year"], row["report_year_source"]) == ("2017", "supplied")
    database = tmp_path / "tip.db"
    converted = run(
        "convert", NO_YEAR, PRINTED, "--year", "2016", "-o", str(database), "-q", "-j", "1"
    )
    assert converted.returncode == 0, converted.stderr
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT path, report_year, report_year_source FROM reports ORDER BY path"
        ).fetchall()
    assert rows == [(NO_YEAR, 2016, "supplied"), (PRINTED, 2017, "title")]


def test_a_database_from_before_the_column_gains_it(tmp_path: Path) -> None:
    database = tmp_path / "tip.db"
    assert run("convert", PRINTED, "-o", str(database), "-q").returncode == 0
    with sqlite3.connect(database) as connection:
        connection.execute("ALTER TABLE reports DROP COLUMN report_year_source")
    again = run("convert", NO_YEAR, "--year", "2017", "-o", str(database), "-q")
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(database) as connection:
        sources = connection.execute("SELECT report_year_source FROM reports").fetchall()
    assert sorted(sources, key=str) == [("supplied",), (None,)]


@pytest.mark.parametrize("value", ["abc", "1990"])
def test_a_bad_year_is_a_usage_error(value: str) -> None:
    result = run("parse", NO_YEAR, "--year", value)
    assert result.returncode == 2
    assert one_error_line(result).endswith("; try 'tipconv parse --help'")


def test_year_on_a_panel_csv_is_a_usage_error() -> None:
    result = run("grid", "fixtures/archive-panel.csv", "--year", "2017")
    assert result.returncode == 2
    assert "whose rows have their years" in one_error_line(result)


@pytest.mark.parametrize("command", ["parse", "convert", "grid", "history"])
def test_every_reading_command_takes_year(command: str) -> None:
    assert "--year YEAR" in run(command, "--help").stdout.decode("utf-8")


def test_the_library_tables_take_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    (row,) = tipconv.panel(NO_YEAR, year=2017)
    assert (row["report_year"], row["tier"]) == (2017, "2WL")
    with pytest.warns(tipconv.TipconvWarning, match="--year YEAR supplies it"):
        assert tipconv.panel(NO_YEAR) == []
