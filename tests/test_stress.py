"""The promises a stress test broke (issue 24): nothing lost, even in a race.

Test names start with the issue's item number: `test_1_...` is item 1, and so on. Races
are forced with hooks and barriers, never left to sleeps that may or may not line up.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from tipconv.model import Report
from tipconv.reading import parse_file
from tipconv.writers import WriterOptions, get_writer

from .conftest import FIXTURES, ROOT

SAMPLE = FIXTURES / "refworld-2003-hong-kong.txt"
ARCHIVE = FIXTURES / "archive"
ERROR = "tipconv: error: "


def tipconv(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return tipconv_argv([sys.executable, "-m", "tipconv", *map(str, args)])


def tipconv_argv(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "TIPCONV_NO_PLUGINS": "1"}
    environment.pop("TIPCONV_DEBUG", None)
    return subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=ROOT, env=environment, timeout=120
    )


def one_error(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    """Exit `code` and exactly one stderr line, an error; return it."""
    stderr = result.stderr.decode("utf-8", "replace").splitlines()
    assert result.returncode == code, (result.returncode, stderr)
    assert len(stderr) == 1 and stderr[0].startswith(ERROR), stderr
    return stderr[0]


# --- 1. concurrent writers of one SQLite database --------------------------------------------


def stored_paths(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return sorted(row[0] for row in connection.execute("SELECT path FROM reports"))


def write_db(reports: Iterable[Report], db: Path, **choices: object) -> None:
    options = WriterOptions(output_path=str(db), **choices)  # type: ignore[arg-type]
    get_writer("sqlite", plugins=False).write_path(reports, str(db), options)


def test_1_two_runs_creating_one_database_never_lose_a_finished_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both runs see that d.db does not exist, then both write: the old loser deleted the
    winner's database after it gave up on the lock, and the winner reported success. Now
    each builds its own, and the second to finish adds its reports to the first one's."""
    db = tmp_path / "d.db"
    first = [parse_file(str(ARCHIVE / "2015/burma.txt"))]
    second = [parse_file(str(ARCHIVE / "2016/burma.txt")), parse_file(str(SAMPLE))]
    both_looked = threading.Barrier(2, timeout=30)
    real_exists = os.path.exists
    looked: set[int] = set()

    first_writing, second_done = threading.Event(), threading.Event()

    def exists(path: object) -> bool:
        answer = real_exists(path)  # type: ignore[arg-type]
        if os.fspath(path) == str(db) and threading.get_ident() not in looked:  # type: ignore[arg-type]
            looked.add(threading.get_ident())
            both_looked.wait()  # neither writes before both have seen "no such file"
            if threading.current_thread().name == "second":
                first_writing.wait(timeout=30)  # and the second only once the first writes
        return answer

    monkeypatch.setattr(os.path, "exists", exists)
    outcomes: dict[str, BaseException | None] = {}

    def slow_first() -> Iterator[Report]:
        # The first run is still writing when the second has finished, or given up: longer
        # than SQLite's default 5 s wait for a lock, which is when the old loser deleted.
        first_writing.set()
        second_done.wait(timeout=30)
        yield from first

    def run(name: str, reports: Iterable[Report]) -> None:
        try:
            write_db(reports, db)
            outcomes[name] = None
        except BaseException as exc:
            outcomes[name] = exc
        finally:
            if name == "second":
                second_done.set()

    threads = [
        threading.Thread(target=run, args=("first", slow_first()), name="first"),
        threading.Thread(target=run, args=("second", second), name="second"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.undo()
    assert outcomes == {"first": None, "second": None}
    assert stored_paths(db) == sorted(str(report.source.path) for report in first + second)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.db"]  # no temporary file left
    assert_whole(db)


def assert_whole(db: Path) -> None:
    """The database's own checks: its structure, its full-text index, its panel."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.execute("INSERT INTO paragraphs_fts (paragraphs_fts) VALUES ('integrity-check')")
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_1_a_run_that_finds_the_database_made_as_it_finishes_adds_to_it(tmp_path: Path) -> None:
    """What the second run built is copied whole: the same rows as one run of both."""
    db, together = tmp_path / "d.db", tmp_path / "together.db"
    other = [parse_file(str(ARCHIVE / "2016/burma.txt")), parse_file(str(SAMPLE))]
    mine = [parse_file(str(ARCHIVE / "2015/burma.txt")), parse_file(str(SAMPLE))]

    def reports() -> Iterator[Report]:
        yield mine[0]
        write_db(other, db)  # another run, start to finish, while this one is writing
        yield mine[1]

    write_db(reports(), db)
    write_db(other + mine, together)
    assert_whole(db)
    assert dump(db) == dump(together)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.db", "together.db"]


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows but their ids, in order: what two databases must agree on."""
    tables = ("reports", "sections", "parts", "paragraphs", "diagnostics", "panel")
    with contextlib.closing(sqlite3.connect(db)) as connection:
        found = {}
        for table in tables:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name != "id" and not name.endswith("_id")]
            found[table] = sorted((tuple(row[i] for i in keep) for row in cursor), key=repr)
        hits = connection.execute(
            "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'trafficking'"
        ).fetchone()
        found["fts"] = [hits]
        return found


@contextlib.contextmanager
def locked(db: Path) -> Iterator[Callable[[], None]]:
    """Hold the write lock on `db` as another writer would; yields a function to let go."""
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        if not released.is_set():
            released.set()
            connection.execute("ROLLBACK")

    try:
        yield release
    finally:
        release()
        connection.close()


def test_1_a_run_that_cannot_get_the_lock_says_so_and_touches_nothing(tmp_path: Path) -> None:
    db = tmp_path / "tip.db"
    first = tipconv("parse", "-q", ARCHIVE / "2015/burma.txt", "-o", db)
    assert first.returncode == 0, first.stderr
    before = db.read_bytes()
    with locked(db):
        result = tipconv("parse", SAMPLE, "-o", db, "--lock-timeout", "0.2")
    line = one_error(result, 4)
    assert line.startswith(f"{ERROR}{db}: another process is writing this database")
    assert "--lock-timeout" in line
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tip.db"]


def test_1_lock_timeout_waits_for_the_other_writer(tmp_path: Path) -> None:
    db = tmp_path / "tip.db"
    assert tipconv("parse", "-q", ARCHIVE / "2015/burma.txt", "-o", db).returncode == 0
    with locked(db) as release:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tipconv",
                "parse",
                "-q",
                SAMPLE,
                "-o",
                db,
                "--lock-timeout",
                "60",
            ],
            stderr=subprocess.PIPE,
            env={**os.environ, "TIPCONV_NO_PLUGINS": "1"},
        )
        # While the lock is held the run cannot finish; it is still waiting after a while.
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=1.5)
        release()
        _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert len(stored_paths(db)) == 2


def test_1_lock_timeout_does_not_apply_to_other_formats() -> None:
    result = tipconv("parse", SAMPLE, "--to", "json", "--lock-timeout", "3")
    assert result.returncode == 0
    assert b"--lock-timeout does not apply to --to json; ignored" in result.stderr


# --- 3. closed and full standard streams ---------------------------------------------------


def shell(redirect: str, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """`tipconv ARGS` run by sh with `redirect` (`>&-`, `<&-`, `2>/dev/full`) applied."""
    command = ["sh", "-c", f'exec "$0" "$@" {redirect}', sys.executable, "-m", "tipconv"]
    return tipconv_argv([*command, *map(str, args)])


@pytest.mark.parametrize(
    "args",
    [
        ["parse", str(SAMPLE)],
        ["explain", str(SAMPLE)],
        ["convert", str(ARCHIVE), "--to", "jsonl", "-q"],
        ["schema"],
        ["--version"],
        ["--help"],
        ["parse", "--help"],
        [],
    ],
    ids=["parse", "explain", "convert", "schema", "version", "help", "parse-help", "bare"],
)
def test_3_a_closed_stdout_is_exit_4_with_one_line(args: list[str]) -> None:
    line = one_error(shell(">&-", *args), 4)
    assert line == f"{ERROR}cannot write to stdout: it is closed"


def test_3_a_closed_stdout_does_not_matter_to_a_file_output(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = shell(">&-", "parse", SAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b'{"schema_version"')


def test_3_a_closed_stdin_is_an_unreadable_input() -> None:
    assert (
        one_error(shell("<&-", "parse", "-"), 3)
        == f"{ERROR}<stdin>: cannot read stdin: it is closed"
    )
    line = one_error(shell("<&-", "convert", "-"), 2)
    assert line == (
        f"{ERROR}-: cannot read the list of files: stdin is closed; try 'tipconv convert --help'"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_3_a_full_stderr_keeps_the_data_and_the_exit_code(tmp_path: Path) -> None:
    """cp1252 read with --encoding auto warns; the warning cannot be written, the data is."""
    out = tmp_path / "out.json"
    trap = FIXTURES / "trap-cp1252.txt"
    result = shell("2>/dev/full", "parse", trap, "--encoding", "auto", "-o", out)
    assert result.returncode == 0
    assert out.read_bytes().startswith(b'{"schema_version"')
    # A run that earned exit 1 (a file failed) still says 1, not whatever the warning did.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    failed = shell("2>/dev/full", "convert", folder, "-o", tmp_path / "all.jsonl")
    assert failed.returncode == 1
    assert (tmp_path / "all.jsonl").read_bytes().count(b"\n") == 1


def test_3_a_closed_stderr_sends_no_message_into_the_data() -> None:
    trap = FIXTURES / "trap-cp1252.txt"
    result = shell("2>&-", "parse", trap, "--encoding", "auto", "--compact")
    assert result.returncode == 0
    assert b"warning" not in result.stdout.split(b"\n", 1)[0][:20]
    assert result.stdout.count(b"\n") == 1


# --- 4. outputs and links ---------------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """tmp_path/in/a.txt, a copy of the sample."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SAMPLE.read_bytes())
    return tmp_path


@pytest.mark.parametrize("flag", ["-o", "--errors-to"])
def test_4_a_hard_link_to_a_walked_input_is_refused(inputs: Path, flag: str) -> None:
    os.link(inputs / "in/a.txt", inputs / "out.json")
    args = ["convert", "in", flag, "out.json"] + (["-o", "all.jsonl"] if flag != "-o" else [])
    line = one_error(tipconv_in(inputs, *args), 2)
    assert line == (
        f"{ERROR}{flag} out.json is the input in/a.txt: it would be overwritten; "
        "try 'tipconv convert --help'"
    )
    assert (inputs / "out.json").read_bytes() == SAMPLE.read_bytes()
    assert not (inputs / "all.jsonl").exists()


def tipconv_in(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "TIPCONV_NO_PLUGINS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *map(str, args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )


@pytest.mark.parametrize("name", ["out.json", "out.db"])
def test_4_an_output_that_is_a_symlink_is_written_through(inputs: Path, name: str) -> None:
    (inputs / "data").mkdir()
    target = inputs / "data" / name
    link = inputs / name
    first = tipconv_in(inputs, "parse", "-q", ARCHIVE / "2015/burma.txt", "-o", target)
    assert first.returncode == 0, first.stderr
    link.symlink_to(Path("data") / name)
    result = tipconv_in(inputs, "parse", "-q", "in/a.txt", "-o", name)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("data") / name)
    assert target.is_file()
    assert sorted(p.name for p in (inputs / "data").iterdir()) == [name]
    if name.endswith(".json"):
        assert target.read_bytes().startswith(b'{"schema_version"')
        assert b'"path":"in/a.txt"' in target.read_bytes()
    else:  # added to the database the link points at
        assert stored_paths(target) == sorted([str(ARCHIVE / "2015/burma.txt"), "in/a.txt"])


def test_4_a_symlink_to_nothing_is_refused(inputs: Path) -> None:
    (inputs / "out.json").symlink_to("missing/out.json")
    line = one_error(tipconv_in(inputs, "parse", "in/a.txt", "-o", "out.json"), 4)
    assert "a symbolic link to" in line and "which does not exist" in line
    assert (inputs / "out.json").is_symlink()


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_4_a_replaced_output_keeps_its_permissions(inputs: Path, mode: int) -> None:
    out = inputs / "out.json"
    out.write_text("{}\n")
    out.chmod(mode)
    result = tipconv_in(inputs, "parse", "in/a.txt", "-o", "out.json")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o7777 == mode
    assert out.read_bytes().startswith(b'{"schema_version"')


READ_ONLY_HINT = "make it writable or remove it first"


@pytest.mark.parametrize(
    "args",
    [
        ["parse", "in/a.txt", "-o", "out.json"],
        ["convert", "in", "-o", "out.json"],
        ["convert", "in", "--to", "jsonl", "-o", "all.jsonl", "--errors-to", "out.json"],
    ],
    ids=["parse", "convert", "errors-to"],
)
def test_4_a_read_only_output_is_refused_and_kept(inputs: Path, args: list[str]) -> None:
    out = inputs / "out.json"
    out.write_text("mine\n")
    out.chmod(0o444)
    line = one_error(tipconv_in(inputs, *args), 4)
    assert line == f"{ERROR}out.json: cannot write: the file is read-only ({READ_ONLY_HINT})"
    assert out.read_text() == "mine\n"
    assert out.stat().st_mode & 0o777 == 0o444
    assert not (inputs / "all.jsonl").exists()


def test_4_a_read_only_database_is_refused_and_kept(inputs: Path) -> None:
    db = inputs / "tip.db"
    assert tipconv_in(inputs, "parse", "-q", "in/a.txt", "-o", "tip.db").returncode == 0
    db.chmod(0o444)
    before = db.read_bytes()
    (inputs / "in/b.txt").write_bytes((ARCHIVE / "2015/burma.txt").read_bytes())
    line = one_error(tipconv_in(inputs, "convert", "in", "-o", "tip.db"), 4)
    assert "read-only" in line
    assert db.read_bytes() == before


# --- 5. kill -9 on convert ----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _stat_fields(pid: int) -> list[str] | None:
    """(state, ppid, ...) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def _until(condition: Callable[[], bool], seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_5_workers_end_when_convert_is_killed_outright(tmp_path: Path) -> None:
    """One worker idle, one blocked reading a FIFO: both end once their parent is gone."""
    import signal

    folder = tmp_path / "in"
    folder.mkdir()
    fifo = folder / "a.txt"  # first in order: its worker waits for a writer
    os.mkfifo(fifo)
    (folder / "b.txt").write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "tipconv", "convert", folder, "--out-dir", out, "--jobs", "2"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TIPCONV_NO_PLUGINS": "1"},
    )
    workers: list[int] = []
    try:
        # b.txt's worker has written its file and waits for more; a.txt's waits on the FIFO.
        assert _until(lambda: (out / "b.json").exists(), 60)
        assert _until(lambda: len(_children(process.pid)) >= 2, 60)
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        # The FIFO's writer comes and goes: that worker finishes its file and looks again.
        with open(fifo, "wb") as writer:
            writer.write(SAMPLE.read_bytes())
        assert _until(lambda: not any(_alive(pid) for pid in workers), 30), workers
    finally:
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()


# --- 6. UTF-16 without a byte-order mark, in any script -------------------------------------

JAPANESE = (
    "日本 (第2階層)\n\n"
    "日本は人身取引の目的地、供給源、通過国である。強制労働と性的搾取の被害者がいる。\n"
    "政府は2019年に法律を改正した。技能実習制度の下で外国人労働者が搾取されている。\n"
)
CHINESE = (
    "中国\n\n中华人民共和国是人口贩运的来源国、过境国和目的地国。\n政府没有完全达到最低标准。\n"
)
RUSSIAN = "Россия\n\nРоссия является страной происхождения, транзита и назначения.\n"  # noqa: RUF001


@pytest.mark.parametrize("text", [JAPANESE, CHINESE, RUSSIAN], ids=["ja", "zh", "ru"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_6_utf16_without_a_bom_is_detected_in_any_script(
    tmp_path: Path, text: str, encoding: str
) -> None:
    source = tmp_path / "wide.txt"
    source.write_bytes((text * 5).encode(encoding))
    out = tmp_path / "out.json"
    result = tipconv("parse", source, "--encoding", "auto", "-o", out)
    assert result.returncode == 0, result.stderr
    import json

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["source"]["encoding"] == encoding
    assert document["source"]["line_count"] == (text * 5).count("\n")
    # Without --encoding auto: refused, with the hint, never read as something else.
    line = one_error(tipconv("parse", source), 3)
    assert f"--encoding {encoding}" in line


def test_6_utf16_that_could_be_single_byte_is_cannot_tell(tmp_path: Path) -> None:
    """One line of Japanese and nothing else: no NUL, no line break to tell it by."""
    source = tmp_path / "one-line.txt"
    source.write_bytes(
        ("日本は人身取引の目的地である強制労働の被害者がいる" * 12).encode("utf-16-le")
    )
    line = one_error(tipconv("parse", source, "--encoding", "auto"), 3)
    assert "cannot tell the encoding" in line
    assert "--encoding utf-16-le, utf-16-be or cp1252" in line


def test_6_cp1252_is_still_cp1252(tmp_path: Path) -> None:
    source = tmp_path / "latin.txt"
    source.write_bytes(
        SAMPLE.read_text(encoding="utf-8").encode("cp1252", "replace") + b"caf\xe9\n"
    )
    result = tipconv("parse", source, "--encoding", "auto", "--compact")
    assert result.returncode == 0
    assert b'"encoding":"cp1252"' in result.stdout
