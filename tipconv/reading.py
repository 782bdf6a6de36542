"""Reading inputs from disk or stdin: the only I/O the library does."""

from __future__ import annotations

import os
import stat
import sys
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Report
from .parser import analyse, parse_text
from .readers import read

if TYPE_CHECKING:
    from .classify import Token

# Larger inputs are refused rather than risking the machine's memory on a mistaken path.
MAX_INPUT_BYTES = 512 * 1024 * 1024
# Binary mode: Windows would otherwise translate line endings as it reads.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_CHUNK_BYTES = 1 << 16


def read_input(path: str | os.PathLike[str] | None) -> bytes:
    """Read all bytes of `path` (None or "-" is stdin), mapping OS errors to InputError."""
    if path is None or str(path) == "-":
        return _read_stdin()
    name = str(path)
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(name, "is a directory, not a file (use 'tipconv convert' for folders)")
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISFIFO(info.st_mode):
            raise InputError(name, "not a regular file")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputError(
                name, f"too large ({info.st_size} bytes; the limit is {MAX_INPUT_BYTES})"
            )
        return _read_all(name, info.st_size)
    except FileNotFoundError:
        raise InputError(name, "no such file or folder") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, exc.strerror or str(exc)) from None


def _read_stdin() -> bytes:
    """All of stdin; closed (`<&-`, where Python makes it None) or failing is an InputError."""
    stream = sys.stdin
    if stream is None:
        raise InputError(None, "cannot read stdin: it is closed")
    try:
        return stream.buffer.read()
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(None, f"cannot read stdin: {reason}") from None


def _read_all(name: str, size: int) -> bytes:
    """The bytes of file `name`, `size` bytes long when it was looked at.

    os.open and os.read, without open()'s file object: it makes several more system calls
    (fstat, isatty, lseek), which cost more than a small file's read. A regular file takes
    one read and one more to see its end; a FIFO, or a file that grew, takes more.
    """
    fd = os.open(name, _READ_FLAGS)
    try:
        chunks: list[bytes] = []
        want = size + 1
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            want = _CHUNK_BYTES
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse_file(
    path: str | os.PathLike[str] | None,
    *,
    encoding: str | None = None,
    strict: bool = False,
    label: str | None = None,
    form: str | None = None,
    year: int | None = None,
) -> Report:
    """Read, decode and parse one file ("-" or None for stdin).

    `form` is "text", "html" or "pdf"; None finds it from the content, then the suffix.

    `label` is the path the report records (`source.path`, and so every output's `path`):
    a name for stdin, which otherwise has none. `strict` lets a bug in the parser raise
    instead of becoming an `internal_error` diagnostic (for debugging). `year` is the
    report year of a copy that prints none (`--year`; see `years.supply_year`): recorded
    as supplied, and never over a year the copy prints.

    Raises InputError (or its subclasses) when the file cannot be read or is not text;
    anything wrong inside the text becomes a diagnostic instead.
    """
    shown = label if label is not None else None if path is None or str(path) == "-" else str(path)
    data = read_input(path)
    name = None if path is None or str(path) == "-" else str(path)
    document = read(data, form=form, encoding=encoding, path=name)
    report = parse_text(
        document.text,
        path=shown,
        encoding=document.encoding,
        notes=document.diagnostics,
        strict=strict,
        layout=document.layout,
    )
    if year is None:
        return report
    from .years import supply_year

    return supply_year(report, year)


def analyse_file(
    path: str | os.PathLike[str] | None, *, encoding: str | None = None, form: str | None = None
) -> tuple[Report, list[Token]]:
    """`parse_file`, and the token stream the report was assembled from (`tipconv explain`)."""
    shown = None if path is None or str(path) == "-" else str(path)
    document = read(read_input(path), form=form, encoding=encoding, path=shown)
    return analyse(
        document.text,
        path=shown,
        encoding=document.encoding,
        notes=document.diagnostics,
        layout=document.layout,
    )


__all__ = ["analyse_file", "parse_file"]
