"""Golden files: every fixture, through every built-in writer, byte for byte.

A fixture is `fixtures/<name>.txt` (also under `fixtures/regressions/`, and PDFs made by
tests/pdf_fixtures.py under `fixtures/pdf/`), or a web page `fixtures/html/<name>.html`; its
goldens sit beside it as `<name><suffix>` for each writer (JSON and Markdown for a page),
and `<name>.tokens` holds its token stream
as `tipconv explain --width 100` prints it, so a change in how any line is classified shows
in review. Adding a case is adding files, not code. Run `pytest --update-goldens` to
rewrite them, then review the diff.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tipconv.explain import plain_lines
from tipconv.reading import analyse_file, parse_file
from tipconv.writers import WriterOptions, builtin_names, get_writer

from .conftest import FIXTURES, ROOT

# Per-report writers get goldens; aggregate research writers have their own archive tests.
GOLDEN_WRITERS = [name for name in builtin_names() if name not in ("panel", "sqlite")]
TEXT_INPUTS = sorted(
    [*FIXTURES.glob("*.txt"), *FIXTURES.glob("regressions/*.txt"), *FIXTURES.glob("pdf/*.pdf")],
    key=lambda path: str(path),
)
PAGES = sorted(FIXTURES.glob("html/*.html"), key=lambda path: str(path))
PAGE_WRITERS = ("json", "markdown")
INPUTS = [*TEXT_INPUTS, *PAGES]
CASES = [
    (path, name)
    for path in INPUTS
    for name in GOLDEN_WRITERS
    if path.suffix in (".txt", ".pdf") or name in PAGE_WRITERS
]


def _render(path: Path, writer_name: str) -> str:
    report = parse_file(path.relative_to(ROOT).as_posix(), encoding="auto")
    writer = get_writer(writer_name, plugins=False)
    out = io.StringIO(newline="")
    writer.write([report], out, WriterOptions(pretty=True))
    return out.getvalue()


@pytest.mark.parametrize(
    ("path", "writer_name"),
    CASES,
    ids=[f"{path.relative_to(FIXTURES).as_posix()}-{name}" for path, name in CASES],
)
def test_golden(
    path: Path, writer_name: str, update_goldens: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # paths in the output are relative to the repository
    writer = get_writer(writer_name, plugins=False)
    golden = path.with_suffix(writer.suffix)
    actual = _render(path, writer_name)
    if update_goldens:
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.exists(), f"missing golden {golden.name}: run pytest --update-goldens"
    assert actual == golden.read_bytes().decode("utf-8")


TOKEN_WIDTH = 100


def render_tokens(path: Path) -> str:
    _, tokens = analyse_file(path.relative_to(ROOT).as_posix(), encoding="auto")
    return "".join(line + "\n" for line in plain_lines(tokens, width=TOKEN_WIDTH))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_token_golden(path: Path, update_goldens: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    golden = path.with_suffix(".tokens")
    actual = render_tokens(path)
    if update_goldens:
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.exists(), f"missing golden {golden.name}: run pytest --update-goldens"
    assert actual == golden.read_bytes().decode("utf-8")
