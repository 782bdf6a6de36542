"""Many inputs to outputs without losing any: `tipconv convert` as a library call.

`convert()` expands INPUTs (files, folders, quoted patterns, lists of paths) into files,
parses them in worker processes, writes every output atomically and returns a `Summary`.
A bad file is reported and skipped, never fatal; only `cli.py` turns the summary into an
exit code. Memory stays flat: at most a few chunks of files are in flight at any time, and
results reach the writer in input order whatever the number of workers.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import fnmatch
import glob
import json
import os
import re
import signal
import stat
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO

from .errors import BinaryInputError, DecodeError, InputError, OutputError, TipconvError
from .model import Level

if TYPE_CHECKING:
    from .model import Diagnostic, Report
    from .writers import Writer, WriterOptions

DEFAULT_GLOB = "*.txt"

# Chunks amortise the per-task cost of a process pool (pickling, queue round trips);
# a small cap keeps the ordered window short so results reach the writer steadily.
_MAX_CHUNK = 16
_CHUNKS_PER_WORKER = 4
_MAGIC = re.compile(r"[*?[]")

Status = Literal["converted", "failed", "skipped"]


class BatchUsageError(TipconvError):
    """The batch cannot start at all: nothing to convert, an unreadable list, a bad option."""


@dataclass(frozen=True)
class Settings:
    """What a batch run was asked to do: the `convert` command's options."""

    output: str | None = None
    out_dir: str | None = None
    pattern: str = DEFAULT_GLOB
    files_from: tuple[str, ...] = ()
    jobs: int | None = None
    encoding: str | None = None
    fail_fast: bool = False
    skip_existing: bool = False
    errors_to: str | None = None
    plugins: bool = True
    debug: bool = False


@dataclass(frozen=True, slots=True)
class Failure:
    """Why one input produced no output; `code` is what --errors-to records."""

    code: str
    message: str
    line: int | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One input file; `output` is its file under --out-dir, `problem` a failure found early."""

    path: str
    output: str | None = None
    problem: Failure | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input; workers send these back and the parent takes them in order."""

    path: str
    status: Status
    output: str | None = None
    report: Report | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    failure: Failure | None = None
    notes: tuple[str, ...] = ()


@dataclass
class Summary:
    """Counts for the closing line and the exit code."""

    total: int = 0
    converted: int = 0
    failed: int = 0
    skipped: int = 0
    warned: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    stopped: bool = False

    def line(self) -> str:
        """E.g. "converted 4998 of 5000 files (2 failed, 37 with warnings) in 12.3 s"."""
        counts = [
            f"{count} {label}"
            for count, label in (
                (self.failed, "failed"),
                (self.skipped, "skipped"),
                (self.warned, "with warnings"),
            )
            if count
        ]
        noun = "file" if self.total == 1 else "files"
        text = f"converted {self.converted} of {self.total} {noun}"
        if counts:
            text += f" ({', '.join(counts)})"
        text += f" in {self.seconds:.1f} s"
        if self.interrupted:
            return f"interrupted: {text}"
        if self.stopped:
            return f"stopped at the first failure (--fail-fast): {text}"
        return text


def convert(
    inputs: Sequence[str],
    settings: Settings,
    writer: Writer,
    options: WriterOptions,
    *,
    feedback: Feedback | None = None,
    stdin: IO[bytes] | None = None,
) -> Summary:
    """Convert every file `inputs` name; report failures and carry on (or stop, --fail-fast).

    Raises BatchUsageError when nothing can start (no file named at all, unknown encoding)
    and OutputError when the combined output, --out-dir or --errors-to cannot be written.
    KeyboardInterrupt is caught: the summary says `interrupted`, finished outputs stay.
    """
    from .output import atomic_output

    started = time.perf_counter()
    feedback = feedback or Feedback(quiet=True)
    _check_encoding(settings.encoding)
    suffix = writer.suffix if settings.out_dir is not None else None
    items = plan(inputs, settings, suffix=suffix, stdin=stdin)
    if settings.out_dir is not None:
        _make_folder(settings.out_dir)
    summary = Summary(total=len(items))
    job = _Job(
        encoding=settings.encoding,
        debug=settings.debug,
        skip_existing=settings.skip_existing,
        writer_name=writer.name if settings.out_dir is not None else None,
        plugins=settings.plugins,
        options=dataclasses.replace(options, warn=_ignore)
        if settings.out_dir is not None
        else None,
    )
    _WRITERS[(writer.name, settings.plugins)] = writer
    jobs = _effective_jobs(settings.jobs, len(items))
    log_file = atomic_output(settings.errors_to) if settings.errors_to else None
    with _sigterm_interrupts(), log_file or contextlib.nullcontext() as log_handle:
        tally = _Tally(summary, feedback, _ErrorLog(log_handle), settings.fail_fast)
        scheduler = _Scheduler(items, job, jobs)
        try:
            with scheduler as outcomes, feedback.running(len(items)):
                if settings.out_dir is not None:
                    for outcome in outcomes:
                        tally.record(outcome)
                else:
                    combined = dataclasses.replace(options, as_array=True, warn=feedback.warning)
                    _write_combined(writer, tally.reports(outcomes), settings.output, combined)
        except _FailFast:
            summary.stopped = True
        except KeyboardInterrupt:
            summary.interrupted = True
            if settings.out_dir is not None:
                tally.fail_fast = False
                for outcome in scheduler.leftovers():
                    tally.record(outcome)
    summary.seconds = time.perf_counter() - started
    if summary.interrupted or summary.stopped:
        feedback.error(summary.line() + _stopped_hint(settings, summary), prefix="")
    else:
        feedback.summary(summary.line())
    return summary


def _write_combined(
    writer: Writer, reports: Iterable[Report], output: str | None, options: WriterOptions
) -> None:
    """One output for all reports; a device or FIFO (-o /dev/null) is written in place.

    `atomic_output` would rename a regular file over it: as root, that replaces /dev/null.
    """
    from .output import write_reports

    if output is None or output == "-" or getattr(writer, "needs_path", False):
        write_reports(writer, reports, output, options)
        return
    try:
        mode = os.stat(output).st_mode
    except OSError:
        mode = stat.S_IFREG  # not there yet: an ordinary new file
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        write_reports(writer, reports, output, options)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            writer.write(reports, handle, options)
    except OSError as exc:
        raise OutputError(output, f"cannot write: {exc.strerror or exc}") from None


def _stopped_hint(settings: Settings, summary: Summary) -> str:
    """What a run cut short left behind, so nobody has to guess."""
    if settings.out_dir is not None:
        return "; run again with --skip-existing to continue" if summary.interrupted else ""
    if settings.output not in (None, "-"):
        return f"; {settings.output} was not written"
    return ""


# ---------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True, slots=True)
class _Found:
    """A file an INPUT named; `relative` is None for a loose file (placed after dedup)."""

    path: str
    relative: str | None
    problem: Failure | None = None


def plan(
    inputs: Sequence[str],
    settings: Settings,
    *,
    suffix: str | None = None,
    stdin: IO[bytes] | None = None,
) -> list[Item]:
    """Expand INPUTs and --files-from lists into items, each file once, in first-seen order.

    With `suffix` (--out-dir), each item gets its output path: a folder's or a pattern's
    files mirror their path below it; loose files keep their paths below the folder they
    all share (just the basename when they share one folder). Raises BatchUsageError when
    no INPUT names a file at all: nothing to do is almost always a typo.
    """
    reader = _ListReader(stdin)
    found: list[_Found] = []
    for spec in inputs:
        if spec == "-":
            for path in reader.read("-"):
                found.extend(_expand(path, settings.pattern, literal=True))
        else:
            found.extend(_expand(spec, settings.pattern, literal=False))
    for source in settings.files_from:
        for path in reader.read(source):
            found.extend(_expand(path, settings.pattern, literal=True))
    unique = _dedupe(found)
    if not any(entry.problem is None for entry in unique):
        if not inputs and not settings.files_from:
            raise BatchUsageError(None, "no INPUT given: name files, folders or patterns")
        raise BatchUsageError(None, "no input files found: every INPUT matched nothing")
    placed = _place_loose(unique)
    if settings.out_dir is None or suffix is None:
        return [Item(entry.path, None, entry.problem) for entry in placed]
    return _assign_outputs(placed, settings.out_dir, suffix)


class _ListReader:
    """Reads lists of paths; stdin only once, however often "-" is named."""

    def __init__(self, stdin: IO[bytes] | None) -> None:
        self.stdin = stdin
        self.stdin_read = False

    def read(self, source: str) -> list[str]:
        if source == "-":
            if self.stdin_read:
                return []
            self.stdin_read = True
            data = (self.stdin or sys.stdin.buffer).read()
        else:
            try:
                with open(source, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                raise BatchUsageError(
                    source, f"cannot read the list of files: {exc.strerror or exc}"
                ) from None
        # Paths are bytes on POSIX; fsdecode keeps undecodable names round-trippable.
        lines = (os.fsdecode(line.rstrip(b"\r")) for line in data.split(b"\n"))
        return [line for line in lines if line.strip()]


def _expand(spec: str, pattern: str, *, literal: bool) -> Iterator[_Found]:
    """One INPUT: a folder is walked, a pattern globbed, anything else is a (loose) file."""
    if os.path.isdir(spec):
        yield from _walk(spec, pattern)
    elif not literal and _MAGIC.search(spec) and not os.path.lexists(spec):
        yield from _glob(spec)
    else:
        yield _Found(spec, None)


def _walk(root: str, pattern: str) -> Iterator[_Found]:
    """Files below `root` matching `pattern`, sorted; unlistable folders become failures.

    Symlinked folders are not followed (a link back up would loop); symlinked files are
    taken, and a dangling one fails as a missing file.
    """
    unreadable: list[OSError] = []
    matched: list[tuple[tuple[str, ...], str]] = []
    by_path = "/" in pattern
    for folder, dirs, files in os.walk(root, onerror=unreadable.append):
        dirs.sort()
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            subject = relative.replace(os.sep, "/") if by_path else name
            if fnmatch.fnmatchcase(subject, pattern):
                matched.append((tuple(relative.split(os.sep)), path))
    matched.sort()
    for error in unreadable:
        where = error.filename if isinstance(error.filename, str) else root
        message = f"cannot list folder: {error.strerror or error}"
        yield _Found(where, None, Failure("input_error", message))
    if not matched and not unreadable:
        message = f"no files matching {pattern!r} in this folder (--glob chooses others)"
        yield _Found(root, None, Failure("no_match", message))
    for parts, path in matched:
        yield _Found(path, os.path.join(*parts))


def _glob(spec: str) -> Iterator[_Found]:
    """A quoted pattern; its files mirror their path below the pattern's fixed folders."""
    matches = sorted(
        (tuple(path.split(os.sep)), path)
        for path in glob.glob(spec, recursive=True)
        if not os.path.isdir(path)
    )
    if not matches:
        yield _Found(spec, None, Failure("no_match", "no files match this pattern"))
        return
    fixed: list[str] = []
    for part in spec.split(os.sep):
        if _MAGIC.search(part):
            break
        fixed.append(part)
    root = os.sep.join(fixed) or (os.sep if spec.startswith(os.sep) else os.curdir)
    for _, path in matches:
        yield _Found(path, os.path.relpath(path, root))


def _dedupe(found: Iterable[_Found]) -> list[_Found]:
    """Each file once (by resolved path, so links and ./a vs a count as one), first wins."""
    seen: set[str] = set()
    unique: list[_Found] = []
    for entry in found:
        key = f"problem:{entry.path}" if entry.problem else os.path.realpath(entry.path)
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique


def _place_loose(found: list[_Found]) -> list[_Found]:
    """Give loose files a path below the folder they share, so a/x.txt and b/x.txt differ.

    Missing files are left out of the reckoning: one typo must not move every output.
    """
    loose = [
        os.path.abspath(entry.path)
        for entry in found
        if entry.relative is None and entry.problem is None and os.path.exists(entry.path)
    ]
    try:
        common = os.path.commonpath([os.path.dirname(path) for path in loose]) if loose else None
    except ValueError:  # paths on different drives share no folder
        common = None
    placed: list[_Found] = []
    for entry in found:
        if entry.relative is None and entry.problem is None:
            full = os.path.abspath(entry.path)
            relative = os.path.relpath(full, common) if common else os.path.basename(full)
            entry = _Found(entry.path, relative)
        placed.append(entry)
    return placed


def _assign_outputs(found: list[_Found], out_dir: str, suffix: str) -> list[Item]:
    """Output paths under `out_dir`; a second input mapping to a taken path fails instead."""
    taken: dict[str, str] = {}
    items: list[Item] = []
    for entry in found:
        if entry.problem is not None or entry.relative is None:
            items.append(Item(entry.path, None, entry.problem))
            continue
        stem, _ = os.path.splitext(entry.relative)
        output = os.path.join(out_dir, stem + suffix)
        key = os.path.normcase(os.path.abspath(output))
        problem = None
        if key in taken:
            problem = Failure(
                "output_conflict", f"output {output} is already written from {taken[key]}"
            )
        elif key == os.path.normcase(os.path.realpath(entry.path)):
            problem = Failure("output_conflict", f"output {output} would overwrite this input")
        else:
            taken[key] = entry.path
        items.append(Item(entry.path, output, problem))
    return items


def _check_encoding(encoding: str | None) -> None:
    name = (encoding or "").strip().lower()
    if name and name != "auto":
        try:
            codecs.lookup(name)
        except LookupError:
            raise BatchUsageError(None, f"unknown encoding {encoding!r}") from None


def _make_folder(folder: str) -> None:
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder, f"cannot create folder: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------------------
# Work: one input to one outcome, in a worker process or in-process for --jobs 1


@dataclass(frozen=True)
class _Job:
    """What every worker needs to know; small and picklable, sent along with each chunk."""

    encoding: str | None
    debug: bool
    skip_existing: bool
    writer_name: str | None
    plugins: bool
    options: WriterOptions | None


# Writers by (name, plugins): seeded by the parent, so forked workers and --jobs 1 never
# look a writer up again; other start methods look it up once per worker.
_WRITERS: dict[tuple[str, bool], Writer] = {}
# A worker's state for the stop signal: `_busy` while converting a file, `_stopping` once
# asked. The parent asks with SIGUSR1, its own signal, so SIGTERM keeps killing a worker.
_STOP_SIGNAL = getattr(signal, "SIGUSR1", None)
_busy = False
_stopping = False


def _ignore(message: str) -> None:
    """A picklable stand-in for WriterOptions.warn; workers swap in a collecting one."""


def _convert_item(job: _Job, item: Item) -> Outcome:
    """Parse one input and (with --out-dir) write its output; never raises an Exception."""
    from .output import write_reports
    from .reading import parse_file

    if item.problem is not None:
        return Outcome(item.path, "failed", failure=item.problem)
    try:
        if job.skip_existing and item.output and _up_to_date(item.path, item.output):
            return Outcome(item.path, "skipped", output=item.output)
        report = parse_file(item.path, encoding=job.encoding, strict=job.debug)
        if report.has_internal_error():
            message = next(d.message for d in report.diagnostics if d.code == "internal_error")
            return Outcome(item.path, "failed", failure=Failure("internal_error", message))
        if item.output is None or job.writer_name is None or job.options is None:
            return Outcome(item.path, "converted", report=report, diagnostics=report.diagnostics)
        notes: list[str] = []
        options = dataclasses.replace(job.options, output_path=item.output, warn=notes.append)
        os.makedirs(os.path.dirname(item.output) or ".", exist_ok=True)
        write_reports(_writer(job), [report], item.output, options)
        return Outcome(
            item.path,
            "converted",
            output=item.output,
            diagnostics=report.diagnostics,
            notes=tuple(notes),
        )
    except InputError as exc:
        return Outcome(item.path, "failed", failure=Failure(_code(exc), exc.message, exc.line))
    except OutputError as exc:
        return Outcome(item.path, "failed", failure=Failure("output_error", str(exc)))
    except OSError as exc:  # creating the output's folder
        message = f"cannot write {item.output}: {exc.strerror or exc}"
        return Outcome(item.path, "failed", failure=Failure("output_error", message))
    except Exception as exc:  # a bug must cost one file, never the batch
        message = f"internal error ({type(exc).__name__}: {exc}); please report it with this file"
        detail = traceback.format_exc() if job.debug else None
        return Outcome(
            item.path, "failed", failure=Failure("internal_error", message, None, detail)
        )


def _code(exc: InputError) -> str:
    if isinstance(exc, BinaryInputError):
        return "binary_input"
    if isinstance(exc, DecodeError):
        return "decode_error"
    return "input_error"


def _up_to_date(source: str, output: str) -> bool:
    """--skip-existing: the output exists and is strictly newer than its input."""
    try:
        return os.stat(output).st_mtime_ns > os.stat(source).st_mtime_ns
    except OSError:
        return False


def _writer(job: _Job) -> Writer:
    assert job.writer_name is not None
    key = (job.writer_name, job.plugins)
    if key not in _WRITERS:
        from .writers import get_writer

        _WRITERS[key] = get_writer(job.writer_name, plugins=job.plugins, warn=_ignore)
    return _WRITERS[key]


def _convert_chunk(job: _Job, items: list[Item]) -> list[Outcome]:
    """A worker's task: the outcomes of `items`, cut short once the parent asks it to stop.

    Stopping returns normally rather than exiting, so the result always reaches the parent
    whole. The parent counts any item without an outcome as a failure.
    """
    global _busy
    outcomes: list[Outcome] = []
    for item in items:
        if _stopping:
            break
        try:
            _busy = True
            outcomes.append(_convert_item(job, item))
        except _Stop:
            break
        finally:
            _busy = False
    return outcomes


class _Stop(BaseException):
    """Raised in a busy worker asked to stop; unwinding lets `atomic_output` remove its temp."""


def _on_stop(signum: int, frame: Any) -> None:
    global _stopping
    _stopping = True
    if _busy:
        raise _Stop


def _init_worker() -> None:
    """Ctrl-C is the parent's business; the stop signal means "abandon this file, stop".

    SIGTERM goes back to plain killing (a forked worker inherits the parent's handler).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _STOP_SIGNAL is not None:
        signal.signal(_STOP_SIGNAL, _on_stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)


def _effective_jobs(jobs: int | None, count: int) -> int:
    if jobs is None:
        affinity = getattr(os, "sched_getaffinity", None)
        jobs = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    return max(1, min(jobs, count))


# ---------------------------------------------------------------------------------------
# Scheduling: a bounded window of chunks in flight, outcomes in input order


class _Scheduler:
    """Outcomes in input order from `jobs` processes (or in-process for one job).

    At most `jobs * _CHUNKS_PER_WORKER` chunks are in flight, so memory does not grow
    with the number of files. Leaving the block early (Ctrl-C, --fail-fast, an error)
    stops the workers at once; one caught mid-write removes its temporary file first.
    """

    def __init__(self, items: list[Item], job: _Job, jobs: int) -> None:
        self.items = items
        self.job = job
        self.jobs = jobs
        self.chunk_size = max(1, min(_MAX_CHUNK, len(items) // (jobs * _CHUNKS_PER_WORKER * 4)))
        self.window = jobs * _CHUNKS_PER_WORKER
        self.chunks = (
            items[start : start + self.chunk_size]
            for start in range(0, len(items), self.chunk_size)
        )
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[tuple[list[Item], Future[list[Outcome]]]] = deque()
        self.ready: deque[Outcome] = deque()
        self.outcomes: Iterator[Outcome] | None = None

    def __enter__(self) -> Iterator[Outcome]:
        if self.jobs == 1:
            self.outcomes = (_convert_item(self.job, item) for item in self.items)
            return self.outcomes
        try:
            # Start the workers (fork copies this process) before any progress-bar thread.
            self._start_pool()
        except BaseException:
            self._stop(aborted=True)
            raise
        self.outcomes = self._collect()
        return self.outcomes

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.outcomes is not None and hasattr(self.outcomes, "close"):
            self.outcomes.close()
        self._stop(aborted=exc is not None)

    def _start_pool(self) -> None:
        with _signals_held():
            self.pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker)
            for _ in range(self.window):
                if not self._submit_next():
                    break

    def _submit_next(self) -> bool:
        chunk = next(self.chunks, None)
        if chunk is None:
            return False
        assert self.pool is not None
        # Held so a worker the pool starts now inherits a Ctrl-C-proof signal mask.
        with _signals_held():
            self.pending.append((chunk, self.pool.submit(_convert_chunk, self.job, chunk)))
        return True

    def leftovers(self) -> Iterator[Outcome]:
        """After an early stop: outcomes workers finished that nobody took yet.

        Their --out-dir outputs are on disk, so a truthful summary counts them too.
        """
        while self.ready:
            yield self.ready.popleft()
        while self.pending:
            _, future = self.pending.popleft()
            if future.done() and not future.cancelled() and future.exception() is None:
                yield from future.result()

    def _collect(self) -> Iterator[Outcome]:
        while self.pending or self.ready:
            if not self.ready:
                chunk, future = self.pending[0]
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    self.pending.popleft()
                    outcomes = self._recover(chunk)
                else:
                    self.pending.popleft()
                if len(outcomes) < len(chunk):  # a worker was stopped from outside
                    message = "not converted: its worker process was asked to stop"
                    outcomes += [
                        Outcome(item.path, "failed", failure=Failure("internal_error", message))
                        for item in chunk[len(outcomes) :]
                    ]
                self.ready.extend(outcomes)
                self._submit_next()
            yield self.ready.popleft()

    def _recover(self, chunk: list[Item]) -> list[Outcome]:
        """A worker died (killed, out of memory): fail its chunk, restart, resubmit the rest."""
        message = (
            "a worker process died while converting this file or one near it "
            "(run again with --jobs 1 to find which)"
        )
        failed = [
            Outcome(item.path, "failed", failure=Failure("internal_error", message))
            for item in chunk
        ]
        rest = [items for items, _ in self.pending]
        self._stop(aborted=True)
        self.pending.clear()
        with _signals_held():
            self.pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker)
            for items in rest:
                self.pending.append((items, self.pool.submit(_convert_chunk, self.job, items)))
        return failed

    def _stop(self, *, aborted: bool) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        with _signals_ignored():
            if aborted:
                for _, future in self.pending:
                    future.cancel()
                _terminate_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    """Ask every worker to stop now: each abandons its current file (see `_on_stop`).

    Not `terminate()`/`terminate_workers()`: killing a worker while it sends a result leaves
    half a message in the pipe and hangs the pool. `_processes` (pid -> process) has been
    there since Python 3.2; without it (or SIGUSR1) workers finish their chunk first.
    """
    processes: dict[int, Any] = getattr(pool, "_processes", None) or {}
    if _STOP_SIGNAL is None:
        return
    for pid in list(processes):
        with contextlib.suppress(OSError):
            os.kill(pid, _STOP_SIGNAL)


# Held back while workers start, so none dies of them before `_init_worker` has run.
_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and kill back while workers may be starting; they arrive right after."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """`kill` stops a run as cleanly as Ctrl-C: workers told, temp files removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """A second Ctrl-C (or kill) during cleanup must not leave workers or temp files behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    previous_term = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)


# ---------------------------------------------------------------------------------------
# Reporting


class _FailFast(Exception):
    """--fail-fast: stop at the first failure; a combined output file is then not written."""


class _ErrorLog:
    """--errors-to: one JSON object per failure or warning, written as they happen."""

    def __init__(self, handle: TextIO | None) -> None:
        self.handle = handle

    def write(self, path: str, line: int | None, level: str, code: str, message: str) -> None:
        if self.handle is None:
            return
        record = {"path": path, "line": line, "level": level, "code": code, "message": message}
        text = json.dumps(record, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # an undecodable file name: escape it instead
            text = json.dumps(record)
        self.handle.write(text + "\n")


class _Tally:
    """Takes outcomes in input order: counts, prints, logs, and enforces --fail-fast."""

    def __init__(
        self, summary: Summary, feedback: Feedback, log: _ErrorLog, fail_fast: bool
    ) -> None:
        self.summary = summary
        self.feedback = feedback
        self.log = log
        self.fail_fast = fail_fast

    def reports(self, outcomes: Iterable[Outcome]) -> Iterator[Report]:
        for outcome in outcomes:
            self.record(outcome)
            if outcome.report is not None:
                yield outcome.report

    def record(self, outcome: Outcome) -> None:
        self.feedback.advance()
        for note in outcome.notes:
            self.feedback.warning(f"{outcome.path}: {note}")
        if outcome.failure is not None:
            self._failed(outcome.path, outcome.failure)
        elif outcome.status == "skipped":
            self.summary.skipped += 1
            self.feedback.info(f"skipped {outcome.path}: {outcome.output} is up to date")
        else:
            self._converted(outcome)

    def _failed(self, path: str, failure: Failure) -> None:
        self.summary.failed += 1
        self.feedback.error(f"{path}: {failure.message}")
        if failure.detail:
            self.feedback.error(failure.detail.rstrip(), prefix="")
        self.log.write(path, failure.line, "error", failure.code, failure.message)
        if self.fail_fast:
            raise _FailFast(path)

    def _converted(self, outcome: Outcome) -> None:
        self.summary.converted += 1
        target = f" -> {outcome.output}" if outcome.output else ""
        self.feedback.info(f"converted {outcome.path}{target}")
        warned = False
        for diagnostic in outcome.diagnostics:
            where = f"{outcome.path}:{diagnostic.line}" if diagnostic.line else outcome.path
            self.feedback.info(
                f"{diagnostic.level.value}: {where}: {diagnostic.message} [{diagnostic.code}]"
            )
            if diagnostic.level is Level.INFO:
                continue
            warned = True
            self.log.write(
                outcome.path,
                diagnostic.line,
                diagnostic.level.value,
                diagnostic.code,
                diagnostic.message,
            )
        if warned:
            self.summary.warned += 1


class Feedback:
    """What a batch says on stderr: errors always; the rest unless quiet; a bar on a terminal.

    The bar appears only when the stream is a terminal (not TERM=dumb) and not quiet; rich
    is imported only then, so piped and scripted runs never pay for it.
    """

    def __init__(
        self,
        quiet: bool = False,
        verbose: bool = False,
        *,
        stream: TextIO | None = None,
        progress: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose
        if progress is None:
            progress = not quiet and _is_terminal(self.stream)
        self.progress = progress
        self._bar: Any = None
        self._task: Any = None

    @contextlib.contextmanager
    def running(self, total: int) -> Iterator[None]:
        """Show the bar (if wanted) while the block runs; it disappears when done."""
        if self.progress:
            self._bar, self._task = _start_bar(self.stream, total)
        try:
            yield
        finally:
            bar, self._bar = self._bar, None
            if bar is not None:
                bar.stop()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def error(self, message: str, *, prefix: str = "error: ") -> None:
        self._emit(f"tipconv: {prefix}{message}")

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._emit(f"tipconv: warning: {message}")

    def info(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self._emit(f"tipconv: {message}")

    def summary(self, message: str) -> None:
        if not self.quiet:
            self._emit(f"tipconv: {message}")

    def _emit(self, line: str) -> None:
        if self._bar is not None:
            # Through rich, so the line lands above the bar instead of through it.
            self._bar.console.print(
                line, markup=False, highlight=False, emoji=False, soft_wrap=True
            )
        else:
            print(line, file=self.stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _start_bar(stream: TextIO, total: int) -> tuple[Any, Any]:
    """A rich progress bar on `stream`: files done/total, rate and time left."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} files/s" if speed else "", style="progress.data.speed")

    bar = Progress(
        TextColumn("converting"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
        # Data may be going to stdout: rich must never capture it.
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = bar.add_task("convert", total=total)
    bar.start()
    return bar, task
