#!/usr/bin/env python3
"""How often tipconv is right on real copies: a corpus of narratives with hand-checked truth.

Not a test: it parses every `docs/*.txt` of a corpus in this process, compares the result
with `truth/<same stem>.json` and prints one table with PASS/FAIL per target (issue 14).
The measures and pairing rules are those of the corpus's own `score.py`, so the two agree.

    .venv/bin/python bench/accuracy.py                  # ../shared/corpus beside the checkout
    .venv/bin/python bench/accuracy.py -v               # plus every miss, one line each
    .venv/bin/python bench/accuracy.py --check          # exit 1 when a target fails
    .venv/bin/python bench/accuracy.py --corpus DIR --json result.json --markdown

Without a corpus at the default place it says so and exits 0, so a fresh clone's CI passes.
Stdlib only, plus the tipconv of this checkout; no network.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

FIELDS = (
    "title",
    "report_year",
    "subject",
    "last_updated",
    "publisher",
    "author",
    "publication_date",
    "accessed_date",
)
KIND_ALIASES = {"trafficking_profile": "profile"}

# A parser run on one file: the report as JSON-shaped data, or None and why it failed.
Runner = Callable[[Path], tuple[dict[str, Any] | None, str | None]]


@dataclass(frozen=True)
class Target:
    """One row of the table: a rate that must reach `minimum` %, or a count `maximum`."""

    key: str
    label: str
    minimum: float | None = None
    maximum: int | None = None

    @property
    def text(self) -> str:
        if self.minimum is not None:
            return f">= {self.minimum:g}%"
        return "" if self.maximum is None else f"{self.maximum}"


# Issue 14, item 3. "failed runs" has no target of its own: a failed run already scores
# wrong on every measure of its document.
TARGETS = (
    Target("fields", "header fields right", minimum=99),
    Target("headings", "headings at the right line", minimum=99),
    Target("country", "country right", minimum=99),
    Target("tier", "tier right (headings + stated-only)", minimum=99),
    Target("parts", "printed parts (kind + line)", minimum=95),
    Target("negatives_with_tier", "negatives given a tier", maximum=0),
    Target("extra", "extra sections", maximum=0),
    Target("missing_year", "narratives missing their report year", maximum=0),
    Target("failed", "failed runs"),
)
RATES = ("fields", "headings", "country", "tier", "parts")


def norm(value: object) -> str | None:
    """Case- and whitespace-insensitive form of a value; None stays None."""
    if value is None:
        return None
    return re.sub(r"\s+", " ", str(value)).strip().lower()


@dataclass(frozen=True)
class Miss:
    doc: str
    measure: str
    detail: str

    def __str__(self) -> str:
        return f"{self.doc}  {self.measure}: {self.detail}"


@dataclass
class Tally:
    """Hits and totals per rate; counts for the lower-is-better rows; every miss."""

    hit: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RATES, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RATES, 0))
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "docs": 0,
            "failed": 0,
            "negatives": 0,
            "negatives_with_tier": 0,
            "extra": 0,
            "with_year": 0,
            "missing_year": 0,
        }
    )
    misses: list[Miss] = field(default_factory=list)

    def add(self, measure: str, ok: bool, doc: str, detail: str) -> None:
        self.total[measure] += 1
        self.hit[measure] += ok
        if not ok:
            self.misses.append(Miss(doc, measure, detail))

    def miss(self, doc: str, measure: str, detail: str) -> None:
        self.misses.append(Miss(doc, measure, detail))


def pair_sections(
    truth_secs: Sequence[dict[str, Any]], pred_secs: Sequence[dict[str, Any]]
) -> tuple[dict[int, tuple[dict[str, Any], bool]], list[dict[str, Any]]]:
    """Pair truth sections with predicted ones: same line first, then the rest in order.

    A section found at the wrong line (or with none) can so still score country and tier.
    Returns {truth index: (predicted section, paired by line)} and the unpaired predictions.
    """
    pairs: dict[int, tuple[dict[str, Any], bool]] = {}
    free = list(pred_secs)
    for i, t in enumerate(truth_secs):
        match = next((p for p in free if p.get("line") == t["heading_line"]), None)
        if match is not None:
            pairs[i] = (match, True)
            free.remove(match)
    for i in range(len(truth_secs)):
        if i not in pairs and free:
            pairs[i] = (free.pop(0), False)
    return pairs, free


def printed_country(section: dict[str, Any]) -> object:
    """The country as printed: schema 2's `country_printed`, else `country` (schema 1).

    The truth records the heading's spelling; schema 2's `country` is the crosswalk name.
    """
    return section["country_printed"] if "country_printed" in section else section.get("country")


def _short(text: str | None, size: int = 50) -> str:
    return repr(text if text is None or len(text) <= size else text[: size - 1] + "\u2026")


def score_doc(doc: str, truth: dict[str, Any], pred: dict[str, Any] | None, tally: Tally) -> None:
    """Add one document's hits and misses; `pred` None is a failed run (wrong everywhere)."""
    failed = pred is None
    narrative = bool(truth.get("is_tip_narrative", True))

    def add(measure: str, ok: bool, detail: str) -> None:
        tally.add(measure, ok and not failed, doc, detail)

    meta = (pred or {}).get("metadata") or {}
    for name in FIELDS:
        want, got = truth.get(name), meta.get(name)
        add("fields", norm(want) == norm(got), f"{name}: expected {want!r}, got {got!r}")

    secs = [s for s in (pred or {}).get("sections") or [] if isinstance(s, dict)]
    truth_secs = truth.get("sections") or []
    pairs, leftover = pair_sections(truth_secs, secs)
    for i, t in enumerate(truth_secs):
        p, exact = pairs.get(i, ({}, False))
        where = f"line {t['heading_line']} {_short(t.get('heading'))}"
        add("headings", exact, f"expected heading at {where}, got nearest line {p.get('line')}")
        got_country = printed_country(p)
        add(
            "country",
            norm(got_country) == norm(t.get("country")),
            f"{where}: expected {t.get('country')!r}, got {got_country!r}",
        )
        add(
            "tier",
            p.get("tier") == t.get("tier"),
            f"{where}: expected {t.get('tier')!r}, got {p.get('tier')!r}",
        )

    headless = [s for s in leftover if s.get("line") is None]
    stated = truth.get("tier_stated_in_text")
    if not truth_secs and stated:  # no printed heading: the tier comes from a placement sentence
        ok = [s for s in headless if s.get("tier") == stated]
        add(
            "tier",
            bool(ok),
            f"stated tier, no heading: expected {stated!r}, "
            f"got {[s.get('tier') for s in headless]} (sections without a line)",
        )
        headless = [s for s in headless if s not in ok[:1]]
    # A line-null section without a tier is a container for headingless text, not extra.
    extra = [s for s in leftover if s.get("line") is not None]
    extra += [s for s in headless if s.get("tier") is not None]

    if not narrative:
        tally.counts["negatives"] += 1
        tiers = [s.get("tier") for s in secs]
        if any(tier is not None for tier in tiers):
            tally.counts["negatives_with_tier"] += 1
            tally.miss(doc, "negative given a tier", f"expected no tier, got {tiers}")
    for s in extra:
        tally.counts["extra"] += 1
        tally.miss(
            doc,
            "extra section",
            f"expected none, got line {s.get('line')} {printed_country(s)!r} "
            f"tier {s.get('tier')!r}",
        )

    printed = {
        (KIND_ALIASES.get(str(p.get("kind")), p.get("kind")), p.get("line"))
        for s in secs
        for p in s.get("parts") or []
        if isinstance(p, dict) and not p.get("inferred")
    }
    for part in truth.get("parts") or []:
        found = (part["kind"], part["line"]) in printed
        got = sorted(f"{k}@{ln}" for k, ln in printed if ln == part["line"]) or "nothing there"
        add("parts", found, f"expected {part['kind']} at line {part['line']}, got {got}")

    want_year = truth.get("report_year")
    if narrative and want_year is not None:
        tally.counts["with_year"] += 1
        got_year = None if failed else meta.get("report_year")
        if got_year != want_year:
            tally.counts["missing_year"] += 1
            tally.miss(doc, "report year", f"expected {want_year!r}, got {got_year!r}")


def doc_id(path: Path) -> str:
    """The document's number (`029_source-year-country` -> `029`), else its stem."""
    head = path.stem.split("_", 1)[0]
    return head if head.isdigit() else path.stem


class CorpusError(Exception):
    """The folder is not a usable corpus (no docs/, a document without truth)."""


def score_corpus(corpus: Path, runner: Runner) -> Tally:
    """Run `runner` on every docs/*.txt and score it against truth/<stem>.json."""
    docs_dir, truth_dir = corpus / "docs", corpus / "truth"
    if not docs_dir.is_dir() or not truth_dir.is_dir():
        raise CorpusError(f"{corpus} has no docs/ and truth/ folders")
    tally = Tally()
    for path in sorted(docs_dir.glob("*.txt")):
        truth_path = truth_dir / f"{path.stem}.json"
        if not truth_path.is_file():
            raise CorpusError(f"{path.name} has no truth file {truth_path}")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        doc = doc_id(path)
        pred, error = runner(path)
        tally.counts["docs"] += 1
        if pred is None:
            tally.counts["failed"] += 1
            tally.miss(doc, "run failed", f"expected a report, got {error}")
        score_doc(doc, truth, pred, tally)
    if not tally.counts["docs"]:
        raise CorpusError(f"{docs_dir} holds no .txt documents")
    return tally


def tipconv_runner() -> tuple[Runner, str]:
    """Parse in this process with this checkout's tipconv (a subprocess per file is ~20x slower).

    A report carrying an internal error counts as a failed run, as `tipconv parse` then
    exits 70 without output.
    """
    sys.path.insert(0, str(ROOT))
    import tipconv  # here, not at the top: a run without a corpus never needs it

    def run(path: Path) -> tuple[dict[str, Any] | None, str | None]:
        try:
            report = tipconv.parse_file(path, encoding="auto")
        except Exception as exc:  # an unreadable input: this document scores nothing
            return None, f"{type(exc).__name__}: {exc}"
        if report.has_internal_error():
            internal = next(d for d in report.diagnostics if d.code == "internal_error")
            return None, internal.message
        data: dict[str, Any] = report.to_dict()
        return data, None

    return run, tipconv.__version__


@dataclass(frozen=True)
class Row:
    target: Target
    value: str
    passed: bool | None  # None: no target
    hit: int
    total: int | None


def rows(tally: Tally) -> list[Row]:
    """One row per target, rates as `hit/total pct%`, counts as `n` or `n/of`."""
    result: list[Row] = []
    counts = tally.counts
    of = {
        "negatives_with_tier": counts["negatives"],
        "missing_year": counts["with_year"],
        "failed": counts["docs"],
    }
    for target in TARGETS:
        if target.key in RATES:
            hit, total = tally.hit[target.key], tally.total[target.key]
            pct = 100 * hit / total if total else 100.0
            value = f"{hit}/{total} {pct:.1f}%" if total else "0/0 (none to find)"
            passed = None if target.minimum is None else pct >= target.minimum
            result.append(Row(target, value, passed, hit, total))
            continue
        count = counts[target.key]
        of_count = of.get(target.key)
        value = f"{count}/{of_count}" if of_count is not None else str(count)
        passed = None if target.maximum is None else count <= target.maximum
        result.append(Row(target, value, passed, count, of_count))
    return result


def _status(row: Row) -> str:
    return "" if row.passed is None else ("PASS" if row.passed else "FAIL")


def render_text(table: list[Row], heading: str) -> str:
    lines = [heading, f"{'measure':40} {'result':18} {'target':8} status"]
    for row in table:
        line = f"{row.target.label:40} {row.value:18} {row.target.text:8} {_status(row)}"
        lines.append(line.rstrip())
    return "\n".join(lines)


def render_markdown(table: list[Row], heading: str) -> str:
    lines = [heading, "", "| Measure | Result | Target | Status |", "|---|---|---|---|"]
    for row in table:
        lines.append(f"| {row.target.label} | {row.value} | {row.target.text} | {_status(row)} |")
    return "\n".join(lines)


def summary(tally: Tally) -> str:
    """score.py's SUMMARY line (comparable as is), then the report-year count."""
    parts = [f"{key} " + _rate(tally, key) for key in RATES]
    c = tally.counts
    return (
        f"SUMMARY {c['docs']} docs | {' | '.join(parts)} | negatives with tier "
        f"{c['negatives_with_tier']}/{c['negatives']} | extra sections {c['extra']} | "
        f"failed {c['failed']} | missing year {c['missing_year']}/{c['with_year']}"
    )


def _rate(tally: Tally, key: str) -> str:
    hit, total = tally.hit[key], tally.total[key]
    return f"{hit}/{total}" + (f" {100 * hit / total:.1f}%" if total else "")


def as_json(tally: Tally, table: list[Row], corpus: Path, version: str) -> dict[str, Any]:
    return {
        "corpus": str(corpus),
        "tipconv_version": version,
        "documents": tally.counts["docs"],
        "passed": all(row.passed is not False for row in table),
        "measures": [
            {
                "key": row.target.key,
                "label": row.target.label,
                "value": row.hit,
                "of": row.total,
                "target": row.target.text or None,
                "passed": row.passed,
            }
            for row in table
        ],
        "counts": dict(tally.counts),
        "misses": [{"doc": m.doc, "measure": m.measure, "detail": m.detail} for m in tally.misses],
    }


def main(argv: Sequence[str] | None = None, runner: Runner | None = None) -> int:
    """Exit 0, or 1 with --check when a target fails, or 2 when the corpus is unusable."""
    ap = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        epilog="A corpus is a folder with docs/NAME.txt (texts as found) and truth/NAME.json "
        "(hand-checked labels); see README.md, 'Accuracy on real copies'.",
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        help=f"corpus folder (default: {DEFAULT_CORPUS}, i.e. ../shared/corpus from the repo)",
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss, one line each")
    ap.add_argument("--check", action="store_true", help="exit 1 when any target fails")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the result as JSON")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = ap.parse_args(argv)

    corpus: Path = args.corpus if args.corpus is not None else DEFAULT_CORPUS
    if not corpus.is_dir():
        if args.corpus is not None:  # a path the user typed: a mistake, not a fresh clone
            print(f"accuracy: error: no corpus folder at {corpus}", file=sys.stderr)
            return 2
        print(
            f"accuracy: skipped, no corpus found at {corpus} (a folder with docs/*.txt and "
            "truth/*.json; put one there or pass --corpus DIR)"
        )
        return 0
    if runner is None:
        runner, version = tipconv_runner()
    else:
        version = "custom runner"
    try:
        tally = score_corpus(corpus, runner)
    except (CorpusError, OSError, ValueError) as exc:
        print(f"accuracy: error: {exc}", file=sys.stderr)
        return 2

    if args.verbose:
        print("\n".join(map(str, tally.misses)) if tally.misses else "no misses")
        print()
    table = rows(tally)
    heading = f"tipconv {version} on {tally.counts['docs']} documents of {corpus}"
    print(render_markdown(table, heading) if args.markdown else render_text(table, heading))
    print(summary(tally))
    result = as_json(tally, table, corpus, version)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and not result["passed"] else 0


if __name__ == "__main__":
    sys.exit(main())
