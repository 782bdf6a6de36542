"""Ctrl-C and kill (SIGINT, SIGTERM) around the steps that must not be cut short.

One helper, `stop_signals`, for every place that needs them held back or handled its own
way: creating a temporary file whose cleanup is not armed yet, starting worker processes
(they inherit the held mask), turning kill into KeyboardInterrupt for a clean stop, and
ignoring both while that stop cleans up.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Literal

Handler = Callable[[int, FrameType | None], object]
# The signals tipconv treats as "stop": Ctrl-C and a plain kill.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def stop_signals(action: Literal["hold"] | Handler | signal.Handlers) -> Iterator[None]:
    """SIGINT and SIGTERM during the block: "hold" them, or handle them with `action`.

    Held signals are delivered when the block ends (and a process started inside the block
    inherits the held mask). A handler (a function or `signal.SIG_IGN`) replaces the current
    one for the block; a signal the process ignores (e.g. SIGINT under `nohup`) stays
    ignored. Handlers can only change in the main thread: elsewhere the block runs as is.
    """
    if action == "hold":
        if not hasattr(signal, "pthread_sigmask"):  # Windows: nothing to hold
            yield
            return
        previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        number: signal.getsignal(number)
        for number in STOP_SIGNALS
        if signal.getsignal(number) not in (signal.SIG_IGN, None)
    }
    for number in previous:
        signal.signal(number, action)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def interrupt(signum: int, frame: FrameType | None) -> None:
    """A handler that makes kill stop a run as cleanly as Ctrl-C."""
    raise KeyboardInterrupt
