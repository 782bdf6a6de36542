"""Every example in every `--help`, and every command in the README, runs as written.

Issue 23: a newcomer copies an example from the help or the README, in the repository root,
and it works. The commands are found from the click group itself, so an example a later
change adds to any command's help is run here too. Each runs in bash from a copy of the
repository's bundled files (so what it writes lands in a temporary folder), with `tipconv`
on PATH, and must exit 0 without a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tipconv.cli import main

from .conftest import ROOT
from .views_support import environment

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Tools an example may pipe into besides tipconv; an example needing a missing one is skipped.
TOOLS = ("jq", "sqlite3", "less", "find", "cat")


def help_examples() -> list[tuple[str, str]]:
    """(command path, example line) for every example in every command's --help."""
    found: list[tuple[str, str]] = []
    context = click.Context(main, info_name="tipconv")
    commands: list[tuple[str, click.Command]] = [("tipconv", main)]
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        assert command is not None, name
        commands.append((f"tipconv {name}", command))
    for path, command in commands:
        with click.Context(command, info_name=path, parent=None) as ctx:
            text = command.get_help(ctx)
        for example in examples_in(text):
            found.append((path, example))
    return found


def examples_in(help_text: str) -> list[str]:
    """The lines of a help text's `Examples:` block (up to the first blank line)."""
    if "Examples:" not in help_text:
        return []
    block = help_text.split("Examples:", 1)[1].strip("\n").split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def readme_blocks() -> list[str]:
    """The README's shell blocks that run tipconv, in order; the `console` screenshots as the
    commands they show. Left out: Quick start (it builds a venv: CI runs it), the shell
    completion lines, which belong in zsh's and fish's start-up files
    (`test_completion_scripts_are_generated` runs what they run), and the developers'
    `.venv/bin/...` tools (benchmark, accuracy, fuzzing), which have tests of their own."""
    blocks: list[str] = []
    for kind, body in re.findall(r"^```(sh|console)\n(.*?)^```", README, re.M | re.S):
        if kind == "console":
            blocks += [line[2:] for line in body.splitlines() if line.startswith("$ ")]
        elif not re.search(r"python3 -m venv|_TIPCONV_COMPLETE|\.venv/bin/", body):
            blocks.append(body)
    return blocks


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder holding the repository's bundled files, and an environment with tipconv on
    PATH (a shim running this interpreter's tipconv, installed or not)."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "fixtures", root / "fixtures")
    shutil.copytree(ROOT / "examples", root / "examples")
    shutil.copy(ROOT / "README.md", root / "README.md")
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "tipconv"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tipconv "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = environment(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return root, env


def run_shell(script: str, workspace: tuple[Path, dict[str, str]]) -> None:
    missing = [
        tool for tool in TOOLS if re.search(rf"\b{tool}\b", script) and not shutil.which(tool)
    ]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    root, env = workspace
    result = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=300,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, f"{script}\nexit {result.returncode}\n{stderr}"
    assert "Traceback" not in stderr, stderr


HELP_EXAMPLES = help_examples()
README_BLOCKS = readme_blocks()


def test_every_command_with_options_has_examples() -> None:
    commands = {path for path, _ in HELP_EXAMPLES}
    for name in ("parse", "convert", "explain", "grid", "history", "diff", "schema"):
        assert f"tipconv {name}" in commands, name
    assert "tipconv" in commands
    assert len(README_BLOCKS) >= 8


@pytest.mark.parametrize(("command", "example"), HELP_EXAMPLES)
def test_a_help_example_runs_as_written(
    command: str, example: str, workspace: tuple[Path, dict[str, str]]
) -> None:
    assert example.startswith(("tipconv ", "cat ", "find ")), example
    run_shell(example, workspace)


@pytest.mark.parametrize("block", README_BLOCKS)
def test_a_readme_command_runs_as_written(
    block: str, workspace: tuple[Path, dict[str, str]]
) -> None:
    run_shell(block, workspace)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_generated(
    shell: str, workspace: tuple[Path, dict[str, str]]
) -> None:
    run_shell(f"_TIPCONV_COMPLETE={shell}_source tipconv | grep -q tipconv", workspace)


def test_the_bash_completion_line_runs_in_bash(workspace: tuple[Path, dict[str, str]]) -> None:
    line = next(line for line in README.splitlines() if "bash_source" in line)
    run_shell(line.split("#", 1)[0], workspace)


def test_quick_start_says_how_tipconv_gets_on_path() -> None:
    """Issue 23: after Quick start `tipconv` was not on PATH, and "Use" assumed it was."""
    quick_start = README.split("## Quick start", 1)[1].split("## Use", 1)[0]
    assert ". .venv/bin/activate" in quick_start
    assert "pipx install ." in quick_start
    assert README.index("tipconv` on PATH") < README.index("## Use")
