"""Errors about inputs and outputs. Each names its path (and byte offset where it applies).

Only `cli.py` maps these to exit codes; library users catch `TipconvError`.
"""

from __future__ import annotations


class TipconvError(Exception):
    """Base class: something about a file tipconv was asked to read or write is wrong."""

    def __init__(self, path: str | None, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.path if self.path is not None else "<stdin>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class TipconvWarning(UserWarning):
    """What the library's tables (`tipconv.panel`, `tipconv.dataframe`) say through
    `warnings`: an input skipped, copies that disagree. Filter it like any warning, or make
    it an error (`warnings.simplefilter("error", tipconv.TipconvWarning)`)."""


class UsageError(TipconvError):
    """What was asked cannot start at all: nothing to convert, an output that is an input."""


class InputError(TipconvError):
    """An input cannot be read: missing, a directory, not permitted, not a regular file."""


class NothingToShowError(TipconvError):
    """A view has no row to show: say why in one line (exit 3), never an empty table.

    `path` is None: the inputs as a whole, not one of them, are what lacks the rows.
    """

    def __str__(self) -> str:
        return self.message


class BinaryInputError(InputError):
    """An input is binary data, not text."""


class DecodeError(InputError):
    """An input's bytes are not valid in the chosen encoding."""

    def __init__(
        self, path: str | None, message: str, *, offset: int, line: int | None = None
    ) -> None:
        super().__init__(path, message, line=line)
        self.offset = offset


class OutputError(TipconvError):
    """An output cannot be written: missing or read-only folder, full disk.

    `path` None is stdout: the message then says so itself ("cannot write to stdout: ...").
    """

    def __str__(self) -> str:
        return self.message if self.path is None else super().__str__()
