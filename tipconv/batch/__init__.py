"""Many inputs to outputs without losing any: `tipconv convert` as a library call.

`convert()` streams the files INPUTs name (`inputs`), converts them in worker processes
(`scheduling`, `work`), writes every output atomically, counts and reports each outcome
(`tally`) and returns a `Summary`. A bad file is reported and skipped, never fatal; only
`cli.py` turns the summary into an exit code.

Memory stays flat: folders are walked as the run goes, at most a few chunks of files are in
flight, and results reach the writer in input order whatever the number of workers. The
parent process is the one every result passes through, so it does as little as it can:
with a `parallel` writer (all per-report built-ins), workers send back finished text and
the parent only copies it into the output.
"""

from .inputs import DEFAULT_GLOB, BatchUsageError, Failure, Inputs, Item
from .run import Settings, convert, plan
from .tally import Summary
from .work import Job, Outcome

__all__ = [
    "DEFAULT_GLOB",
    "BatchUsageError",
    "Failure",
    "Inputs",
    "Item",
    "Job",
    "Outcome",
    "Settings",
    "Summary",
    "convert",
    "plan",
]
