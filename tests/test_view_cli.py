"""The three views on the command line: help with examples, exit codes as the README says,
no cost to `parse`, and the README's screenshots of each view kept true."""

from __future__ import annotations

import re
import shlex

import pytest

from .conftest import ROOT
from .test_cli import run_then_report
from .views_support import run

VIEWS = ("grid", "history", "diff")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", VIEWS)
def test_help_has_an_example_and_the_exit_codes(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert f"Usage: tipconv {command} " in text
    examples = text.split("Examples:", 1)[1].split("Exit codes:", 1)[0]
    assert f"tipconv {command} " in examples
    codes = re.findall(r"^ +(\d+) {2,}", text.split("Exit codes:", 1)[1], flags=re.MULTILINE)
    assert codes and codes[0] == "0"
    table = README.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    for code in codes:
        row = next(line for line in table.splitlines() if line.startswith(f"| {code} |"))
        if code in ("1", "3"):  # the rows that name the commands they apply to
            assert f"`{command}`" in row, (command, code, row)


def test_the_group_help_lists_the_views() -> None:
    text = run("--help").stdout.decode("utf-8")
    for command in VIEWS:
        assert re.search(rf"^  {command}\s", text, flags=re.MULTILINE), command
        assert f"tipconv {command} " in text


def test_parse_does_not_load_the_views() -> None:
    args = ["parse", "fixtures/refworld-2003-hong-kong.txt", "--to", "json"]
    result = run_then_report(args, "' '.join(sys.modules)")
    loaded = set(result.stderr.split())
    assert "tipconv.cli" in loaded
    assert not {name for name in loaded if name.startswith(("tipconv.views", "rich", "difflib"))}


def test_piped_views_do_not_load_rich() -> None:
    for args in (
        ["grid", "fixtures/archive", "-q"],
        ["history", "Burma", "fixtures/archive", "-q"],
        ["diff", "fixtures/diff/old.txt", "fixtures/diff/new.txt"],
    ):
        result = run_then_report(args, "' '.join(sys.modules)")
        assert "tipconv.views" in result.stderr.split(), args
        assert not [name for name in result.stderr.split() if name.startswith("rich")], args


def readme_screens() -> list[tuple[list[str], str]]:
    """The README's view section: each ```console block is `$ tipconv ...` and its output."""
    section = README.split("## Looking at the data", 1)[1].split("\n## ", 1)[0]
    screens = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.DOTALL):
        command, _, output = block.partition("\n")
        assert command.startswith("$ tipconv "), command
        screens.append((shlex.split(command[2:])[1:], output))
    return screens


def test_the_readme_shows_each_view() -> None:
    shown = {args[0] for args, _ in readme_screens()}
    assert shown >= set(VIEWS)


@pytest.mark.parametrize(
    ("args", "output"), readme_screens(), ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_the_readme_screens_are_what_the_views_print(args: list[str], output: str) -> None:
    result = run(*args, "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == output


@pytest.mark.parametrize("force_color", ["1", ""], ids=["colour", "plain"])
@pytest.mark.parametrize(
    "args",
    [
        ["grid", "fixtures/archive"],
        ["history", "Burma", "fixtures/archive"],
        ["diff", "fixtures/diff/old.txt", "fixtures/diff/new.txt"],
    ],
    ids=VIEWS,
)
def test_a_reader_that_leaves_early_is_exit_141(args: list[str], force_color: str) -> None:
    """rich would exit 1 on a closed pipe; tipconv says nothing and exits 141."""
    import subprocess
    import sys

    from .views_support import environment

    process = subprocess.Popen(
        [sys.executable, "-m", "tipconv", *args, "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=environment(**({"FORCE_COLOR": force_color} if force_color else {})),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the view writes a byte
    with process.stderr:
        stderr = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert stderr == b""
