"""`python -m tipconv`, and the `tipconv` console script (`run`)."""

import gc


def run() -> None:
    """Start the CLI with the cyclic garbage collector off.

    Start-up allocates a few hundred thousand objects (click, the parser's tables, compiled
    patterns, the model classes) and frees almost none, so the collector would walk them
    some twenty times for nothing: about 2 ms of every run (bench/run.py). Reference
    counting still frees everything a one-file parse makes; `convert` turns the collector
    back on, with the start-up objects frozen out of its way, before its thousands of files.
    """
    gc.disable()
    from .cli import main

    main(prog_name="tipconv")


if __name__ == "__main__":
    run()
