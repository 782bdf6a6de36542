"""The command line keeps every promise (issue 15), each case through a real `tipconv` process.

Test names start with the issue's case number: `test_01_...` is case 1, and so on.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, on_terminal

SAMPLE = FIXTURES / "refworld-2003-hong-kong.txt"
ARCHIVE = FIXTURES / "archive"
README = (ROOT / "README.md").read_text(encoding="utf-8")
ERROR = "tipconv: error: "


def tipconv(
    *args: str | Path,
    cwd: Path = ROOT,
    stdin: bytes | None = None,
    stdout: int | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "TIPCONV_NO_PLUGINS": "1", **(env or {})}
    environment.pop("TIPCONV_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *map(str, args)],
        input=stdin if stdin is not None else b"",
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=environment,
        timeout=120,
    )


def lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    return stderr.splitlines()


def one_error(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    """Exit `code` and exactly one stderr line, an error; return it."""
    stderr = lines(result)
    assert result.returncode == code, (result.returncode, stderr)
    assert len(stderr) == 1 and stderr[0].startswith(ERROR), stderr
    return stderr[0]


def warnings(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [line for line in lines(result) if line.startswith("tipconv: warning: ")]


@pytest.fixture
def hk(tmp_path: Path) -> Path:
    """A private copy of the sample, in a folder of its own."""
    path = tmp_path / "hk.txt"
    shutil.copy(SAMPLE, path)
    return path


# --- 1. nothing the user gave is ever overwritten -------------------------------------------


def _routes(tmp_path: Path, hk: Path) -> dict[str, list[str]]:
    (tmp_path / "link.txt").symlink_to(hk)
    os.link(hk, tmp_path / "hard.txt")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(hk, folder / "a.txt")
    shutil.copy(hk, folder / "b.json")
    return {
        "parse, same path": ["parse", "hk.txt", "-o", "hk.txt"],
        "parse, another spelling": ["parse", "hk.txt", "-o", f"{tmp_path}/./hk.txt"],
        "parse, output is a symlink to the input": ["parse", "hk.txt", "-o", "link.txt"],
        "parse, input is a symlink to the output": ["parse", "link.txt", "-o", "hk.txt"],
        "parse, a hard link": ["parse", "hk.txt", "-o", "hard.txt"],
        "convert -o, a named input": ["convert", "hk.txt", "-o", "./hk.txt", "--to", "json"],
        "convert -o, a walked file": ["convert", "in", "-o", "in/a.txt", "--to", "json"],
        "convert -o, a pattern's match": ["convert", "in/*.txt", "-o", "in/a.txt", "--to", "csv"],
        "convert --errors-to": ["convert", "in", "--errors-to", "in/a.txt"],
        "convert --out-dir onto its inputs": [
            "convert", "in", "--glob", "*.json", "--out-dir", "in", "--to", "json",
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    "route",
    [
        "parse, same path",
        "parse, another spelling",
        "parse, output is a symlink to the input",
        "parse, input is a symlink to the output",
        "parse, a hard link",
        "convert -o, a named input",
        "convert -o, a walked file",
        "convert -o, a pattern's match",
        "convert --errors-to",
        "convert --out-dir onto its inputs",
    ],
)
def test_01_an_output_that_is_an_input_is_refused_before_anything_is_read(
    tmp_path: Path, hk: Path, route: str
) -> None:
    args = _routes(tmp_path, hk)[route]
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = tipconv(*args, "-v", cwd=tmp_path)
    line = one_error(result, 2)  # -v: no "converted" line, so nothing was read
    assert "would be overwritten" in line or "over the input" in line, line
    output = args[args.index("-o") + 1] if "-o" in args else None
    if output is not None:
        assert output in line and "is the input" in line, line
    assert result.stdout == b""
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # every input as it was, nothing new


# --- 2. every write failure is exit 4, stdout too -------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["parse", str(SAMPLE)],
        ["parse", str(SAMPLE), "--to", "md"],
        ["parse", str(SAMPLE), "--to", "csv"],
        ["convert", str(SAMPLE)],
        ["convert", str(ARCHIVE), "--to", "panel", "-q"],
        ["explain", str(SAMPLE)],
        ["explain", str(SAMPLE), "--to", "json"],
        ["schema"],
        ["formats"],
        ["--help"],
        ["--version"],
        ["parse", "--help"],
    ],
    ids=" ".join,
)
def test_02_a_full_stdout_is_exit_4_with_one_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = tipconv(*args, stdout=full.fileno())
    assert one_error(result, 4) == f"{ERROR}cannot write to stdout: No space left on device"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_02_a_full_disk_under_out_dir_is_exit_4_and_the_batch_goes_on(tmp_path: Path) -> None:
    shutil.copytree(ARCHIVE, tmp_path / "archive")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "2016").write_text("a file where a folder must go")
    result = tipconv("convert", "archive", "--out-dir", "out", "-j", "1", cwd=tmp_path)
    assert result.returncode == 4, lines(result)
    errors = [line for line in lines(result) if line.startswith(ERROR)]
    assert errors and all("archive/2016/" in line for line in errors)
    assert (tmp_path / "out" / "2015" / "burma.json").exists()  # the others were written


# --- 3. `convert -` with prose on stdin -----------------------------------------------------


def test_03_convert_dash_given_prose_stops_at_once_with_a_hint() -> None:
    result = tipconv("convert", "-", stdin=SAMPLE.read_bytes())
    line = one_error(result, 2)
    assert "to parse text from stdin, use 'tipconv parse -'" in line
    assert result.stdout == b""


# --- 4. suffixes never guess in silence -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("out.sqlite", b"SQLite format 3\x00"),
        ("out.sqlite3", b"SQLite format 3\x00"),
        ("out.db", b"SQLite format 3\x00"),
        ("out.ndjson", b'{"schema_version":'),
        ("out.jsonl", b'{"schema_version":'),
        ("out.markdown", b"# U.S. Department of State 2003"),
        ("OUT.MD", b"# U.S. Department of State 2003"),
        ("out.csv", b"path,title,"),
    ],
)
def test_04_the_suffix_chooses_the_format(tmp_path: Path, name: str, starts: bytes) -> None:
    result = tipconv("parse", SAMPLE, "-o", tmp_path / name, "-q")
    assert result.returncode == 0, lines(result)
    assert (tmp_path / name).read_bytes().startswith(starts)


@pytest.mark.parametrize("name", ["out.tsv", "out.txt", "out.sqlite.bak"])
def test_04_an_unknown_suffix_is_a_usage_error(tmp_path: Path, name: str) -> None:
    result = tipconv("parse", SAMPLE, "-o", tmp_path / name)
    line = one_error(result, 2)
    for suffix in (".json", ".jsonl", ".ndjson", ".csv", ".md", ".db", ".sqlite", ".sqlite3"):
        assert suffix in line.split("suffixes ", 1)[1].split("; try")[0].split(", "), line
    assert "--to" in line
    assert list(tmp_path.iterdir()) == []


def test_04_to_wins_over_a_disagreeing_suffix_with_one_warning(tmp_path: Path) -> None:
    result = tipconv("parse", SAMPLE, "-o", tmp_path / "out.csv", "--to", "json")
    assert result.returncode == 0
    assert "schema_version" in json.loads((tmp_path / "out.csv").read_text())
    (warning,) = lines(result)
    assert warning.startswith("tipconv: warning: ") and "--to" in warning and ".csv" in warning


# --- 5. the progress bar never mixes with data ----------------------------------------------


def test_05_no_bar_when_stdout_is_the_same_terminal(tmp_path: Path) -> None:
    args = ["convert", str(ARCHIVE), "--to", "csv", "-j", "2"]
    code, screen = on_terminal(args, cwd=tmp_path, stdout_to=None)
    assert code == 0
    assert "converting" not in screen and "files/s" not in screen
    assert screen.startswith("path,title,report_year,")  # the data starts clean


def test_05_a_bar_when_only_stderr_is_a_terminal(tmp_path: Path) -> None:
    data = tmp_path / "all.csv"
    code, screen = on_terminal(
        ["convert", str(ARCHIVE), "--to", "csv"], cwd=tmp_path, stdout_to=data
    )
    assert code == 0
    assert "converting" in screen or "files/s" in screen
    assert data.read_text().startswith("path,title,")


# --- 6. one error style ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["parse", str(SAMPLE), "--bogus"],
        ["convert", str(ARCHIVE), "-o", "x.json", "--out-dir", "y"],
        ["convert", str(ARCHIVE), "--skip-existing"],
        ["convert", str(ARCHIVE), "-j", "0"],
        ["parse"],
        ["bogus"],
        ["parse", str(SAMPLE), "--csv-shape", "rows"],
        ["--bogus", "parse", str(SAMPLE)],
    ],
    ids=" ".join,
)
def test_06_every_usage_error_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = tipconv(*args, cwd=tmp_path)
    line = one_error(result, 2)
    assert "Usage:" not in line and "Error:" not in line
    assert re.search(r"; try 'tipconv( \w+)? --help'$", line), line
    assert result.stdout == b""
    assert list(tmp_path.iterdir()) == []


# --- 7. messages and codes that say what is true --------------------------------------------


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_07_a_folder_that_takes_no_files_is_not_called_missing() -> None:
    line = one_error(tipconv("parse", SAMPLE, "-o", "/proc/x.json"), 4)
    assert "does not exist" not in line and "/proc" in line


@pytest.mark.parametrize("spelling", ["{}/", "{}"])
def test_07_an_output_that_is_a_folder_says_so(tmp_path: Path, spelling: str) -> None:
    line = one_error(tipconv("parse", SAMPLE, "-o", spelling.format(tmp_path)), 4)
    assert "is a folder, not a file" in line


def test_07_sqlite_without_an_output_file_is_a_usage_error() -> None:
    line = one_error(tipconv("parse", SAMPLE, "--to", "sqlite"), 2)
    assert "give -o FILE" in line


@pytest.mark.parametrize(
    "inputs",
    [["missing/"], ["missing.txt"], ["nothing/*.txt"], ["empty"], ["missing.txt", "empty"]],
    ids=" ".join,
)
def test_07_inputs_that_name_nothing_are_exit_2_and_write_nothing(
    tmp_path: Path, inputs: list[str]
) -> None:
    (tmp_path / "empty").mkdir()
    result = tipconv("convert", *inputs, "-o", "x.json", cwd=tmp_path)
    line = one_error(result, 2)
    assert "no input files found" in line
    assert not (tmp_path / "x.json").exists()
    assert one_error(tipconv("convert", *inputs, cwd=tmp_path), 2) == line
    assert tipconv("convert", *inputs, cwd=tmp_path).stdout == b""


def test_07_an_input_that_names_nothing_beside_real_ones_is_a_failure(tmp_path: Path) -> None:
    result = tipconv(
        "convert", SAMPLE, "missing.txt", "--to", "jsonl", "-o", "x.jsonl", cwd=tmp_path
    )
    assert result.returncode == 1
    assert f"{ERROR}missing.txt: no such file or folder" in lines(result)
    assert len((tmp_path / "x.jsonl").read_text().splitlines()) == 1


def test_07_a_run_that_converted_nothing_creates_no_output(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    result = tipconv("convert", "scan.txt", "-o", "x.json", cwd=tmp_path)
    assert result.returncode == 1
    assert not (tmp_path / "x.json").exists()
    assert tipconv("convert", "scan.txt", cwd=tmp_path).stdout == b""


# --- 8. an option that does not apply is a warning ------------------------------------------


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--to", "json", "--wide"], "--wide"),
        (["--to", "json", "--csv-shape", "paragraphs"], "--csv-shape"),
        (["--to", "csv", "--datapackage"], "--datapackage"),
        (["--to", "md", "--pretty"], "--pretty"),
        (["--to", "jsonl", "--compact"], "--compact"),
        (["--to", "markdown", "--bom"], "--bom"),
    ],
)
def test_08_an_option_that_does_not_apply_is_one_warning(args: list[str], flag: str) -> None:
    plain = tipconv("parse", SAMPLE, *args[:2], "-q")
    result = tipconv("parse", SAMPLE, *args)
    assert result.returncode == 0
    (warning,) = [line for line in warnings(result) if "does not apply" in line]
    assert warning == f"tipconv: warning: {flag} does not apply to --to {args[1]}; ignored".replace(
        "--to md", "--to markdown"
    )
    assert result.stdout == plain.stdout


def test_08_options_that_apply_say_nothing() -> None:
    for args in (
        ["--to", "csv", "--csv-shape", "paragraphs", "--bom"],
        ["--to", "json", "--pretty"],
    ):
        assert warnings(tipconv("parse", SAMPLE, *args, "-q")) == []
        assert not [w for w in warnings(tipconv("parse", SAMPLE, *args)) if "apply" in w]


# --- 9. --datapackage never replaces another output's descriptor ----------------------------


def test_09_two_panels_in_one_folder_keep_a_descriptor_each(tmp_path: Path) -> None:
    for name, year in (("early.csv", "2015"), ("late.csv", "2019")):
        result = tipconv(
            "convert", ARCHIVE / year, "--to", "panel", "-o", tmp_path / name, "--datapackage"
        )
        assert result.returncode == 0, lines(result)
    for stem in ("early", "late"):
        package = json.loads((tmp_path / f"{stem}.datapackage.json").read_text())
        (resource,) = package["resources"]
        assert resource["path"] == f"{stem}.csv"
    assert not (tmp_path / "datapackage.json").exists()


# --- 10. global flags before or after the command -------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_10_quiet_verbose_and_no_color_go_anywhere(tmp_path: Path, where: str) -> None:
    prose = tmp_path / "prose.txt"
    prose.write_text("Stir the soup until it thickens.\n")

    def run(flag: str) -> subprocess.CompletedProcess[bytes]:
        args = [flag, "parse", prose] if where == "before" else ["parse", prose, flag]
        return tipconv(*args)

    assert b"not_a_tip_narrative" in run("--no-color").stderr
    quiet = run("-q")
    assert (quiet.returncode, quiet.stderr) == (0, b"")
    assert b"[whitespace_normalised]" not in run("--no-color").stderr
    verbose = tipconv(*(["-v", "parse", SAMPLE] if where == "before" else ["parse", SAMPLE, "-v"]))
    assert b"tipconv: info: " in verbose.stderr


# --- 11. shell completion -------------------------------------------------------------------


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash completion offers for the last of `words` (click's env-var protocol)."""
    result = subprocess.run(
        [sys.executable, "-m", "tipconv"],
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if k != "TIPCONV_NO_PLUGINS"},
            **(env or {}),
            "_TIPCONV_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        },
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_11_to_completes_format_names_and_csv_shape_its_choices() -> None:
    built_ins = ["json", "jsonl", "csv", "markdown", "panel", "sqlite", "md"]
    assert complete("tipconv parse x.txt --to ") == built_ins
    assert complete("tipconv convert archive --to j") == ["json", "jsonl"]
    assert complete("tipconv parse x.txt --csv-shape ") == ["sections", "paragraphs"]
    assert "convert" in complete("tipconv -q ")


def test_11_to_completes_plugins_unless_no_plugins(tmp_path: Path) -> None:
    from .test_plugins import UPPER, install

    install(UPPER, tmp_path)
    env = {"PYTHONPATH": str(tmp_path)}
    assert "upper" in complete("tipconv parse x.txt --to ", env)
    assert "upper" not in complete("tipconv parse x.txt --no-plugins --to ", env)
    assert "upper" not in complete("tipconv parse x.txt --to ", {**env, "TIPCONV_NO_PLUGINS": "1"})


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_11_readme_shows_completion_for_each_shell(shell: str) -> None:
    section = README.split("### Shell completion", 1)[1].split("\n## ", 1)[0]
    assert f"_TIPCONV_COMPLETE={shell}_source tipconv" in section
    script = subprocess.run(
        [sys.executable, "-m", "tipconv"],
        capture_output=True,
        text=True,
        env={**os.environ, "_TIPCONV_COMPLETE": f"{shell}_source"},
        timeout=60,
    )
    assert script.returncode == 0 and "_TIPCONV_COMPLETE" in script.stdout


# --- 12. --label names stdin in every output ------------------------------------------------


def test_12_label_names_stdin_in_every_output(tmp_path: Path) -> None:
    text = SAMPLE.read_bytes()

    def parse(*args: str | Path) -> bytes:
        result = tipconv("parse", "-", "--label", "hk.txt", *args, "-q", stdin=text)
        assert result.returncode == 0, lines(result)
        return result.stdout

    assert json.loads(parse("--to", "json"))["source"]["path"] == "hk.txt"
    assert json.loads(parse("--to", "jsonl"))["source"]["path"] == "hk.txt"
    for args in (["--to", "csv"], ["--to", "csv", "--csv-shape", "paragraphs"], ["--to", "panel"]):
        header, *rows = parse(*args).decode().splitlines()
        column = header.split(",").index("path")
        assert rows and {row.split(",")[column] for row in rows} == {"hk.txt"}, args
    assert "| Source path | hk.txt |" in parse("--to", "md").decode()
    parse("-o", tmp_path / "tip.db")
    with sqlite3.connect(tmp_path / "tip.db") as connection:
        assert connection.execute("SELECT path FROM reports").fetchall() == [("hk.txt",)]
        assert connection.execute("SELECT DISTINCT path FROM panel").fetchall() == [("hk.txt",)]


# --- 13. the README's examples run as written -----------------------------------------------


def readme_block(heading: str) -> str:
    section = README.split(f"\n{heading}\n", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


@pytest.mark.skipif(shutil.which("jq") is None, reason="the README's example pipes into jq")
def test_13_the_use_examples_run_from_the_repository_root(tmp_path: Path) -> None:
    block = readme_block("## Use")
    root = tmp_path / "repository"
    shutil.copytree(FIXTURES, root / "fixtures")
    shutil.copytree(ROOT / "examples", root / "examples")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        capture_output=True,
        cwd=root,
        env={**os.environ, "PATH": path, "TIPCONV_NO_PLUGINS": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    for line in (line for line in block.splitlines() if line.strip()):
        assert line.startswith(("tipconv ", "cat ")), line
    for name in re.findall(r"-o (\S+)", block):
        assert (root / name).stat().st_size > 0, name
    for folder in re.findall(r"--out-dir (\S+)", block):
        assert any((root / folder).rglob("*.*")), folder


# --- 14. the library's surface is deliberate ------------------------------------------------


def test_14_dir_shows_the_public_names_and_the_readme_documents_each() -> None:
    script = "import json, tipconv; print(json.dumps([dir(tipconv), tipconv.__all__]))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    listed, public = json.loads(result.stdout)
    assert listed == sorted(public)
    library = README.split("## As a library", 1)[1].split("\n## ", 1)[0]
    for name in public:
        assert f"`{name}" in library or f"tipconv.{name}" in library, name


# --- 16. one console, a small batch package -------------------------------------------------


@pytest.mark.parametrize(
    ("env", "flag", "coloured"),
    [({}, None, True), ({"NO_COLOR": "1"}, None, False), ({}, "--no-color", False)],
)
def test_16_parse_and_convert_speak_alike_on_a_terminal(
    tmp_path: Path, env: dict[str, str], flag: str | None, coloured: bool
) -> None:
    flags = [flag] if flag else []
    said = []
    for args in (["parse", "missing.txt"], ["convert", str(SAMPLE), "missing.txt", "-j", "1"]):
        _, screen = on_terminal([*flags, *args], cwd=tmp_path, stdout_to=tmp_path / "out", env=env)
        (line,) = [line for line in screen.splitlines() if "missing.txt" in line]
        line = re.sub(r"\x1b\[[0-9;]*[A-Za-ln-z]|\r", "", line)  # a bar's cursor moves
        said.append(line)
        assert bool(re.search(r"\x1b\[[0-9;]*m", line)) is coloured, line
    assert (
        said[0]
        == said[1]
        == said[0].split("missing.txt")[0] + "missing.txt: no such file or folder"
    )


def test_16_the_batch_package_keeps_no_worker_state_in_globals() -> None:
    package = ROOT / "tipconv" / "batch"
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global)], path
        assert "._processes" not in path.read_text(encoding="utf-8"), path
    assert not (ROOT / "tipconv" / "batch.py").exists()
