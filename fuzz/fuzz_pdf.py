"""Coverage-guided fuzzing of the PDF reader with atheris (issue 20).

Bytes in -> `tipconv.readers.read(data, form="pdf")`: a `TipconvError` (an encrypted,
broken or scanned PDF: one line, exit 3) is expected; anything else that raises is a crash.
What it reads is parsed with `strict=True`. Seeded from fixtures/pdf/*.pdf. See
fuzz/README.md; run it like fuzz_parse.py, with `fuzz/corpus-pdf` as the corpus.
"""

from __future__ import annotations

import atheris
from harness import fuzz

with atheris.instrument_imports():
    from tipconv.errors import TipconvError
    from tipconv.parser import parse_text
    from tipconv.readers import read


def test_one_input(data: bytes) -> None:
    try:
        document = read(data, form="pdf", path="fuzz.pdf")
    except TipconvError:
        return
    report = parse_text(
        document.text,
        path="fuzz.pdf",
        encoding=document.encoding,
        notes=document.diagnostics,
        strict=True,
        layout=document.layout,
    )
    assert not report.has_internal_error()
    report.to_dict()


if __name__ == "__main__":
    fuzz(test_one_input, "pdf/*.pdf")
