"""Coverage-guided fuzzing of the parser with atheris (libFuzzer for Python).

Bytes in -> decode (lenient UTF-8, and tipconv's own decoder in "auto" mode) -> parse with
`strict=True`, so an internal error raises instead of becoming a diagnostic and libFuzzer
records the input as a crash; warnings are errors too. See fuzz/README.md for how to run it.
"""

from __future__ import annotations

import atheris
from harness import fuzz

with atheris.instrument_imports():
    from tipconv.errors import TipconvError
    from tipconv.parser import parse_text
    from tipconv.text import decode


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


if __name__ == "__main__":
    fuzz(test_one_input, "**/*.txt")
