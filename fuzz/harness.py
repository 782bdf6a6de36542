"""What the atheris harnesses share: seeding a corpus from the fixtures, and the run itself.

Each `fuzz_*.py` holds only its `test_one_input`; see fuzz/README.md for how to run them.
"""

from __future__ import annotations

import shutil
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent


def seed_corpus(corpus: Path, pattern: str) -> None:
    """Copy the fixtures `pattern` names into the corpus folder (gitignored), so fuzzing
    starts from real inputs."""
    corpus.mkdir(parents=True, exist_ok=True)
    for fixture in sorted((ROOT / "fixtures").glob(pattern)):
        target = corpus / f"seed-{fixture.parent.name}-{fixture.name}"
        if not target.exists():
            shutil.copyfile(fixture, target)


def fuzz(test_one_input: Callable[[bytes], None], seeds: str) -> None:
    """Run libFuzzer on `test_one_input`, the corpus (the first argument) seeded from the
    fixtures `seeds` names."""
    # A warning printed by a dependency (dateutil's UnknownTimezoneWarning was one) is noise on
    # every unattended run's stderr: count it as a crash.
    warnings.simplefilter("error")
    corpora = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if corpora:
        seed_corpus(Path(corpora[0]), seeds)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
