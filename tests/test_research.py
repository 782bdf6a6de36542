"""The research outputs: the country x year panel (CSV, wide, datapackage) and SQLite.

All run on `fixtures/archive/`, a synthetic Refworld archive of Burma, Côte d'Ivoire and
Kosovo, 2015-2019, built to hold every case the panel rules name:

    Burma          3, 3, 2WL (up), 3 (down), 3; 2019 also from a second host (other text,
                   same tier: one row, a warning)
    Côte d'Ivoire  2, 2WL (down), 2 (up), 2018 in two copies that disagree (2 and 2WL:
                   both rows, conflict), 2019 (previous unknown after the conflict); the
                   heading is printed `COTE D'IVOIRE` until 2016, `CÔTE D\u2019IVOIRE` after
    Kosovo         2, 2 (downloaded twice: same sha256, one row), no 2017, 2, 2

Goldens `fixtures/archive-panel.csv` and `fixtures/archive-panel-wide.csv` are compared
byte for byte; rewrite them with `pytest --update-goldens` (or TIPCONV_UPDATE_GOLDENS=1)
and read the diff.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tipconv
from tipconv.errors import OutputError
from tipconv.model import Report
from tipconv.output import write_reports
from tipconv.reading import parse_file
from tipconv.writers import WriterOptions, format_for_suffix, get_writer
from tipconv.writers._panel import PANEL_COLUMNS, PanelEntry, build_panel

from .conftest import FIXTURES, ROOT

ARCHIVE = FIXTURES / "archive"
LONG_GOLDEN = FIXTURES / "archive-panel.csv"
WIDE_GOLDEN = FIXTURES / "archive-panel-wide.csv"
TABLES = ("reports", "sections", "parts", "paragraphs", "diagnostics", "panel_rows", "meta")


# --- helpers -------------------------------------------------------------------------------


def archive_paths(root: Path = ARCHIVE, base: Path = ROOT) -> list[str]:
    return sorted(path.relative_to(base).as_posix() for path in root.rglob("*.txt"))


def parse_all(paths: list[str]) -> list[Report]:
    return [parse_file(path) for path in paths]


def render_panel(reports: list[Report], **choices: Any) -> tuple[str, list[str]]:
    warnings: list[str] = []
    out = io.StringIO(newline="")
    options = WriterOptions(warn=warnings.append, **choices)
    get_writer("panel", plugins=False).write(reports, out, options)
    return out.getvalue(), warnings


def write_db(reports: Any, db: Path) -> list[str]:
    warnings: list[str] = []
    options = WriterOptions(output_path=str(db), warn=warnings.append)
    write_reports(get_writer("sqlite", plugins=False), reports, str(db), options)
    return warnings


@contextlib.contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        yield connection


def counts(db: Path) -> dict[str, int]:
    with connect(db) as connection:
        # Raises if the full-text index and the paragraphs table ever drift apart.
        connection.execute("INSERT INTO paragraphs_fts (paragraphs_fts) VALUES ('integrity-check')")
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }


def check_golden(actual: str, golden: Path, update: bool) -> None:
    if update or os.environ.get("TIPCONV_UPDATE_GOLDENS") == "1":
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.exists(), f"missing golden {golden.name}: run pytest --update-goldens"
    assert actual.encode("utf-8") == golden.read_bytes()


def typed(value: str, field: dict[str, Any], missing: list[str]) -> Any:
    """A CSV cell read as its Table Schema field says, failing loudly on a bad value."""
    if value in missing:
        return None
    kind = field["type"]
    if kind == "integer":
        assert re.fullmatch(r"-?\d+", value), (field["name"], value)
        result: Any = int(value)
    elif kind == "number":
        result = float(value)
    elif kind == "boolean":
        true, false = field.get("trueValues", ["true"]), field.get("falseValues", ["false"])
        assert value in true + false, (field["name"], value)
        result = value in true
    else:
        assert kind == "string", field
        result = value
    enum = field.get("constraints", {}).get("enum")
    if enum is not None:
        assert value in enum, (field["name"], value)
    return result


def read_with_datapackage(descriptor: Path) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Check a data package against its CSV by hand (frictionless is no dependency)."""
    folder = descriptor.parent
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    (resource,) = package["resources"]
    assert resource["profile"] == "tabular-data-resource"
    assert re.fullmatch(r"[a-z0-9._/-]+", resource["name"])
    schema = resource["schema"]
    assert schema["missingValues"] == [""]
    fields = schema["fields"]
    for field in fields:
        assert set(field) >= {"name", "type", "description"}
        assert field["type"] in ("string", "integer", "number", "boolean")
    csv_path = folder / resource["path"]
    with csv_path.open(encoding=resource["encoding"], newline="") as handle:
        header, *cells = list(csv.reader(handle))
    assert header == [field["name"] for field in fields]
    rows = [
        tuple(
            typed(value, field, schema["missingValues"])
            for value, field in zip(row, fields, strict=True)
        )
        for row in cells
    ]
    assert all(len(row) == len(fields) for row in cells)
    key = [header.index(name) for name in schema["primaryKey"]]
    keys = [tuple(row[index] for index in key) for row in rows]
    assert all(value is not None for values in keys for value in values)
    assert len(set(keys)) == len(keys), "primary key is not unique"
    return package, rows


@pytest.fixture
def archive_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the archive as the working folder, so files can move and grow."""
    shutil.copytree(ARCHIVE, tmp_path / "archive")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in goldens are relative to the repository


# --- the panel CSV -------------------------------------------------------------------------


def test_panel_golden(in_root: None, update_goldens: bool) -> None:
    actual, warnings = render_panel(parse_all(archive_paths()))
    check_golden(actual, LONG_GOLDEN, update_goldens)
    assert warnings == [
        "Côte d'Ivoire 2018: copies disagree on the tier "
        "(fixtures/archive/2018/cote-divoire-ecoi.txt says 2WL; "
        "fixtures/archive/2018/cote-divoire.txt says 2); each kept, flagged conflict",
        "Myanmar 2019: fixtures/archive/2019/burma-statedotgov.txt and "
        "fixtures/archive/2019/burma.txt differ in text but agree on the tier; "
        "the panel keeps fixtures/archive/2019/burma-statedotgov.txt",
    ]


def test_panel_wide_golden(in_root: None, update_goldens: bool) -> None:
    actual, _ = render_panel(parse_all(archive_paths()), wide=True)
    check_golden(actual, WIDE_GOLDEN, update_goldens)


def test_panel_golden_cases_by_name(in_root: None) -> None:
    # The golden, read back: each case the archive was built for, spelled out.
    rows = list(csv.DictReader(io.StringIO(LONG_GOLDEN.read_text(encoding="utf-8"), newline="")))
    by = {(r["iso3"], r["report_year"], r["tier"]): r for r in rows}
    assert [r["change"] for r in rows if r["iso3"] == "MMR"] == [
        "new",
        "same",
        "up",
        "down",
        "same",
    ]
    assert by["CIV", "2018", "2"]["conflict"] == by["CIV", "2018", "2WL"]["conflict"] == "true"
    assert (by["CIV", "2018", "2WL"]["change"], by["CIV", "2018", "2"]["change"]) == (
        "down",
        "same",
    )
    assert by["CIV", "2019", "2"]["previous_tier"] == by["CIV", "2019", "2"]["change"] == ""
    assert by["CIV", "2015", "2"]["country"] == "Côte d'Ivoire"  # one label for all years
    assert by["CIV", "2015", "2"]["country_printed"] == "COTE D'IVOIRE"  # as printed that year
    labels: dict[str, set[str]] = {}
    for row in rows:
        labels.setdefault(row["iso3"] or row["country"].upper(), set()).add(row["country"])
    assert all(len(names) == 1 for names in labels.values()), labels
    assert [r["report_year"] for r in rows if r["iso3"] == "XKX"] == [
        "2015",
        "2016",
        "2018",
        "2019",
    ]
    assert (by["XKX", "2018", "2"]["previous_tier"], by["XKX", "2018", "2"]["change"]) == (
        "2",
        "same",
    )
    assert len(rows) == 15 and sum(r["conflict"] == "true" for r in rows) == 2


def test_panel_does_not_depend_on_input_order(in_root: None) -> None:
    reports = parse_all(archive_paths())
    assert render_panel(reports[::-1]) == render_panel(reports)


def entry(year: int | None, tier: str | None, path: str = "", **fields: Any) -> PanelEntry:
    values: dict[str, Any] = {
        "country": "FREEDONIA",
        "country_printed": "FREEDONIA",
        "subject": None,
        "iso3": None,
        "cow_code": None,
        "report_year": year,
        "tier": tier,
        "tier_printed": None,
        "tier_stated": None,
        "path": path or f"{year}/{tier}.txt",
        "sha256": f"{year}{tier}{path}",
    }
    values.update(fields)
    return PanelEntry(**values)


@pytest.mark.parametrize(
    ("tiers", "previous", "changes"),
    [
        (["1", "2", "2WL", "3"], ["", "1", "2", "2WL"], ["new", "down", "down", "down"]),
        (["3", "2WL", "2WL", "1"], ["", "3", "2WL", "2WL"], ["new", "up", "same", "up"]),
        # A missing tier or a special case leaves the change unknown, on either side.
        ([None, "2", "special_case", "2"], ["", "", "2", "special_case"], ["new", "", "", ""]),
    ],
)
def test_change_follows_the_ordinal(
    tiers: list[str | None], previous: list[str], changes: list[str]
) -> None:
    rows = build_panel([entry(2010 + i, tier) for i, tier in enumerate(tiers)], print)
    assert [row.previous_tier or "" for row in rows] == previous
    assert [row.change or "" for row in rows] == changes
    assert [row.tier for row in rows] == tiers  # a section without a tier still has its row


def test_panel_groups_by_iso3_else_by_upper_cased_name() -> None:
    rows = build_panel(
        [
            entry(2015, "2", country="Freedonia", country_printed="Freedonia"),
            entry(2016, "3", country="FREEDONIA", country_printed="FREEDONIA"),
            entry(2015, "1", country="Myanmar", country_printed="Burma", iso3="MMR"),
            entry(2016, "1", country="Myanmar", country_printed="MYANMAR", iso3="MMR"),
        ],
        print,
    )
    # One label per country: the canonical name, or for a name the crosswalk does not
    # know, the name its latest narrative printed; the printed names stay beside it.
    assert [(r.country, r.country_printed, r.change) for r in rows] == [
        ("FREEDONIA", "Freedonia", "new"),
        ("FREEDONIA", "FREEDONIA", "down"),
        ("Myanmar", "Burma", "new"),
        ("Myanmar", "MYANMAR", "same"),
    ]


def test_report_without_year_is_left_out_with_one_warning() -> None:
    report = tipconv.parse("Moldova (Tier 2)\n\nText.\n\nParaguay (Tier 3)\n\nText.\n")
    assert report.metadata.report_year is None and len(report.sections) == 2
    text, warnings = render_panel([report])
    assert text.count("\r\n") == 1  # the header only
    assert warnings == [
        "<stdin>: no report year in the title or publication date; left out of the panel "
        "(--year YEAR supplies it)"
    ]


def test_csv_suffix_keeps_meaning_plain_csv() -> None:
    assert format_for_suffix("out.csv") == "csv"
    assert format_for_suffix("tip.db") == "sqlite"
    assert get_writer("panel", plugins=False).suffix == ".csv"


# --- the datapackage -----------------------------------------------------------------------


def test_datapackage_describes_the_long_panel(in_root: None, tmp_path: Path) -> None:
    target = tmp_path / "tip-panel.csv"
    options = WriterOptions(datapackage=True, output_path=str(target))
    write_reports(get_writer("panel"), parse_all(archive_paths()), str(target), options)
    package, rows = read_with_datapackage(tmp_path / "tip-panel.datapackage.json")
    resource = package["resources"][0]
    assert (resource["name"], resource["path"]) == ("tip-panel", "tip-panel.csv")
    assert [f["name"] for f in resource["schema"]["fields"]] == [c.name for c in PANEL_COLUMNS]
    column = {c.name: index for index, c in enumerate(PANEL_COLUMNS)}
    assert rows[0][:5] == ("Côte d'Ivoire", "COTE D'IVOIRE", "CIV", 437, 2015)
    assert rows[1][column["tier_ordinal"]] == 2.5 and rows[0][column["conflict"]] is None
    assert sorted({row[column["conflict"]] for row in rows}, key=str) == [None, True]


def test_datapackage_describes_the_wide_panel(in_root: None, tmp_path: Path) -> None:
    target = tmp_path / "wide.csv"
    options = WriterOptions(wide=True, datapackage=True, output_path=str(target))
    write_reports(get_writer("panel"), parse_all(archive_paths()), str(target), options)
    package, rows = read_with_datapackage(tmp_path / "wide.datapackage.json")
    names = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert names == ["country", "iso3", "cow_code", "y2015", "y2016", "y2017", "y2018", "y2019"]
    assert rows[1] == ("Kosovo", "XKX", 347, "2", "2", None, "2", "2")


def test_datapackage_on_stdout_warns_and_writes_nothing(in_root: None) -> None:
    _, warnings = render_panel(parse_all(archive_paths()[:1]), datapackage=True)
    assert warnings == ["--datapackage needs -o FILE; no data package written"]
    assert not list(ROOT.glob("*datapackage.json"))


# --- SQLite --------------------------------------------------------------------------------


def test_sqlite_tables_hold_the_archive(archive_copy: Path) -> None:
    db = archive_copy / "tip.db"
    write_db(parse_all(archive_paths(Path("archive"), Path())), db)
    # 17 files, one a second download of another: 16 reports, one section each.
    assert counts(db) == {
        "reports": 16,
        "sections": 16,
        "parts": 96,
        "paragraphs": 96,
        "diagnostics": 32,  # per report: site chrome, and the evidence for its inferred parts
        "panel_rows": 15,
        "meta": 2,
    }
    with connect(db) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        kosovo_2016 = connection.execute(
            "SELECT path FROM reports WHERE path LIKE 'archive/2016/kosovo%'"
        ).fetchall()
        assert kosovo_2016 == [("archive/2016/kosovo-1.txt",)]  # the copy the panel names
        section = connection.execute(
            "SELECT heading, line, iso3, cow_code, tier, tier_ordinal, tier_stated, "
            "tier_stated_line FROM sections JOIN reports ON reports.id = report_id "
            "WHERE path = 'archive/2017/burma.txt'"
        ).fetchone()
        assert section == ("BURMA: TIER 2 WATCH LIST", 11, "MMR", 775, "2WL", 2.5, "2WL", 13)
        mismatched = connection.execute(
            "SELECT count(*) FROM paragraphs AS g JOIN parts AS p ON p.id = g.part_id "
            "WHERE p.section_id != g.section_id"
        ).fetchone()
        assert mismatched == (0,)


def test_full_text_search_finds_the_paragraph_and_its_line(archive_copy: Path) -> None:
    db = archive_copy / "tip.db"
    write_db(parse_all(archive_paths(Path("archive"), Path())), db)
    with connect(db) as connection:
        found = connection.execute(
            "SELECT r.path, g.line, p.kind, snippet(paragraphs_fts, 0, '[', ']', '...', 6) "
            "FROM paragraphs_fts AS f JOIN paragraphs AS g ON g.id = f.rowid "
            "JOIN parts AS p ON p.id = g.part_id JOIN sections AS s ON s.id = g.section_id "
            "JOIN reports AS r ON r.id = s.report_id WHERE paragraphs_fts MATCH 'hpakant'"
        ).fetchall()
    assert found == [
        (
            "archive/2017/burma.txt",
            33,
            "trafficking_profile",
            "...mines of [Hpakant] and on fishing...",
        )
    ]
    source = (archive_copy / "archive/2017/burma.txt").read_text(encoding="utf-8").splitlines()
    assert "Hpakant" in source[33 - 1]


def test_panel_view_equals_the_panel_csv(archive_copy: Path) -> None:
    reports = parse_all(archive_paths(Path("archive"), Path()))
    db, target = archive_copy / "tip.db", archive_copy / "panel.csv"
    write_db(reports, db)
    options = WriterOptions(datapackage=True, output_path=str(target))
    write_reports(get_writer("panel"), reports, str(target), options)
    _, csv_rows = read_with_datapackage(archive_copy / "panel.datapackage.json")
    with connect(db) as connection:
        cursor = connection.execute("SELECT * FROM panel")
        view_rows = cursor.fetchall()
        assert [d[0] for d in cursor.description] == [c.name for c in PANEL_COLUMNS]
    assert view_rows == csv_rows
    assert len(view_rows) == 15


def test_second_run_changes_nothing(archive_copy: Path) -> None:
    db = archive_copy / "tip.db"
    paths = archive_paths(Path("archive"), Path())
    write_db(parse_all(paths), db)
    before = counts(db)
    with connect(db) as connection:
        ids = connection.execute("SELECT id, path FROM reports ORDER BY id").fetchall()
    write_db(parse_all(paths[::-1]), db)
    assert counts(db) == before
    with connect(db) as connection:
        assert connection.execute("SELECT id, path FROM reports ORDER BY id").fetchall() == ids


def test_grown_archive_adds_exactly_its_rows(archive_copy: Path) -> None:
    db = archive_copy / "tip.db"
    newcomer = archive_copy / "archive/2019/kosovo.txt"
    held_back = newcomer.read_bytes()
    newcomer.unlink()
    write_db(parse_all(archive_paths(Path("archive"), Path())), db)
    before = counts(db)
    newcomer.write_bytes(held_back)
    write_db(parse_all(archive_paths(Path("archive"), Path())), db)
    after = counts(db)
    added = parse_file("archive/2019/kosovo.txt")
    (section,) = added.sections
    assert {table: after[table] - before[table] for table in TABLES} == {
        "reports": 1,
        "sections": 1,
        "parts": len(section.parts),
        "paragraphs": len(section.paragraphs),
        "diagnostics": len(added.diagnostics),
        "panel_rows": 1,
        "meta": 0,
    }


def test_failed_run_leaves_the_database_as_it_was(archive_copy: Path) -> None:
    db = archive_copy / "tip.db"
    paths = archive_paths(Path("archive"), Path())
    write_db(parse_all(paths[:5]), db)
    before = counts(db)
    content = db.read_bytes()

    def failing() -> Iterator[Report]:
        for path in paths:
            yield parse_file(path)
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_db(failing(), db)
    assert counts(db) == before
    assert db.read_bytes() == content


def test_failed_first_run_leaves_no_file(archive_copy: Path) -> None:
    db = archive_copy / "new.db"

    def failing() -> Iterator[Report]:
        yield parse_file(archive_paths(Path("archive"), Path())[0])
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_db(failing(), db)
    assert not db.exists()


def test_moved_file_updates_its_path(archive_copy: Path) -> None:
    db = archive_copy / "tip.db"
    write_db(parse_all(archive_paths(Path("archive"), Path())), db)
    before = counts(db)
    moved = archive_copy / "archive/2018/kosovo-renamed.txt"
    (archive_copy / "archive/2018/kosovo.txt").rename(moved)
    write_db(parse_all(archive_paths(Path("archive"), Path())), db)
    assert counts(db) == before
    with connect(db) as connection:
        paths = [row[0] for row in connection.execute("SELECT path FROM reports")]
        panel = connection.execute("SELECT path FROM panel WHERE report_year = 2018").fetchall()
    assert "archive/2018/kosovo-renamed.txt" in paths
    assert "archive/2018/kosovo.txt" not in paths
    assert ("archive/2018/kosovo-renamed.txt",) in panel


def test_deleting_a_report_cascades_to_its_text_and_index(archive_copy: Path) -> None:
    db = archive_copy / "tip.db"
    write_db(parse_all(archive_paths(Path("archive"), Path())), db)
    with connect(db) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM reports WHERE path = 'archive/2017/burma.txt'")
        connection.commit()
        hits = connection.execute(
            "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'hpakant'"
        ).fetchone()
    assert hits == (0,)
    assert counts(db)["paragraphs"] == 96 - 6


def test_refuses_a_database_tipconv_did_not_write(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with connect(db) as connection:
        connection.execute("CREATE TABLE mine (x)")
        connection.commit()
    with pytest.raises(OutputError, match="did not write"):
        write_db([tipconv.parse("Freedonia (Tier 2)\n")], db)
    with connect(db) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("mine",)]


def test_not_a_database_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / "notes.db"
    target.write_text("hello, I am text\n" * 100)
    with pytest.raises(OutputError, match="SQLite: file is not a database"):
        write_db([tipconv.parse("Freedonia (Tier 2)\n")], target)
    assert target.read_text() == "hello, I am text\n" * 100


# --- the command line ----------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIPCONV_NO_PLUGINS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_cli_builds_the_database_and_panel_file_by_file(archive_copy: Path) -> None:
    paths = archive_paths(Path("archive"), Path())
    for path in paths:
        result = run("parse", "-q", path, "-o", "tip.db", cwd=archive_copy)  # .db picks sqlite
        assert result.returncode == 0, result.stderr
    with connect(archive_copy / "tip.db") as connection:
        view = connection.execute("SELECT * FROM panel").fetchall()
    result = run(
        "parse", paths[0], "--to", "panel", "-o", "one.csv", "--datapackage", cwd=archive_copy
    )
    assert result.returncode == 0, result.stderr
    _, rows = read_with_datapackage(archive_copy / "one.datapackage.json")
    at = [c.name for c in PANEL_COLUMNS].index("path")
    assert rows == [row for row in view if row[at] == str(paths[0])]
    result = run("parse", paths[0], "--to", "sqlite", cwd=archive_copy)
    assert result.returncode == 2
    assert "--to sqlite writes a file: give -o FILE" in result.stderr


def test_cli_convert_writes_the_golden_panel_and_database(tmp_path: Path) -> None:
    if run("convert", "--help", cwd=ROOT).returncode != 0:
        pytest.skip("tipconv convert is not there yet")
    result = run(
        "convert", "fixtures/archive", "--to", "panel", "-o", str(tmp_path / "p.csv"), cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.csv").read_bytes() == LONG_GOLDEN.read_bytes()
    result = run(
        "convert", "fixtures/archive", "--to", "sqlite", "-o", str(tmp_path / "t.db"), cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert counts(tmp_path / "t.db")["panel_rows"] == 15
