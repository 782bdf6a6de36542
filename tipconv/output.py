"""Writing outputs without ever leaving a half-written file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import TextIO

from .errors import OutputError


@contextlib.contextmanager
def atomic_output(path: str, *, newline: str | None = None) -> Iterator[TextIO]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds.

    A crash, a full disk or Ctrl-C leaves either the old file or none, never a truncated one.
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory
        )
    except FileNotFoundError:
        raise OutputError(path, f"cannot write: folder {directory} does not exist") from None
    except PermissionError:
        raise OutputError(path, f"cannot write: permission denied in {directory}") from None
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
