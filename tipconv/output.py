"""Writing outputs without ever leaving a half-written file behind.

Every write failure becomes an `OutputError` naming where (a file, or stdout) and what the
system said, so the command line can give one line and exit 4 for all of them; a reader of
stdout that went away stays a `BrokenPipeError` (exit 141, silent).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from .errors import OutputError

if TYPE_CHECKING:
    from .model import Report
    from .writers import Writer, WriterOptions


def is_stdout(output: str | None) -> bool:
    return output is None or output == "-"


def write_reports(
    writer: Writer, reports: Iterable[Report], output: str | None, options: WriterOptions
) -> None:
    """Write `reports` to `output` (None or "-" is stdout); a file is written atomically.

    A writer with `needs_path` writes the file itself (`write_path`), atomically too.
    """
    if writer.needs_path:
        if output is None or is_stdout(output):
            raise OutputError(None, f"--to {writer.name} writes a file: give -o FILE")
        writer.write_path(reports, output, options)
        return
    with open_output(output) as out:
        writer.write(reports, out, options)


@contextlib.contextmanager
def open_output(output: str | None, *, buffering: int = -1) -> Iterator[TextIO]:
    """Where an output stream goes: stdout, or the file `output` written atomically.

    `buffering` is open()'s for a file: a large buffer saves system calls on a long output.
    """
    if output is None or is_stdout(output):
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(newline="")  # CSV's CRLF must not become CR CR LF on Windows
        with _stdout_errors():
            yield sys.stdout
            sys.stdout.flush()
        return
    with atomic_output(output, newline="", buffering=buffering) as handle:
        yield handle


def write_stdout(text: str) -> None:
    """Write `text` to stdout and flush it; a failure is an OutputError."""
    with _stdout_errors():
        sys.stdout.write(text)
        sys.stdout.flush()


@contextlib.contextmanager
def _stdout_errors() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(None, f"cannot write to stdout: {exc.strerror or exc}") from None


def check_output(path: str) -> None:
    """Refuse, before anything is read, an output path that can never be written.

    A folder (`out/` or `out`) and a path below a missing folder or below a file are caught
    here; what only writing shows (a full disk, a read-only file system) is caught then.
    """
    if is_stdout(path):
        return
    if os.path.isdir(path):
        raise OutputError(path, "cannot write: is a folder, not a file")
    if path.endswith(("/", os.sep)):
        raise OutputError(path, "cannot write: names a folder (it ends with /), not a file")
    target = destination(path)
    refuse_read_only(path, target)
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise OutputError(path, _missing_folder(folder))


def destination(path: str) -> str:
    """Where writing `path` lands: through a symlink to its target, as editors and `cp` do.

    Replacing the link with a file would cut whatever else reads through it. A link to
    nothing is refused, as `cp` refuses to write through a dangling symlink.
    """
    if not os.path.islink(path):
        return path
    target = os.path.realpath(path)
    if not os.path.lexists(target):
        raise OutputError(path, f"cannot write: a symbolic link to {target}, which does not exist")
    return target


def refuse_read_only(path: str, target: str | None = None) -> None:
    """Refuse to replace an existing file that is read-only, as `cp` and `rm` would not.

    Read-only is what the user can see: no write permission for this process, or (for
    root, whom permissions do not stop) no write bit at all.
    """
    target = path if target is None else target
    try:
        info = os.stat(target)
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(info.st_mode):
        return
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise OutputError(
            path, "cannot write: the file is read-only (make it writable or remove it first)"
        )


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
    target = destination(path)
    refuse_read_only(path, target)
    existing = _regular_file(target)
    held, fd, temporary = _create_temporary(path, target)
    try:
        held.close()
        with os.fdopen(fd, "w", buffering, encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _take_over(temporary, existing)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, IsADirectoryError):
            raise OutputError(path, "cannot write: is a folder, not a file") from None
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
        raise


@contextlib.contextmanager
def temporary_beside(path: str) -> Iterator[str]:
    """The name of a new empty file beside `path`, removed when the block ends.

    For a writer that fills a file by name (SQLite) and links or renames it into place
    inside the block; whatever happens, the temporary name does not outlive the block.
    """
    held, fd, temporary = _create_temporary(path, path)
    try:
        held.close()
        os.close(fd)
        yield temporary
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _create_temporary(path: str, target: str) -> tuple[contextlib.ExitStack, int, str]:
    """A new temporary file beside `target` (`.NAME.XXXX.tmp`): the held signals, its
    descriptor and name; errors name `path`.

    Ctrl-C between creating the file and the caller's cleanup would leave it behind, so
    SIGINT/SIGTERM stay held until the caller closes `held`, once that cleanup is armed
    (they are delivered right after).
    """
    directory = os.path.dirname(os.path.abspath(target))
    import tempfile  # only when a file is written: it costs ~3 ms of every start-up

    from .signals import stop_signals  # the signal module costs ~0.6 ms: files only

    held = contextlib.ExitStack()
    held.enter_context(stop_signals("hold"))
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        held.close()
        raise OutputError(path, _cannot_create(exc, directory)) from None
    return held, fd, temporary


def _regular_file(path: str) -> os.stat_result | None:
    """`path`'s status if it is an existing regular file (that an output replaces)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _take_over(temporary: str, existing: os.stat_result | None) -> None:
    """Give the new file the permissions (and, where allowed, owner) of the one it replaces.

    A new file gets the umask's default, as open() would give it; a replaced one keeps what
    its owner chose (mode 600 stays 600), as `cp` onto an existing file keeps it.
    """
    if existing is None:
        os.chmod(temporary, 0o666 & ~umask())
        return
    mine = os.stat(temporary)
    if (mine.st_uid, mine.st_gid) != (existing.st_uid, existing.st_gid):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(temporary, existing.st_uid, existing.st_gid)
    os.chmod(temporary, stat.S_IMODE(existing.st_mode))


def _cannot_create(exc: OSError, directory: str) -> str:
    """What stopped a file being created in `directory`, as it truly is."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and not os.path.isdir(directory):
        return _missing_folder(directory)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write: permission denied in {directory}"
    return f"cannot write in {directory}: {exc.strerror or exc}"


def _missing_folder(folder: str) -> str:
    """A folder that is not there, or a path through a file that cannot be a folder."""
    parent = folder
    while not os.path.lexists(parent) and os.path.dirname(parent) != parent:
        parent = os.path.dirname(parent)
    if os.path.lexists(parent) and not os.path.isdir(parent):
        return f"cannot write: {parent} is a file, not a folder"
    return f"cannot write: folder {folder} does not exist"


def _is_special(path: str) -> bool:
    """True for an existing path that is not a regular file (a device, FIFO or socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def umask() -> int:
    """The process's umask, which os.umask can only tell by setting it."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
