"""Helpers for the tests of the views (`grid`, `history`, `diff`): real processes, goldens.

Every view is run as a user runs it, from the repository root with relative paths, so the
goldens in `fixtures/views/` and `fixtures/diff/` name files as a user would see them.
Rewrite goldens with `pytest --update-goldens` (or TIPCONV_UPDATE_GOLDENS=1), then read the
diff before committing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import FIXTURES, ROOT

VIEWS = FIXTURES / "views"
ARCHIVE = "fixtures/archive"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def environment(**extra: str) -> dict[str, str]:
    """A child's environment with no colour or width settings of the developer's shell."""
    env = {**os.environ, "TIPCONV_NO_PLUGINS": "1"}
    for name in ("TIPCONV_DEBUG", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "TTY_COMPATIBLE"):
        env.pop(name, None)
    env.update(extra)
    return env


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env or environment(),
        timeout=120,
    )


def run_in_terminal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run tipconv with stdout on a pseudo-terminal: what a user sees, escape codes and all."""
    import pty

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tipconv", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        os.close(follower)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.stderr is not None
        with process.stderr:
            process.stderr.read()
        code = process.wait(timeout=120)
    finally:
        os.close(leader)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("tipconv: error: "), stderr
    return lines[0]


def check_golden(actual: str, golden: Path, update: bool) -> None:
    if update or os.environ.get("TIPCONV_UPDATE_GOLDENS") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.exists(), f"missing golden {golden.name}: run pytest --update-goldens"
    assert actual == golden.read_bytes().decode("utf-8"), f"{golden.name} differs"


def load_schema(name: str) -> Any:
    return json.loads((ROOT / "docs" / f"{name}.schema.json").read_text(encoding="utf-8"))


def grid_cells(text: str) -> dict[str, dict[int, str]]:
    """A plain grid read back: country -> year -> cell text (blocks and 'YY headers too)."""
    cells: dict[str, dict[int, str]] = {}
    header: list[tuple[int, int, int]] | None = None  # (year, start, end) columns
    for line in text.splitlines():
        if line.startswith("country"):
            header = []
            for match in re.finditer(r"(?:'(\d\d)|(\d{4}))", line):
                year = int(match.group(2)) if match.group(2) else 2000 + int(match.group(1))
                header.append((year, match.start(), 0))
            bounds = [start for _, start, _ in header] + [10**6]
            header = [(year, start, bounds[i + 1]) for i, (year, start, _) in enumerate(header)]
            continue
        if header is None or not line.strip():
            header = None if not line.strip() else header
            continue
        name = line[: header[0][1]].strip()
        row = cells.setdefault(name, {})
        for year, start, end in header:
            row[year] = line[start:end].strip()
    return cells
