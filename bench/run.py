"""Benchmark tipconv: cold start, throughput, memory and hostile inputs, with targets.

Not a test: it prints a table with PASS/FAIL per target and writes the numbers as JSON.
Stdlib only, plus the installed tipconv (for the corpus generator). Every measurement runs
tipconv's console script in a fresh child process, as a user's shell loop would.

    .venv/bin/python bench/run.py --quick              # well under a minute
    .venv/bin/python bench/run.py                      # 1,000 / 10,000 / 100,000 narratives
    .venv/bin/python bench/run.py --only cold --markdown

See bench/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_bench  # bench/ is not a package: run.py puts it on sys.path
from make_corpus import (
    PRIMARY_FIXTURE,
    ROOT,
    Corpus,
    ensure_corpus,
    html_pages,
    many_lines_file,
    one_line_file,
    short_lines_file,
)

GROUPS = ("cold", "throughput", "memory", "hostile", "model", "pdf", "html")
MB = 1_000_000

# Targets (issue 8).
COLD_START_MAX = 1.3  # tipconv parse / python -c "import click"
COLD_INSTRUCTIONS_MAX = 1.15  # the same in instructions (issue 22), where valgrind runs
FLOOR_MIN = 0.40  # convert --jobs 1 throughput / Python floor
SCALING_MIN = 0.8  # convert --jobs N throughput >= SCALING_MIN * N * --jobs 1
MEMORY_MAX = 1.2  # peak RSS at the largest corpus / at the smallest
GRID_MEMORY_MAX = 1.0  # peak RSS of `grid` / of `convert --jobs 1`, same corpus (issue 16)
LINEARITY_MAX = 2.2  # time for a double-size hostile input / single-size
SHORT_LINES_MEMORY_MAX = 10.0  # peak RSS of parse / bytes of a file of short lines (issue 24)
PDF_PAGES = 600  # the PDF case (issue 20): a report of this many pages, generated
PDF_SECONDS_MAX = 3.0  # CPU seconds to parse it, text extraction included
# Peak RSS added by each page beyond PDF_PAGES: the text, the parse of it and pdfium's own
# page index grow with the pages (a text parse of the extracted text grows ~10 KB a page);
# a reader that kept its pages (their characters, boxes, lines) would add far more.
PDF_KB_PER_PAGE_MAX = 32

# The floor for PDFs: pypdfium2's own text extraction, page by page, nothing else.
PDF_FLOOR_SCRIPT = """\
import sys
import pypdfium2
document = pypdfium2.PdfDocument(sys.argv[1])
for index in range(len(document)):
    page = document[index]
    textpage = page.get_textpage()
    textpage.get_text_range()
    textpage.close()
    page.close()
"""

FLOOR_SCRIPT = """\
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
paths = []
for folder, dirs, files in os.walk(root):
    dirs.sort()
    paths.extend(os.path.join(folder, name) for name in sorted(files) if name.endswith(".txt"))
with open(out, "w", encoding="utf-8") as handle:
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as source:
            lines = source.read().splitlines()
        handle.write(json.dumps(lines, ensure_ascii=False))
        handle.write("\\n")
"""


# The modules a text parse imports, in the order it imports them (the budget rows).
IMPORT_STEPS = (
    "tipconv.cli",
    "tipconv.model",
    "tipconv.rules",
    "tipconv.evidence",
    "tipconv.parser",
    "tipconv.reading",
    "tipconv.writers",
    "json",
)


def count_instructions(command: Sequence[str], env: dict[str, str]) -> int | None:
    """Instructions `command` executes, by valgrind's callgrind (None if it failed)."""
    found = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    for line in found.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip())
    return None


# --- running children ------------------------------------------------------------------------


@dataclass
class Run:
    """One child process: wall and CPU time, its own peak RSS, exit status, end of stderr."""

    seconds: float
    cpu_seconds: float  # user + system, so a busy machine does not inflate it
    max_rss_kib: int
    returncode: int
    stderr: str
    timed_out: bool = False


# Runs a command and writes its peak RSS (KiB) to the file named first. Linux carries a
# process's RSS high-water mark across fork and exec, so a child of the bench (which has
# parsed fixtures and holds ~25 MB) can never report less than the bench itself: the
# command's own peak is only visible from a small parent like this one.
RSS_PROBE = """\
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_child(
    command: Sequence[str],
    env: dict[str, str],
    *,
    stdout: IO[bytes] | int = subprocess.DEVNULL,
    timeout: float | None = None,
    own_rss: bool = False,
) -> Run:
    """Run `command`; os.wait4 gives this child's own rusage, not a running maximum.

    With `own_rss`, the peak RSS comes through `RSS_PROBE`, so it is the command's alone
    and not at least the bench's (times still come from this process's own wait).
    """
    probe = None
    if own_rss:
        handle, probe = tempfile.mkstemp(prefix="tipconv-bench-rss-")
        os.close(handle)
        command = [sys.executable, "-c", RSS_PROBE, probe, *command]
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=errors,
            env=env,
            cwd=ROOT,
            start_new_session=own_rss,  # a timeout kills the probe and the command alike
        )
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            if own_rss:
                os.killpg(process.pid, 9)
            else:
                process.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if timer:
                timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        tail = errors.read()[-2000:].decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    max_rss = int(usage.ru_maxrss)
    if probe is not None:
        with open(probe) as report:
            text = report.read().strip()
        os.unlink(probe)
        max_rss = int(text) if text else max_rss
    return Run(seconds, cpu, max_rss, process.returncode, tail, expired.is_set())


@dataclass
class Series:
    """Repeated runs of one command: the median is what the table shows."""

    label: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run.returncode == 0 for run in self.runs)

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def max_rss_mb(self) -> float:
        return statistics.median(run.max_rss_kib for run in self.runs) * 1024 / MB

    def failure(self) -> str:
        bad = next((run for run in self.runs if run.returncode != 0), None)
        if bad is None:
            return ""
        if bad.timed_out:
            return f"timed out after {bad.seconds:.0f} s (killed)"
        last = bad.stderr.strip().splitlines()[-1:] or [""]
        return f"exit {bad.returncode}: {last[0][:160]}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "command": self.command,
            "median_seconds": self.seconds if self.runs else None,
            "seconds": [run.seconds for run in self.runs],
            "cpu_seconds": [run.cpu_seconds for run in self.runs],
            "max_rss_kib": [run.max_rss_kib for run in self.runs],
            "returncodes": [run.returncode for run in self.runs],
        }


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- the table -------------------------------------------------------------------------------


@dataclass
class Row:
    group: str
    measure: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None  # None: information only, or not measured
    note: str = ""

    @property
    def result(self) -> str:
        if self.passed is not None:
            return "PASS" if self.passed else "FAIL"
        return "" if self.value else "SKIP"


HEADERS = ("Group", "Measure", "Value", "Against", "Ratio", "Target", "Result")


def _cells(row: Row) -> list[str]:
    ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
    return [
        row.group,
        row.measure,
        row.value or row.note,
        row.baseline,
        ratio,
        row.target,
        row.result,
    ]


def plain_table(rows: list[Row]) -> str:
    cells = [list(HEADERS), *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]
    out = []
    for number, line in enumerate(cells):
        padded = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        out.append("  ".join(padded).rstrip())
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    notes = [f"  {row.measure}: {row.note}" for row in rows if row.note and row.value]
    return "\n".join(out + (["", "Notes:", *notes] if notes else [])).rstrip() + "\n"


def markdown_table(rows: list[Row]) -> str:
    def escape(cell: str) -> str:
        return cell.replace("|", "\\|")

    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        cells = [escape(cell) for cell in _cells(row)]
        if cells[1].startswith(("tipconv ", "python -c")):
            cells[1] = f"`{cells[1]}`"
        out.append("| " + " | ".join(cells) + " |")
    notes = [f"- {row.measure}: {row.note}" for row in rows if row.note and row.value]
    return "\n".join(out + (["", *notes] if notes else [])) + "\n"


# --- the benchmark ---------------------------------------------------------------------------


@dataclass
class Settings:
    sizes: list[int]
    repeat: int
    cold_repeat: int
    jobs: int
    throughput_size: int
    hostile_bytes: int
    hostile_lines: int
    corpus_dir: Path
    work_dir: Path
    tipconv: str
    python: str
    env: dict[str, str]
    timeout: float
    hostile_timeout: float
    groups: tuple[str, ...]


class Bench:
    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self.rows: list[Row] = []
        self.series: dict[str, Series] = {}
        self.corpora: dict[int, Corpus] = {}
        self.convert_rss: dict[int, Series] = {}  # by corpus size, measured through RSS_PROBE
        self.formats = self._formats()
        self.has_convert = self._has_convert()

    # helpers

    def _probe(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.s.tipconv, *args],
            capture_output=True,
            text=True,
            env=self.s.env,
            cwd=ROOT,
            check=False,
        )

    def _has_convert(self) -> bool:
        return self._probe("convert", "--help").returncode == 0

    def _formats(self) -> set[str]:
        done = self._probe("formats", "--no-plugins")
        if done.returncode != 0:
            return {"json"}
        return {line.split()[0] for line in done.stdout.splitlines() if line.strip()}

    def repeat(
        self,
        key: str,
        label: str,
        command: list[str],
        times: int,
        *,
        output: Path | None = None,
        timeout: float | None = None,
        own_rss: bool = False,
    ) -> Series:
        """Run `command` `times` times (after clearing `output`), keep the series."""
        series = Series(label, command)
        for _ in range(times):
            if output is not None:
                output.unlink(missing_ok=True)
            # The kernel writing back what came before (a 100 MB input just made, the last
            # run's output) would otherwise land in this run's time.
            _sync()
            series.runs.append(
                run_child(command, self.s.env, timeout=timeout or self.s.timeout, own_rss=own_rss)
            )
            if series.runs[-1].returncode != 0:
                break  # one failure is enough to report; do not burn time repeating it
        self.series[key] = series
        return series

    def corpus(self, size: int) -> Corpus:
        if size not in self.corpora:
            started = time.perf_counter()
            corpus = ensure_corpus(size, self.s.corpus_dir, quiet=True)
            how = "reused" if corpus.reused else f"made in {time.perf_counter() - started:.1f} s"
            log(f"corpus {size:,}: {corpus.bytes / MB:.1f} MB, {how} ({corpus.path})")
            self.corpora[size] = corpus
        return self.corpora[size]

    # cold start

    def cold_start(self) -> None:
        fixture = str(PRIMARY_FIXTURE.relative_to(ROOT))
        python, tipconv = self.s.python, self.s.tipconv
        commands = {
            "pass": ("python -c pass", [python, "-c", "pass"]),
            "click": ('python -c "import click"', [python, "-c", "import click"]),
            "version": ("tipconv --version", [tipconv, "--version"]),
            "parse": (
                f"tipconv parse {Path(fixture).name} --to json",
                [tipconv, "parse", fixture, "--to", "json"],
            ),
        }
        log(f"cold start: {len(commands)} commands x {self.s.cold_repeat} runs, interleaved")
        series = {key: Series(label, command) for key, (label, command) in commands.items()}
        for _ in range(3):  # warm the page cache and write bytecode
            for key in commands:
                run_child(commands[key][1], self.s.env)
        for _ in range(self.s.cold_repeat):
            for key in commands:  # interleaved, so drift in machine load hits all alike
                series[key].runs.append(run_child(commands[key][1], self.s.env))
        for key, one in series.items():
            self.series[f"cold.{key}"] = one
        click = series["click"].seconds
        for key in ("pass", "click"):
            self.rows.append(Row("cold start", series[key].label, _ms(series[key].seconds)))
        for key in ("version", "parse"):
            one = series[key]
            if not one.ok:
                self.rows.append(Row("cold start", one.label, "", passed=False, note=one.failure()))
                continue
            ratio = one.seconds / click
            scored = key == "parse"
            self.rows.append(
                Row(
                    "cold start",
                    one.label,
                    _ms(one.seconds),
                    "import click",
                    ratio,
                    f"<= {COLD_START_MAX:.2f}" if scored else "",
                    ratio <= COLD_START_MAX if scored else None,
                )
            )

        self._cold_instructions({key: command for key, (_, command) in commands.items()})

    def _cold_instructions(self, commands: dict[str, list[str]]) -> None:
        """The cold-start commands in instructions (valgrind's callgrind), which the
        machine's load does not move; then what each step of the parse's imports adds."""
        if shutil.which("valgrind") is None:
            self.rows.append(Row("cold start", "instructions", "", note="no valgrind"))
            return
        log("cold start: instruction counts (callgrind)")
        counts = {key: count_instructions(command, self.s.env) for key, command in commands.items()}
        click = counts["click"]
        for key, count in counts.items():
            label = f"{key}: instructions"
            if count is None or click is None:
                self.rows.append(
                    Row("cold start", label, "", passed=False, note="callgrind failed")
                )
                continue
            compared = key in ("version", "parse")
            scored = key == "parse"
            self.rows.append(
                Row(
                    "cold start",
                    label,
                    f"{count / MB:.1f}M",
                    "import click" if compared else "",
                    count / click if compared else None,
                    f"<= {COLD_INSTRUCTIONS_MAX:.2f}" if scored else "",
                    count / click <= COLD_INSTRUCTIONS_MAX if scored else None,
                )
            )
        # The start-up budget module by module: each step imports one more of the modules a
        # parse loads, in the order it loads them.
        steps = ["click", *IMPORT_STEPS]
        previous = click
        for number in range(1, len(steps)):
            script = "import " + ", ".join(steps[: number + 1])
            count = count_instructions([self.s.python, "-c", script], self.s.env)
            if count is None or previous is None:
                break
            self.rows.append(
                Row("cold start", f"+ import {steps[number]}", f"{(count - previous) / MB:.1f}M")
            )
            previous = count

    # throughput

    def _convert(self, corpus: Corpus, fmt: str, jobs: int, out: Path) -> list[str]:
        return [
            self.s.tipconv,
            "convert",
            str(corpus.path),
            "--to",
            fmt,
            "-o",
            str(out),
            "--jobs",
            str(jobs),
        ]

    def throughput(self) -> None:
        corpus = self.corpus(self.s.throughput_size)
        size = f"{corpus.files:,}"
        floor_script = self.s.work_dir / "floor.py"
        floor_script.write_text(FLOOR_SCRIPT, encoding="utf-8")
        floor_out = self.s.work_dir / "floor.jsonl"
        log(f"throughput on {size} narratives: Python floor x {self.s.repeat}")
        floor = self.repeat(
            "throughput.floor",
            "python floor (read, split, json.dumps)",
            [self.s.python, str(floor_script), str(corpus.path), str(floor_out)],
            self.s.repeat,
            output=floor_out,
        )
        floor_out.unlink(missing_ok=True)
        if not floor.ok:
            self.rows.append(Row("throughput", floor.label, "", passed=False, note=floor.failure()))
            return
        self.rows.append(Row("throughput", f"{floor.label}, {size}", _rate(corpus, floor.seconds)))
        for fmt in ("jsonl", "csv"):
            label = f"tipconv convert --to {fmt}"
            if not self.has_convert or fmt not in self.formats:
                missing = "no 'convert' command" if not self.has_convert else f"no {fmt} writer"
                self.rows.append(Row("throughput", label, "", note=f"not measured: {missing}"))
                continue
            out = self.s.work_dir / f"out.{fmt}"
            results: dict[int, Series] = {}
            for jobs in sorted({1, self.s.jobs}):
                log(f"throughput: convert --to {fmt} --jobs {jobs} x {self.s.repeat}")
                one = self.repeat(
                    f"throughput.{fmt}.jobs{jobs}",
                    f"{label} --jobs {jobs}",
                    self._convert(corpus, fmt, jobs, out),
                    self.s.repeat,
                    output=out,
                )
                note = self._check_output(out, fmt, corpus) if one.ok else ""
                out.unlink(missing_ok=True)
                results[jobs] = one
                if not one.ok:
                    self.rows.append(
                        Row("throughput", one.label, "", passed=False, note=one.failure())
                    )
                    continue
                if jobs == 1:
                    ratio = floor.seconds / one.seconds
                    self.rows.append(
                        Row(
                            "throughput",
                            f"{one.label}, {size}",
                            _rate(corpus, one.seconds),
                            "floor",
                            ratio,
                            f">= {FLOOR_MIN:.2f}",
                            ratio >= FLOOR_MIN,
                            note,
                        )
                    )
                    continue
                base = results.get(1)
                if base is None or not base.ok:
                    continue
                speedup = base.seconds / one.seconds
                wanted = SCALING_MIN * jobs
                self.rows.append(
                    Row(
                        "throughput",
                        f"{one.label}, {size}",
                        _rate(corpus, one.seconds),
                        "--jobs 1",
                        speedup,
                        f">= {wanted:.2f}",
                        speedup >= wanted,
                        note,
                    )
                )
            if self.s.jobs == 1:
                self.rows.append(
                    Row("throughput", f"{label} --jobs N", "", note="not measured: one CPU")
                )

    def _check_output(self, out: Path, fmt: str, corpus: Corpus) -> str:
        """A cheap sanity check that the run converted every narrative."""
        if not out.exists():
            return "no output file was written"
        if fmt != "jsonl":
            return ""
        with out.open("rb") as handle:
            lines = sum(1 for _ in handle)
        return "" if lines == corpus.files else f"{lines:,} JSON lines for {corpus.files:,} files"

    # memory

    def memory(self) -> None:
        if not self.has_convert or "jsonl" not in self.formats:
            self.rows.append(
                Row("memory", "tipconv convert --to jsonl --jobs 1", "", note="not measured")
            )
            return
        out = self.s.work_dir / "memory.jsonl"
        measured: list[tuple[Corpus, Series]] = []
        for size in self.s.sizes:
            corpus = self.corpus(size)
            key = f"throughput.jsonl.jobs1.{size}"
            log(f"memory: convert --to jsonl --jobs 1 on {size:,} x {self.s.repeat}")
            one = self.repeat(
                key,
                f"tipconv convert --to jsonl --jobs 1, {size:,}",
                self._convert(corpus, "jsonl", 1, out),
                self.s.repeat,
                output=out,
                own_rss=True,
            )
            out.unlink(missing_ok=True)
            self.convert_rss[size] = one
            if not one.ok:
                self.rows.append(Row("memory", one.label, "", passed=False, note=one.failure()))
                continue
            measured.append((corpus, one))
        self.grid_memory()
        if not measured:
            return
        smallest = measured[0][1].max_rss_mb
        for position, (corpus, one) in enumerate(measured):
            ratio = one.max_rss_mb / smallest
            last = position == len(measured) - 1 and position > 0
            self.rows.append(
                Row(
                    "memory",
                    f"peak RSS, {one.label}",
                    f"{one.max_rss_mb:.1f} MB ({_rate(corpus, one.seconds)})",
                    f"{measured[0][0].files:,} files" if position else "",
                    ratio if position else None,
                    f"<= {MEMORY_MAX:.2f}" if last else "",
                    ratio <= MEMORY_MAX if last else None,
                )
            )

    def grid_memory(self) -> None:
        """`grid` keeps a row per country-year, never a narrative: it needs less than
        `convert`, which holds one report at a time, on the same corpus."""
        label = "tipconv grid --to csv"
        if self._probe("grid", "--help").returncode != 0:
            self.rows.append(Row("memory", label, "", note="not measured (no grid command)"))
            return
        size = self.s.throughput_size
        corpus = self.corpus(size)
        convert = self.convert_rss.get(size)  # unless --sizes left this size out
        if convert is None:
            out = self.s.work_dir / "memory.jsonl"
            log(f"memory: convert --to jsonl --jobs 1 on {size:,} x {self.s.repeat}")
            convert = self.repeat(
                f"throughput.jsonl.jobs1.{size}",
                f"tipconv convert --to jsonl --jobs 1, {size:,}",
                self._convert(corpus, "jsonl", 1, out),
                self.s.repeat,
                output=out,
                own_rss=True,
            )
            out.unlink(missing_ok=True)
        out = self.s.work_dir / "grid.csv"
        log(f"memory: grid --to csv on {size:,} x {self.s.repeat}")
        command = [self.s.tipconv, "grid", str(corpus.path), "--to", "csv", "-o", str(out), "-q"]
        grid = self.repeat(
            f"memory.grid.{size}",
            f"{label}, {size:,}",
            command,
            self.s.repeat,
            output=out,
            own_rss=True,
        )
        out.unlink(missing_ok=True)
        if not grid.ok or not convert.ok:
            failed = grid if not grid.ok else convert
            self.rows.append(Row("memory", failed.label, "", passed=False, note=failed.failure()))
            return
        ratio = grid.max_rss_mb / convert.max_rss_mb
        self.rows.append(
            Row(
                "memory",
                f"peak RSS, {grid.label}",
                f"{grid.max_rss_mb:.1f} MB ({_rate(corpus, grid.seconds)})",
                f"convert --jobs 1, {size:,}",
                ratio,
                f"<= {GRID_MEMORY_MAX:.2f}",
                ratio <= GRID_MEMORY_MAX,
            )
        )

    # hostile inputs

    def hostile(self) -> None:
        cases: list[tuple[str, Callable[[Path, int], int], int, Callable[[int], str]]] = [
            ("one line", one_line_file, self.s.hostile_bytes, lambda n: f"{n / MB:.0f} MB"),
            ("many lines", many_lines_file, self.s.hostile_lines, lambda n: f"{n:,} lines"),
            ("short lines", short_lines_file, self.s.hostile_lines, lambda n: f"{n:,} lines"),
        ]
        out = self.s.work_dir / "hostile.json"
        for name, make, amount, describe in cases:
            timings: list[Series] = []
            sizes: list[int] = []
            for factor in (1, 2):
                if timings and not timings[-1].ok:
                    break  # a single size that failed or timed out says enough
                path = self.s.work_dir / f"hostile-{name.replace(' ', '-')}-x{factor}.txt"
                written = make(path, amount * factor)
                label = f"tipconv parse <{name}, {describe(amount * factor)}>"
                log(f"hostile: {label} ({written / MB:.0f} MB) x {self.s.repeat}")
                one = self.repeat(
                    f"hostile.{name.replace(' ', '_')}.x{factor}",
                    label,
                    [self.s.tipconv, "parse", str(path), "--to", "json", "-o", str(out)],
                    self.s.repeat,
                    output=out,
                    timeout=self.s.hostile_timeout,
                    own_rss=name == "short lines",
                )
                out.unlink(missing_ok=True)
                path.unlink()
                timings.append(one)
                sizes.append(written)
            self._hostile_rows(timings)
            if name == "short lines" and timings[0].ok:
                self._short_lines_rows(timings[0], sizes[0], amount)

    def _short_lines_rows(self, one: Series, written: int, lines: int) -> None:
        """Memory against the input, and CPU time per line, of the million short lines that
        tests/test_hostile.py ran against a wall clock until issue 24."""
        ratio = one.max_rss_mb * MB / written
        self.rows.append(
            Row(
                "hostile",
                f"{one.label}: peak RSS",
                f"{one.max_rss_mb:.0f} MB",
                f"input {written / MB:.1f} MB",
                ratio,
                f"<= {SHORT_LINES_MEMORY_MAX:.0f}",
                ratio <= SHORT_LINES_MEMORY_MAX,
            )
        )
        per_line = one.cpu_seconds / lines * 1e6
        self.rows.append(Row("hostile", f"{one.label}: CPU per line", f"{per_line:.1f} µs"))

    def _hostile_rows(self, timings: list[Series]) -> None:
        single = timings[0]
        for one in timings:
            if not one.ok:
                self.rows.append(Row("hostile", one.label, "", passed=False, note=one.failure()))
                continue
            value = (
                f"{one.cpu_seconds:.2f} s CPU, {one.seconds:.2f} s wall, {one.max_rss_mb:.0f} MB"
            )
            if one is single:
                self.rows.append(Row("hostile", one.label, value))
                continue
            # CPU time, not wall time: linearity is about the algorithm, not the machine's load.
            ratio = one.cpu_seconds / single.cpu_seconds
            self.rows.append(
                Row(
                    "hostile",
                    one.label,
                    value,
                    "single (CPU)",
                    ratio,
                    f"<= {LINEARITY_MAX:.2f}",
                    ratio <= LINEARITY_MAX,
                )
            )

    # the model classes' style (issue 13): plain slotted classes against frozen dataclasses

    def model(self) -> None:
        """Define cost (fresh processes, as at start-up) and build cost (per object) of
        tipconv.model's classes in both styles; see bench/model_bench.py."""
        folder = self.s.work_dir / "model"
        folder.mkdir(exist_ok=True)
        model_bench.write_sources(folder)
        script = str(Path(model_bench.__file__))

        def child(*args: str) -> float:
            done = subprocess.run(
                [self.s.python, script, *args, str(folder)],
                capture_output=True,
                text=True,
                env=self.s.env,
                cwd=ROOT,
                check=True,
            )
            return float(done.stdout)

        log(f"model: define each style x {self.s.cold_repeat} fresh processes, then build")
        define: dict[str, list[float]] = {"plain": [], "dataclass": [], "import": []}
        for _ in range(self.s.cold_repeat):  # interleaved, as the cold-start rows are
            define["plain"].append(child("define", "plain"))
            define["dataclass"].append(child("define", "dataclass"))
            define["import"].append(child("dataclasses", "plain"))
        plain, frozen, imported = (statistics.median(define[k]) for k in define)
        label = "define the classes (fresh process)"
        self.rows.append(Row("model", f"{label}: plain slotted", _ms(plain, 2)))
        self.rows.append(
            Row(
                "model",
                f"{label}: frozen slotted dataclasses",
                f"{_ms(frozen, 2)} + {_ms(imported, 2)} to import dataclasses",
                "plain",
                (frozen + imported) / plain,
            )
        )
        built = {style: child("build", style) for style in model_bench.STYLES}
        label = "build one object (the sample report's mix)"
        self.rows.append(Row("model", f"{label}: plain slotted", f"{built['plain'] * 1e9:.0f} ns"))
        self.rows.append(
            Row(
                "model",
                f"{label}: frozen slotted dataclasses",
                f"{built['dataclass'] * 1e9:.0f} ns",
                "plain",
                built["dataclass"] / built["plain"],
            )
        )

    # PDFs (issue 20): a generated report, against pypdfium2's own extraction

    def _pdf_file(self, pages: int) -> Path | None:
        path = self.s.work_dir / f"report-{pages}-pages.pdf"
        if not path.exists():
            log(f"pdf: generating a {pages}-page report with fpdf2 (tests/pdf_fixtures.py)")
            done = subprocess.run(
                [self.s.python, "-m", "tests.pdf_fixtures", "--big", str(pages), str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            if done.returncode != 0:
                log(f"pdf: cannot generate ({done.stderr.strip().splitlines()[-1:]})")
                return None
        return path

    def pdf(self) -> None:
        """Parse a generated 600-page report: pages/s beside pypdfium2's extraction alone,
        and peak memory for twice the pages (pages are read one at a time)."""
        path = self._pdf_file(PDF_PAGES)
        if path is None:
            self.rows.append(Row("pdf", f"{PDF_PAGES}-page report", "", note="needs fpdf2"))
            return
        out = self.s.work_dir / "pdf.json"
        floor = self.repeat(
            "pdf.floor",
            f"pypdfium2 text extraction, {PDF_PAGES} pages",
            [self.s.python, "-c", PDF_FLOOR_SCRIPT, str(path)],
            self.s.repeat,
        )
        parse = self.repeat(
            "pdf.parse",
            f"tipconv parse <{PDF_PAGES}-page PDF> --to json",
            [self.s.tipconv, "parse", str(path), "--to", "json", "-o", str(out), "-q"],
            self.s.repeat,
            output=out,
            own_rss=True,
        )
        for series in (floor, parse):
            if not series.ok:
                self.rows.append(Row("pdf", series.label, "", passed=False, note=series.failure()))
                return
        rate = PDF_PAGES / floor.cpu_seconds
        self.rows.append(
            Row("pdf", floor.label, f"{floor.cpu_seconds:.2f} s CPU ({rate:,.0f} pages/s)")
        )
        rate = PDF_PAGES / parse.cpu_seconds
        self.rows.append(
            Row(
                "pdf",
                parse.label,
                f"{parse.cpu_seconds:.2f} s CPU ({rate:,.0f} pages/s), {parse.max_rss_mb:.0f} MB",
                "extraction (CPU)",
                parse.cpu_seconds / floor.cpu_seconds,
                f"< {PDF_SECONDS_MAX:.0f} s",
                parse.cpu_seconds < PDF_SECONDS_MAX,
            )
        )
        double = self._pdf_file(2 * PDF_PAGES)
        if double is None:
            return
        twice = self.repeat(
            "pdf.parse.x2",
            f"tipconv parse <{2 * PDF_PAGES}-page PDF> --to json",
            [self.s.tipconv, "parse", str(double), "--to", "json", "-o", str(out), "-q"],
            1,
            output=out,
            own_rss=True,
        )
        out.unlink(missing_ok=True)
        if not twice.ok:
            self.rows.append(Row("pdf", twice.label, "", passed=False, note=twice.failure()))
            return
        per_page = (twice.max_rss_mb - parse.max_rss_mb) * MB / 1000 / PDF_PAGES
        self.rows.append(
            Row(
                "pdf",
                f"{twice.label}: peak memory",
                f"{twice.max_rss_mb:.0f} MB, {per_page:.0f} KB per added page "
                f"({twice.cpu_seconds:.2f} s CPU)",
                f"{PDF_PAGES} pages",
                twice.max_rss_mb / parse.max_rss_mb,
                f"<= {PDF_KB_PER_PAGE_MAX} KB/page",
                per_page <= PDF_KB_PER_PAGE_MAX,
            )
        )

    # web pages

    def html(self) -> None:
        """`convert` of a folder of generated state.gov pages: pages per second."""
        count = max(100, self.s.throughput_size // 5)
        label = "tipconv convert (HTML pages) --to jsonl"
        if not self.has_convert or "jsonl" not in self.formats:
            self.rows.append(Row("html", label, "", note="not measured"))
            return
        pages = html_pages(self.s.work_dir / "pages", count)
        log(f"html: {count:,} pages, {pages.bytes / MB:.1f} MB")
        out = self.s.work_dir / "pages.jsonl"
        for jobs in sorted({1, self.s.jobs}):
            one = self.repeat(
                f"html.jsonl.jobs{jobs}",
                f"{label} --jobs {jobs}",
                self._convert(pages, "jsonl", jobs, out),
                self.s.repeat,
                output=out,
            )
            note = self._check_output(out, "jsonl", pages) if one.ok else ""
            out.unlink(missing_ok=True)
            if not one.ok:
                self.rows.append(Row("html", one.label, "", passed=False, note=one.failure()))
                continue
            rate = f"{count / one.seconds:,.0f} pages/s ({pages.bytes / MB / one.seconds:.1f} MB/s)"
            self.rows.append(Row("html", f"{one.label}, {count:,} pages", rate, note=note))

    def run(self) -> None:
        steps = {
            "cold": self.cold_start,
            "throughput": self.throughput,
            "memory": self.memory,
            "hostile": self.hostile,
            "model": self.model,
            "pdf": self.pdf,
            "html": self.html,
        }
        for group in self.s.groups:
            steps[group]()


def _sync() -> None:
    if hasattr(os, "sync"):
        os.sync()


def _ms(seconds: float, digits: int = 1) -> str:
    return f"{seconds * 1000:.{digits}f} ms"


def _rate(corpus: Corpus, seconds: float) -> str:
    return f"{corpus.files / seconds:,.0f} narr/s, {corpus.bytes / MB / seconds:.1f} MB/s"


# --- command line ----------------------------------------------------------------------------


def _interpreter_of(script: str) -> str:
    """The Python a console script runs under (its #! line), so baselines use the same one."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!") and "python" in first:
        candidate = first[2:].split()[0]
        if os.path.exists(candidate):
            return candidate
    return sys.executable


def _child_env(bytecode: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if bytecode:
        # As installed: .pyc files are written once and reused, like a pip-installed package.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("TIPCONV_DEBUG", None)
    return env


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def _groups(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [group for group in chosen if group not in GROUPS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown group(s) {unknown}; choose from {GROUPS}")
    return chosen


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark tipconv against Python baselines; print PASS/FAIL per target.",
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=None, help="corpus sizes (default 1000,10000,100000)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small run: sizes 200,1000, 2 repeats, 10 cold starts, hostile 5 MB / 100,000 lines",
    )
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (3)")
    parser.add_argument("--cold-repeat", type=int, default=None, help="cold-start runs (20)")
    parser.add_argument("--jobs", type=int, default=None, help="N for --jobs N (CPU count)")
    parser.add_argument(
        "--throughput-size",
        type=int,
        default=None,
        help="corpus for the throughput rows (10000, else the largest size below it)",
    )
    parser.add_argument("--hostile-mb", type=float, default=None, help="one-line file (50)")
    parser.add_argument("--hostile-lines", type=int, default=None, help="many-lines (1000000)")
    parser.add_argument(
        "--only", type=_groups, default=GROUPS, help=f"groups to run, from {','.join(GROUPS)}"
    )
    parser.add_argument("--corpus-dir", type=Path, default=ROOT / "bench" / "corpus")
    parser.add_argument("--tipconv", default=None, help="console script (default: beside python)")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="children run with PYTHONDONTWRITEBYTECODE=1 (recompile tipconv on every start)",
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per child run")
    parser.add_argument(
        "--hostile-timeout", type=float, default=300.0, help="seconds per hostile parse"
    )
    parser.add_argument(
        "--json", type=Path, default=ROOT / "bench" / "results" / "latest.json", help="results"
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace, work_dir: Path) -> Settings:
    quick = bool(args.quick)
    sizes = args.sizes or ([200, 1000] if quick else [1000, 10_000, 100_000])
    repeat = args.repeat or (2 if quick else 3)
    below = [size for size in sizes if size <= 10_000]
    throughput_size = args.throughput_size or (max(below) if below else min(sizes))
    hostile_mb = args.hostile_mb or (5 if quick else 50)
    hostile_lines = args.hostile_lines or (100_000 if quick else 1_000_000)
    script = args.tipconv or str(Path(sys.executable).with_name("tipconv"))
    if not os.path.exists(script):
        script = shutil.which("tipconv") or script
    return Settings(
        sizes=sizes,
        repeat=max(1, repeat),
        cold_repeat=max(1, args.cold_repeat or (10 if quick else 20)),
        jobs=max(1, args.jobs or _cpus()),
        throughput_size=throughput_size,
        hostile_bytes=int(hostile_mb * MB),
        hostile_lines=hostile_lines,
        corpus_dir=args.corpus_dir,
        work_dir=work_dir,
        tipconv=script,
        python=_interpreter_of(script),
        env=_child_env(not args.no_bytecode),
        timeout=args.timeout,
        hostile_timeout=args.hostile_timeout,
        groups=tuple(group for group in GROUPS if group in args.only),
    )


def environment(settings: Settings, bench: Bench) -> dict[str, Any]:
    version = subprocess.run(
        [settings.tipconv, "--version"],
        capture_output=True,
        text=True,
        env=settings.env,
        check=False,
    ).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": _git_commit(),
        "tipconv": version,
        "python": settings.python,
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "cpus": _cpus(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "jobs": settings.jobs,
        "bytecode": "cached" if "PYTHONDONTWRITEBYTECODE" not in settings.env else "off",
        "has_convert": bench.has_convert,
        "formats": sorted(bench.formats),
        "sizes": settings.sizes,
        "repeat": settings.repeat,
        "cold_repeat": settings.cold_repeat,
        "throughput_size": settings.throughput_size,
        "hostile_bytes": settings.hostile_bytes,
        "hostile_lines": settings.hostile_lines,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tipconv-bench-") as temporary:
        settings = settings_from(args, Path(temporary))
        if not os.path.exists(settings.tipconv):
            print(f"bench: no tipconv console script at {settings.tipconv}", file=sys.stderr)
            return 2
        settings.corpus_dir.mkdir(parents=True, exist_ok=True)
        bench = Bench(settings)
        load_before = os.getloadavg()[0]
        if load_before > 0.5 * _cpus():
            log(f"load average {load_before:.1f} on {_cpus()} CPU(s): expect noisy numbers")
        if not bench.has_convert:
            log("'tipconv convert' is not available: throughput and memory rows are skipped")
        started = time.perf_counter()
        try:
            bench.run()
        except KeyboardInterrupt:
            log("interrupted: showing what was measured")
        elapsed = time.perf_counter() - started
        env = environment(settings, bench)
    env["elapsed_seconds"] = round(elapsed, 1)
    env["load_average_before"] = round(load_before, 2)
    table = markdown_table(bench.rows) if args.markdown else plain_table(bench.rows)
    header = (
        f"tipconv bench: {env['tipconv']} ({env['commit']}), Python {env['python_version']}, "
        f"{env['cpus']} CPU(s), --jobs N = {env['jobs']}, bytecode {env['bytecode']}, "
        f"load {load_before:.1f} -> {env['load_average'][0]:.1f}, {elapsed:.0f} s"
    )
    print(header + "\n")
    print(table, end="")
    results = {
        "environment": env,
        "rows": [asdict(row) | {"result": row.result} for row in bench.rows],
        "series": {key: series.to_dict() for key, series in bench.series.items()},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log(f"results written to {args.json}")
    return 1 if any(row.passed is False for row in bench.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
