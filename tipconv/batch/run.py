"""`tipconv convert` as a library call: `convert()` runs a batch, `plan()` lists one."""

from __future__ import annotations

import codecs
import contextlib
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import IO, TYPE_CHECKING, TypeVar

from ..errors import OutputError
from ..output import atomic_output, open_output, write_reports
from ..signals import interrupt, stop_signals
from .inputs import DEFAULT_GLOB, BatchUsageError, Inputs, Item
from .scheduling import Scheduler
from .tally import ErrorLog, FailFast, Summary, Tally
from .work import Job, Mode

if TYPE_CHECKING:
    from ..console import Console
    from ..writers import Writer, WriterOptions

# Bytes a combined output gathers per write: a system call per report costs more than
# copying the report.
_OUTPUT_BUFFER = 1 << 20

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """What a batch run was asked to do: the `convert` command's options."""

    output: str | None = None
    out_dir: str | None = None
    pattern: str = DEFAULT_GLOB
    files_from: tuple[str, ...] = ()
    jobs: int | None = None
    encoding: str | None = None
    form: str | None = None  # --from: text, html or pdf (None: from each file)
    fail_fast: bool = False
    skip_existing: bool = False
    errors_to: str | None = None
    debug: bool = False
    year: int | None = None  # --year: the report year of copies that print none


def convert(
    inputs: Sequence[str],
    settings: Settings,
    writer: Writer,
    options: WriterOptions,
    *,
    console: Console | None = None,
    stdin: IO[bytes] | None = None,
) -> Summary:
    """Convert every file `inputs` name; report failures and carry on (or stop, --fail-fast).

    Raises BatchUsageError when nothing can start (no INPUT names a file, an output is an
    input, unknown encoding) and OutputError when the combined output, --out-dir or
    --errors-to cannot be written. A run that converts nothing writes no combined output.
    KeyboardInterrupt is caught: the summary says `interrupted`, finished outputs stay.
    """
    from ..console import Console
    from ..writers.base import no_warning

    started = time.perf_counter()
    console = console or Console(quiet=True, progress=False)
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
    _refuse_overwriting_inputs(source, settings)
    jobs = _effective_jobs(settings.jobs)
    head, rest, complete = source.begin(ahead=jobs)
    if complete:  # fewer files than workers: start no more processes than there are files
        jobs = max(1, min(jobs, len(head)))
    # Only a bar needs the total beforehand; counting walks the folders once more.
    total = source.count() if console.progress else None
    if out_dir is not None:
        _make_folder(out_dir)
    combined = options._replace(as_array=True, warn=console.warning)
    mode: Mode = "files" if out_dir is not None else "text" if writer.parallel else "reports"
    job = Job(
        writer=writer,
        mode=mode,
        # Picklable, for workers that are spawned rather than forked: no closure, no proxy.
        options=(combined if mode == "text" else options)._replace(
            warn=no_warning, extra=dict(options.extra), fast=True
        ),
        encoding=settings.encoding,
        form=settings.form,
        debug=settings.debug,
        skip_existing=settings.skip_existing,
        year=settings.year,
    )
    summary = Summary()
    log_file = atomic_output(settings.errors_to) if settings.errors_to else None
    # `kill` stops a run as cleanly as Ctrl-C: workers told, temporary files removed.
    with stop_signals(interrupt), log_file or contextlib.nullcontext() as log_handle:
        tally = Tally(summary, console, ErrorLog(log_handle), settings.fail_fast, mode)
        scheduler = Scheduler(chain(head, rest), job, jobs)
        try:
            with scheduler as results, console.running(total):
                if mode == "files":
                    for item, outcome in results:
                        tally.record(item, outcome)
                elif mode == "text":
                    texts = _unless_empty(tally.texts(results))
                    if texts is not None:
                        with open_output(settings.output, buffering=_OUTPUT_BUFFER) as out:
                            writer.frame(texts, out, combined)
                else:
                    reports = _unless_empty(tally.reports(results))
                    if reports is not None:
                        write_reports(writer, reports, settings.output, combined)
        except FailFast:
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
    stopped = summary.interrupted or summary.stopped
    console.summary(summary.line() + _stopped_hint(settings, summary), always=stopped)
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


def _refuse_overwriting_inputs(source: Inputs, settings: Settings) -> None:
    """An output that is an input is refused before anything is read."""
    for flag, path in (("-o", settings.output), ("--errors-to", settings.errors_to)):
        if path is None:
            continue
        named = source.names(path)
        if named is not None:
            message = f"{flag} {path} is the input {named}: it would be overwritten"
            raise BatchUsageError(None, message)
    if settings.out_dir is not None:
        clash = source.overwrites()
        if clash is not None:
            output, named = clash
            raise BatchUsageError(
                None,
                f"--out-dir {settings.out_dir} would write {output} over the input {named}",
            )


def _unless_empty(items: Iterator[T]) -> Iterator[T] | None:
    """`items` whole, or None when there are none: a run that converted nothing writes none."""
    for first in items:
        return chain((first,), items)
    return None


def _count(source: Inputs, known: int) -> int:
    """The run's total after it stopped early; a second Ctrl-C settles for what is known."""
    try:
        return max(known, source.count())
    except KeyboardInterrupt:
        return known


def _stopped_hint(settings: Settings, summary: Summary) -> str:
    """What a run cut short left behind, so nobody has to guess."""
    if not (summary.interrupted or summary.stopped):
        return ""
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


def _effective_jobs(jobs: int | None) -> int:
    if jobs is None:
        affinity = getattr(os, "sched_getaffinity", None)
        jobs = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    return max(1, jobs)
