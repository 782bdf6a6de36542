"""COLUMNS decides a view's width on a pipe too, as in rich and click (issue 23).

`COLUMNS=80 tipconv grid ... | less` gave rows as wide as the data; a file written with -o
fits no screen, and without COLUMNS a pipe is not cut or wrapped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tipconv.views.screen import text_width

from .views_support import ARCHIVE, environment, run


def widest(text: str) -> int:
    return max(text_width(line) for line in text.splitlines())


def grid_text(*args: str, **env: str) -> str:
    result = run("grid", ARCHIVE, "-q", *args, env=environment(**env))
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


def test_columns_fits_a_piped_grid() -> None:
    free = grid_text()
    assert widest(free) > 30
    narrow = grid_text(COLUMNS="30")
    # The rows fit; the title and a legend entry are never broken.
    table = narrow.split("\n1 Tier 1", 1)[0].split("\n", 1)[1]
    assert widest(table) <= 30
    assert "'15" in narrow  # the year headers shortened to fit
    assert narrow != free


@pytest.mark.parametrize("value", ["", "abc", "0", "-5"])
def test_a_columns_that_is_no_width_is_ignored(value: str) -> None:
    assert grid_text(COLUMNS=value) == grid_text()


def test_a_file_written_with_o_ignores_columns(tmp_path: Path) -> None:
    out = tmp_path / "grid.txt"
    grid_text("-o", str(out), COLUMNS="30")
    assert out.read_text(encoding="utf-8") == grid_text()


def test_columns_cuts_explain_lines_when_piped() -> None:
    sample = "fixtures/refworld-2003-hong-kong.txt"
    free = run("explain", sample, "-q").stdout.decode("utf-8")
    assert widest(free) > 50
    cut = run("explain", sample, "-q", env=environment(COLUMNS="50")).stdout.decode("utf-8")
    assert widest(cut) == 50
    assert run("explain", sample, "-q", "--width", "0", env=environment(COLUMNS="50")).stdout == (
        free.encode("utf-8")
    )
