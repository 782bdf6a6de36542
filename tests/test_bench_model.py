"""bench/model_bench.py: its two styles define the model's classes, fields and defaults."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import tipconv.model as model

from .conftest import ROOT

SCRIPT = ROOT / "bench" / "model_bench.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_model_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_both_styles_define_the_model_classes_with_their_fields(tmp_path: Path) -> None:
    bench = _load()
    bench.write_sources(tmp_path)
    wanted = {cls.__name__: cls._fields for cls in model.Model.__subclasses__()}
    for style in bench.STYLES:
        names = bench._namespace(tmp_path)
        if style == "dataclass":
            import dataclasses

            names["dataclasses"] = dataclasses
        exec(bench._code(tmp_path / f"model_{style}.py"), names)
        for name, fields in wanted.items():
            made = names[name]
            assert tuple(getattr(made, "_fields", None) or made.__dataclass_fields__) == fields
            paragraph = names["Paragraph"](3, "text")
            assert (paragraph.line, paragraph.text, paragraph.item) == (3, "text", False)


def test_the_children_print_seconds(tmp_path: Path) -> None:
    bench = _load()
    bench.write_sources(tmp_path)
    for args in (["define", "dataclass"], ["dataclasses", "plain"], ["build", "plain"]):
        done = subprocess.run(
            [sys.executable, str(SCRIPT), *args, str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        assert 0 < float(done.stdout) < 1
