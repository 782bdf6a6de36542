"""bench/variants.py: each family's variants and their truth, on a corpus the test writes.

The real corpus lives outside the repository (../shared/corpus); nothing here needs it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from .conftest import ROOT


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_variants", ROOT / "bench" / "variants.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


variants = _load()

NARRATIVE = """\
Trafficking in Persons Report 2011 - Armenia

ARMENIA (Tier 2)

Armenia is a source and destination country for men and women subjected to forced labor \
on building sites abroad and to forced prostitution in the cities of its neighbours.

The Government of Armenia does not fully comply with the minimum standards for the \
elimination of trafficking; however, it is making significant efforts to do so.

Prosecution. The government convicted four recruiters under its criminal code in 2010.
"""
TRUTH: dict[str, Any] = {
    "file": "001_synthetic-2011-armenia.txt",
    "is_tip_narrative": True,
    "title": "Trafficking in Persons Report 2011 - Armenia",
    "report_year": 2011,
    "subject": "Armenia",
    "last_updated": None,
    "publisher": None,
    "author": None,
    "publication_date": None,
    "accessed_date": None,
    "sections": [
        {
            "heading": "ARMENIA (Tier 2)",
            "heading_line": 3,
            "country": "ARMENIA",
            "tier": "2",
            "tier_label": "Tier 2",
        }
    ],
    "parts": [{"kind": "prosecution", "line": 9}],
}


def _corpus(tmp_path: Path, truth: dict[str, Any]) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "truth").mkdir()
    (tmp_path / "docs" / TRUTH["file"]).write_text(NARRATIVE, encoding="utf-8")
    (tmp_path / "truth" / TRUTH["file"].replace(".txt", ".json")).write_text(json.dumps(truth))
    return tmp_path


def test_every_family_makes_variants_that_keep_their_truth(tmp_path: Path) -> None:
    tallies = variants.score(_corpus(tmp_path, TRUTH), variants.FAMILIES)
    assert tallies["country"].counts["docs"] == len(variants.COUNTRIES)
    assert tallies["year"].counts["docs"] == len(variants.YEARS)
    assert tallies["tier"].counts["docs"] == len(variants.TIERS)
    assert tallies["form"].counts["docs"] == len(variants.HEADING_FORMS)
    assert tallies["title"].counts["docs"] == len(variants.TITLE_FORMS)
    assert tallies["layout"].counts["docs"] == 10
    assert tallies["cut"].counts["docs"] == 0  # shorter than every cut
    for family, tally in tallies.items():
        assert tally.misses == [], (family, [str(miss) for miss in tally.misses])


def test_a_variant_carries_its_change_into_the_truth() -> None:
    swapped = dict(variants.country_variants(NARRATIVE, TRUTH).__next__()[2])
    assert swapped["subject"] == variants.COUNTRIES[0]
    assert swapped["sections"][0]["country"] == variants.COUNTRIES[0].upper()
    label, text, shifted = next(variants.year_variants(NARRATIVE, TRUTH))
    assert shifted["report_year"] == int(label) and f"in {int(label) - 1}." in text
    text, moved = next(
        (t, m)
        for name, t, m in variants.layout_variants(NARRATIVE, TRUTH)
        if name == "blank lines doubled"
    )
    assert moved["sections"][0]["heading_line"] == 5 and moved["parts"][0]["line"] == 17


def test_a_wrong_truth_is_scored_as_a_miss(tmp_path: Path) -> None:
    wrong = json.loads(json.dumps(TRUTH))
    wrong["sections"][0]["tier"] = "3"
    tallies = variants.score(_corpus(tmp_path, wrong), ["layout"])
    assert any(miss.measure == "tier" for miss in tallies["layout"].misses)


def test_without_a_corpus_it_says_so(tmp_path: Path, capsys: Any) -> None:
    assert variants.main(["--corpus", str(tmp_path)]) == 0
    assert "no corpus" in capsys.readouterr().out


def test_a_copy_without_a_heading_swaps_the_country_its_text_names_most() -> None:
    text = "Armenia is a source country. The Government of Armenia acts. Georgia helps."
    truth = {**TRUTH, "sections": [], "subject": None, "parts": []}
    label, swapped, _ = next(variants.country_variants(text, truth))
    assert label == variants.COUNTRIES[0]
    assert "Armenia" not in swapped and "Georgia helps" in swapped


def test_a_cut_drops_the_parts_it_removes_and_keeps_its_headings() -> None:
    text = NARRATIVE + "x" * 1700
    made = {label: (cut, truth) for label, cut, truth in variants.cut_variants(text, TRUTH)}
    assert set(made) == {str(size) for size in variants.CUTS}
    cut, truth = made["600"]
    assert len(cut) == 600 and truth["parts"] == TRUTH["parts"]
    shorter = NARRATIVE[:300]  # cut before the prosecution part's line
    assert list(variants.cut_variants(shorter + "x" * 1700, TRUTH))[-1][2]["parts"] == [
        part for part in TRUTH["parts"] if part["line"] <= shorter.count("\n")
    ]
