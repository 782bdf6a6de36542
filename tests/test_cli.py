"""The `tipconv parse` command as a user runs it: real processes, real pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from .conftest import FIXTURES, ROOT

SAMPLE = FIXTURES / "refworld-2003-hong-kong.txt"


def run(
    *args: str, stdin: bytes | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TIPCONV_NO_PLUGINS": "1"}
    env.pop("TIPCONV_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("tipconv: error: ")
    return lines[0]


def test_parse_file_to_stdout_is_the_json_contract() -> None:
    result = run("parse", str(SAMPLE.relative_to(ROOT)), "--to", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 2
    assert data["sections"][0]["tier"] == "1"
    assert result.stdout.count(b"\n") == 1  # not a terminal: compact, one line


def test_pretty_and_compact_flags() -> None:
    pretty = run("parse", str(SAMPLE), "--pretty")
    assert pretty.stdout.startswith(b'{\n  "schema_version": 2')
    compact = run("parse", str(SAMPLE), "--compact")
    assert compact.stdout.count(b"\n") == 1


def test_stdin_has_null_path() -> None:
    result = run("parse", "-", stdin=SAMPLE.read_bytes())
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["source"]["path"] is None
    assert data["sections"][0]["line"] == 11


def test_output_file_written_and_stdout_empty(tmp_path: Path) -> None:
    out = tmp_path / "hk.json"
    result = run("parse", str(SAMPLE), "-o", str(out))
    assert result.returncode == 0
    assert result.stdout == b""
    assert json.loads(out.read_text(encoding="utf-8"))["metadata"]["report_year"] == 2003
    assert [p.name for p in tmp_path.iterdir()] == ["hk.json"]


def test_warnings_go_to_stderr_and_quiet_silences_them(tmp_path: Path) -> None:
    text = tmp_path / "prose.txt"
    text.write_text("Stir the soup until it thickens.\n", encoding="utf-8")
    loud = run("parse", str(text))
    assert loud.returncode == 0
    assert json.loads(loud.stdout)["sections"] == []
    assert b"not_a_tip_narrative" in loud.stderr
    quiet = run("parse", str(text), "-q")
    assert quiet.stderr == b""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (
            "latin.txt",
            "Freedonia (Tier 2)\n\nCôte\n".encode("cp1252"),
            ":3: byte 21: not valid UTF-8",
        ),
    ],
)
def test_bad_content_gives_one_line_and_exit_3(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out.json"
    result = run("parse", str(path), "-o", str(out))
    assert result.returncode == 3
    line = one_error_line(result)
    assert str(path) in line and expected in line
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = run("parse", str(tmp_path / "nope.txt"))
    assert missing.returncode == 3
    assert "no such file" in one_error_line(missing)
    folder = run("parse", str(tmp_path))
    assert folder.returncode == 3
    assert "is a directory" in one_error_line(folder)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Freedonia (Tier 1)\n", encoding="utf-8")
    path.chmod(0)
    result = run("parse", str(path))
    assert result.returncode == 3
    assert "permission denied" in one_error_line(result)


def test_unwritable_output_leaves_nothing(tmp_path: Path) -> None:
    result = run("parse", str(SAMPLE), "-o", str(tmp_path / "missing" / "out.json"))
    assert result.returncode == 4
    assert "does not exist" in one_error_line(result)


def test_encoding_auto_reads_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("C\u00f4te d\u2019Ivoire (Tier 2)\n\nText.\n".encode("cp1252"))
    result = run("parse", str(path), "--encoding", "auto")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["source"]["encoding"] == "cp1252"
    assert data["sections"][0]["country_printed"] == "C\u00f4te d\u2019Ivoire"
    assert data["sections"][0]["country"] == "C\u00f4te d'Ivoire"  # the canonical name
    assert data["sections"][0]["iso3"] == "CIV"


def test_unknown_format_is_a_usage_error() -> None:
    result = run("parse", str(SAMPLE), "--to", "yaml")
    assert result.returncode == 2
    assert b"unknown format 'yaml'; valid formats: " in result.stderr
    assert b"json" in result.stderr


def test_version_and_help() -> None:
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith(b"tipconv, version ")
    help_text = run("--help").stdout.decode()
    assert "Examples:" in help_text and "Exit codes:" in help_text
    for command in ("parse", "formats"):
        sub = run(command, "--help")
        assert sub.returncode == 0 and b"Usage: tipconv " + command.encode() in sub.stdout


def test_short_help_and_version_flags() -> None:
    assert run("-V").stdout == run("--version").stdout
    for args in (("-h",), ("parse", "-h"), ("convert", "-h")):
        result = run(*args)
        assert result.returncode == 0 and b"-h, --help  " in result.stdout, args
        assert b"Show this message and exit." in result.stdout


# What a one-file parse to JSON must not import (issue 8: start like a small tool). Timing
# lives in bench/run.py; this pins the laziness that the timing depends on.
NOT_FOR_ONE_JSON_PARSE = (
    "rich",  # only for a progress bar on a terminal
    "dateutil",  # only for date forms the fast path does not know
    "locale",  # click's gettext lookups; tipconv's option texts avoid them
    "dataclasses",
    "importlib.metadata",  # plugins: only for an unknown format or `tipconv formats`
    "unicodedata",  # only for country names with non-ASCII letters
    "tipconv.batch",
    "tipconv.writers._csv",
    "tipconv.writers._markdown",
    "tipconv.writers._sqlite",
    "pypdfium2",  # only when a PDF is read
    "tipconv.readers.pdf",
    "tipconv.placements",  # only when a copy prints tier words alone (the placement lists)
    "tipconv.readers.html",  # only when a page is read
    "html.parser",
)


def run_then_report(args: list[str], report: str) -> subprocess.CompletedProcess[str]:
    """Run the console script's entry point with `args` in a fresh interpreter, then print
    the Python expression `report` on stderr (its last word is what a test reads)."""
    script = (
        "import gc, sys\n"
        "from tipconv.__main__ import run\n"
        f"sys.argv = ['tipconv', *{args!r}]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        f"print({report}, file=sys.stderr)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, cwd=ROOT, timeout=60, text=True
    )


def test_one_json_parse_imports_only_what_it_needs() -> None:
    result = run_then_report(["parse", str(SAMPLE), "--to", "json"], "' '.join(sys.modules)")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema_version"] == 2
    loaded = set(result.stderr.split())
    assert "tipconv.writers._json" in loaded
    assert not {name for name in NOT_FOR_ONE_JSON_PARSE if name in loaded}


@pytest.mark.parametrize(("command", "collector_on"), [("parse", False), ("convert", True)])
def test_console_script_turns_the_collector_on_only_for_convert(
    command: str, collector_on: bool
) -> None:
    """`run` starts with gc off (start-up speed); a batch of thousands of files needs it on."""
    result = run_then_report([command, str(SAMPLE), "-q"], "gc.isenabled()")
    assert result.stderr.split()[-1] == str(collector_on), result.stderr


def _all_commands() -> dict[str, click.Command | None]:
    """Every command of the group, those loaded only when named included."""
    from tipconv.cli import main

    ctx = click.Context(main)
    return {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}


def test_every_command_has_help_text() -> None:
    for name, command in _all_commands().items():
        assert command is not None and command.help, f"command {name} has no help"


def test_the_commands_loaded_when_named_are_those_of_commands_py() -> None:
    """`cli._ELSEWHERE` lists what `commands.py` defines, no more and no less, and a run of
    `parse` does not load them."""
    from tipconv import cli, commands

    defined = {name for name, value in vars(commands).items() if isinstance(value, click.Command)}
    assert defined == set(cli._ELSEWHERE)
    assert set(_all_commands()) == defined | {"parse", "explain"}
    result = run_then_report(["parse", str(SAMPLE), "--to", "json"], "' '.join(sys.modules)")
    assert "tipconv.commands" not in result.stderr.split()


def test_output_to_a_fifo_writes_through_it_and_keeps_it(tmp_path: Path) -> None:
    """Regression: -o /dev/null (or any device or FIFO) was once replaced by a regular file."""
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("parse", str(SAMPLE), "-o", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert json.loads(received[0])["sections"][0]["tier"] == "1"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]
