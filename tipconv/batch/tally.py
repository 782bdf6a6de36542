"""Outcomes as they are taken, in input order: counted, said on stderr and logged."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from .inputs import Failure, Item
from .work import Mode, Outcome

if TYPE_CHECKING:
    from ..console import Console
    from ..model import Report


@dataclass
class Summary:
    """Counts for the closing line and the exit code.

    `unwritten` counts the failures that were an output that could not be written.
    """

    total: int = 0  # files; an INPUT that names none is `missing`
    converted: int = 0
    failed: int = 0
    missing: int = 0
    skipped: int = 0
    warned: int = 0
    unwritten: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    stopped: bool = False

    def line(self) -> str:
        """E.g. "converted 4998 of 5000 files (2 failed, 37 with warnings) in 12.3 s"."""
        nothing = "INPUT naming no file" if self.missing == 1 else "INPUTs naming no file"
        counts = [
            f"{count} {label}"
            for count, label in (
                (self.failed, "failed"),
                (self.missing, nothing),
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


class FailFast(Exception):
    """--fail-fast: stop at the first failure; a combined output file is then not written."""


class ErrorLog:
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


class Tally:
    """Takes outcomes in input order: counts, prints, logs, and enforces --fail-fast."""

    def __init__(
        self, summary: Summary, console: Console, log: ErrorLog, fail_fast: bool, mode: Mode
    ) -> None:
        self.summary = summary
        self.console = console
        self.log = log
        self.fail_fast = fail_fast
        # A rendering writer's warnings name the file already, and come after its report's
        # lines, as when the parent itself rendered; a per-file write's are prefixed.
        self.notes_first = mode == "files"

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
        if outcome.failure is not None and outcome.failure.names_nothing:
            self._named_nothing(item.path, outcome.failure)
            return
        self.summary.total += 1
        self.console.advance()
        if outcome.notes and self.notes_first:
            for note in outcome.notes:
                self.console.warning(f"{item.path}: {note}")
        if outcome.failure is not None:
            self._failed(item.path, outcome.failure)
        elif outcome.status == "skipped":
            self.summary.skipped += 1
            self.console.info(f"skipped {item.path}: {item.output} is up to date")
        else:
            self._converted(item, outcome)
        if outcome.notes and not self.notes_first:
            for note in outcome.notes:
                self.console.warning(note)

    def _named_nothing(self, path: str, failure: Failure) -> None:
        """An INPUT without a file: an error line and a count of its own, not a file."""
        self.summary.missing += 1
        self.console.error(f"{path}: {failure.message}")
        self.log.write(path, failure.line, "error", failure.code, failure.message)
        if self.fail_fast:
            raise FailFast(path)

    def _failed(self, path: str, failure: Failure) -> None:
        self.summary.failed += 1
        if failure.code == "output_error":
            self.summary.unwritten += 1
        where = f"{path}:{failure.line}" if failure.line else path
        self.console.error(f"{where}: {failure.message}")
        if failure.detail:
            self.console.detail(failure.detail.rstrip())
        self.log.write(path, failure.line, "error", failure.code, failure.message)
        if self.fail_fast:
            raise FailFast(path)

    def _converted(self, item: Item, outcome: Outcome) -> None:
        self.summary.converted += 1
        path = item.path
        verbose = self.console.verbose
        if verbose:
            target = f" -> {item.output}" if item.output else ""
            self.console.info(f"converted {path}{target}")
        warned = False
        for level, code, message, line in outcome.diagnostics:
            if verbose:
                self.console.diagnostic(level, path, line, message, code)
            if level == "info":
                continue
            warned = True
            self.log.write(path, line, level, code, message)
        if warned:
            self.summary.warned += 1
