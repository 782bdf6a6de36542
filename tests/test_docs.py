"""The README stays true: its JSON table covers the schema, its commands exist."""

from __future__ import annotations

import json
import re

import click

from tipconv.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _schema_paths(
    node: dict[str, object], defs: dict[str, dict[str, object]], path: str
) -> list[str]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        node = defs[ref.rsplit("/", 1)[-1]]
    paths = [path] if path else []
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, child in properties.items():
            paths += _schema_paths(child, defs, f"{path}.{name}" if path else name)
    items = node.get("items")
    if isinstance(items, dict):
        paths += _schema_paths(items, defs, f"{path}[]")
    return paths


def test_readme_documents_every_schema_field() -> None:
    schema = json.loads((ROOT / "tipconv" / "schema.json").read_text(encoding="utf-8"))
    documented = README[README.index("## The JSON contract") :]
    for path in _schema_paths(schema, schema.get("$defs", {}), ""):
        if path.startswith("metadata.fields.") or f"`{path}" in documented:
            continue
        # A small nested object is documented in its nearest documented ancestor's row,
        # e.g. `sections[].parts[]` lists `{kind, heading, line, inferred, paragraphs, items}`.
        leaf = path.rsplit(".", 1)[-1].removesuffix("[]")
        ancestor = path
        rows: list[str] = []
        while "." in ancestor and not rows:
            ancestor = ancestor.rsplit(".", 1)[0]
            rows = [row for row in documented.splitlines() if f"`{ancestor}`" in row]
        assert rows and leaf in rows[0], f"README's JSON table lacks {path}"


def test_readme_quick_start_has_exactly_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert len(commands) == 2
    assert "tipconv parse fixtures/refworld-2003-hong-kong.txt --to json" in commands[0]
    assert ".[test]" in commands[1] and "pytest" in commands[1]


def test_readme_mentions_every_command_and_exit_code() -> None:
    for name in main.list_commands(click.Context(main)):
        assert f"tipconv {name}" in README, name
    for code in re.findall(r"^  (\d+) ", main.epilog or "", flags=re.MULTILINE):
        assert f"| {code} |" in README, code


FORMAT = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def _rule_rows() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in FORMAT.splitlines():
        found = re.match(r"\| `([a-z_.]+)` \|", line)
        if found:
            rows[found.group(1)] = line
    return rows


def test_format_doc_describes_every_rule_with_a_fixture_that_shows_it() -> None:
    from tipconv.rules import CONTEXT_RULES, LETTER_SPACED, RULES

    rows = _rule_rows()
    for rule in (*RULES, LETTER_SPACED, *CONTEXT_RULES):
        assert rule.name in rows, f"docs/format.md has no row for rule {rule.name}"
        fixtures = re.findall(r"`([\w/.-]+\.(?:txt|pdf|html))`", rows[rule.name])
        assert fixtures, f"docs/format.md names no fixture for {rule.name}"
        tokens = (ROOT / "fixtures" / fixtures[0]).with_suffix(".tokens")
        assert tokens.exists(), tokens
        used = {
            line.split()[2] for line in tokens.read_text("utf-8").splitlines() if line.split()[2:]
        }
        assert rule.name in used, f"{fixtures[0]} does not show {rule.name}"


def test_fixtures_named_in_the_docs_exist() -> None:
    for name in re.findall(r"`((?:regressions/|pdf/|html/)?[\w.-]+\.(?:txt|pdf|html))`", FORMAT):
        if "*" not in name:
            assert (ROOT / "fixtures" / name).exists(), name


def test_nothing_refers_to_documents_outside_the_repository() -> None:
    tracked = [
        path
        for pattern in ("*.md", "tipconv/**/*.py", "tests/*.py", "bench/*.py", "docs/*.md")
        for path in ROOT.glob(pattern)
    ]
    for path in tracked:
        text = path.read_text(encoding="utf-8")
        assert "FORMAT" + ".md" not in text, path  # (spelled apart so this file passes)
