"""`tipconv convert`: many files in one run, in parallel, with nothing lost.

Most tests run the real command in a subprocess over a generated tree of small narratives
with a few bad files mixed in; a few unit tests drive `tipconv.batch` directly.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tipconv import batch
from tipconv.batch import inputs as batch_inputs
from tipconv.batch import scheduling
from tipconv.console import Console
from tipconv.model import Report
from tipconv.writers import WriterOptions, get_writer

from .conftest import ROOT, on_terminal

COUNTRIES = ["Chile", "Peru", "Kenya", "Ghana", "Norway", "Japan", "Freedonia", "Brazil"]
TIERS = ["Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass
class Tree:
    """A generated archive: `good` files convert, `bad` ones fail with the given code."""

    root: Path
    good: list[Path] = field(default_factory=list)
    bad: dict[Path, str] = field(default_factory=dict)

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root.parent))


def narrative(i: int) -> str:
    country = COUNTRIES[i % len(COUNTRIES)]
    return (
        f"{country} ({TIERS[i % len(TIERS)]})\n\n"
        f"{country} is a source country for men, women and children subjected to forced "
        f"labor. Case {i}.\n"
    )


def make_tree(base: Path, count: int = 300, *, bad: bool = True) -> Tree:
    """`count` narratives across nested year folders, plus hostile files when `bad`."""
    tree = Tree(base / "archive")
    for i in range(count):
        folder = tree.root / str(2001 + i % 10) / ("east" if i % 3 else "west")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"n{i:04d}.txt"
        path.write_text(narrative(i), encoding="utf-8")
        tree.good.append(path)
    if bad:
        png = tree.root / "2003" / "scan.txt"
        png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        tree.bad[png] = "binary_input"
        latin = tree.root / "2004" / "latin1.txt"
        latin.write_bytes("Chile (Tier 1)\n\nCaf\xe9 owners\n".encode("latin-1"))
        tree.bad[latin] = "decode_error"
        dangling = tree.root / "2005" / "gone.txt"
        dangling.symlink_to(tree.root / "nowhere.txt")
        tree.bad[dangling] = "input_error"
        if not IS_ROOT:  # root reads anything, so the file would convert
            locked = tree.root / "2006" / "locked.txt"
            locked.write_text(narrative(0), encoding="utf-8")
            locked.chmod(0)
            tree.bad[locked] = "input_error"
    return tree


def run(
    *args: str | Path, cwd: Path, stdin: bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIPCONV_NO_PLUGINS": "1", "PYTHONPATH": str(ROOT)}
    env.pop("TIPCONV_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "tipconv", "convert", *map(str, args)],
        input=stdin.decode() if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def summary_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if " of " in line and "converted" in line]
    assert len(lines) == 1, stderr
    return lines[0]


def jsonl_paths(path: Path) -> list[str]:
    return [json.loads(line)["source"]["path"] for line in path.read_text().splitlines()]


def outputs(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------------------------------
# The whole archive


def test_every_good_file_once_every_bad_one_reported(tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    result = run(
        "archive",
        "--to",
        "jsonl",
        "-o",
        "all.jsonl",
        "--errors-to",
        "errors.jsonl",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    counts = Counter(jsonl_paths(tmp_path / "all.jsonl"))
    assert counts == Counter(tree.rel(p) for p in tree.good)

    records = [json.loads(line) for line in (tmp_path / "errors.jsonl").read_text().splitlines()]
    failures = {r["path"]: r["code"] for r in records if r["level"] == "error"}
    assert failures == {tree.rel(p): code for p, code in tree.bad.items()}
    assert all(set(r) == {"path", "line", "level", "code", "message"} for r in records)
    warned = {r["path"] for r in records if r["level"] == "warning"}
    assert warned == {tree.rel(p) for i, p in enumerate(tree.good) if "Freedonia" in narrative(i)}

    for path, code in tree.bad.items():
        # An undecodable file also names the line of the bad byte, like `tipconv parse`.
        where = (
            rf"{re.escape(tree.rel(path))}:\d+"
            if code == "decode_error"
            else re.escape(tree.rel(path))
        )
        assert re.search(rf"^tipconv: error: {where}: ", result.stderr, re.MULTILINE), path
    total = len(tree.good) + len(tree.bad)
    assert summary_line(result.stderr).startswith(
        f"tipconv: converted {len(tree.good)} of {total} files "
        f"({len(tree.bad)} failed, {len(warned)} with warnings) in "
    )


@pytest.mark.parametrize("to", ["json", "jsonl"])
def test_combined_output_is_the_same_for_any_number_of_jobs(tmp_path: Path, to: str) -> None:
    tree = make_tree(tmp_path, bad=False)
    for jobs in ("1", "4"):
        result = run("archive", "--to", to, "-o", f"jobs{jobs}.{to}", "--jobs", jobs, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    one = (tmp_path / f"jobs1.{to}").read_bytes()
    assert one == (tmp_path / f"jobs4.{to}").read_bytes()
    if to == "json":  # a combined JSON output is one array, in input order
        paths = [report["source"]["path"] for report in json.loads(one)]
        assert paths == sorted(paths) and len(paths) == len(tree.good)


def test_out_dir_mirrors_the_tree(tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    result = run("archive", "--out-dir", "out", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1
    expected = {str(p.relative_to(tree.root).with_suffix(".json")) for p in tree.good}
    assert outputs(tmp_path / "out") == expected
    sample = tree.good[7]
    report = json.loads(
        (tmp_path / "out" / sample.relative_to(tree.root).with_suffix(".json")).read_text()
    )
    assert report["source"]["path"] == tree.rel(sample)


def test_quoted_pattern_mirrors_below_its_fixed_folders(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, bad=False)
    result = run("archive/**/east/*.txt", "--out-dir", "out", "--to", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    east = [p for p in tree.good if p.parent.name == "east"]
    assert outputs(tmp_path / "out") == {
        str(p.relative_to(tree.root).with_suffix(".md")) for p in east
    }


# ---------------------------------------------------------------------------------------
# Nothing lost: Ctrl-C, re-runs, --fail-fast


def _ctrl_c_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_interrupted_run_keeps_finished_outputs_and_skip_existing_completes_it(
    tmp_path: Path,
) -> None:
    tree = make_tree(tmp_path, bad=False)
    # A FIFO nobody writes to blocks its worker, so the run is still going when Ctrl-C
    # arrives however fast the machine is.
    stuck = tree.root / "2005" / "east" / "n0124.txt"
    stuck.unlink()
    os.mkfifo(stuck)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tipconv", "convert", "archive", "--out-dir", "out", "-j", "2"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TIPCONV_NO_PLUGINS": "1", "PYTHONPATH": str(ROOT)},
        # A shell's background job starts with SIGINT ignored, which tipconv honours as it
        # honours nohup; this is Ctrl-C at a terminal, so the run starts with it handled.
        preexec_fn=_ctrl_c_default,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(outputs(out) if out.exists() else ()) < 40:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)

    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    finished = outputs(out)
    assert f"tipconv: interrupted: converted {len(finished)} of {len(tree.good)} files" in stderr
    assert 40 <= len(finished) < len(tree.good)
    assert not [name for name in finished if name.endswith(".tmp") or "/." in f"/{name}"]
    for name in finished:
        json.loads((out / name).read_text())  # complete, valid JSON

    stuck.unlink()
    stuck.write_text(narrative(124), encoding="utf-8")
    result = run("archive", "--out-dir", "out", "--skip-existing", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = {str(p.relative_to(tree.root).with_suffix(".json")) for p in tree.good}
    assert outputs(out) == expected
    skipped = re.search(r"(\d+) skipped", summary_line(result.stderr))
    assert skipped and int(skipped.group(1)) == len(finished)


def test_skip_existing_needs_the_output_to_be_newer(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 20, bad=False)
    assert run("archive", "--out-dir", "out", cwd=tmp_path).returncode == 0
    touched = tree.good[3]
    later = time.time() + 5
    os.utime(touched, (later, later))
    result = run("archive", "--out-dir", "out", "--skip-existing", "-v", cwd=tmp_path)
    assert result.returncode == 0
    assert "converted 1 of 20 files (19 skipped)" in summary_line(result.stderr)
    assert f"tipconv: converted {tree.rel(touched)} -> " in result.stderr


@pytest.mark.parametrize("target", [["-o", "all.jsonl"], ["--out-dir", "out"]])
def test_fail_fast_stops_at_the_first_failure(tmp_path: Path, target: list[str]) -> None:
    tree = make_tree(tmp_path, bad=False)
    (tree.root / "2001" / "000-scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = run("archive", "--to", "jsonl", *target, "--fail-fast", "-j", "2", cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("tipconv: error:")]
    assert errors == [
        "tipconv: error: archive/2001/000-scan.txt: binary file: looks like a PNG image, not text"
    ]
    assert "stopped at the first failure (--fail-fast)" in result.stderr
    # the combined output is not written; per-file outputs before the failure may be
    assert not (tmp_path / "all.jsonl").exists()
    if (tmp_path / "out").exists():
        assert len(outputs(tmp_path / "out")) < len(tree.good)


# ---------------------------------------------------------------------------------------
# Where inputs come from


def test_duplicates_are_converted_once_in_first_seen_order(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 30, bad=False)
    first = tree.good[5]
    (tmp_path / "link.txt").symlink_to(first)
    result = run(
        tree.rel(first),
        "archive",
        f"./{tree.rel(first)}",
        "archive/2002",
        "link.txt",
        "--to",
        "jsonl",
        "-o",
        "all.jsonl",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    paths = jsonl_paths(tmp_path / "all.jsonl")
    assert paths[0] == tree.rel(first)
    assert Counter(paths) == Counter(tree.rel(p) for p in tree.good)


def test_paths_from_stdin_and_files_from(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 30, bad=False)
    listed = [tree.rel(p) for p in reversed(tree.good[:10])]
    text = "\n".join(listed[:5]) + "\n\n   \n" + "\r\n".join(listed[5:]) + "\n"
    result = run("-", "--to", "jsonl", "-o", "stdin.jsonl", cwd=tmp_path, stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert jsonl_paths(tmp_path / "stdin.jsonl") == listed

    (tmp_path / "list.txt").write_text(text)
    result = run("--files-from", "list.txt", "--to", "jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["source"]["path"] for line in result.stdout.splitlines()] == listed


def test_listed_files_keep_their_folders_under_out_dir(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 20, bad=False)
    text = "".join(f"{tree.rel(p)}\n" for p in tree.good)
    result = run("-", "--out-dir", "out", cwd=tmp_path, stdin=text.encode())
    assert result.returncode == 0, result.stderr
    # a/2001/x.txt and a/2002/x.txt must not collide: paths below the shared folder
    assert outputs(tmp_path / "out") == {
        str(p.relative_to(tree.root).with_suffix(".json")) for p in tree.good
    }


def test_an_input_that_matches_nothing_is_a_failure(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 10, bad=False)
    (tmp_path / "empty").mkdir()
    result = run(
        "archive",
        "missing/*.txt",
        "empty",
        "--out-dir",
        "out",
        "--errors-to",
        "e.jsonl",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    codes = [json.loads(line)["code"] for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert codes.count("no_match") == 2
    assert "tipconv: error: missing/*.txt: no files match this pattern" in result.stderr
    # Issue 23: an INPUT naming nothing is counted as such, not as a file that failed.
    assert (
        f"converted {len(tree.good)} of {len(tree.good)} files (2 INPUTs naming no file"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing/*.txt", "-o", "x.json"], "no input files found"),
        ([], "no INPUT given"),
        (["archive", "-o", "x.json", "--out-dir", "out"], "not both"),
        (["archive", "--skip-existing"], "--skip-existing works only with --out-dir"),
        (["archive", "--encoding", "klingon"], "unknown encoding"),
        (["archive", "--to", "yaml"], "unknown format"),
        (["archive", "--jobs", "0"], "--jobs"),
        (["--files-from", "no-such-list.txt"], "cannot read the list of files"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    make_tree(tmp_path, 3, bad=False)
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_an_unwritable_output_exits_4(tmp_path: Path) -> None:
    make_tree(tmp_path, 3, bad=False)
    result = run("archive", "-o", "no/such/folder/all.json", cwd=tmp_path)
    assert result.returncode == 4
    assert "tipconv: error: no/such/folder/all.json: cannot write" in result.stderr


def test_a_fifo_or_device_output_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/null` must never rename a regular file over the device (as root it can)."""
    make_tree(tmp_path, 20, bad=False)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("archive", "--to", "jsonl", "-o", fifo, cwd=tmp_path)
    if reader.is_alive():  # nobody opened the FIFO for writing: release the reader
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert len(received[0].splitlines()) == 20


# ---------------------------------------------------------------------------------------
# What it says on stderr


def test_quiet_verbose_and_no_rich_when_not_a_terminal(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 10)
    quiet = run("archive", "-q", "-o", "all.json", cwd=tmp_path)
    assert quiet.returncode == 1
    lines = quiet.stderr.splitlines()
    assert all(line.startswith("tipconv: error: ") for line in lines), quiet.stderr
    assert len(lines) == len(tree.bad)

    verbose = run("archive", "-v", "-o", "all.json", cwd=tmp_path)
    for path in tree.good:
        assert f"tipconv: converted {tree.rel(path)}\n" in verbose.stderr
    assert "[unknown_country]" in verbose.stderr

    env = {**os.environ, "TIPCONV_NO_PLUGINS": "1", "PYTHONPATH": str(ROOT)}
    timed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tipconv", "convert", "archive", "-o", "x.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "rich" not in timed.stderr


@pytest.mark.parametrize("term", ["xterm", "dumb"])
def test_progress_bar_only_on_a_terminal_and_never_on_stdout(tmp_path: Path, term: str) -> None:
    make_tree(tmp_path, 200, bad=False)
    code, screen = on_terminal(
        ["convert", "archive", "--to", "jsonl", "-j", "2"],
        cwd=tmp_path,
        stdout_to=tmp_path / "stdout.jsonl",
        env={"PYTHONPATH": str(ROOT), "TERM": term},
    )
    assert code == 0
    # data only on stdout, whatever the bar did
    assert len((tmp_path / "stdout.jsonl").read_text().splitlines()) == 200
    assert "converted 200 of 200 files" in screen
    assert ("files/s" in screen or "converting" in screen) is (term != "dumb")


def test_help_documents_options_and_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tipconv", "convert", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    for word in [
        "--out-dir",
        "--glob",
        "--files-from",
        "--jobs",
        "--fail-fast",
        "--skip-existing",
        "--errors-to",
        "130",
        "Exit codes",
    ]:
        assert word in result.stdout


@pytest.mark.skipif(IS_ROOT, reason="root can read a chmod 000 file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 5)
    locked = next(p for p in tree.bad if p.name == "locked.txt")
    result = run(tree.rel(locked), tree.rel(tree.good[0]), cwd=tmp_path)
    assert result.returncode == 1
    assert f"tipconv: error: {tree.rel(locked)}: permission denied" in result.stderr


# ---------------------------------------------------------------------------------------
# The library underneath


def test_plan_orders_dedupes_and_places_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = make_tree(tmp_path, 12, bad=False)
    monkeypatch.chdir(tmp_path)
    settings = batch.Settings(out_dir="out")
    items = batch.plan(
        ["archive/2002", "archive", "archive/2002/east/n0001.txt"], settings, suffix=".csv"
    )
    paths = [item.path for item in items]
    assert len(paths) == len(set(paths)) == len(tree.good)
    assert paths[0].startswith("archive/2002/")  # first occurrence wins
    assert items[0].output == os.path.join("out", "east", "n0001.csv")
    rest = paths[len([p for p in tree.good if p.parent.parent.name == "2002"]) :]
    assert rest == sorted(rest)


def test_plan_flags_two_inputs_writing_one_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path, 12, bad=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "east").mkdir()
    (tmp_path / "other" / "east" / "n0001.txt").write_text(narrative(1))
    items = batch.plan(["archive/2002", "other"], batch.Settings(out_dir="out"), suffix=".json")
    conflicts = [item for item in items if item.problem]
    assert [item.path for item in conflicts] == ["other/east/n0001.txt"]
    assert conflicts[0].problem is not None and conflicts[0].problem.code == "output_conflict"


def test_an_internal_error_costs_one_file_not_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = make_tree(tmp_path, 6, bad=False)
    import tipconv.reading

    real = tipconv.reading.parse_file

    def flaky(path: str, **kwargs: object) -> Report:
        if path.endswith("n0002.txt"):
            raise RuntimeError("boom")
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tipconv.reading, "parse_file", flaky)
    stream = io.StringIO()
    out = tmp_path / "all.jsonl"
    summary = batch.convert(
        [str(tree.root)],
        batch.Settings(output=str(out), jobs=1, errors_to=str(tmp_path / "e.jsonl")),
        get_writer("jsonl", plugins=False),
        WriterOptions(),
        console=Console(stream=stream, progress=False),
    )
    assert (summary.converted, summary.failed) == (5, 1)
    assert "n0002.txt: internal error (RuntimeError: boom)" in stream.getvalue()
    record = json.loads((tmp_path / "e.jsonl").read_text().splitlines()[0])
    assert record["code"] == "internal_error" and record["level"] == "error"
    assert len(out.read_text().splitlines()) == 5


def test_summary_line() -> None:
    summary = batch.Summary(total=5000, converted=4998, failed=2, warned=37, seconds=12.34)
    assert summary.line() == "converted 4998 of 5000 files (2 failed, 37 with warnings) in 12.3 s"
    assert batch.Summary(total=1, converted=1).line() == "converted 1 of 1 file in 0.0 s"
    missing = batch.Summary(total=17, converted=17, missing=1)
    assert missing.line() == "converted 17 of 17 files (1 INPUT naming no file) in 0.0 s"


def test_a_missing_path_is_not_counted_as_a_file(tmp_path: Path) -> None:
    """Issue 23: `convert fixtures/archive nope/` said "converted 17 of 18 files"."""
    result = run(ROOT / "fixtures" / "archive", "nope/", "-o", "all.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert "tipconv: error: nope/: no such file or folder" in result.stderr
    assert "converted 17 of 17 files (1 INPUT naming no file)" in summary_line(result.stderr)
    assert len((tmp_path / "all.jsonl").read_text().splitlines()) == 17
    assert batch.Summary(total=3, interrupted=True).line().startswith("interrupted: converted 0")


# ---------------------------------------------------------------------------------------
# Streaming inputs: lazily, in a fixed order, each file once


def plan_paths(inputs: list[str], **settings: object) -> list[str]:
    return [item.path for item in batch.plan(inputs, batch.Settings(**settings))]  # type: ignore[arg-type]


def test_a_folder_is_walked_in_the_order_of_its_paths_compared_part_by_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    names = ["a.txt", "b/c.txt", "b.txt", "b c/d.txt", "B/e.txt", "b/x/y.txt", "b/z.txt", "c.md"]
    for name in names:
        (tmp_path / "root" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "root" / name).write_text(narrative(0), encoding="utf-8")
    expected = sorted((n for n in names if n.endswith(".txt")), key=lambda n: n.split("/"))
    assert plan_paths(["root"]) == [f"root/{name}" for name in expected]
    assert plan_paths(["root/"]) == [f"root/{name}" for name in expected]


def test_folders_are_listed_only_as_the_walk_reaches_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = make_tree(tmp_path, 60, bad=False)
    listed: list[str] = []
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        listed.append(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = iter(batch_inputs.Inputs([str(tree.root)]))
    first = next(items)
    assert first.path == str(tree.root / "2001" / "east" / "n0010.txt")
    assert listed == [str(tree.root), str(tree.root / "2001"), str(tree.root / "2001" / "east")]
    assert sum(1 for _ in items) == len(tree.good) - 1


def test_duplicates_are_caught_without_remembering_walked_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = make_tree(tmp_path, 30, bad=False)
    monkeypatch.chdir(tmp_path)
    every = sorted(tree.rel(p) for p in tree.good)
    named = tree.rel(tree.good[4])
    (tree.root / "2001" / "0-link.txt").symlink_to(tree.good[4])  # target in the same walk
    (tmp_path / "list.txt").write_text(f"{named}\n./{named}\narchive/2003\n")
    cases: list[tuple[list[str], dict[str, object]]] = [
        (["archive", named, f"./{named}"], {}),  # a named file the walk reached
        ([named, "archive"], {}),  # the walk skips a file named before it
        (["archive", "archive/2002", "archive/2003/east"], {}),  # folders inside one walked
        (["archive/2002", "archive"], {}),  # a walk skips a folder walked before
        (["archive/**/east/*.txt", "archive"], {}),  # a pattern, then a folder
        (["archive", "archive/*/west/*.txt"], {}),  # a folder, then a pattern
        (["archive"], {"files_from": ("list.txt",)}),  # list lines
        (["alias", "archive"], {}),  # a symlinked folder is the folder
    ]
    (tmp_path / "alias").symlink_to(tree.root)
    for inputs, settings in cases:
        paths = plan_paths(inputs, **settings)
        resolved = Counter(os.path.realpath(path) for path in paths)
        assert max(resolved.values()) == 1, (inputs, paths)
        assert sorted(resolved) == sorted(os.path.realpath(p) for p in every), inputs
    # first come, first placed: the named file keeps its place at the head of the run
    assert plan_paths([named, "archive"])[0] == named
    assert "archive/2001/0-link.txt" not in plan_paths(["archive"])


def test_count_is_what_an_iteration_yields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = make_tree(tmp_path, 40)
    monkeypatch.chdir(tmp_path)
    source = batch_inputs.Inputs(
        ["archive", tree.rel(tree.good[0]), "missing.txt", "nothing/*.txt"],
        out_dir="out",
        suffix=".json",
    )
    items = list(source)
    assert len(items) == len(tree.good) + len(tree.bad) + 2
    assert source.count() == len(tree.good) + len(tree.bad)  # files, not INPUTs naming none
    head, rest, complete = source.begin(ahead=3)
    assert (len(head), complete) == (3, False) and len(head) + sum(1 for _ in rest) == len(items)


def test_the_run_never_takes_its_own_files_as_inputs(tmp_path: Path) -> None:
    """With --glob '*', the -o and --errors-to temporaries and --out-dir lie in the walk."""
    tree = make_tree(tmp_path, 40, bad=False)
    result = run(
        "archive",
        "--glob",
        "*",
        "--to",
        "jsonl",
        "-o",
        "archive/zz-all.jsonl",
        "--errors-to",
        "archive/zz-errors.jsonl",
        "-j",
        "2",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert len(jsonl_paths(tree.root / "zz-all.jsonl")) == len(tree.good)

    (tree.root / "zz-all.jsonl").unlink()
    (tree.root / "zz-errors.jsonl").unlink()
    result = run("archive", "--glob", "*", "--out-dir", "archive/out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"converted {len(tree.good)} of {len(tree.good)} files" in result.stderr
    assert len(outputs(tree.root / "out")) == len(tree.good)


# ---------------------------------------------------------------------------------------
# Workers render: the same bytes as the writer, warnings still on stderr, bounded memory

FIXTURE_TEXTS = sorted((ROOT / "fixtures").glob("*.txt"))
RENDERED = [
    ("json", {"pretty": True}),
    ("json", {"pretty": False}),
    ("jsonl", {}),
    ("csv", {}),
    ("csv", {"csv_shape": "paragraphs", "bom": True}),
    ("markdown", {}),
]


@pytest.mark.parametrize(("to", "choices"), RENDERED, ids=lambda v: str(v))
def test_rendered_output_is_byte_for_byte_the_writers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str, choices: dict[str, object]
) -> None:
    from tipconv.reading import parse_file

    monkeypatch.chdir(ROOT)  # paths in the output are relative to the repository
    paths = [path.relative_to(ROOT).as_posix() for path in FIXTURE_TEXTS]
    assert len(paths) > 20
    reports = [parse_file(path, encoding="auto") for path in paths]
    writer = get_writer(to, plugins=False)
    options = WriterOptions(as_array=True, **choices)  # type: ignore[arg-type]
    expected = io.StringIO(newline="")
    writer.write(reports, expected, options)

    rendered = io.StringIO(newline="")
    assert writer.parallel
    writer.frame([writer.render(report, options) for report in reports], rendered, options)
    assert rendered.getvalue() == expected.getvalue()

    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}{writer.suffix}"
        summary = batch.convert(
            paths,
            batch.Settings(output=str(out), jobs=jobs, encoding="auto"),
            writer,
            WriterOptions(**choices),  # type: ignore[arg-type]
            console=Console(stream=io.StringIO(), progress=False),
        )
        assert (summary.converted, summary.failed) == (len(paths), 0)
        assert out.read_bytes() == expected.getvalue().encode("utf-8"), jobs


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_warning_given_while_rendering_reaches_stderr_once(tmp_path: Path, jobs: str) -> None:
    make_tree(tmp_path, 20, bad=False)
    long = tmp_path / "archive" / "2001" / "long.txt"
    long.write_text("Chile (Tier 1)\n\n" + "word " * 8000 + "end\n", encoding="utf-8")
    result = run(
        "archive",
        "--to",
        "csv",
        "--csv-shape",
        "paragraphs",
        "-o",
        "all.csv",
        "-j",
        jobs,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert warnings == [
        "tipconv: warning: archive/2001/long.txt: CSV column 'text': a cell of 40003 characters "
        "exceeds Excel's 32767-character limit; truncated"
    ]
    assert "[truncated by tipconv from 40003 characters]" in (tmp_path / "all.csv").read_text()


@pytest.mark.parametrize("jobs", [1, 2])
def test_only_a_bounded_window_of_files_is_drawn_ahead(jobs: int) -> None:
    """However long the stream, the scheduler draws only what fills its window."""
    drawn = 0

    def endless() -> Iterator[batch.Item]:
        nonlocal drawn
        for i in itertools.count():
            drawn += 1
            yield batch.Item(f"f{i}.txt", None, batch.Failure("no_match", "nothing"))

    job = batch.Job(get_writer("jsonl", plugins=False), "text", WriterOptions())
    with scheduling.Scheduler(endless(), job, jobs) as results:
        taken = list(itertools.islice(results, 500))
    assert [item.path for item, _ in taken] == [f"f{i}.txt" for i in range(500)]
    assert all(outcome.status == "failed" for _, outcome in taken)
    # in flight: the window of chunks, plus the chunk whose outcomes are being handed out
    ahead = 0 if jobs == 1 else (jobs * scheduling.CHUNKS_PER_WORKER + 1) * scheduling.MAX_CHUNK
    assert 500 <= drawn <= 500 + ahead
