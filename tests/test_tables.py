"""The library gives rows: `tipconv.rows`, `tipconv.panel` and `tipconv.dataframe` (issue 23).

Each is checked against the writers' own output: a row here, formatted as a CSV cell, is
the line the CSV or panel writer writes for it.
"""

from __future__ import annotations

import builtins
import csv
import io
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import tipconv
from tipconv.writers import WriterOptions
from tipconv.writers._csv import CsvWriter, csv_cell

from .conftest import FIXTURES, ROOT

ARCHIVE = FIXTURES / "archive"
NARRATIVES = sorted(FIXTURES.glob("*.txt"))


def cells(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{key: csv_cell(value) for key, value in row.items()} for row in rows]


def csv_writer_rows(report: tipconv.Report, shape: str) -> list[dict[str, str]]:
    out = io.StringIO()
    CsvWriter().write([report], out, WriterOptions(csv_shape=shape))
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def convert_panel(*inputs: str) -> list[dict[str, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "tipconv", "convert", *inputs, "--to", "panel", "-q"],
        capture_output=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))


def quiet_panel(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tipconv.TipconvWarning)
        return tipconv.panel(*args, **kwargs)


@pytest.mark.parametrize("shape", ["sections", "paragraphs"])
@pytest.mark.parametrize("path", NARRATIVES, ids=lambda path: path.name)
def test_rows_are_the_csv_writers_rows(path: Path, shape: str) -> None:
    report = tipconv.parse_file(path, encoding="auto")
    rows = tipconv.rows(report, shape=shape)
    assert cells(rows) == csv_writer_rows(report, shape)
    assert all(list(row) == list(rows[0]) for row in rows)


def test_rows_take_several_reports_in_order_and_keep_types() -> None:
    reports = [tipconv.parse_file(path) for path in sorted(ARCHIVE.rglob("*.txt"))]
    rows = tipconv.rows(iter(reports))
    assert [row["path"] for row in rows] == [report.source.path for report in reports]
    first = rows[0]
    assert isinstance(first["report_year"], int) and isinstance(first["word_count"], int)
    assert tipconv.rows(tipconv.parse("no narrative here")) == []
    with pytest.raises(ValueError, match="valid shapes: sections, paragraphs"):
        tipconv.rows(reports[0], shape="panel")


def test_panel_is_convert_to_panel() -> None:
    rows = quiet_panel("fixtures/archive")
    assert cells(rows) == convert_panel("fixtures/archive")
    assert rows[0]["report_year"] == 2015 and rows[0]["cow_code"] == 437


def test_panel_takes_files_folders_and_globs_as_convert_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    folder = quiet_panel("fixtures/archive")
    assert quiet_panel("fixtures/archive/**/*.txt") == folder
    assert quiet_panel([ARCHIVE]) == [
        {**row, "path": str(ARCHIVE / Path(row["path"]).relative_to("fixtures/archive"))}
        for row in folder
    ]
    files = ["fixtures/archive/2017/burma.txt", "fixtures/archive/2018/burma.txt"]
    assert cells(quiet_panel(files)) == convert_panel(*files)
    assert quiet_panel("fixtures/archive-panel.csv") == folder  # a panel CSV reads back


def test_panel_warns_and_raises_as_a_library_should(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.warns(tipconv.TipconvWarning) as said:
        rows = tipconv.panel(["fixtures/archive/2017/burma.txt", "nope.txt"])
    assert len(rows) == 1
    messages = [str(warning.message) for warning in said]
    assert "nope.txt: no such file or folder" in messages
    assert all(warning.filename == __file__ for warning in said)  # the caller's line
    with pytest.raises(tipconv.TipconvError, match="no input files found"):
        tipconv.panel("nope/")


def test_dataframe_is_the_rows_with_nullable_dtypes(monkeypatch: pytest.MonkeyPatch) -> None:
    pandas = pytest.importorskip("pandas")
    monkeypatch.chdir(ROOT)
    report = tipconv.parse_file("fixtures/refworld-2003-hong-kong.txt")
    frame = tipconv.dataframe(report)
    rows = tipconv.rows(report)
    assert list(frame.columns) == list(rows[0]) and len(frame) == len(rows)
    assert str(frame["report_year"].dtype) == "Int64"
    assert pandas.isna(frame.loc[0, "cow_code"])  # Hong Kong has no COW code: missing, not 0
    assert frame.loc[0, "tier"] == "1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tipconv.TipconvWarning)
        panel = tipconv.dataframe("fixtures/archive")
        sections = tipconv.dataframe(["fixtures/archive"], shape="sections")
    plain = panel.astype(object).where(panel.notna(), None)
    assert plain.to_dict("records") == quiet_panel("fixtures/archive")
    assert str(panel["conflict"].dtype) == "boolean"
    assert len(sections) == 17
    paragraphs = tipconv.dataframe(report, shape="paragraphs")
    assert list(paragraphs.columns)[-1] == "text"
    empty = tipconv.dataframe([])
    assert empty.shape == (0, len(rows[0]))
    with pytest.raises(ValueError, match="takes paths"):
        tipconv.dataframe(report, shape="panel")


def test_dataframe_without_pandas_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    report = tipconv.parse("Freedonia (Tier 2)\n\nFreedonia is a source country.")
    with pytest.raises(ImportError, match=r"needs pandas.*pip install pandas.*tipconv\.rows"):
        tipconv.dataframe(report)


def test_pandas_is_not_a_dependency() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [name for names in project["optional-dependencies"].values() for name in names]
    everything = [*project["dependencies"], *extras]
    assert not [name for name in everything if name.lower().startswith("pandas")]


def test_every_model_type_documents_to_dict() -> None:
    from tipconv import model

    library = (ROOT / "README.md").read_text(encoding="utf-8").split("## As a library", 1)[1]
    library = library.split("\n## ", 1)[0]
    for name in ("Report", "Metadata", "Section", "Part", "Paragraph", "Diagnostic"):
        cls = getattr(model, name)
        assert callable(cls.to_dict) and cls.to_dict.__doc__, name
        assert f"`{name}.to_dict()`" in library, name


def has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def test_the_readme_library_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Python block of README's "As a library" runs as written, from the repository root."""
    import re

    library = (ROOT / "README.md").read_text(encoding="utf-8").split("## As a library", 1)[1]
    library = library.split("\n## ", 1)[0]
    blocks = re.findall(r"^```python\n(.*?)^```", library, re.M | re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tipconv.TipconvWarning)
        for block in blocks:
            if "dataframe" in block and not has_pandas():
                block = "\n".join(line for line in block.splitlines() if "dataframe" not in line)
            exec(compile(block, "README.md", "exec"), namespace)
