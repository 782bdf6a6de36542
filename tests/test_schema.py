"""The published JSON Schema: valid itself, shipped as `tipconv schema`, true of every output."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

import tipconv
from tipconv import writers
from tipconv.cli import main
from tipconv.model import PART_KINDS, SCHEMA_VERSION, Level, Tier

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TEXTS = sorted(FIXTURES.glob("**/*.txt"))
GOLDENS = sorted(FIXTURES.glob("**/*.json"))
JSONL_GOLDENS = sorted(FIXTURES.glob("**/*.jsonl"))


def _id(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        files("tipconv").joinpath("schema.json").read_text(encoding="utf-8")
    )
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    # No format_checker: formats are annotations in 2020-12, and dates may be kept raw.
    return Draft202012Validator(schema)


def _assert_valid(validator: Draft202012Validator, document: Any, where: str) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    messages = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]
    assert not messages, f"{where} does not match schema.json:\n" + "\n".join(messages[:20])


def _reports(document: Any) -> list[Any] | None:
    """The reports in a golden: one object, or an array of them; None for other JSON."""
    if isinstance(document, dict) and "schema_version" in document:
        return [document]
    if isinstance(document, list) and all(
        isinstance(item, dict) and "schema_version" in item for item in document
    ):
        return document
    return None


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"] == {
        "const": SCHEMA_VERSION,
        "description": schema["properties"]["schema_version"]["description"],
    }


def test_schema_enums_follow_the_model(schema: dict[str, Any]) -> None:
    """A new tier, level or part kind in model.py must be published in the schema too."""
    section = schema["$defs"]["section"]["properties"]
    assert set(section["tier"]["enum"]) == {t.value for t in Tier} | {None}
    assert set(section["tier_ordinal"]["enum"]) == {t.ordinal for t in Tier} | {None}
    assert set(schema["$defs"]["tier_statement"]["properties"]["tier"]["enum"]) == {
        t.value for t in Tier
    }
    assert set(schema["$defs"]["part"]["properties"]["kind"]["enum"]) == set(PART_KINDS)
    assert set(schema["$defs"]["diagnostic"]["properties"]["level"]["enum"]) == {
        level.value for level in Level
    }


def test_schema_covers_every_field_of_to_dict(schema: dict[str, Any]) -> None:
    """Every key `to_dict()` writes is declared and required, and nothing else is allowed."""
    text = (FIXTURES / "refworld-2003-hong-kong.txt").read_text(encoding="utf-8")
    document = tipconv.parse(text, source="x.txt").to_dict()
    section = document["sections"][0]
    samples = {
        "#": (schema, document),
        "source": (schema["$defs"]["source"], document["source"]),
        "metadata": (schema["$defs"]["metadata"], document["metadata"]),
        "section": (schema["$defs"]["section"], section),
        "part": (schema["$defs"]["part"], section["parts"][0]),
        "paragraph": (schema["$defs"]["paragraph"], section["parts"][0]["paragraphs"][0]),
        "diagnostic": (schema["$defs"]["diagnostic"], document["diagnostics"][0]),
    }
    for name, (definition, sample) in samples.items():
        assert definition["type"] == "object", name
        assert definition["additionalProperties"] is False, name
        assert set(definition["properties"]) == set(sample), name
        assert set(definition["required"]) == set(sample), name
    fields = schema["$defs"]["metadata"]["properties"]["fields"]
    assert fields["additionalProperties"] == {"type": "string"}


def test_schema_rejects_what_the_contract_forbids(validator: Draft202012Validator) -> None:
    text = (FIXTURES / "refworld-2003-hong-kong.txt").read_text(encoding="utf-8")
    good = tipconv.parse(text).to_dict()
    assert validator.is_valid(good)
    bad_documents: list[dict[str, Any]] = []
    for mutate in (
        lambda d: d.update(schema_version=1),
        lambda d: d.update(extra=1),
        lambda d: d["sections"][0].update(tier="2.5"),
        lambda d: d["sections"][0].update(tier_source="guess"),
        lambda d: d["sections"][0]["parts"][0].update(kind="preamble"),
        lambda d: d["sections"][0]["parts"][0]["paragraphs"][0].update(line=0),
        lambda d: d["sections"][0]["parts"][0]["paragraphs"][0].pop("item"),
        lambda d: d["sections"][0].update(paragraphs=[]),
        lambda d: d["sections"][0].update(tier_label="TIER 1"),
        lambda d: d["metadata"]["fields"].update(Topics=["a", "b"]),
        lambda d: d["metadata"].pop("url"),
        lambda d: d["diagnostics"].append({"level": "fatal", "code": "x", "line": None}),
    ):
        document = json.loads(json.dumps(good))
        mutate(document)
        bad_documents.append(document)
    for number, document in enumerate(bad_documents):
        assert not validator.is_valid(document), f"mutation {number} was accepted"


def test_schema_command_prints_the_packaged_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tipconv", "schema"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    assert result.stdout == (ROOT / "tipconv" / "schema.json").read_bytes()


@pytest.mark.parametrize("golden", GOLDENS, ids=_id)
def test_golden_matches_schema(golden: Path, validator: Draft202012Validator) -> None:
    document = json.loads(golden.read_text(encoding="utf-8"))
    reports = _reports(document)
    if reports is None:
        pytest.skip("not a tipconv report (e.g. datapackage.json)")
    for number, report in enumerate(reports):
        _assert_valid(validator, report, f"{_id(golden)}[{number}]")


@pytest.mark.parametrize("golden", JSONL_GOLDENS, ids=_id)
def test_jsonl_golden_matches_schema(golden: Path, validator: Draft202012Validator) -> None:
    lines = golden.read_text(encoding="utf-8").splitlines()
    assert lines, f"{_id(golden)} is empty"
    for number, line in enumerate(lines, start=1):
        _assert_valid(validator, json.loads(line), f"{_id(golden)}:{number}")


@pytest.mark.parametrize("text", TEXTS, ids=_id)
def test_parse_output_matches_schema(text: Path, validator: Draft202012Validator) -> None:
    report = tipconv.parse_file(text, encoding="auto")
    _assert_valid(validator, report.to_dict(), _id(text))


def test_jsonl_output_matches_schema(validator: Draft202012Validator) -> None:
    """`--to jsonl` through the CLI (in-process: the hostile tests cover the real process)."""
    if "jsonl" not in writers.builtin_names():
        pytest.skip("the jsonl writer is not registered yet")
    runner = CliRunner()
    for text in TEXTS:
        arguments = ["parse", str(text), "--to", "jsonl", "--encoding", "auto", "-q"]
        result = runner.invoke(main, [*arguments, "--no-plugins"])
        assert result.exit_code == 0, f"{_id(text)}: {result.output}"
        lines = result.stdout.splitlines()
        assert len(lines) == 1, f"{_id(text)}: expected one JSON line, got {len(lines)}"
        _assert_valid(validator, json.loads(lines[0]), f"{_id(text)} (jsonl)")


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


@pytest.mark.parametrize("golden", GOLDENS, ids=_id)
def test_no_paragraph_text_is_said_twice(golden: Path) -> None:
    """Schema 2 says each thing once: a paragraph's text is no other value of its document."""
    document = json.loads(golden.read_text(encoding="utf-8"))
    if _reports(document) is None:
        pytest.skip("not a tipconv report (e.g. a view's golden: history, diff)")
    values = _strings(document)
    texts = [
        paragraph["text"]
        for section in document["sections"]
        for part in section["parts"]
        for paragraph in part["paragraphs"]
    ]
    for text in texts:  # a text printed in several paragraphs (a chapter's boilerplate) is
        assert values.count(text) == texts.count(text), text[:60]  # said once for each
