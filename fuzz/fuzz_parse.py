"""Coverage-guided fuzzing of the parser with atheris (libFuzzer for Python).

Bytes in -> decode (lenient UTF-8, and tipconv's own decoder in "auto" mode) -> parse with
`strict=True`, so an internal error raises instead of becoming a diagnostic and libFuzzer
records the input as a crash; warnings are errors too. See fuzz/README.md for how to run it.
"""

from __future__ import annotations

import shutil
import sys
import warnings
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from tipconv.errors import TipconvError
    from tipconv.parser import parse_text
    from tipconv.text import decode

ROOT = Path(__file__).resolve().parent.parent


def seed_corpus(corpus: Path) -> None:
    """Copy the fixtures into the corpus folder (gitignored) so fuzzing starts from real text."""
    corpus.mkdir(parents=True, exist_ok=True)
    for fixture in sorted((ROOT / "fixtures").glob("**/*.txt")):
        target = corpus / f"seed-{fixture.parent.name}-{fixture.name}"
        if not target.exists():
            shutil.copyfile(fixture, target)


def test_one_input(data: bytes) -> None:
    report = parse_text(data.decode("utf-8", "replace"), path="fuzz", strict=True)
    assert not report.has_internal_error()
    report.to_dict()
    try:
        decoded = decode(data, "auto", "fuzz")
    except TipconvError:
        return
    report = parse_text(
        decoded.text,
        path="fuzz",
        encoding=decoded.encoding,
        notes=decoded.diagnostics,
        strict=True,
    )
    assert not report.has_internal_error()
    report.to_dict()


def main() -> None:
    # A warning printed by a dependency (dateutil's UnknownTimezoneWarning was one) is noise on
    # every unattended run's stderr: count it as a crash.
    warnings.simplefilter("error")
    corpora = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if corpora:
        seed_corpus(Path(corpora[0]))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
