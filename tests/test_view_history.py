"""`tipconv history COUNTRY INPUT...`: one country across the years, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .conftest import ROOT
from .views_support import (
    ANSI,
    ARCHIVE,
    VIEWS,
    check_golden,
    environment,
    load_schema,
    one_error_line,
    run,
    run_in_terminal,
)


def history(country: str, *args: str) -> dict[str, Any]:
    result = run("history", country, ARCHIVE, "--to", "json", "-q", *args)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    jsonschema.validate(data, load_schema("history"))
    return data


def panel_rows(iso3: str) -> list[dict[str, str]]:
    result = run("convert", ARCHIVE, "--to", "panel", "-q")
    rows = csv.DictReader(io.StringIO(result.stdout.decode("utf-8")))
    return [row for row in rows if row["iso3"] == iso3]


# --- Done when: history works on the archive with --to json validated -------------------------


def test_burma_json_is_valid_and_says_what_the_narratives_say() -> None:
    data = history("Burma")
    assert (data["country"], data["iso3"], data["cow_code"]) == ("Myanmar", "MMR", 775)
    rows = data["rows"]
    assert [(r["report_year"], r["tier"], r["change"]) for r in rows] == [
        (2015, "3", "new"),
        (2016, "3", "same"),
        (2017, "2WL", "up"),
        (2018, "3", "down"),
        (2019, "3", "same"),
    ]
    upgrade = rows[2]
    assert upgrade["placement"] == {
        "tier": "2WL",
        "line": 13,
        "text": "therefore Burma was upgraded to Tier 2 Watch List.",
    }
    assert (upgrade["path"], upgrade["line"], upgrade["heading_line"]) == (
        "fixtures/archive/2017/burma.txt",
        13,
        11,
    )
    assert rows[0]["placement"] is None and rows[0]["line"] == rows[0]["heading_line"] == 11
    assert rows[4]["path"] == "fixtures/archive/2019/burma-statedotgov.txt"
    assert rows[4]["duplicates"] == [
        {
            "path": "fixtures/archive/2019/burma.txt",
            "line": 13,
            "sha256": rows[4]["duplicates"][0]["sha256"],
            "same_text": False,
        }
    ]
    assert {r["country_printed"] for r in rows} == {"BURMA"}
    assert [r["tier_printed"] for r in rows][2:4] == ["TIER 2 WATCH LIST", "TIER 3"]
    assert all(not r["conflict"] for r in rows)


def test_rows_are_the_panels_rows() -> None:
    for country, iso3 in (("Burma", "MMR"), ("Côte d'Ivoire", "CIV"), ("Kosovo", "XKX")):
        ours = history(country)["rows"]
        theirs = panel_rows(iso3)
        assert [(r["report_year"], r["tier"], r["previous_tier"], r["change"]) for r in ours] == [
            (
                int(r["report_year"]),
                r["tier"] or None,
                r["previous_tier"] or None,
                r["change"] or None,
            )
            for r in theirs
        ]
        assert [r["path"] for r in ours] == [r["path"] for r in theirs]
        assert [r["conflict"] for r in ours] == [r["conflict"] == "true" for r in theirs]


def test_conflicting_copies_are_rows_of_their_own() -> None:
    rows = history("CIV")["rows"]
    conflict = [r for r in rows if r["report_year"] == 2018]
    assert [(r["tier"], r["conflict"]) for r in conflict] == [("2WL", True), ("2", True)]
    assert [r["path"] for r in conflict] == [
        "fixtures/archive/2018/cote-divoire-ecoi.txt",
        "fixtures/archive/2018/cote-divoire.txt",
    ]
    assert rows[-1]["report_year"] == 2019 and rows[-1]["change"] is None  # after a conflict
    assert {r["country_printed"] for r in rows} == {"COTE D'IVOIRE", "CÔTE D\u2019IVOIRE"}


def test_a_copy_downloaded_twice_is_a_duplicate_with_the_same_text() -> None:
    rows = history("Kosovo")["rows"]
    assert [r["report_year"] for r in rows] == [2015, 2016, 2018, 2019]  # no 2017 narrative
    (duplicate,) = rows[1]["duplicates"]
    assert duplicate["path"] == "fixtures/archive/2016/kosovo.txt"
    assert duplicate["same_text"] is True and duplicate["sha256"] == rows[1]["sha256"]


@pytest.mark.parametrize("spelling", ["Burma", "MYANMAR", "mmr", "Burma (Myanmar)"])
def test_any_crosswalk_spelling_or_iso3(spelling: str) -> None:
    assert history(spelling) == history("Myanmar")


# --- formats and goldens ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "suffix"), [("json", "json"), ("csv", "csv"), ("md", "md"), ("text", "out")]
)
def test_burma_golden(to: str, suffix: str, update_goldens: bool) -> None:
    result = run("history", "Burma", ARCHIVE, "--to", to, "-q")
    assert result.returncode == 0, result.stderr
    check_golden(
        result.stdout.decode("utf-8"), VIEWS / f"archive-history-burma.{suffix}", update_goldens
    )


def test_cote_divoire_text_golden(update_goldens: bool) -> None:
    result = run("history", "Cote d'Ivoire", ARCHIVE, "-q")
    check_golden(
        result.stdout.decode("utf-8"), VIEWS / "archive-history-cote-divoire.out", update_goldens
    )


def test_csv_and_markdown_carry_the_json_facts() -> None:
    text = run("history", "Kosovo", ARCHIVE, "--to", "csv", "-q").stdout.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["report_year"] for r in rows] == ["2015", "2016", "2018", "2019"]
    assert rows[1]["duplicates"] == "fixtures/archive/2016/kosovo.txt"
    assert (
        rows[2]["placement"] == "therefore Kosovo remained on Tier 2." and rows[2]["line"] == "13"
    )
    markdown = run("history", "CIV", ARCHIVE, "--to", "md", "-q").stdout.decode("utf-8")
    assert markdown.count("copies disagree") == 2
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert html.count("<tr>") == 1 + 6  # header and one row per panel row


def test_a_terminal_gets_colour_and_the_same_text() -> None:
    code, output = run_in_terminal("history", "Burma", ARCHIVE, "-q", env=environment())
    assert code == 0 and "\x1b[" in output
    expected = (VIEWS / "archive-history-burma.out").read_text(encoding="utf-8")
    assert ANSI.sub("", output) == expected
    piped = run("history", "Burma", ARCHIVE, "-q").stdout.decode("utf-8")
    assert "\x1b" not in piped and piped == expected


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "burma.json"
    result = run("history", "Burma", ARCHIVE, "--to", "json", "-o", str(out), "-q")
    assert result.returncode == 0 and result.stdout == b""
    assert json.loads(out.read_text(encoding="utf-8")) == history("Burma")


# --- exit codes ---------------------------------------------------------------------------------


def test_an_unknown_name_is_exit_2_with_the_closest_names() -> None:
    result = run("history", "Burmah", ARCHIVE)
    assert result.returncode == 2
    assert one_error_line(result).endswith(
        "unknown or ambiguous country 'Burmah'; closest names: Burma; try 'tipconv history --help'"
    )


def test_an_ambiguous_name_is_exit_2_with_both_countries() -> None:
    line = one_error_line(run("history", "Congo", ARCHIVE))
    assert "Republic of the Congo" in line and "Democratic Republic of the Congo" in line


def test_a_known_country_with_no_narrative_is_exit_2() -> None:
    result = run("history", "Kenya", ARCHIVE)
    assert result.returncode == 2
    assert "no narrative of Kenya" in one_error_line(result)


def test_a_panel_csv_is_exit_2(tmp_path: Path) -> None:
    panel = tmp_path / "panel.csv"
    run("convert", ARCHIVE, "--to", "panel", "-o", str(panel), "-q")
    result = run("history", "Burma", str(panel))
    assert result.returncode == 2
    assert "placement sentences" in one_error_line(result)


def test_an_unreadable_input_is_exit_1_and_the_rest_is_shown(tmp_path: Path) -> None:
    result = run("history", "Burma", ARCHIVE, str(tmp_path / "gone.txt"), "--to", "json", "-q")
    assert result.returncode == 1
    assert "gone.txt" in one_error_line(result)
    assert len(json.loads(result.stdout)["rows"]) == 5


def test_an_unwritable_output_is_exit_4(tmp_path: Path) -> None:
    result = run("history", "Burma", ARCHIVE, "-o", str(tmp_path / "no" / "x.json"), "-q")
    assert result.returncode == 4
    one_error_line(result)


def test_an_unknown_encoding_is_exit_2() -> None:
    result = run("history", "Burma", ARCHIVE, "--encoding", "klingon")
    assert result.returncode == 2
    assert "unknown encoding" in one_error_line(result)


def _reports_alive() -> int:
    import gc

    from tipconv.model import Paragraph, Report

    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, Report | Paragraph))


def test_views_keep_no_narrative_once_read() -> None:
    """Each view streams its narratives: once built, a grid or a history holds no report and
    no paragraph, only a row per country-year."""
    from tipconv.views.history import collect
    from tipconv.views.names import target
    from tipconv.views.sources import panel_rows, read_reports

    before = _reports_alive()
    reports = read_reports([str(ROOT / ARCHIVE)], pattern="*.txt", encoding=None, failed=print)
    burma = collect(reports, target("Burma"))
    assert _reports_alive() == before
    assert {row.row.iso3 for row in burma.rows} == {"MMR"}
    rows = panel_rows(
        [str(ROOT / ARCHIVE)], pattern="*.txt", encoding=None, failed=print, warn=lambda m: None
    )
    assert _reports_alive() == before
    assert len(rows) == 15  # 14 country-years, one of them two conflicting copies


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(ROOT / ARCHIVE, archive)
    victim = archive / "2017" / "burma.txt"
    text = victim.read_bytes()
    result = run("history", "Burma", str(archive), "-o", str(victim))
    assert result.returncode == 2
    assert "it would be overwritten" in one_error_line(result)
    assert victim.read_bytes() == text
