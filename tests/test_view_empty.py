"""A view with nothing to show says why in one error line, exit 3, and writes nothing.

Issue 23: `history Burma FILE` on a copy that prints no report year (or on any text without
one, such as README.md) crashed with an IndexError, exit 70.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT
from .views_support import ARCHIVE, one_error_line, run

EXIT_NOTHING_TO_SHOW = 3


def yearless_copy(tmp_path: Path) -> Path:
    """The 2017 Burma narrative without its header: a copy that prints no report year."""
    text = (ROOT / ARCHIVE / "2017" / "burma.txt").read_text(encoding="utf-8")
    copy = tmp_path / "burma.txt"
    copy.write_text(text[text.index("BURMA: TIER 2 WATCH LIST") :], encoding="utf-8")
    return copy


def test_history_of_a_copy_without_a_year_says_so(tmp_path: Path) -> None:
    copy = yearless_copy(tmp_path)
    result = run("history", "Burma", str(copy), "-q")
    assert result.returncode == EXIT_NOTHING_TO_SHOW and result.stdout == b""
    line = one_error_line(result)
    assert "nothing to show: no narrative of Myanmar has a report year" in line
    assert f"1 file prints none: {copy}" in line


def test_history_of_the_readme_is_not_an_internal_error() -> None:
    """README.md quotes a Kenyan narrative and none of Burma: one line, a documented code."""
    result = run("history", "Burma", "README.md", "-q")
    assert result.returncode == 2, result.stderr
    assert "no narrative of Myanmar in the inputs" in one_error_line(result)
    yearless = run("history", "Burma", "examples/no-year.txt", "-q")
    assert yearless.returncode == EXIT_NOTHING_TO_SHOW, yearless.stderr
    assert "examples/no-year.txt" in one_error_line(yearless)


@pytest.mark.parametrize("to", ["text", "csv"])
def test_grid_of_copies_without_a_year_says_so(tmp_path: Path, to: str) -> None:
    yearless_copy(tmp_path)
    out = tmp_path / "grid.out"
    result = run("grid", str(tmp_path), "--to", to, "-o", str(out), "-q")
    assert result.returncode == EXIT_NOTHING_TO_SHOW
    assert "no narrative has a report year (1 file prints none" in one_error_line(result)
    assert not out.exists()


def test_grid_filtered_to_nothing_says_so() -> None:
    result = run("grid", ARCHIVE, "--years", "1990", "-q")
    assert result.returncode == EXIT_NOTHING_TO_SHOW and result.stdout == b""
    assert one_error_line(result).endswith(
        "nothing to show: no country-year in the countries and years asked for"
    )


def test_grid_of_text_without_a_narrative_says_so() -> None:
    result = run("grid", "fixtures/empty.txt", "-q")
    assert result.returncode == EXIT_NOTHING_TO_SHOW
    assert one_error_line(result).endswith("no input holds a country narrative")


def test_the_code_is_documented_for_both_views() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 3 |"))
    assert "nothing to show" in row
    for command in ("grid", "history"):
        epilog = run(command, "--help").stdout.decode("utf-8").split("Exit codes:", 1)[1]
        assert "nothing to show" in epilog, command
