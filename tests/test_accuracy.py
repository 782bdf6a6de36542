"""bench/accuracy.py: the scorer's rules, on a tiny corpus the test writes itself.

The real corpus lives outside the repository (../shared/corpus); nothing here needs it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "bench" / "accuracy.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_accuracy", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


accuracy = _load()

NARRATIVE = """\
2011 Trafficking in Persons Report - Sylvania

Sylvania (Tier 2)

Sylvania is a source and destination country for men and women subjected to forced labor \
in orchard work and to forced prostitution in river ports.

The Government of Sylvania does not fully comply with the minimum standards for the \
elimination of trafficking; however, it is making significant efforts to do so.

Recommendations for Sylvania: Train border wardens to spot forced labor; fund shelters.

Prosecution. The government convicted four orchard owners under its labor code.
"""
NEGATIVE = """\
Wardens praise new shelter law

The annual ranking kept Sylvania at Tier 2 this year, while its neighbour fell.

Country | Ranking
Sylvania | Tier 2
Ruritania | Tier 3
"""
NO_FIELDS = dict.fromkeys(accuracy.FIELDS)


def _truth(**changes: Any) -> dict[str, Any]:
    truth: dict[str, Any] = {
        "is_tip_narrative": True,
        **NO_FIELDS,
        "sections": [],
        "tier_stated_in_text": None,
        "parts": [],
    }
    truth.update(changes)
    return truth


NARRATIVE_TRUTH = _truth(
    title="2011 Trafficking in Persons Report - Sylvania",
    report_year=2011,
    subject="Sylvania",
    sections=[
        {
            "heading": "Sylvania (Tier 2)",
            "heading_line": 3,
            "country": "Sylvania",
            "tier": "2",
            "tier_label": "Tier 2",
        }
    ],
    parts=[{"kind": "recommendations", "line": 9}, {"kind": "prosecution", "line": 11}],
)
NEGATIVE_TRUTH = _truth(is_tip_narrative=False)


def _corpus(tmp_path: Path, narrative_truth: dict[str, Any] = NARRATIVE_TRUTH) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "docs").mkdir(parents=True)
    (corpus / "truth").mkdir()
    for stem, text, truth in (
        ("001_narrative", NARRATIVE, narrative_truth),
        ("002_negative", NEGATIVE, NEGATIVE_TRUTH),
    ):
        (corpus / "docs" / f"{stem}.txt").write_text(text, encoding="utf-8")
        (corpus / "truth" / f"{stem}.json").write_text(json.dumps(truth), encoding="utf-8")
    return corpus


def _score(truth: dict[str, Any], pred: dict[str, Any] | None) -> Any:
    tally = accuracy.Tally()
    accuracy.score_doc("001", truth, pred, tally)
    return tally


def _section(line: int | None, country: str | None, tier: str | None, **more: Any) -> Any:
    return {"line": line, "country": country, "tier": tier, "parts": [], **more}


def _row(out: str, label: str) -> list[str]:
    """A row of the printed table: [result, target, status], by its measure's label."""
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in:\n{out}")


def _heading(line: int, country: str | None, tier: str | None) -> dict[str, Any]:
    return {"heading": "x", "heading_line": line, "country": country, "tier": tier}


# ------------------------------------------------------------------- the whole script


def test_a_corpus_the_parser_reads_right_passes_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path)
    out_json = tmp_path / "result.json"
    assert accuracy.main(["--corpus", str(corpus), "--check", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert _row(out, "header fields right") == ["16/16 100.0%", ">= 99%", "PASS"]
    assert _row(out, "narratives missing their report year") == ["0/1", "0", "PASS"]
    assert _row(out, "negatives given a tier") == ["0/1", "0", "PASS"]
    assert "FAIL" not in out
    assert "SUMMARY 2 docs | fields 16/16 100.0% | headings 1/1 100.0%" in out
    result = json.loads(out_json.read_text(encoding="utf-8"))
    assert result["passed"] is True and result["documents"] == 2
    assert result["counts"]["negatives"] == 1 and result["misses"] == []


def test_a_miss_fails_check_and_is_listed_with_v(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = dict(NARRATIVE_TRUTH, report_year=2012)
    wrong["sections"] = [dict(NARRATIVE_TRUTH["sections"][0], tier="3")]
    corpus = _corpus(tmp_path, wrong)
    assert accuracy.main(["--corpus", str(corpus)]) == 0  # a report, not a gate
    capsys.readouterr()
    assert accuracy.main(["--corpus", str(corpus), "--check", "-v"]) == 1
    out = capsys.readouterr().out
    assert "001  tier: line 3 'x'" not in out  # the heading text shown is the truth's
    assert "001  tier: line 3 'Sylvania (Tier 2)': expected '3', got '2'" in out
    assert "001  report year: expected 2012, got 2011" in out
    assert "001  fields: report_year: expected 2012, got 2011" in out
    assert _row(out, "tier right (headings + stated-only)") == ["0/1 0.0%", ">= 99%", "FAIL"]
    assert _row(out, "narratives missing their report year") == ["1/1", "0", "FAIL"]


def test_the_script_itself_exits_by_its_targets(tmp_path: Path) -> None:
    """Run as CI runs it: a child process, exit status 0 or 1."""
    corpus = _corpus(tmp_path)
    ok = subprocess.run(
        [sys.executable, str(SCRIPT), "--corpus", str(corpus), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _corpus(tmp_path / "bad", dict(NARRATIVE_TRUTH, subject="Ruritania"))
    failed = subprocess.run(
        [sys.executable, str(SCRIPT), "--corpus", str(bad), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert _row(failed.stdout, "header fields right") == ["15/16 93.8%", ">= 99%", "FAIL"]


def test_no_corpus_at_the_default_place_skips_with_exit_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh clone has no ../shared/corpus: CI must still pass."""
    monkeypatch.setattr(accuracy, "DEFAULT_CORPUS", tmp_path / "shared" / "corpus")
    assert accuracy.main(["--check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("accuracy: skipped, no corpus found at")
    assert "--corpus DIR" in out and len(out.splitlines()) == 1


def test_the_default_corpus_sits_beside_the_repository(tmp_path: Path) -> None:
    """The default is ../shared/corpus from the repository root, wherever one runs it from."""
    default: Path = accuracy.DEFAULT_CORPUS
    assert default == ROOT.parent / "shared" / "corpus"
    repo = tmp_path / "clone"
    (repo / "bench").mkdir(parents=True)
    (repo / "bench" / "accuracy.py").write_bytes(SCRIPT.read_bytes())
    run = subprocess.run(
        [sys.executable, str(repo / "bench" / "accuracy.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 0
    assert str(tmp_path / "shared" / "corpus") in run.stdout


def test_a_mistyped_corpus_or_a_document_without_truth_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert accuracy.main(["--corpus", str(tmp_path / "nowhere")]) == 2
    corpus = _corpus(tmp_path)
    (corpus / "truth" / "002_negative.json").unlink()
    assert accuracy.main(["--corpus", str(corpus)]) == 2
    assert "002_negative.txt has no truth file" in capsys.readouterr().err


def test_an_unreadable_document_is_a_failed_run_wrong_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "docs" / "001_narrative.txt").write_bytes(b"\x00\x01\x02" * 100)  # binary
    assert accuracy.main(["--corpus", str(corpus), "--check", "-v"]) == 1
    out = capsys.readouterr().out
    assert "001  run failed: expected a report, got BinaryInputError" in out
    # Null truth fields do not score right on a failed run either.
    assert _row(out, "header fields right") == ["8/16 50.0%", ">= 99%", "FAIL"]
    assert _row(out, "failed runs") == ["1/2"]


def test_markdown_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert accuracy.main(["--corpus", str(_corpus(tmp_path)), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| Measure | Result | Target | Status |" in out
    assert "| printed parts (kind + line) | 2/2 100.0% | >= 95% | PASS |" in out


# ------------------------------------------------------------------- the scoring rules


def test_sections_pair_by_line_first_then_in_order() -> None:
    truth = _truth(sections=[_heading(3, "Sylvania", "2"), _heading(9, "Ruritania", "3")])
    pred = {"sections": [_section(5, "Sylvania", "2"), _section(9, "Ruritania", "3")]}
    tally = _score(truth, pred)
    # Ruritania pairs by line; Sylvania, found at the wrong line, still scores country + tier.
    assert (tally.hit["headings"], tally.total["headings"]) == (1, 2)
    assert tally.hit["country"] == tally.hit["tier"] == 2
    assert tally.counts["extra"] == 0


def test_truth_country_is_compared_with_country_printed_when_present() -> None:
    truth = _truth(sections=[_heading(1, "KYRGYZ REPUBLIC", "2")])
    schema2 = _section(1, "Kyrgyzstan", "2", country_printed="Kyrgyz  Republic")
    assert _score(truth, {"sections": [schema2]}).hit["country"] == 1
    schema1 = _section(1, "kyrgyz republic", "2")  # case and spaces do not matter
    assert _score(truth, {"sections": [schema1]}).hit["country"] == 1
    canonical_only = _section(1, "Kyrgyzstan", "2", country_printed=None)
    assert _score(truth, {"sections": [canonical_only]}).hit["country"] == 0


def test_stated_tier_without_heading_needs_a_line_null_section_with_it() -> None:
    truth = _truth(tier_stated_in_text="3")
    good = _score(truth, {"sections": [_section(None, "Sylvania", "3")]})
    assert (good.hit["tier"], good.total["tier"], good.counts["extra"]) == (1, 1, 0)
    wrong = _score(truth, {"sections": [_section(None, "Sylvania", "2")]})
    assert (wrong.hit["tier"], wrong.counts["extra"]) == (0, 1)
    # A stated tier beside a printed heading is not scored on its own.
    with_heading = _truth(tier_stated_in_text="3", sections=[_heading(1, "Sylvania", "3")])
    assert _score(with_heading, {"sections": [_section(1, "Sylvania", "3")]}).total["tier"] == 1


def test_extra_sections_but_not_tierless_containers() -> None:
    tally = _score(
        _truth(),
        {"sections": [_section(None, "Sylvania", None), _section(4, "Ruritania", None)]},
    )
    assert tally.counts["extra"] == 1  # the one with a line; the line-null one holds text
    assert [m.measure for m in tally.misses] == ["extra section"]


def test_negatives_given_a_tier() -> None:
    negative = _truth(is_tip_narrative=False)
    container = _score(negative, {"sections": [_section(None, None, None)]})
    assert container.counts["negatives_with_tier"] == 0
    tally = _score(negative, {"sections": [_section(None, "Sylvania", "2")]})
    assert tally.counts["negatives"] == tally.counts["negatives_with_tier"] == 1
    assert tally.counts["extra"] == 1


def test_printed_parts_need_kind_and_line_and_not_inferred() -> None:
    truth = _truth(
        parts=[
            {"kind": "prosecution", "line": 7},
            {"kind": "profile", "line": 20},
            {"kind": "recommendations", "line": 5},
        ]
    )
    parts = [
        {"kind": "prosecution", "line": 7, "inferred": True},  # inferred: not printed
        {"kind": "trafficking_profile", "line": 20, "inferred": False},  # alias of profile
        {"kind": "prevention", "line": 5, "inferred": False},  # wrong kind
    ]
    tally = _score(truth, {"sections": [_section(None, None, None, parts=parts)]})
    assert (tally.hit["parts"], tally.total["parts"]) == (1, 3)


def test_report_year_is_counted_for_narratives_that_print_one() -> None:
    printed = _truth(report_year=2009)
    missing = _score(printed, {"metadata": {"report_year": None}, "sections": []})
    assert (missing.counts["with_year"], missing.counts["missing_year"]) == (1, 1)
    right = _score(printed, {"metadata": {"report_year": 2009}, "sections": []})
    assert right.counts["missing_year"] == 0
    negative = _score(_truth(is_tip_narrative=False), {"metadata": {"report_year": 2018}})
    assert negative.counts["with_year"] == 0  # a negative's year is a field miss only
    assert negative.hit["fields"] == 7


def test_strings_compare_without_case_or_spacing() -> None:
    truth = _truth(title="Trafficking in Persons Report  2010", publisher="U.S. State")
    pred = {"metadata": {"title": "trafficking in persons report 2010", "publisher": "u.s. state"}}
    assert _score(truth, pred).hit["fields"] == 8
