"""Coverage-guided fuzzing of the HTML reader with atheris (libFuzzer for Python).

Bytes in -> `tipconv.readers.read(..., form="html")` (an input it refuses raises
`TipconvError`, which is expected and ignored) -> parse with `strict=True` and the reader's
layout, so an internal error raises and libFuzzer records the input as a crash; warnings are
errors too. The layout must cover every line, and every line number of the report must be a
line of the input. See fuzz/README.md for how to run it.
"""

from __future__ import annotations

import atheris
from harness import fuzz

with atheris.instrument_imports():
    from tipconv.errors import TipconvError
    from tipconv.parser import parse_text
    from tipconv.readers import read
    from tipconv.text import split_lines


def test_one_input(data: bytes) -> None:
    try:
        document = read(data, form="html", path="fuzz.html")
    except TipconvError:
        return
    layout = document.layout
    if layout is None:  # no markup at all: read as text, as the text harness fuzzes
        return
    assert layout.origin is not None
    lines = split_lines(document.text) if document.text else []
    assert len(layout.origin) == len(lines)
    last = data.count(b"\n") + 1
    assert all(1 <= line <= last for line in layout.origin)
    report = parse_text(
        document.text,
        path="fuzz.html",
        encoding=document.encoding,
        notes=document.diagnostics,
        strict=True,
        layout=layout,
    )
    assert not report.has_internal_error()
    for section in report.sections:
        for part in section.parts:
            for paragraph in part.paragraphs:
                assert 1 <= paragraph.line <= last
    report.to_dict()


if __name__ == "__main__":
    fuzz(test_one_input, "**/*.htm*")
