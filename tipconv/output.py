"""Writing outputs without ever leaving a half-written file behind."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from .errors import OutputError

if TYPE_CHECKING:
    from .model import Report
    from .writers import Writer, WriterOptions


def write_reports(
    writer: Writer, reports: Iterable[Report], output: str | None, options: WriterOptions
) -> None:
    """Write `reports` to `output` (None or "-" is stdout); a file is written atomically.

    A writer that needs a real file (e.g. SQLite) says so with `needs_path = True` and
    provides `write_to_path(reports, path, options)`; it is then responsible for atomicity.
    """
    if getattr(writer, "needs_path", False):
        if output in (None, "-"):
            raise OutputError("<stdout>", f"--to {writer.name} writes a file: give -o FILE")
        assert output is not None
        writer.write_to_path(reports, output, options)  # type: ignore[attr-defined]
        return
    if output in (None, "-"):
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(newline="")  # CSV's CRLF must not become CR CR LF on Windows
        writer.write(reports, sys.stdout, options)
        sys.stdout.flush()
        return
    assert output is not None
    with atomic_output(output, newline="") as handle:
        writer.write(reports, handle, options)


@contextlib.contextmanager
def atomic_output(
    path: str, *, newline: str | None = None, buffering: int = -1
) -> Iterator[TextIO]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds.

    A crash, a full disk or Ctrl-C leaves either the old file or none, never a truncated one.
    `buffering` is open()'s for the temporary file: a large buffer saves system calls on a
    long output (a device or FIFO keeps the default, so a reader there is not kept waiting).
    """
    if _is_special(path):
        # /dev/null, a FIFO or a terminal: renaming over it would replace the device itself.
        try:
            with open(path, "w", encoding="utf-8", newline=newline) as stream:
                yield stream
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
        return
    directory = os.path.dirname(os.path.abspath(path))
    import tempfile  # only when a file is written: it costs ~3 ms of every start-up

    # Ctrl-C between creating the temporary file and the cleanup below would leave it behind:
    # hold SIGINT/SIGTERM until the cleanup is in place (they are delivered right after).
    held = contextlib.ExitStack()
    held.enter_context(stop_signals_held())
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        held.close()
        if isinstance(exc, FileNotFoundError):
            raise OutputError(path, f"cannot write: folder {directory} does not exist") from None
        if isinstance(exc, PermissionError):
            raise OutputError(path, f"cannot write: permission denied in {directory}") from None
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        held.close()
        with os.fdopen(fd, "w", buffering, encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
        raise


@contextlib.contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold Ctrl-C and kill (SIGINT, SIGTERM) for a critical step; they arrive right after."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows: nothing to hold
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _is_special(path: str) -> bool:
    """True for an existing path that is not a regular file (a device, FIFO or socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
