"""Everything tipconv says on stderr, in one voice for every command.

Errors always; warnings and the closing summary unless -q; info lines with -v. Colour and
the progress bar only on a terminal: colour not with NO_COLOR or --no-color, the bar only
when stdout is not that same terminal (it would be glued to the data) and not with -q.
rich is imported only for a bar, so piped and scripted runs never pay for it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .model import Report

# ANSI SGR codes for the label of an error and a warning: red and yellow, bold.
_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m"}
_RESET = "\x1b[0m"


class Console:
    """Lines to stderr (`stream`), honouring -q, -v and colour; a bar while a batch runs."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        color: bool | None = None,
        stream: TextIO | None = None,
        progress: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose and not quiet
        terminal = is_terminal(self.stream)
        self.color = use_color(self.stream) if color is None else color
        if progress is None:
            progress = not quiet and terminal and not _shares_terminal(self.stream, sys.stdout)
        self.progress = progress
        self._bar: Any = None
        self._task: Any = None

    def error(self, message: str) -> None:
        self._emit(f"{self._label('error')} {message}")

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._emit(f"{self._label('warning')} {message}")

    def info(self, message: str) -> None:
        if self.verbose:
            self._emit(f"tipconv: {message}")

    def summary(self, message: str, *, always: bool = False) -> None:
        """The closing line of a batch: shown unless -q (`always` when it stopped early)."""
        if always or not self.quiet:
            self._emit(f"tipconv: {message}")

    def detail(self, text: str) -> None:
        """Lines that belong to the error before them (a traceback with --debug)."""
        self._emit(text)

    def diagnostics(self, report: Report, limit: int = 20) -> None:
        """Warnings (and with -v, info) from a report, one line each: PATH:LINE: message."""
        if self.quiet:
            return
        shown = 0
        hidden = 0
        path = report.source.path or "<stdin>"
        for diagnostic in report.diagnostics:
            level = diagnostic.level.value
            if level == "info" and not self.verbose:
                continue
            if shown >= limit and not self.verbose:
                hidden += 1
                continue
            self.diagnostic(level, path, diagnostic.line, diagnostic.message, diagnostic.code)
            shown += 1
        if hidden:
            self._emit(f"tipconv: ... and {hidden} more warning(s) (-v shows all)")

    def diagnostic(self, level: str, path: str, line: int | None, message: str, code: str) -> None:
        """One diagnostic of a report: `tipconv: LEVEL: PATH:LINE: message [code]`."""
        where = f"{path}:{line}" if line else path
        label = self._label(level) if level in _COLOURS else f"tipconv: {level}:"
        self._emit(f"{label} {where}: {message} [{code}]")

    @contextlib.contextmanager
    def running(self, total: int | None) -> Iterator[None]:
        """Show the bar (if wanted) while the block runs; it disappears when done.

        `total` None shows a bar that counts without an end.
        """
        if self.progress:
            self._bar, self._task = _start_bar(self.stream, total, self.color)
        try:
            yield
        finally:
            bar, self._bar = self._bar, None
            if bar is not None:
                bar.stop()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def _label(self, level: str) -> str:
        if self.color:
            return f"tipconv: {_COLOURS[level]}{level}:{_RESET}"
        return f"tipconv: {level}:"

    def _emit(self, line: str) -> None:
        if self._bar is not None:
            # Through rich, so the line lands above the bar instead of through it.
            with contextlib.suppress(OSError, ValueError):
                self._bar.console.print(
                    line, markup=False, highlight=False, emoji=False, soft_wrap=True
                )
            return
        if self.stream is None:
            return  # no stderr at all: print() would send the line to stdout, into the data
        # stderr full (2>/dev/full) or closed: the message is lost, but never the data
        # already written nor the exit code the run earned.
        with contextlib.suppress(OSError, ValueError):
            print(line, file=self.stream, flush=True)


def use_color(stream: TextIO, *, forbidden: bool = False) -> bool:
    """Colour on `stream`: a terminal, unless --no-color (`forbidden`) or NO_COLOR says not."""
    return not forbidden and is_terminal(stream) and not os.environ.get("NO_COLOR")


def screen_width(stream: TextIO) -> int | None:
    """The columns a view written to `stream` must fit, as rich and click decide them:
    COLUMNS when it holds a positive number (a pipe into `less` too), else the terminal's
    width, else None (a pipe or file with no screen to fit: nothing is cut or wrapped)."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        pass
    return None


def is_terminal(stream: TextIO) -> bool:
    """A terminal that shows colour and redraws a bar: a tty, not TERM=dumb."""
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _shares_terminal(stream: TextIO, other: TextIO) -> bool:
    """Whether `other` (stdout) writes to the same terminal as `stream` (stderr)."""
    try:
        return other.isatty() and os.path.samestat(
            os.fstat(stream.fileno()), os.fstat(other.fileno())
        )
    except (AttributeError, ValueError, OSError):
        return False


def _start_bar(stream: TextIO, total: int | None, color: bool) -> tuple[Any, Any]:
    """A rich progress bar on `stream`: files done/total, rate and time left."""
    from rich.console import Console as RichConsole
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
        console=RichConsole(file=stream, no_color=not color),
        transient=True,
        # Data may be going to stdout: rich must never capture it.
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = bar.add_task("convert", total=total)
    bar.start()
    return bar, task
