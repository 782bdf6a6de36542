"""Many inputs to outputs without losing any: `tipconv convert` as a library call.

`convert()` streams the files INPUTs name (see `batch_inputs`), parses them in worker
processes, writes every output atomically and returns a `Summary`. A bad file is reported
and skipped, never fatal; only `cli.py` turns the summary into an exit code.

Memory stays flat: folders are walked as the run goes, at most a few chunks of files are in
flight, and results reach the writer in input order whatever the number of workers. The
parent process is the one every result passes through, so it does as little as it can:
with a writer that can `render` (all built-ins), workers send back finished text and the
parent only copies it into the output.
"""

from __future__ import annotations

import codecs
import contextlib
import glob
import json
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, TextIO, cast

from . import reading
from .batch_inputs import DEFAULT_GLOB, BatchUsageError, Failure, Inputs, Item
from .errors import BinaryInputError, DecodeError, InputError, OutputError
from .output import atomic_output, stop_signals_held, write_reports

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .model import Report
    from .writers import Writer, WriterOptions

__all__ = [
    "DEFAULT_GLOB",
    "BatchUsageError",
    "Failure",
    "Feedback",
    "Item",
    "Outcome",
    "Settings",
    "Summary",
    "convert",
    "plan",
]

# Files per task: a task costs a round trip through the pool's queues and a pickle of its
# arguments and results, so many files share one (on 10,000 narratives, --jobs 2 gained
# 1.57x -> 1.69x over --jobs 1 going from 32 to 128). Chunks start small and grow, so a
# short run still spreads over every worker.
_MAX_CHUNK = 128
# Tasks in flight per worker: enough that no worker waits for the parent, few enough that
# results waiting for their turn (the window is ordered) take little memory.
_CHUNKS_PER_WORKER = 4
# Bytes a combined output gathers per write: a system call per report costs more than
# copying the report.
_OUTPUT_BUFFER = 1 << 20

Status = Literal["converted", "failed", "skipped"]
# What a worker does with a parsed report: write its own output file (--out-dir), render
# the text of a combined output, or send the report back for a writer that cannot render.
Mode = Literal["files", "text", "reports"]
# A diagnostic as a plain tuple (level, code, message, line): cheap to send between processes.
Note = tuple[str, str, str, int | None]


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


class Outcome(NamedTuple):
    """What became of one input; workers send these back, the parent pairs them with items.

    `text` is the rendered output (a writer with `render`), `report` the parsed report (a
    writer without it); `notes` are warnings the writer gave while rendering or writing.
    """

    status: Status
    text: str | None = None
    report: Report | None = None
    diagnostics: tuple[Note, ...] = ()
    failure: Failure | None = None
    notes: tuple[str, ...] = ()


_SKIPPED = Outcome("skipped")


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
    started = time.perf_counter()
    feedback = feedback or Feedback(quiet=True)
    _check_encoding(settings.encoding)
    out_dir = settings.out_dir
    source = Inputs(
        inputs,
        pattern=settings.pattern,
        files_from=settings.files_from,
        stdin=stdin,
        out_dir=out_dir,
        suffix=writer.suffix if out_dir is not None else None,
        avoid=(settings.output, settings.errors_to),
    )
    jobs = _effective_jobs(settings.jobs)
    head, rest, complete = source.begin(ahead=jobs)
    if complete:  # fewer files than workers: start no more processes than there are files
        jobs = max(1, min(jobs, len(head)))
    # Only a bar needs the total beforehand; counting walks the folders once more.
    total = source.count() if feedback.progress else None
    if out_dir is not None:
        _make_folder(out_dir)
        _made.clear()  # folders made by an earlier run in this process may be gone
    combined = options._replace(as_array=True, warn=feedback.warning)
    mode: Mode = "files" if out_dir is not None else "text" if _renderer(writer) else "reports"
    job = _Job(
        encoding=settings.encoding,
        debug=settings.debug,
        skip_existing=settings.skip_existing,
        writer_name=writer.name,
        plugins=settings.plugins,
        mode=mode,
        options=combined._replace(warn=_note) if mode == "text" else options._replace(warn=_ignore),
    )
    _WRITERS[(writer.name, settings.plugins)] = writer
    summary = Summary()
    log_file = atomic_output(settings.errors_to) if settings.errors_to else None
    with _sigterm_interrupts(), log_file or contextlib.nullcontext() as log_handle:
        tally = _Tally(summary, feedback, _ErrorLog(log_handle), settings.fail_fast, mode)
        scheduler = _Scheduler(chain(head, rest), job, jobs)
        try:
            with scheduler as results, feedback.running(total):
                if mode == "files":
                    for item, outcome in results:
                        tally.record(item, outcome)
                elif mode == "text":
                    renderer = cast(_Renderer, writer)
                    with _combined_output(settings.output) as out:
                        renderer.write_rendered(tally.texts(results), out, combined)
                else:
                    _write_reports(writer, tally.reports(results), settings.output, combined)
        except _FailFast:
            summary.stopped = True
        except KeyboardInterrupt:
            summary.interrupted = True
            if out_dir is not None:
                tally.fail_fast = False
                for item, outcome in scheduler.leftovers():
                    tally.record(item, outcome)
    if summary.interrupted or summary.stopped:
        # The files never reached still count: "converted 40 of 300", not "of 41".
        summary.total = total if total is not None else _count(source, summary.total)
    summary.seconds = time.perf_counter() - started
    if summary.interrupted or summary.stopped:
        feedback.error(summary.line() + _stopped_hint(settings, summary), prefix="")
    else:
        feedback.summary(summary.line())
    return summary


def plan(
    inputs: Sequence[str],
    settings: Settings,
    *,
    suffix: str | None = None,
    stdin: IO[bytes] | None = None,
) -> list[Item]:
    """Every item `convert` would take, at once (for tools and tests; `convert` streams).

    With `suffix` and `settings.out_dir`, each item has its output path. Raises
    BatchUsageError when no INPUT names a file at all.
    """
    source = Inputs(
        inputs,
        pattern=settings.pattern,
        files_from=settings.files_from,
        stdin=stdin,
        out_dir=settings.out_dir,
        suffix=suffix,
    )
    head, rest, _ = source.begin()
    return [*head, *rest]


def _count(source: Inputs, known: int) -> int:
    """The run's total after it stopped early; a second Ctrl-C settles for what is known."""
    try:
        return max(known, source.count())
    except KeyboardInterrupt:
        return known


@contextlib.contextmanager
def _combined_output(output: str | None) -> Iterator[TextIO]:
    """Where a combined output goes: stdout, or `output` written atomically.

    `atomic_output` writes a device or FIFO (-o /dev/null) in place rather than renaming a
    regular file over it (as root, that would replace /dev/null).
    """
    if output is None or output == "-":
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(newline="")  # CSV's CRLF must not become CR CR LF on Windows
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_output(output, newline="", buffering=_OUTPUT_BUFFER) as handle:
        yield handle


def _write_reports(
    writer: Writer, reports: Iterable[Report], output: str | None, options: WriterOptions
) -> None:
    """One output for all reports, from a writer that cannot render (plugins, panel, sqlite)."""
    if getattr(writer, "needs_path", False):
        write_reports(writer, reports, output, options)
        return
    with _combined_output(output) as out:
        writer.write(reports, out, options)


def _stopped_hint(settings: Settings, summary: Summary) -> str:
    """What a run cut short left behind, so nobody has to guess."""
    if settings.out_dir is not None:
        return "; run again with --skip-existing to continue" if summary.interrupted else ""
    if settings.output not in (None, "-"):
        return f"; {settings.output} was not written"
    return ""


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


class _Renderer(Protocol):
    """A writer that can render one report alone (see the `Writer` protocol's note)."""

    def render(self, report: Report, options: WriterOptions) -> str: ...

    def write_rendered(
        self, pieces: Iterable[str], out: TextIO, options: WriterOptions
    ) -> None: ...


def _renderer(writer: Writer) -> bool:
    """Whether workers can render for `writer`: both methods, and an output it streams to."""
    return (
        callable(getattr(writer, "render", None))
        and callable(getattr(writer, "write_rendered", None))
        and not getattr(writer, "needs_path", False)
    )


@dataclass(frozen=True)
class _Job:
    """What every worker needs to know; given to each worker once, when it starts."""

    encoding: str | None
    debug: bool
    skip_existing: bool
    writer_name: str
    plugins: bool
    mode: Mode
    options: WriterOptions


# Writers by (name, plugins): seeded by the parent, so forked workers and --jobs 1 never
# look a writer up again; other start methods look it up once per worker.
_WRITERS: dict[tuple[str, bool], Writer] = {}
# The job a worker process runs (set when it starts), and the warnings its writer gave
# for the current file (WriterOptions.warn appends here; see `_note`).
_job: _Job | None = None
_notes: list[str] = []
# Folders this process made for --out-dir outputs: each is made once, not once per file.
_made: set[str] = set()
# A worker's state for the stop signal: `_busy` while converting a file, `_stopping` once
# asked. The parent asks with SIGUSR1, its own signal, so SIGTERM keeps killing a worker.
_STOP_SIGNAL = getattr(signal, "SIGUSR1", None)
_busy = False
_stopping = False
# While a finished output is written, a stop waits for it: cut short, the file would be on
# disk yet missing from the summary (or its temporary file left behind). In-process
# (--jobs 1), an interruption that waited is `_deferred`, raised once the file is counted.
_writing = False
_deferred = False


def _ignore(message: str) -> None:
    """A picklable stand-in for WriterOptions.warn, replaced where warnings are wanted."""


def _note(message: str) -> None:
    """WriterOptions.warn for rendering: a worker cannot print, so the outcome carries it."""
    _notes.append(message)


def _convert_item(job: _Job, item: Item) -> Outcome:
    """Parse one input and render it or write its output; never raises an Exception."""
    global _writing
    path, output, problem = item
    if problem is not None:
        return Outcome("failed", failure=problem)
    try:
        if job.skip_existing and output and _up_to_date(path, output):
            return _SKIPPED
        report = reading.parse_file(path, encoding=job.encoding, strict=job.debug)
        diagnostics: tuple[Note, ...] = ()
        if report.diagnostics:
            if report.has_internal_error():
                message = next(d.message for d in report.diagnostics if d.code == "internal_error")
                return Outcome("failed", failure=Failure("internal_error", message))
            diagnostics = tuple(
                (d.level.value, d.code, d.message, d.line) for d in report.diagnostics
            )
        if job.mode == "text":
            _notes.clear()
            text = cast(_Renderer, _writer(job)).render(report, job.options)
            return Outcome("converted", text, None, diagnostics, None, tuple(_notes))
        if job.mode == "reports" or output is None:
            return Outcome("converted", None, report, diagnostics)
        notes: list[str] = []
        options = job.options._replace(output_path=output, warn=notes.append)
        folder = os.path.dirname(output) or "."
        if folder not in _made:
            os.makedirs(folder, exist_ok=True)
            _made.add(folder)
        _writing = True
        try:
            write_reports(_writer(job), [report], output, options)
        except BaseException:  # an interruption that could not wait (errors: see below)
            _remove_stray_temporary(output)
            raise
        finally:
            _writing = False
        return Outcome("converted", None, None, diagnostics, None, tuple(notes))
    except InputError as exc:
        return Outcome("failed", failure=Failure(_code(exc), exc.message, exc.line))
    except OutputError as exc:
        return Outcome("failed", failure=Failure("output_error", str(exc)))
    except OSError as exc:  # creating the output's folder
        message = f"cannot write {output}: {exc.strerror or exc}"
        return Outcome("failed", failure=Failure("output_error", message))
    except Exception as exc:  # a bug must cost one file, never the batch
        message = f"internal error ({type(exc).__name__}: {exc}); please report it with this file"
        detail = None
        if job.debug:
            import traceback  # rarely needed: not part of every start

            detail = traceback.format_exc()
        return Outcome("failed", failure=Failure("internal_error", message, None, detail))


def _remove_stray_temporary(output: str) -> None:
    """Remove `output`'s temporary file if an interruption left it behind.

    `atomic_output` removes its temporary file when the write fails, but an interruption
    that lands just after `mkstemp` created it, before its cleanup is armed, would leave it.
    """
    folder, name = os.path.split(output)
    pattern = os.path.join(glob.escape(folder), glob.escape(f".{name}.") + "*.tmp")
    for path in glob.glob(pattern):
        with contextlib.suppress(OSError):
            os.unlink(path)


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
    key = (job.writer_name, job.plugins)
    if key not in _WRITERS:
        from .writers import get_writer

        _WRITERS[key] = get_writer(job.writer_name, plugins=job.plugins, warn=_ignore)
    return _WRITERS[key]


def _convert_chunk(items: list[Item]) -> list[Outcome]:
    """A worker's task: the outcomes of `items`, cut short once the parent asks it to stop.

    Stopping returns normally rather than exiting, so the result always reaches the parent
    whole. The parent counts any item without an outcome as a failure.
    """
    global _busy
    job = _job
    assert job is not None, "a worker runs _init_worker first"
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
    if _busy and not _writing:
        raise _Stop


def _init_worker(job: _Job) -> None:
    """Ctrl-C is the parent's business; the stop signal means "abandon this file, stop".

    SIGTERM goes back to plain killing (a forked worker inherits the parent's handler).
    """
    global _job
    _job = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _STOP_SIGNAL is not None:
        signal.signal(_STOP_SIGNAL, _on_stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)


def _effective_jobs(jobs: int | None) -> int:
    if jobs is None:
        affinity = getattr(os, "sched_getaffinity", None)
        jobs = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    return max(1, jobs)


# ---------------------------------------------------------------------------------------
# Scheduling: a bounded window of chunks in flight, outcomes in input order


class _Scheduler:
    """(item, outcome) pairs in input order from `jobs` processes (in-process for one job).

    At most `jobs * _CHUNKS_PER_WORKER` chunks are in flight, and items are drawn from the
    stream only to fill that window, so memory does not grow with the number of files.
    Leaving the block early (Ctrl-C, --fail-fast, an error) stops the workers at once; one
    caught mid-write removes its temporary file first.
    """

    def __init__(self, items: Iterator[Item], job: _Job, jobs: int) -> None:
        self.items = items
        self.job = job
        self.jobs = jobs
        self.window = jobs * _CHUNKS_PER_WORKER
        self.drawn = 0
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[tuple[list[Item], Future[list[Outcome]]]] = deque()
        self.ready: deque[tuple[Item, Outcome]] = deque()
        self.results: Iterator[tuple[Item, Outcome]] | None = None

    def __enter__(self) -> Iterator[tuple[Item, Outcome]]:
        if self.jobs == 1:
            self.results = self._in_process()
            return self.results
        try:
            # Start the workers (fork copies this process) before any progress-bar thread.
            self._start_pool()
        except BaseException:
            self._stop(aborted=True)
            raise
        self.results = self._collect()
        return self.results

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.results is not None and hasattr(self.results, "close"):
            self.results.close()
        self._stop(aborted=exc is not None)

    def _in_process(self) -> Iterator[tuple[Item, Outcome]]:
        job = self.job
        with _interruptions_wait_for_writes():
            for item in self.items:
                yield item, _convert_item(job, item)
                if _deferred:  # the file it waited for is counted now
                    raise KeyboardInterrupt

    def _new_pool(self) -> ProcessPoolExecutor:
        # Imported here: multiprocessing costs ~10 ms of every start, and --jobs 1 needs none.
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(self.job,))

    def _start_pool(self) -> None:
        with stop_signals_held():
            self.pool = self._new_pool()
            for _ in range(self.window):
                if not self._submit_next():
                    break

    def _submit_next(self) -> bool:
        # Each chunk is an eighth or so of what went before, up to _MAX_CHUNK: a run of
        # a dozen files still keeps every worker busy, a long one pays few round trips.
        size = max(1, min(_MAX_CHUNK, self.drawn // self.window))
        chunk = list(islice(self.items, size))
        if not chunk:
            return False
        self.drawn += len(chunk)
        assert self.pool is not None
        # Held so a worker the pool starts now inherits a Ctrl-C-proof signal mask.
        with stop_signals_held():
            self.pending.append((chunk, self.pool.submit(_convert_chunk, chunk)))
        return True

    def leftovers(self) -> Iterator[tuple[Item, Outcome]]:
        """After an early stop: outcomes workers finished that nobody took yet.

        Their --out-dir outputs are on disk, so a truthful summary counts them too.
        """
        while self.ready:
            yield self.ready.popleft()
        while self.pending:
            chunk, future = self.pending.popleft()
            if future.done() and not future.cancelled() and future.exception() is None:
                yield from zip(chunk, future.result(), strict=False)  # cut short: a prefix

    def _collect(self) -> Iterator[tuple[Item, Outcome]]:
        from concurrent.futures.process import BrokenProcessPool

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
                    stopped = Outcome("failed", failure=Failure("internal_error", message))
                    outcomes += [stopped] * (len(chunk) - len(outcomes))
                self.ready.extend(zip(chunk, outcomes, strict=True))
                self._submit_next()
            yield self.ready.popleft()

    def _recover(self, chunk: list[Item]) -> list[Outcome]:
        """A worker died (killed, out of memory): fail its chunk, restart, resubmit the rest."""
        message = (
            "a worker process died while converting this file or one near it "
            "(run again with --jobs 1 to find which)"
        )
        failed = [Outcome("failed", failure=Failure("internal_error", message))] * len(chunk)
        rest = [items for items, _ in self.pending]
        self._stop(aborted=True)
        self.pending.clear()
        with stop_signals_held():
            self.pool = self._new_pool()
            for items in rest:
                self.pending.append((items, self.pool.submit(_convert_chunk, items)))
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
def _interruptions_wait_for_writes() -> Iterator[None]:
    """In-process: Ctrl-C (or kill) during an output's write is raised after it is counted."""
    global _deferred
    _deferred = False
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        global _deferred
        if _writing:
            _deferred = True
            return
        raise KeyboardInterrupt

    previous = {
        number: signal.getsignal(number)
        for number in (signal.SIGINT, signal.SIGTERM)
        if signal.getsignal(number) not in (signal.SIG_IGN, None)
    }
    for number in previous:
        signal.signal(number, interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


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
        self, summary: Summary, feedback: Feedback, log: _ErrorLog, fail_fast: bool, mode: Mode
    ) -> None:
        self.summary = summary
        self.feedback = feedback
        self.log = log
        self.fail_fast = fail_fast
        # A rendering writer's warnings name the file already, and come after its report's
        # lines, as when the parent itself rendered; a per-file write's are prefixed.
        self.notes_first = mode == "files"
        self.verbose = feedback.verbose and not feedback.quiet

    def texts(self, results: Iterable[tuple[Item, Outcome]]) -> Iterator[str]:
        for item, outcome in results:
            self.record(item, outcome)
            if outcome.text is not None:
                yield outcome.text

    def reports(self, results: Iterable[tuple[Item, Outcome]]) -> Iterator[Report]:
        for item, outcome in results:
            self.record(item, outcome)
            if outcome.report is not None:
                yield outcome.report

    def record(self, item: Item, outcome: Outcome) -> None:
        self.summary.total += 1
        self.feedback.advance()
        if outcome.notes and self.notes_first:
            for note in outcome.notes:
                self.feedback.warning(f"{item.path}: {note}")
        if outcome.failure is not None:
            self._failed(item.path, outcome.failure)
        elif outcome.status == "skipped":
            self.summary.skipped += 1
            self.feedback.info(f"skipped {item.path}: {item.output} is up to date")
        else:
            self._converted(item, outcome)
        if outcome.notes and not self.notes_first:
            for note in outcome.notes:
                self.feedback.warning(note)

    def _failed(self, path: str, failure: Failure) -> None:
        self.summary.failed += 1
        where = f"{path}:{failure.line}" if failure.line else path
        self.feedback.error(f"{where}: {failure.message}")
        if failure.detail:
            self.feedback.error(failure.detail.rstrip(), prefix="")
        self.log.write(path, failure.line, "error", failure.code, failure.message)
        if self.fail_fast:
            raise _FailFast(path)

    def _converted(self, item: Item, outcome: Outcome) -> None:
        self.summary.converted += 1
        path = item.path
        if self.verbose:
            target = f" -> {item.output}" if item.output else ""
            self.feedback.info(f"converted {path}{target}")
        warned = False
        for level, code, message, line in outcome.diagnostics:
            if self.verbose:
                where = f"{path}:{line}" if line else path
                self.feedback.info(f"{level}: {where}: {message} [{code}]")
            if level == "info":
                continue
            warned = True
            self.log.write(path, line, level, code, message)
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
    def running(self, total: int | None) -> Iterator[None]:
        """Show the bar (if wanted) while the block runs; it disappears when done.

        `total` None shows a bar that counts without an end.
        """
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


def _start_bar(stream: TextIO, total: int | None) -> tuple[Any, Any]:
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
