"""Shared pytest setup: the --update-goldens switch and paths to the fixtures."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite golden files from the current output (review the diff before committing).",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def on_terminal(
    args: list[str], *, cwd: Path, stdout_to: Path | None, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """`python -m tipconv ARGS` with stderr on a pseudo-terminal, stdout too unless `stdout_to`.

    Returns the exit code and what the terminal showed. NO_COLOR is left out unless `env`
    sets it; TERM is xterm unless `env` says otherwise.
    """
    primary, secondary = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    environment.update({"TIPCONV_NO_PLUGINS": "1", "TERM": "xterm", **(env or {})})
    with open(stdout_to or os.devnull, "wb") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tipconv", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=handle if stdout_to is not None else secondary,
            stderr=secondary,
            env=environment,
        )
    os.close(secondary)
    shown = bytearray()
    try:
        while select.select([primary], [], [], 60)[0]:
            chunk = os.read(primary, 65536)
            if not chunk:
                break
            shown += chunk
    except OSError:  # EIO: every holder of the terminal has closed it
        pass
    finally:
        os.close(primary)
    return proc.wait(timeout=60), shown.decode("utf-8", "replace")
