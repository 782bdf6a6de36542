"""One input to one outcome: what a worker process (or the parent, for --jobs 1) does.

A `Worker` holds everything a converting process needs between files, passed to it when it
starts: the `Job`, the folders it made, and its stop flags. A worker process runs `serve`;
the parent, for --jobs 1, calls `Worker.convert` itself.
"""

from __future__ import annotations

import contextlib
import glob
import os
import queue
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Literal, NamedTuple

from .. import reading
from ..errors import BinaryInputError, DecodeError, InputError, OutputError
from ..output import write_reports
from ..signals import STOP_SIGNALS
from .inputs import Failure, Item

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.queues import Queue

    from ..model import Report
    from ..writers import Writer, WriterOptions

Status = Literal["converted", "failed", "skipped"]
# What a worker does with a parsed report: write its own output file (--out-dir), render
# the text of a combined output, or send the report back for a writer that cannot render.
Mode = Literal["files", "text", "reports"]
# A diagnostic as a plain tuple (level, code, message, line): cheap to send between processes.
Note = tuple[str, str, str, int | None]
# The parent asks a worker to stop with a signal of its own, so SIGTERM keeps killing one.
STOP_SIGNAL = getattr(signal, "SIGUSR1", None)
# How often an idle worker looks whether its parent is still there (see `serve`).
PARENT_CHECK_SECONDS = 1.0


class Outcome(NamedTuple):
    """What became of one input; workers send these back, the parent pairs them with items.

    `text` is the rendered output (a `parallel` writer), `report` the parsed report (any
    other writer); `notes` are warnings the writer gave while rendering or writing.
    """

    status: Status
    text: str | None = None
    report: Report | None = None
    diagnostics: tuple[Note, ...] = ()
    failure: Failure | None = None
    notes: tuple[str, ...] = ()


SKIPPED = Outcome("skipped")


@dataclass(frozen=True)
class Job:
    """What every worker needs to know, given to each when it starts.

    `options.warn` must be picklable (a module-level function): a worker replaces it with
    its own collector of notes for each file.
    """

    writer: Writer
    mode: Mode
    options: WriterOptions
    encoding: str | None = None
    form: str | None = None
    debug: bool = False
    skip_existing: bool = False
    year: int | None = None


class Stop(BaseException):
    """Raised in a busy worker asked to stop; unwinding lets `atomic_output` remove its temp."""


class Worker:
    """Converts items for one process, and knows when a stop may cut a file short.

    `busy` while converting a file, `stopping` once asked to stop; `writing` while an output
    file is written, when a stop must wait (cut short, the file would be on disk yet missing
    from the summary). In-process, an interruption that waited is `deferred`, raised once
    the file is counted.
    """

    def __init__(self, job: Job, parent: int | None = None) -> None:
        self.job = job
        self.parent = parent  # the pid of the process that started this worker, if one did
        self.made: set[str] = set()  # folders made for --out-dir outputs: once, not per file
        self.busy = False
        self.stopping = False
        self.writing = False
        self.deferred = False

    def convert(self, item: Item) -> Outcome:
        """Parse one input and render it or write its output; never raises an Exception."""
        job = self.job
        path, output, problem = item
        if problem is not None:
            return Outcome("failed", failure=problem)
        try:
            if job.skip_existing and output and _up_to_date(path, output):
                return SKIPPED
            report = reading.parse_file(
                path, encoding=job.encoding, strict=job.debug, form=job.form, year=job.year
            )
            diagnostics: tuple[Note, ...] = ()
            if report.diagnostics:
                if report.has_internal_error():
                    message = next(
                        d.message for d in report.diagnostics if d.code == "internal_error"
                    )
                    return Outcome("failed", failure=Failure("internal_error", message))
                diagnostics = tuple(
                    (d.level.value, d.code, d.message, d.line) for d in report.diagnostics
                )
            notes: list[str] = []
            if job.mode == "text":
                text = job.writer.render(report, job.options._replace(warn=notes.append))
                return Outcome("converted", text, None, diagnostics, None, tuple(notes))
            if job.mode == "reports" or output is None:
                return Outcome("converted", None, report, diagnostics)
            self._write(report, output, job.options._replace(output_path=output, warn=notes.append))
            return Outcome("converted", None, None, diagnostics, None, tuple(notes))
        except InputError as exc:
            return Outcome("failed", failure=Failure(_code(exc), exc.message, exc.line))
        except OutputError as exc:
            return Outcome("failed", failure=Failure("output_error", str(exc)))
        except OSError as exc:  # creating the output's folder
            message = f"cannot write {output}: {exc.strerror or exc}"
            return Outcome("failed", failure=Failure("output_error", message))
        except Exception as exc:  # a bug must cost one file, never the batch
            message = (
                f"internal error ({type(exc).__name__}: {exc}); please report it with this file"
            )
            detail = None
            if job.debug:
                import traceback  # rarely needed: not part of every start

                detail = traceback.format_exc()
            return Outcome("failed", failure=Failure("internal_error", message, None, detail))

    def _write(self, report: Report, output: str, options: WriterOptions) -> None:
        """`report`'s own output file (--out-dir); a stop waits until it is written."""
        folder = os.path.dirname(output) or "."
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        self.writing = True
        try:
            write_reports(self.job.writer, [report], output, options)
        except BaseException:  # an interruption that could not wait (errors: see convert)
            _remove_stray_temporary(output)
            raise
        finally:
            self.writing = False

    def convert_chunk(self, items: Iterable[Item]) -> list[Outcome]:
        """The outcomes of `items`, cut short once the worker is asked to stop.

        Stopping returns normally rather than exiting, so the result always reaches the
        parent whole. The parent counts any item without an outcome as a failure.
        """
        outcomes: list[Outcome] = []
        for item in items:
            if self.stopping or self.orphaned():
                break
            try:
                self.busy = True
                outcomes.append(self.convert(item))
            except Stop:
                break
            finally:
                self.busy = False
        return outcomes

    def orphaned(self) -> bool:
        """Whether the parent died: the process is then another's child (init's, a
        subreaper's). One cheap system call, so it is asked before every file."""
        return self.parent is not None and os.getppid() != self.parent

    def on_stop(self, signum: int, frame: FrameType | None) -> None:
        """A worker process's STOP_SIGNAL: abandon the current file unless it is writing."""
        self.stopping = True
        if self.busy and not self.writing:
            raise Stop

    def on_interrupt(self, signum: int, frame: FrameType | None) -> None:
        """In-process Ctrl-C (or kill): raised at once, or once the output being written is."""
        if self.writing:
            self.deferred = True
            return
        raise KeyboardInterrupt

    def in_process(self, items: Iterable[Item]) -> Iterator[tuple[Item, Outcome]]:
        """--jobs 1: each item's outcome in turn, an interruption deferred past a write."""
        for item in items:
            yield item, self.convert(item)
            if self.deferred:  # the file it waited for is counted now
                raise KeyboardInterrupt


def serve(
    job: Job,
    tasks: Queue[tuple[int, list[Item]] | None],
    results: Connection,
    parent: int | None = None,
) -> None:
    """A worker process: chunks from `tasks`, their outcomes to `results`, until told to end.

    Ctrl-C is the parent's business; STOP_SIGNAL means "abandon this file, stop"; SIGTERM
    kills as usual (a forked worker inherits the parent's handler, reset here). The parent
    starts workers with SIGINT and SIGTERM held, released once this is set up.

    A parent killed outright (`kill -9`) can tell nobody: the worker notices that its
    parent process `parent` is gone (it is given another) between files, and while idle
    every `PARENT_CHECK_SECONDS`, and ends.
    """
    worker = Worker(job, parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if STOP_SIGNAL is not None:
        signal.signal(STOP_SIGNAL, worker.on_stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    while not worker.stopping:
        try:
            task = tasks.get(timeout=PARENT_CHECK_SECONDS)
        except queue.Empty:
            if worker.orphaned():
                break
            continue
        if task is None:
            break
        number, chunk = task
        outcomes = worker.convert_chunk(chunk)
        if worker.orphaned():
            break  # nobody is left to read them
        try:
            results.send((number, outcomes))
        except OSError:  # BrokenPipeError: the parent went away while this chunk was done
            break
    with contextlib.suppress(OSError):
        results.close()


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
