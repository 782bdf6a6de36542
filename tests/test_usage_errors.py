"""Every usage error ends with the hint the README promises; messages read as sentences.

Issue 23: `parse x --to`, `--to xml`, `-o out.txt`, `--years abc` and a reversed `--years`
ended without `try 'tipconv ... --help'`; click's "Did you mean" ran into the hint; an
internal error named no place to report it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tipconv.cli import ISSUES_URL, main

from .conftest import ROOT
from .views_support import ARCHIVE, one_error_line, run

SAMPLE = "fixtures/refworld-2003-hong-kong.txt"


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["parse", "x", "--to"], "tipconv parse"),
        (["parse", SAMPLE, "--to", "xml"], "tipconv parse"),
        (["parse", SAMPLE, "-o", "out.txt"], "tipconv parse"),
        (["convert", ARCHIVE, "--to", "xml"], "tipconv convert"),
        (["convert", "nope/"], "tipconv convert"),
        (["grid", ARCHIVE, "--years", "abc"], "tipconv grid"),
        (["grid", ARCHIVE, "--years", "2020-2010"], "tipconv grid"),
        (["grid", ARCHIVE, "--country", "Narnia"], "tipconv grid"),
        (["history", "Narnia", ARCHIVE], "tipconv history"),
        (["diff", "fixtures/diff/old.txt"], "tipconv diff"),
        (["pars", SAMPLE], "tipconv"),
    ],
    ids=" ".join,
)
def test_a_usage_error_ends_with_the_help_hint(
    args: list[str], command: str, tmp_path: Path
) -> None:
    result = run(*args, "-q") if args[0] != "pars" else run(*args)
    assert result.returncode == 2
    line = one_error_line(result)
    assert line.endswith(f"; try '{command} --help'"), line
    assert line.count("; try ") == 1, line
    assert not (ROOT / "out.txt").exists()


def test_a_reversed_range_says_it_runs_backwards() -> None:
    line = one_error_line(run("grid", ARCHIVE, "--years", "2020-2010"))
    assert "--years '2020-2010': the range runs backwards; give FIRST-LAST, e.g. 2010-2020" in line


def test_did_you_mean_is_a_parenthesis_before_the_hint() -> None:
    line = one_error_line(run("pars", SAMPLE))
    assert line == (
        "tipconv: error: no such command 'pars' (did you mean 'parse'?); try 'tipconv --help'"
    )
    assert "?;" not in one_error_line(run("parse", SAMPLE, "--to-csv")).replace("?);", "")


def test_an_internal_error_names_where_to_report_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tipconv.views import history

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(history, "collect", broken)
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        main.main(["history", "Burma", ARCHIVE, "-q"])
    assert exit_.value.code == 70
    line = capsys.readouterr().err.strip()
    assert f"please report it at {ISSUES_URL} with this file" in line, line
    assert re.match(r"https://\S+$", ISSUES_URL)


def test_the_issue_url_is_the_package_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Issues"] == ISSUES_URL


@pytest.mark.parametrize("command", ["parse", "explain", "grid", "history", "diff", "schema"])
def test_verbose_help_names_convert_only_where_it_applies(command: str) -> None:
    """Issue 23: every command's -v said "(convert: every file)"."""
    text = run(command, "--help").stdout.decode("utf-8")
    verbose = next(line for line in text.splitlines() if "--verbose" in line)
    assert "Also print info diagnostics." in verbose and "convert" not in verbose
    convert = run("convert", "--help").stdout.decode("utf-8")
    assert "Also print info diagnostics, and name every" in convert
