"""Hostile input through the real `tipconv` process: never a traceback, always the right exit.

Each test runs `python -m tipconv parse ...` in a subprocess with a timeout and checks the
exit code documented in cli.py, that stderr carries no traceback and (for errors) exactly
one `tipconv: error:` line naming the file, and that no half-written output is left behind.
"""

from __future__ import annotations

import functools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tipconv.cli import (
    EXIT_BROKEN_PIPE,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
)

# Only a guard against a hang, never a measure: a busy machine may take many times longer
# than an idle one. How long the big inputs take is checked in CPU time, relative to the
# same input at a tenth of its size in the same run (`assert_linear`); their absolute
# times and memory are the benchmark's (bench/run.py, the "hostile" rows).
TIME_LIMIT = 600.0
# CPU time of a big input over a tenth of it, after start-up: 10 if linear, 100 if quadratic.
GROWTH_MAX = 30.0

NARRATIVE = textwrap.dedent(
    """\
    Freedonia (Tier 2)

    Freedonia is a source, transit, and destination country for men, women, and children
    subjected to forced labor and sex trafficking.

    The Government of Freedonia does not fully comply with the minimum standards for the
    elimination of trafficking; however, it is making significant efforts to do so.
    """
)
BODY_SENTENCE = (
    "Freedonia is a source, transit, and destination country for men, women, and children "
    "subjected to forced labor and sex trafficking. "
)


class Run:
    """One finished `tipconv` process, with the checks every hostile case shares."""

    def __init__(self, result: subprocess.CompletedProcess[bytes], cpu: float) -> None:
        self.code = result.returncode
        self.stdout = result.stdout
        self.stderr = result.stderr.decode("utf-8", "replace")
        self.cpu = cpu  # user + system seconds: what the load of the machine does not inflate

    def json(self) -> Any:
        return json.loads(self.stdout)

    def ok(self) -> Run:
        assert self.code == EXIT_OK, self.stderr
        self.no_traceback()
        assert not self.error_lines(), self.stderr
        return self

    def failed(self, code: int, *needles: str) -> str:
        """Assert exit `code` and exactly one error line containing every needle; return it."""
        assert self.code == code, f"exit {self.code}, expected {code}: {self.stderr}"
        self.no_traceback()
        errors = self.error_lines()
        assert len(errors) == 1, f"expected one error line:\n{self.stderr}"
        for needle in needles:
            assert needle in errors[0], f"{needle!r} not in {errors[0]!r}"
        return errors[0]

    def no_traceback(self) -> None:
        assert "Traceback" not in self.stderr, self.stderr
        assert "Exception ignored" not in self.stderr, self.stderr

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("tipconv: error:")]


def _environment(*, debug: bool = False) -> dict[str, str]:
    """The caller's environment, minus anything that would change what these tests see."""
    environment = {**os.environ, "TIPCONV_NO_PLUGINS": "1"}
    environment.pop("TIPCONV_DEBUG", None)
    if debug:
        environment["TIPCONV_DEBUG"] = "1"
    return environment


def tipconv(*args: str, stdin: bytes | None = None) -> Run:
    environment = _environment()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=TIME_LIMIT,
        env=environment,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(result, cpu)


def leftovers(folder: Path) -> list[Path]:
    """Temporary files an interrupted atomic write would leave: `.NAME.XXXX.tmp`."""
    return sorted(folder.glob(".*.tmp"))


def parse_to_file(source: Path, folder: Path, *options: str) -> tuple[Run, Path]:
    out = folder / "out.json"
    run = tipconv("parse", str(source), "-o", str(out), "--compact", *options)
    assert not leftovers(folder), leftovers(folder)
    return run, out


def codes(document: dict[str, Any]) -> set[str]:
    return {d["code"] for d in document["diagnostics"]}


# Empty and blank inputs: a result with a diagnostic, exit 0.


@pytest.mark.parametrize("content", [b"", b"   \n\t\n\r\n \xc2\xa0 \n"], ids=["empty", "blank"])
def test_empty_or_blank_file_gives_an_empty_report(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(content)
    run, out = parse_to_file(source, tmp_path)
    run.ok()
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["sections"] == []
    assert "empty_input" in codes(document)
    assert "empty_input" in run.stderr


def test_empty_stdin_gives_an_empty_report() -> None:
    run = tipconv("parse", "-", "--compact", stdin=b"").ok()
    assert run.json()["source"]["path"] is None
    assert "<stdin>" in run.stderr


# Binary input: exit 3 naming the file, nothing written.


def test_png_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "picture.txt"
    source.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    run, out = parse_to_file(source, tmp_path)
    run.failed(EXIT_INPUT, str(source), "PNG")
    assert not out.exists()
    assert run.stdout == b""


@pytest.mark.parametrize("encoding", [None, "auto"])
def test_random_bytes_are_refused(tmp_path: Path, encoding: str | None) -> None:
    source = tmp_path / "noise.bin"
    source.write_bytes(random.Random(20030611).randbytes(65536))
    options = ("--encoding", encoding) if encoding else ()
    run, out = parse_to_file(source, tmp_path, *options)
    run.failed(EXIT_INPUT, str(source), "binary")
    assert not out.exists()


def test_nul_bytes_inside_text_are_removed_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "nul.txt"
    source.write_bytes(NARRATIVE.encode().replace(b"source,", b"sou\x00rce,\x00"))
    run, out = parse_to_file(source, tmp_path)
    run.ok()
    document = json.loads(out.read_text(encoding="utf-8"))
    assert "control_characters" in codes(document)
    [section] = document["sections"]
    assert section["tier"] == "2"
    first = section["parts"][0]["paragraphs"][0]
    assert first["text"].startswith("Freedonia is a source, transit")
    assert "\x00" not in out.read_text(encoding="utf-8")


def test_invalid_utf8_mid_line_names_the_byte_offset(tmp_path: Path) -> None:
    data = NARRATIVE.encode().replace(b"transit,", b"tran\xffsit,")
    offset = data.index(b"\xff")
    source = tmp_path / "bad.txt"
    source.write_bytes(data)
    run, out = parse_to_file(source, tmp_path)
    line = run.failed(EXIT_INPUT, str(source), f"byte {offset}", "UTF-8")
    assert "--encoding" in line  # the hint
    assert not out.exists()


def test_utf16_without_bom_is_refused_with_a_hint_and_read_with_auto(tmp_path: Path) -> None:
    source = tmp_path / "wide.txt"
    source.write_bytes(NARRATIVE.encode("utf-16-le"))
    run = tipconv("parse", str(source))
    run.failed(EXIT_INPUT, str(source), "UTF-16", "--encoding utf-16-le")
    auto = tipconv("parse", str(source), "--encoding", "auto", "--compact").ok()
    document = auto.json()
    assert document["source"]["encoding"] == "utf-16-le"
    assert "control_characters" not in codes(document)
    [section] = document["sections"]
    assert (section["country"], section["tier"]) == ("Freedonia", "2")


# Big inputs: exit 0, and CPU time that grows linearly with the input.


@functools.cache
def _start_up_cpu() -> float:
    """CPU seconds of a parse of an empty file: what every run costs before any input."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "empty.txt"
        source.write_bytes(b"")
        return tipconv("parse", str(source), "-o", f"{folder}/empty.json").ok().cpu


def assert_linear(make: Callable[[Path, int], None], size: int, folder: Path) -> tuple[Run, Path]:
    """Parse the input `make` writes at `size`, after the same at a tenth of it: the big one
    may cost at most GROWTH_MAX times the small one's CPU beyond start-up (10 is linear).

    Relative and in CPU time, so a slow or busy machine cannot fail it; returns the big run.
    """
    start_up = _start_up_cpu()
    small_folder, big_folder = folder / "small", folder / "big"
    small_folder.mkdir()
    big_folder.mkdir()
    make(small_folder / "input.txt", size // 10)
    small, _ = parse_to_file(small_folder / "input.txt", small_folder)
    small.ok()
    make(big_folder / "input.txt", size)
    run, out = parse_to_file(big_folder / "input.txt", big_folder)
    run.ok()
    allowed = GROWTH_MAX * max(small.cpu - start_up, 0.05)
    assert run.cpu - start_up <= allowed, (run.cpu, small.cpu, start_up)
    return run, out


def _one_line(path: Path, size: int) -> None:
    path.write_text((BODY_SENTENCE * (size // len(BODY_SENTENCE) + 1))[:size], encoding="utf-8")


def test_50_mb_single_line(tmp_path: Path) -> None:
    _, out = assert_linear(_one_line, 50 * 1024 * 1024, tmp_path)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["source"]["line_count"] == 1
    assert document["sections"] == []  # no heading, no title: not claimed as a narrative


def _short_lines(path: Path, count: int) -> None:
    path.write_text("".join(f"line {i} text.\n" for i in range(count)), encoding="utf-8")


def test_many_short_lines(tmp_path: Path) -> None:
    """200,000 lines, against 20,000: the million of bench/run.py ("short lines") took 13 s
    on an idle machine and 62 s on a busy one, too slow and too variable for a test."""
    _, out = assert_linear(_short_lines, 200_000, tmp_path)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["source"]["line_count"] == 200_000


def _headings(path: Path, count: int) -> None:
    from tipconv._country_data import COUNTRIES

    names = [entry[0] for entry in COUNTRIES]
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            name = names[number % len(names)]
            handle.write(f"{name} (Tier {1 + number % 3})\n\n{name} is a source country.\n\n")


def test_ten_thousand_country_headings(tmp_path: Path) -> None:
    _, out = assert_linear(_headings, 10_000, tmp_path)
    sections = json.loads(out.read_text(encoding="utf-8"))["sections"]
    assert len(sections) == 10_000
    assert sections[-1]["line"] == 4 * 9_999 + 1


def _labels(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Trafficking in Persons Report 2010 - Freedonia\n\n")
        handle.writelines(f"Publisher X{number}\n" for number in range(count))
        handle.write("\n" + NARRATIVE)


def test_a_hundred_thousand_repeated_header_labels(tmp_path: Path) -> None:
    run, out = assert_linear(_labels, 100_000, tmp_path)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["metadata"]["publisher"] == "X0"  # the first is kept
    assert len(document["sections"]) == 1
    # One warning for the repeated label, not 99,999: stderr and the JSON stay readable.
    duplicates = [d for d in document["diagnostics"] if d["code"] == "duplicate_label"]
    assert len(duplicates) == 1 and duplicates[0]["line"] == 4
    assert len(run.stderr.splitlines()) < 30


# Paths that are not readable files.


def test_directory_is_refused(tmp_path: Path) -> None:
    tipconv("parse", str(tmp_path)).failed(EXIT_INPUT, str(tmp_path), "directory")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    tipconv("parse", str(missing)).failed(EXIT_INPUT, str(missing), "no such file")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anyway")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "secret.txt"
    source.write_text(NARRATIVE, encoding="utf-8")
    source.chmod(0)
    try:
        tipconv("parse", str(source)).failed(EXIT_INPUT, str(source), "permission denied")
    finally:
        source.chmod(0o600)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_read_to_its_end(tmp_path: Path) -> None:
    """A named pipe is read like a file (process substitution, `mkfifo` workflows)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def feed() -> None:
        # Blocks until tipconv opens the other end; an unopened FIFO must not hang the test.
        with open(fifo, "wb") as handle:
            handle.write(NARRATIVE.encode())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    run = tipconv("parse", str(fifo), "--compact").ok()
    writer.join(timeout=10)
    assert not writer.is_alive()
    [section] = run.json()["sections"]
    assert section["tier"] == "2"


# Outputs that cannot be written: exit 4 naming the output, nothing left behind.


def test_output_in_a_missing_folder(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(NARRATIVE, encoding="utf-8")
    out = tmp_path / "missing" / "out.json"
    run = tipconv("parse", str(source), "-o", str(out))
    run.failed(EXIT_OUTPUT, str(out), "does not exist")
    assert not out.parent.exists()
    assert not leftovers(tmp_path)
    assert run.stdout == b""


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux /proc")
def test_output_under_a_file_that_cannot_be_a_folder(tmp_path: Path) -> None:
    """/proc/version is a file, so /proc/version/x.json is unwritable even for root."""
    source = tmp_path / "in.txt"
    source.write_text(NARRATIVE, encoding="utf-8")
    out = "/proc/version/x.json"
    run = tipconv("parse", str(source), "-o", out)
    run.failed(EXIT_OUTPUT, out)
    assert run.stdout == b""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anyway")
def test_output_in_a_read_only_folder(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(NARRATIVE, encoding="utf-8")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        out = folder / "out.json"
        tipconv("parse", str(source), "-o", str(out)).failed(EXIT_OUTPUT, str(out), "permission")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# Usage errors and the reader of stdout going away.


def test_unknown_format_lists_the_valid_ones(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(NARRATIVE, encoding="utf-8")
    run = tipconv("parse", str(source), "--to", "klingon", "-o", str(tmp_path / "out.json"))
    assert run.code == EXIT_USAGE
    run.no_traceback()
    listed = [line for line in run.stderr.splitlines() if "valid formats" in line]
    assert len(listed) == 1, run.stderr
    assert "'klingon'" in listed[0]
    assert "json" in listed[0]
    assert run.stdout == b""
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.txt"]


def test_stdout_closed_early(tmp_path: Path) -> None:
    """`tipconv parse big.txt | head -c 10`: exit quietly as a shell reports SIGPIPE."""
    source = tmp_path / "big.txt"
    paragraphs = "\n\n".join(BODY_SENTENCE * 5 for _ in range(4000))  # ~3 MB of JSON out
    source.write_text(NARRATIVE + "\n" + paragraphs + "\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "tipconv", "parse", str(source), "--compact"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(),
    )
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(10)
    process.stdout.close()
    try:
        stderr = process.stderr.read().decode("utf-8", "replace")
        code = process.wait(timeout=TIME_LIMIT)
    finally:
        process.kill()
        process.stderr.close()
    assert head == b'{"schema_v'
    assert code in (EXIT_BROKEN_PIPE, EXIT_OK), stderr
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr


# Internal errors: one line and exit 70; --debug (or TIPCONV_DEBUG=1) shows the traceback.

_BROKEN_PARSER = """
import sys
import tipconv.parser

def run(self):
    raise RuntimeError("planted bug")

tipconv.parser._Parse.run = run
from tipconv.cli import main
main(sys.argv[1:], prog_name="tipconv")
"""


def _broken(*args: str, debug_env: bool = False) -> Run:
    environment = _environment(debug=debug_env)
    result = subprocess.run(
        [sys.executable, "-c", _BROKEN_PARSER, *args],
        capture_output=True,
        timeout=TIME_LIMIT,
        env=environment,
        check=False,
    )
    return Run(result, 0.0)


def test_internal_error_is_one_line_and_exit_70(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(NARRATIVE, encoding="utf-8")
    out = tmp_path / "out.json"
    run = _broken("parse", str(source), "-o", str(out))
    run.failed(EXIT_INTERNAL, str(source), "internal error", "--debug")
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert not out.exists()
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("how", ["--debug", "TIPCONV_DEBUG=1"])
def test_debug_shows_the_traceback(tmp_path: Path, how: str) -> None:
    source = tmp_path / "in.txt"
    source.write_text(NARRATIVE, encoding="utf-8")
    if how == "--debug":
        run = _broken("parse", str(source), "--debug")
    else:
        run = _broken("parse", str(source), debug_env=True)
    assert run.code not in (EXIT_OK, EXIT_INTERNAL)
    assert "Traceback" in run.stderr
    assert "RuntimeError: planted bug" in run.stderr
    assert "in run" in run.stderr  # the frame of the failing code is shown
