"""`tipconv grid`: the country x year tier grid, as a user runs it.

The archive (`fixtures/archive`, see test_research.py) holds every case a cell can show: a
change up and down, a gap (Kosovo 2017), conflicting copies (Côte d'Ivoire 2018), copies
that agree (Burma 2019, Kosovo 2016), and a country printed two ways across years.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipconv.countries import lookup
from tipconv.errors import UsageError
from tipconv.views import grid, screen
from tipconv.views.names import target
from tipconv.writers._panel import PanelEntry, PanelRow, build_panel, placed

from .conftest import FIXTURES, ROOT
from .views_support import (
    ANSI,
    ARCHIVE,
    VIEWS,
    check_golden,
    environment,
    grid_cells,
    one_error_line,
    run,
    run_in_terminal,
)

GRID_GOLDEN = VIEWS / "archive-grid.out"
SVG_GOLDEN = ROOT / "docs" / "grid.svg"
CANONICAL = {"Côte d'Ivoire", "Kosovo", "Myanmar"}
TIER_OF_CELL = {"1": "1", "2": "2", "2WL": "2WL", "3": "3", "SC": "special_case", "?": None}


def panel_of(*args: str, cwd: Path = ROOT) -> list[dict[str, str]]:
    result = run("convert", *args, "--to", "panel", "-q", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))


def cell_tiers(cell: str) -> tuple[set[str | None], str]:
    """A cell's tiers and its change mark."""
    mark = cell[-1] if cell[-1:] in ("↑", "↓") else ""
    return {TIER_OF_CELL[part] for part in cell.rstrip("↑↓").split("|")}, mark


# --- Done when: cells agree with `convert --to panel`, on a terminal and piped ---------------


def test_grid_of_the_archive_is_its_golden(update_goldens: bool) -> None:
    result = run("grid", ARCHIVE)
    assert result.returncode == 0, result.stderr
    check_golden(result.stdout.decode("utf-8"), GRID_GOLDEN, update_goldens)


def test_every_cell_agrees_with_the_panel_for_every_country_year() -> None:
    result = run("grid", ARCHIVE)
    stdout = result.stdout.decode("utf-8")
    assert not ANSI.search(stdout) and "\x1b" not in stdout  # piped: plain text
    cells = grid_cells(stdout)
    assert set(cells) == CANONICAL
    by_year: dict[tuple[str, int], list[dict[str, str]]] = defaultdict(list)
    for row in panel_of(ARCHIVE):
        by_year[(row["iso3"], int(row["report_year"]))].append(row)
    shown = 0
    for name, years in cells.items():
        known = lookup(name)
        assert known is not None
        for year, cell in years.items():
            rows = by_year.get((known.iso3, year))
            if not rows:
                assert cell == "", (name, year)
                continue
            shown += 1
            tiers, mark = cell_tiers(cell)
            assert tiers == {row["tier"] or None for row in rows}, (name, year, cell)
            if len(rows) == 1:
                expected = {"up": "↑", "down": "↓"}.get(rows[0]["change"], "")
                assert mark == expected, (name, year, cell)
            else:
                assert all(row["conflict"] == "true" for row in rows) and mark == ""
    assert shown == len(by_year) == 14


def test_a_terminal_gets_colour_and_the_same_grid() -> None:
    code, output = run_in_terminal("grid", ARCHIVE, env=environment(COLUMNS="100"))
    assert code == 0
    assert "\x1b[" in output
    assert ANSI.sub("", output) == GRID_GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["NO_COLOR", "--no-color", "tipconv --no-color"])
def test_no_color_on_a_terminal_is_plain(how: str) -> None:
    env = environment(COLUMNS="100", **({"NO_COLOR": "1"} if how == "NO_COLOR" else {}))
    args = ["grid", ARCHIVE]
    if how == "--no-color":
        args.append("--no-color")
    elif how.startswith("tipconv"):
        args.insert(0, "--no-color")  # a global flag, before the command too
    code, output = run_in_terminal(*args, env=env)
    assert code == 0
    assert "\x1b" not in output
    assert output == GRID_GOLDEN.read_text(encoding="utf-8")


def test_force_color_on_a_pipe_and_no_color_wins() -> None:
    forced = environment(COLUMNS="100", FORCE_COLOR="1")  # the legend wraps at the width
    coloured = run("grid", ARCHIVE, env=forced).stdout.decode("utf-8")
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == GRID_GOLDEN.read_text(encoding="utf-8")
    plain = run("grid", ARCHIVE, "--no-color", env=forced).stdout.decode("utf-8")
    assert plain == GRID_GOLDEN.read_text(encoding="utf-8")


def test_colour_styles_cells_by_tier_in_process() -> None:
    """rich forced onto a terminal: each tier has its own colour; the text is the plain grid."""
    rows = [_row("Freedonia", 2015, "1", "new"), _row("Freedonia", 2016, "3", "down")]
    lines = grid.layout(grid.build(rows), None)
    plain, coloured = io.StringIO(), io.StringIO()
    screen.write_plain(lines, plain)
    screen.write_color(lines, coloured)
    assert ANSI.sub("", coloured.getvalue()) == plain.getvalue()
    green = re.search(r"\x1b\[([0-9;]+)m1\x1b", coloured.getvalue())
    red = re.search(r"\x1b\[([0-9;]+)m3↓\x1b", coloured.getvalue())
    assert green and red and green.group(1) != red.group(1)


# --- the three sources ------------------------------------------------------------------------


def test_narratives_panel_csv_and_database_give_the_same_grid(tmp_path: Path) -> None:
    panel, database = tmp_path / "panel.csv", tmp_path / "tip.db"
    for target_path, to in ((panel, "panel"), (database, "sqlite")):
        made = run("convert", ARCHIVE, "--to", to, "-o", str(target_path), "-q")
        assert made.returncode == 0, made.stderr
    expected = GRID_GOLDEN.read_text(encoding="utf-8")
    for source in (ARCHIVE, str(panel), str(database)):
        result = run("grid", source)
        assert result.returncode == 0, (source, result.stderr)
        assert result.stdout.decode("utf-8") == expected, source
    filtered = [
        run("grid", source, "--country", "Burma", "--years", "2016-2018", "--sort", "changes")
        for source in (ARCHIVE, str(panel), str(database))
    ]
    assert len({result.stdout for result in filtered}) == 1


def test_a_panel_csv_must_be_the_only_input(tmp_path: Path) -> None:
    panel = tmp_path / "panel.csv"
    run("convert", ARCHIVE, "--to", "panel", "-o", str(panel), "-q")
    result = run("grid", str(panel), ARCHIVE)
    assert result.returncode == 2
    assert "only INPUT" in one_error_line(result)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("other.csv", "a,b,c\r\n1,2,3\r\n"),
        ("wide.csv", "country,iso3,cow_code,y2015\r\nKosovo,XKX,347,2\r\n"),
        (
            "broken.csv",
            "country,iso3,cow_code,report_year,tier,tier_label,tier_ordinal,tier_stated,"
            "previous_tier,change,conflict,path,sha256\r\nKosovo,XKX,x,2015\r\n",
        ),
    ],
)
def test_an_unreadable_panel_csv_is_exit_3(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run("grid", str(path))
    assert result.returncode == 3
    assert str(path) in one_error_line(result)


def test_a_database_tipconv_did_not_write_is_exit_3(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    result = run("grid", str(path))
    assert result.returncode == 3
    assert "did not write" in one_error_line(result)


# --- pictures and files -------------------------------------------------------------------------


def test_svg_is_xml_that_names_every_country(tmp_path: Path) -> None:
    svg = tmp_path / "grid.svg"
    result = run("grid", ARCHIVE, "--svg", str(svg), "-q")
    assert result.returncode == 0 and result.stdout == b""  # the picture alone was asked for
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = "".join(root.itertext()).replace("\xa0", " ")
    for name in CANONICAL:
        assert name in text, name
    assert "2|2WL" in text and "2WL↑" in text


def test_docs_grid_svg_is_the_grid_of_the_archive(tmp_path: Path, update_goldens: bool) -> None:
    """docs/grid.svg, the README's figure, is regenerated and compared byte for byte."""
    svg = tmp_path / "grid.svg"
    assert run("grid", ARCHIVE, "--svg", str(svg), "-q").returncode == 0
    check_golden(svg.read_text(encoding="utf-8"), SVG_GOLDEN, update_goldens)


def test_svg_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    run("grid", ARCHIVE, "--svg", str(first), "-q")
    run("grid", ARCHIVE, "--svg", str(second), "-q", env=environment(COLUMNS="40"))
    assert first.read_bytes() == second.read_bytes()


def test_html_page_and_grid_on_stdout_too(tmp_path: Path) -> None:
    page = tmp_path / "grid.html"
    result = run("grid", ARCHIVE, "--html", str(page), "--to", "text", "-q")
    assert result.stdout.decode("utf-8") == GRID_GOLDEN.read_text(encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    for name in ("Côte d&#x27;Ivoire", "Kosovo", "Myanmar"):
        assert name in html, name


def test_csv_is_the_wide_panel(tmp_path: Path, update_goldens: bool) -> None:
    result = run("grid", ARCHIVE, "--to", "csv")
    text = result.stdout.decode("utf-8")
    check_golden(text, VIEWS / "archive-grid.csv", update_goldens)
    ours = {row["iso3"]: row for row in csv.DictReader(io.StringIO(text))}
    wide = FIXTURES / "archive-panel-wide.csv"
    with wide.open(encoding="utf-8", newline="") as handle:
        theirs = {row["iso3"]: row for row in csv.DictReader(handle)}
    assert ours.keys() == theirs.keys()
    for iso3, row in ours.items():
        assert {k: v for k, v in row.items() if k != "country"} == {
            k: v for k, v in theirs[iso3].items() if k != "country"
        }
        assert row["country"] == lookup(theirs[iso3]["country"]).name  # type: ignore[union-attr]
    written = tmp_path / "grid.csv"
    assert run("grid", ARCHIVE, "--to", "csv", "-o", str(written), "-q").returncode == 0
    with written.open(encoding="utf-8", newline="") as handle:
        assert handle.read() == text


def test_output_file_is_plain_text(tmp_path: Path) -> None:
    out = tmp_path / "grid.txt"
    result = run("grid", ARCHIVE, "-o", str(out), "-q", env=environment(FORCE_COLOR="1"))
    assert result.returncode == 0 and result.stdout == b""
    assert out.read_text(encoding="utf-8") == GRID_GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("option", ["--svg", "--html", "-o"])
def test_an_unwritable_output_is_exit_4(tmp_path: Path, option: str) -> None:
    result = run("grid", ARCHIVE, option, str(tmp_path / "missing" / "grid.out"), "-q")
    assert result.returncode == 4
    assert "missing" in one_error_line(result)


# --- choosing rows and columns ---------------------------------------------------------------


def test_country_takes_any_crosswalk_spelling_or_iso3() -> None:
    result = run("grid", ARCHIVE, "--country", "Burma", "--country", "civ", "-q")
    assert set(grid_cells(result.stdout.decode("utf-8"))) == {"Myanmar", "Côte d'Ivoire"}
    same = run("grid", ARCHIVE, "--country", "myanmar", "--country", "Ivory Coast", "-q")
    assert same.stdout == result.stdout


def test_an_unknown_country_is_exit_2_with_the_closest_names() -> None:
    result = run("grid", ARCHIVE, "--country", "Kosova", "-q")
    assert result.returncode == 2
    assert "closest names: Kosovo" in one_error_line(result)


def test_a_known_country_without_narratives_is_a_warning() -> None:
    result = run("grid", ARCHIVE, "--country", "Kenya", "--country", "Kosovo")
    assert result.returncode == 0
    assert set(grid_cells(result.stdout.decode("utf-8"))) == {"Kosovo"}
    assert b"no narrative of Kenya" in result.stderr


def test_years_choose_columns_and_keep_the_panels_change() -> None:
    result = run("grid", ARCHIVE, "--years", "2017-2018", "-q")
    cells = grid_cells(result.stdout.decode("utf-8"))
    assert cells["Myanmar"] == {2017: "2WL↑", 2018: "3↓"}  # 2017's mark is against 2016
    assert cells["Kosovo"] == {2017: "", 2018: "2"}
    assert set(grid_cells(run("grid", ARCHIVE, "--years", "2019", "-q").stdout.decode())) == (
        CANONICAL
    )


@pytest.mark.parametrize("years", ["2019-2015", "abc", "2015-20x", "-"])
def test_bad_years_are_exit_2(years: str) -> None:
    result = run("grid", ARCHIVE, "--years", years)
    assert result.returncode == 2
    assert "--years" in one_error_line(result)


def test_parse_years() -> None:
    assert grid.parse_years("2010-2020") == (2010, 2020)
    assert grid.parse_years("2015") == (2015, 2015)
    assert grid.parse_years("2010-") == (2010, None)
    assert grid.parse_years("-2012") == (None, 2012)
    assert grid.parse_years(None) is None
    with pytest.raises(UsageError):
        grid.parse_years("20x0")


def _row(country: str, year: int, tier: str | None, change: str | None) -> PanelRow:
    """A panel row with only what the grid reads; every other column empty."""
    empty = dict.fromkeys((field.name for field in fields(PanelRow)), None)
    given = {"country": country, "report_year": year, "tier": tier, "change": change}
    return PanelRow(**{**empty, **given, "sha256": "0" * 64})


def test_sort_by_name_tier_and_changes() -> None:
    rows = [
        _row("Alpha", 2015, "3", "new"),
        _row("Alpha", 2016, "3", "same"),
        _row("Bravo", 2015, "2", "new"),
        _row("Bravo", 2016, "1", "up"),
        _row("Charlie", 2015, "1", "new"),
        _row("Charlie", 2016, "2", "down"),
        _row("Charlie", 2017, "2WL", "down"),
    ]

    def order(sort: str) -> list[str]:
        return [country.label for country in grid.build(rows, sort=sort).countries]

    assert order("name") == ["Alpha", "Bravo", "Charlie"]
    assert order("tier") == ["Bravo", "Charlie", "Alpha"]  # latest: 1, 2WL, 3
    assert order("changes") == ["Charlie", "Bravo", "Alpha"]
    by_changes = run("grid", ARCHIVE, "--sort", "changes", "-q").stdout.decode("utf-8")
    assert list(grid_cells(by_changes)) == ["Côte d'Ivoire", "Myanmar", "Kosovo"]


def test_gaps_unknown_tiers_and_special_cases() -> None:
    rows = [
        _row("Sylvania", 2010, "special_case", "new"),
        _row("Sylvania", 2012, None, None),
        _row("Sylvania", 2013, "2", None),
    ]
    built = grid.build(rows)
    assert built.years == (2010, 2011, 2012, 2013)
    (country,) = built.countries
    assert {year: cell.text for year, cell in country.cells.items()} == {
        2010: "SC",
        2012: "?",
        2013: "2",
    }
    assert country.cells[2012].style == "none"
    lines = io.StringIO()
    screen.write_plain(grid.layout(built, None), lines)
    assert grid_cells(lines.getvalue())["Sylvania"] == {2010: "SC", 2011: "", 2012: "?", 2013: "2"}


# --- wide archives --------------------------------------------------------------------------


def wide_archive(folder: Path, years: int = 25) -> None:
    """Small invented narratives of four countries over `years` report years from 2000."""
    tiers = ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3")
    countries = ("Freedonia", "Kenya", "Bosnia and Herzegovina", "Kyrgyz Republic")
    for index in range(years):
        year = 2000 + index
        for number, country in enumerate(countries):
            tier = tiers[(index // (number + 2) + number) % 4]
            (folder / f"{year}-{number}.txt").write_text(
                f"Trafficking in Persons Report {year} - {country}\n\n"
                f"Publication Date 1 June {year}\n\n{country.upper()}: {tier.upper()}\n\n"
                f"{country} is a source and destination country for trafficking.\n",
                encoding="utf-8",
            )


def test_a_wide_archive_fits_the_terminal_and_loses_no_cell(tmp_path: Path) -> None:
    wide_archive(tmp_path)
    piped = run("grid", str(tmp_path), "-q")
    assert piped.returncode == 0
    full = grid_cells(piped.stdout.decode("utf-8"))
    assert len(full) == 4 and all(len(years) == 25 for years in full.values())
    assert all(cell for years in full.values() for cell in years.values())
    lines = piped.stdout.decode("utf-8").splitlines()
    assert sum(1 for line in lines if line.startswith("country")) == 1  # piped: not wrapped
    for columns in ("80", "60"):
        result = run("grid", str(tmp_path), "-q", env=environment(COLUMNS=columns, FORCE_COLOR="1"))
        shown = ANSI.sub("", result.stdout.decode("utf-8"))
        assert max(screen.text_width(line) for line in shown.splitlines()) <= int(columns)
        headers = [line for line in shown.splitlines() if line.startswith("country")]
        assert len(headers) > 1  # wrapped into blocks
        assert "'00" in headers[0] and "'24" in headers[-1]
        assert not any("2000" in line for line in headers)
        assert grid_cells(shown) == full


def test_a_wide_archive_on_a_real_terminal(tmp_path: Path) -> None:
    wide_archive(tmp_path)
    code, output = run_in_terminal("grid", str(tmp_path), "-q", env=environment(COLUMNS="80"))
    assert code == 0
    shown = ANSI.sub("", output)
    assert max(len(line) for line in shown.splitlines()) <= 80
    assert len(grid_cells(shown)["Kyrgyzstan"]) == 25


# --- inputs and exit codes --------------------------------------------------------------------


def test_no_input_is_exit_2() -> None:
    result = run("grid")
    assert result.returncode == 2
    assert "no INPUT" in one_error_line(result)


def test_an_unreadable_narrative_is_exit_1_and_the_rest_is_shown(tmp_path: Path) -> None:
    result = run("grid", ARCHIVE, str(tmp_path / "missing.txt"), "-q")
    assert result.returncode == 1
    assert "missing.txt" in one_error_line(result)
    assert result.stdout.decode("utf-8") == GRID_GOLDEN.read_text(encoding="utf-8")


def test_a_list_of_paths_on_stdin_and_a_glob() -> None:
    paths = "\n".join(
        str(path.relative_to(ROOT)) for path in sorted((ROOT / ARCHIVE).rglob("*.txt"))
    )
    listed = run("grid", "-", stdin=paths.encode())
    assert listed.stdout.decode("utf-8") == GRID_GOLDEN.read_text(encoding="utf-8")
    globbed = run("grid", f"{ARCHIVE}/**/*.txt")
    assert globbed.stdout == listed.stdout


def test_the_panel_warnings_reach_stderr_and_quiet_silences_them() -> None:
    loud = run("grid", ARCHIVE).stderr.decode("utf-8")
    assert "copies disagree on the tier" in loud and "agree on the tier" in loud
    assert run("grid", ARCHIVE, "-q").stderr == b""


def test_an_unknown_country_is_refused_before_any_input_is_read(tmp_path: Path) -> None:
    """Issue 23: `--country Narnia` waited for every input to be parsed before saying so.
    A name the crosswalk does not know is refused at once, even one the data prints."""
    wide_archive(tmp_path, years=2)
    missing = tmp_path / "nope"
    result = run("grid", str(missing), "--country", "Narnia", "-q")
    assert result.returncode == 2
    assert "unknown or ambiguous country 'Narnia' in --country" in one_error_line(result)
    printed = run("grid", str(tmp_path), "--country", "freedonia", "-q")
    assert printed.returncode == 2 and "'freedonia'" in one_error_line(printed)
    history = run("history", "Narnia", str(missing), "-q")
    assert "unknown or ambiguous country 'Narnia'" in one_error_line(history)


def test_target_matches_crosswalk_code_or_folded_name() -> None:
    assert target("Burma").iso3 == "MMR" and target("mmr").name == "Myanmar"
    unknown = target("Freedonia")
    assert unknown.iso3 is None and unknown.matches(None, "FREEDONIA")
    assert not unknown.matches("KEN", "Kenya")


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    panel = tmp_path / "panel.csv"
    run("convert", ARCHIVE, "--to", "panel", "-o", str(panel), "-q")
    before = panel.read_bytes()
    result = run("grid", str(panel), "--to", "csv", "-o", str(panel))
    assert result.returncode == 2
    assert "it would be overwritten" in one_error_line(result)
    assert panel.read_bytes() == before
    archive = tmp_path / "archive"
    import shutil

    shutil.copytree(ROOT / ARCHIVE, archive)
    victim = archive / "2016" / "burma.txt"
    text = victim.read_bytes()
    for option in ("-o", "--svg", "--html"):
        refused = run("grid", str(archive), option, str(victim))
        assert refused.returncode == 2, option
        assert f"{option} {victim} is the input" in one_error_line(refused)
    assert victim.read_bytes() == text


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("to", ["text", "csv"])
def test_a_full_stdout_is_exit_4_with_one_line(to: str) -> None:
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tipconv", "grid", ARCHIVE, "--to", to, "-q"],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=environment(),
            timeout=60,
        )
    assert result.returncode == 4
    assert result.stderr.decode() == (
        "tipconv: error: cannot write to stdout: No space left on device\n"
    )


def test_a_single_year_title() -> None:
    result = run("grid", ARCHIVE, "--years", "2016", "-q")
    assert result.stdout.decode("utf-8").splitlines()[0] == "TIP Report tiers, 2016: 3 countries"


# --- the tally is the panel, with less in memory -------------------------------------------

_COUNTRIES = (("Kenya", "KEN", 501), ("Myanmar", "MMR", 775), ("FREEDONIA", None, None))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_COUNTRIES),
            st.integers(2001, 2006),
            st.sampled_from([None, "1", "2", "2WL", "3", "special_case"]),
            st.sampled_from(["a.txt", "b.txt", "c.txt"]),
            st.sampled_from(["Freedonia", "FREEDONIA", "freedonia"]),
        ),
        max_size=40,
    )
)
def test_the_tally_gives_the_cells_of_the_panels_rows(
    copies: list[tuple[tuple[str, str | None, int | None], int, str | None, str, str]],
) -> None:
    """What the grid keeps while reading (`Tally`) against the plain code: `build_panel`'s
    rows of the same copies, read into the grid."""
    entries = [
        PanelEntry(
            country=printed if iso3 is None else name,
            country_printed=printed,
            subject=None,
            iso3=iso3,
            cow_code=cow,
            report_year=year,
            tier=tier,
            tier_printed=None,
            tier_stated=None,
            path=f"{year}/{path}",
            sha256=f"{name}{year}{tier}{path}",
        )
        for (name, iso3, cow), year, tier, path, printed in copies
    ]
    tally = grid.Tally()
    for name, year, entry in placed(entries, lambda message: None):
        tally.add(name, entry.iso3, entry.cow_code, year, entry.tier, entry.path)
    streamed = grid.build(tally)
    plain = grid.build(build_panel(entries, lambda message: None))

    def cells(built: grid.Grid) -> dict[tuple[str, str, int], tuple[str, str | None]]:
        return {
            (country.iso3 or country.label.upper(), country.label, year): (cell.text, cell.change)
            for country in built.countries
            for year, cell in country.cells.items()
        }

    assert cells(streamed) == cells(plain)
    assert streamed.years == plain.years
    by_key = {country.iso3 or country.label.upper(): country for country in streamed.countries}
    for row in build_panel(entries, lambda message: None):
        cell = by_key[row.iso3 or row.country.upper()].cells[row.report_year]
        assert row.tier in cell.tiers and (len(cell.tiers) > 1 or cell.change == row.change)


def test_the_commands_offer_the_grids_sorts_and_formats() -> None:
    """commands.py spells the choices out (importing the grid there would cost every command
    its start-up): they must stay the grid's own."""
    from tipconv.commands import grid as command

    choices = {p.name: getattr(p.type, "choices", None) for p in command.params}
    assert tuple(choices["sort"]) == grid.SORTS == tuple(grid._SORT_KEYS)
    assert tuple(choices["to"]) == grid.TO
