"""Items to outcomes in input order, from worker processes or in-process for one job.

A bounded window of chunks is in flight, and items are drawn from the stream only to fill
it, so memory does not grow with the number of files. The pool is tipconv's own, from
public `multiprocessing` parts: each worker has its own queue of chunks and its own pipe
back, so the parent always knows which chunks a worker holds. A worker that dies (killed,
out of memory) fails the chunk it was converting; the chunks queued behind it go to its
replacement. Leaving the block early (Ctrl-C, --fail-fast, an error) stops the workers at
once; one caught mid-write finishes that file first.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections import deque
from collections.abc import Iterator
from itertools import islice
from types import TracebackType
from typing import TYPE_CHECKING

from ..signals import stop_signals
from .inputs import Failure, Item
from .work import STOP_SIGNAL, Job, Outcome, Worker, serve

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import DefaultContext
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue

# Files per task: a task costs a round trip to a worker and a pickle of its items and
# outcomes, so many files share one (on 10,000 narratives, --jobs 2 gained 1.57x -> 1.69x
# over --jobs 1 going from 32 to 128). Chunks start small and grow, so a short run still
# spreads over every worker.
MAX_CHUNK = 128
# Chunks in flight per worker: enough that no worker waits for the parent, few enough that
# results waiting for their turn (the window is ordered) take little memory.
CHUNKS_PER_WORKER = 4
# Chunks one worker holds at once (converting, and queued behind): the rest of the window
# waits in the parent and goes to whichever worker is free first.
_HELD_PER_WORKER = 2
# How long a stopping worker may take to finish the file it is writing before it is killed.
_STOP_GRACE_SECONDS = 30.0
_DIED = (
    "a worker process died while converting this file or one near it "
    "(run again with --jobs 1 to find which)"
)
_STOPPED = "not converted: its worker process was asked to stop"


class Scheduler:
    """(item, outcome) pairs in input order from `jobs` processes (in-process for one)."""

    def __init__(self, items: Iterator[Item], job: Job, jobs: int) -> None:
        self.items = items
        self.job = job
        self.jobs = jobs
        self.window = jobs * CHUNKS_PER_WORKER
        self.drawn = 0
        self.pool: Pool | None = None
        self.chunks: dict[int, list[Item]] = {}  # submitted, not yet handed out
        self.done: dict[int, list[Outcome]] = {}  # finished, waiting for their turn
        self.submitted = 0
        self.next = 0  # the chunk whose outcomes are handed out next
        self.ready: deque[tuple[Item, Outcome]] = deque()
        self.results: Iterator[tuple[Item, Outcome]] | None = None

    def __enter__(self) -> Iterator[tuple[Item, Outcome]]:
        if self.jobs == 1:
            worker = Worker(self.job)
            self.results = self._in_process(worker)
            return self.results
        self.pool = Pool(self.job, self.jobs)
        try:
            # Start the workers (fork copies this process) before any progress-bar thread.
            self.pool.start()
            for _ in range(self.window):
                if not self._submit_next():
                    break
        except BaseException:
            self._stop(aborted=True)
            raise
        self.results = self._collect()
        return self.results

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.results is not None and hasattr(self.results, "close"):
            self.results.close()
        self._stop(aborted=exc is not None)

    def _in_process(self, worker: Worker) -> Iterator[tuple[Item, Outcome]]:
        with stop_signals(worker.on_interrupt):
            yield from worker.in_process(self.items)

    def _submit_next(self) -> bool:
        # Each chunk is an eighth or so of what went before, up to MAX_CHUNK: a run of
        # a dozen files still keeps every worker busy, a long one pays few round trips.
        size = max(1, min(MAX_CHUNK, self.drawn // self.window))
        chunk = list(islice(self.items, size))
        if not chunk:
            return False
        self.drawn += len(chunk)
        number = self.submitted
        self.submitted += 1
        self.chunks[number] = chunk
        assert self.pool is not None
        self.pool.submit(number, chunk)
        return True

    def _collect(self) -> Iterator[tuple[Item, Outcome]]:
        assert self.pool is not None
        while self.ready or self.next < self.submitted:
            if not self.ready:
                if self.next not in self.done:
                    self.pool.receive(self.done)
                    continue
                chunk = self.chunks.pop(self.next)
                self.ready.extend(_paired(chunk, self.done.pop(self.next)))
                self.next += 1
                self._submit_next()
            yield self.ready.popleft()

    def leftovers(self) -> Iterator[tuple[Item, Outcome]]:
        """After an early stop: outcomes workers finished that nobody took yet.

        Their --out-dir outputs are on disk, so a truthful summary counts them too; a chunk
        cut short counts what it finished.
        """
        while self.ready:
            yield self.ready.popleft()
        for number in sorted(self.done):
            yield from zip(self.chunks.pop(number), self.done.pop(number), strict=False)

    def _stop(self, *, aborted: bool) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            # A second Ctrl-C (or kill) during cleanup must not leave workers behind.
            with stop_signals(signal.SIG_IGN):
                pool.stop(self.done, aborted=aborted)


def _paired(chunk: list[Item], outcomes: list[Outcome]) -> Iterator[tuple[Item, Outcome]]:
    """A chunk's items with their outcomes; those a stopped worker left undone fail."""
    stopped = Outcome("failed", failure=Failure("internal_error", _STOPPED))
    padded = outcomes + [stopped] * (len(chunk) - len(outcomes))
    return zip(chunk, padded, strict=True)


class _Slot:
    """One worker process, its queue of chunks, its pipe back and the chunks it holds."""

    def __init__(self, context: DefaultContext, job: Job) -> None:
        from multiprocessing.connection import Pipe

        self.tasks: Queue[tuple[int, list[Item]] | None] = context.Queue()
        reader, writer = Pipe(duplex=False)
        self.results: Connection = reader
        self.held: deque[tuple[int, list[Item]]] = deque()
        self.process: BaseProcess = context.Process(
            target=serve, args=(job, self.tasks, writer, os.getpid()), daemon=True
        )
        # Held, so the worker starts with a Ctrl-C-proof mask (it releases it when ready).
        with stop_signals("hold"):
            self.process.start()
        writer.close()  # the worker's end: once it exits, reading here ends, never hangs

    def give(self, number: int, chunk: list[Item]) -> None:
        self.held.append((number, chunk))
        self.tasks.put((number, chunk))

    def close(self) -> None:
        self.tasks.cancel_join_thread()  # a dead worker's queue may never be read again
        self.tasks.close()
        self.results.close()


class Pool:
    """`jobs` worker processes converting chunks; outcomes come back by chunk number."""

    def __init__(self, job: Job, jobs: int) -> None:
        # Imported here: multiprocessing costs ~10 ms of every start, and --jobs 1 needs none.
        import multiprocessing

        self.context = multiprocessing.get_context()
        self.job = job
        self.jobs = jobs
        self.slots: list[_Slot] = []
        self.waiting: deque[tuple[int, list[Item]]] = deque()  # for the next free worker

    def start(self) -> None:
        self.slots = [_Slot(self.context, self.job) for _ in range(self.jobs)]

    def submit(self, number: int, chunk: list[Item]) -> None:
        self.waiting.append((number, chunk))
        self._dispatch()

    def _dispatch(self) -> None:
        while self.waiting:
            slot = min(self.slots, key=lambda slot: len(slot.held))
            if len(slot.held) >= _HELD_PER_WORKER:
                return
            slot.give(*self.waiting.popleft())

    def receive(self, done: dict[int, list[Outcome]], timeout: float | None = None) -> None:
        """Wait for outcomes (or a worker's death) and add what came to `done`."""
        for slot in _watch(self.slots, timeout):
            if slot in self.slots:
                self._read(slot, done)
        self._dispatch()

    def _read(self, slot: _Slot, done: dict[int, list[Outcome]]) -> None:
        """Everything `slot` sent; if it has died, fail what it held and replace it."""
        while True:
            # Held, so Ctrl-C never leaves half a message in the pipe or a result unrecorded.
            with stop_signals("hold"):
                try:
                    if not slot.results.poll():
                        break
                    number, outcomes = slot.results.recv()
                except (EOFError, OSError):  # it exited: its pipe is closed
                    break
                slot.held.popleft()
                done[number] = outcomes
        if slot.process.is_alive():
            return
        slot.process.join()
        slot.close()
        index = self.slots.index(slot)
        if slot.held:
            number, chunk = slot.held.popleft()
            done[number] = [Outcome("failed", failure=Failure("internal_error", _DIED))] * len(
                chunk
            )
        self.waiting.extendleft(reversed(slot.held))
        self.slots[index] = _Slot(self.context, self.job)

    def stop(self, done: dict[int, list[Outcome]], *, aborted: bool) -> None:
        """End every worker; `aborted`, each abandons its file at once (see Worker.on_stop).

        Outcomes that arrive meanwhile go to `done`: their --out-dir outputs are on disk.
        """
        if aborted and STOP_SIGNAL is not None:
            for slot in self.slots:
                if slot.process.pid is not None:
                    with contextlib.suppress(OSError):
                        os.kill(slot.process.pid, STOP_SIGNAL)
        for slot in self.slots:
            with contextlib.suppress(OSError, ValueError):
                slot.tasks.put(None)
        self._drain(done)
        for slot in self.slots:
            slot.close()
        self.slots = []

    def _drain(self, done: dict[int, list[Outcome]]) -> None:
        """Read what the workers still send until each has exited; a hung one is killed."""
        from time import monotonic

        deadline = monotonic() + _STOP_GRACE_SECONDS
        alive = list(self.slots)
        while alive:
            left = deadline - monotonic()
            if left <= 0:
                for slot in alive:
                    slot.process.kill()
                    slot.process.join()
                return
            for slot in _watch(alive, left):
                self._drain_pipe(slot, done)
                if not slot.process.is_alive() and slot in alive:
                    self._drain_pipe(slot, done)
                    slot.process.join()
                    alive.remove(slot)

    def _drain_pipe(self, slot: _Slot, done: dict[int, list[Outcome]]) -> None:
        with contextlib.suppress(EOFError, OSError):
            while slot.results.poll():
                number, outcomes = slot.results.recv()
                done[number] = outcomes


def _watch(slots: list[_Slot], timeout: float | None) -> list[_Slot]:
    """The slots whose worker sent something or exited, waiting up to `timeout` seconds."""
    from multiprocessing.connection import wait

    by_handle: dict[object, _Slot] = {}
    handles: list[Connection | int] = []
    for slot in slots:
        for handle in (slot.results, slot.process.sentinel):
            handles.append(handle)
            by_handle[handle] = slot
    return list(dict.fromkeys(by_handle[handle] for handle in wait(handles, timeout)))
