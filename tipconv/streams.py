"""Standard streams the shell closed (`>&-`, `<&-`, `2>&-`): Python makes them None.

`guard` runs before any command when one of them is None (the check costs nothing, the
import of this module only then). A closed stdout or stderr becomes a `ClosedStream`,
whose writes fail as a write to a closed descriptor does, so a command that needs stdout
says so in one line (exit 4) and one that writes a file runs as usual; a closed stdin stays
None, which reading reports as an unreadable input. The closed descriptors themselves are
pointed at /dev/null, so that no file opened later takes their number, where a worker
process's inherited stdout or a stray write would land in it.
"""

from __future__ import annotations

import errno
import io
import os
import sys


class ClosedStream(io.TextIOBase):
    """A text stream that is closed at the descriptor: every write is EBADF, "it is closed"."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation(f"{self._name} is closed")

    def flush(self) -> None:
        """Nothing is ever buffered, so the interpreter's last flush at exit never fails."""


def guard() -> None:
    """Occupy closed descriptors 0-2 with /dev/null; a None stdout or stderr becomes closed."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
    if sys.stdout is None:
        sys.stdout = ClosedStream("stdout")
    if sys.stderr is None:
        sys.stderr = ClosedStream("stderr")
