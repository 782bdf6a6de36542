#!/usr/bin/env python3
"""How well tipconv generalises: the real corpus re-scored on variants of every document.

The corpus's 52 copies cover 20 countries and some layouts; hidden copies will show others.
Each variant changes one thing a real copy could differ in, applies the same change to the
document's truth, and is scored with `bench/accuracy.py`'s measures:

- country: the narrative's country swapped for another (multi-word, comma, hyphen,
  apostrophe and abbreviated names), in the case each occurrence is printed in; in a copy
  without a heading or a subject, the country its text names most;
- year: every year in the copy shifted so the report year becomes one the corpus lacks;
- tier: the heading's tier words swapped for each other tier, in the heading's case;
- form: a plain heading printed in each era's and mirror's form (parentheses, colon, dash,
  brackets, capitals, a tab);
- title: a title printed in each title form of Refworld, ecoi.net, mirrors and pages;
- layout: trailing spaces, indentation, blank lines doubled, hard wraps at 72 and 95
  columns, NBSP after full stops, and as bytes CRLF, a BOM, Windows-1252 and UTF-16;
- cut: the copy cut at 1,700 to 600 characters, mid-line as real copies are cut.

A miss here that the corpus itself does not show is a rule fitted to the corpus's own
wording. Not a test: it prints every miss and one summary line per family.

    .venv/bin/python bench/variants.py                  # ../shared/corpus beside the checkout
    .venv/bin/python bench/variants.py --only layout -v
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy  # bench/ is not a package: this script puts it on sys.path

ROOT = accuracy.ROOT
# Names as TIP reports and their mirrors print them, chosen for their shapes.
COUNTRIES = (
    "Korea, North",
    "Congo, Democratic Republic of the",
    "Republic of the Congo",
    "Cote d'Ivoire",
    "C\u00f4te d\u2019Ivoire",
    "Bosnia and Herzegovina",
    "Timor-Leste",
    "The Gambia",
    "St. Vincent and the Grenadines",
    "Curaçao",
    "Kyrgyz Republic",
    "United Arab Emirates",
    "Guinea-Bissau",
    "Sao Tome and Principe",
    "Macau",
    "Burma",
    "South Sudan",
    "Micronesia",
    "El Salvador",
    "Trinidad and Tobago",
    "North Macedonia",
    "Cabo Verde",
    "Eswatini",
    "Chad",
    "Niger",
    "Oman",
    "Peru",
    "Guinea",
    "Dominica",
    "Georgia",
    "Jordan",
    "Turkey",
)
YEARS = (2016, 2017, 2019, 2023, 2024)
TIERS = (
    ("Tier 1", "1"),
    ("Tier 2", "2"),
    ("Tier 2 Watch List", "2WL"),
    ("Tier 3", "3"),
    ("Tier 3*", "3"),
)
_ANY_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20[0-3]\d)(?!\d)")
FAMILIES = ("country", "year", "tier", "form", "title", "layout", "cut")

Truth = dict[str, Any]
# One variant: its label, the text (or bytes, read as a file), and the truth it must give.
Variant = tuple[str, str | bytes, Truth]


def _substitute(pattern: re.Pattern[str], text: str, make: Callable[[str], str]) -> str:
    return pattern.sub(lambda found: make(found.group()), text)


def _in_case_of(new: str) -> Callable[[str], str]:
    """`new` in the case of what it replaces: capitals for a name printed in capitals."""
    return lambda old: new.upper() if old.isupper() else new


def _as_json_text(make: Callable[[str], str]) -> Callable[[str], str]:
    """`make`, its result escaped to stand inside a JSON string."""
    return lambda old: json.dumps(make(old))[1:-1]


def _swap_in_truth(truth: Truth, change: Callable[[str], str]) -> Truth:
    """The truth with `change` applied to every string in it (through its JSON text)."""
    changed: Truth = json.loads(change(json.dumps(truth, ensure_ascii=False)))
    return changed


def _most_named_country(text: str) -> set[str]:
    """The crosswalk spelling the text prints most often (as printed), if any."""
    from tipconv._country_data import COUNTRIES as KNOWN

    counts: dict[str, int] = {}
    for name, _, _, aliases in KNOWN:
        for spelling in (name, *aliases):
            found = len(re.findall(r"(?<!\w)" + re.escape(spelling) + r"(?!\w)", text))
            if found:
                counts[spelling] = found
    return {max(counts, key=lambda spelling: counts[spelling])} if counts else set()


def country_variants(text: str, truth: Truth) -> Iterator[Variant]:
    names = {s["country"] for s in truth.get("sections") or [] if s.get("country")}
    if truth.get("subject"):
        names.add(truth["subject"])
    if not truth.get("is_tip_narrative"):
        return
    if not names:  # a copy without a heading or a subject: the country its text names most
        names = _most_named_country(text)
    if not names:
        return
    forms = {form for name in names for form in (name, name.upper(), name.title())}
    for new in COUNTRIES:
        swapped_text, swapped_json = text, json.dumps(truth, ensure_ascii=False)
        for old in sorted(forms, key=len, reverse=True):
            pattern = re.compile(r"(?<!\w)" + re.escape(old) + r"(?!\w)")
            swapped_text = _substitute(pattern, swapped_text, _in_case_of(new))
            swapped_json = _substitute(pattern, swapped_json, _as_json_text(_in_case_of(new)))
        yield new, swapped_text, json.loads(swapped_json)


def year_variants(text: str, truth: Truth) -> Iterator[Variant]:
    year = truth.get("report_year")
    if not year:
        return
    for new in YEARS:
        # Every year moves by the same amount, so the copy's dates keep their order.
        def shift(found: str, by: int = new - year) -> str:
            return str(int(found) + by)

        shifted = _swap_in_truth(truth, lambda s: _substitute(_ANY_YEAR, s, shift))
        shifted["report_year"] = new
        yield str(new), _substitute(_ANY_YEAR, text, shift), shifted


def tier_variants(text: str, truth: Truth) -> Iterator[Variant]:
    lines = text.split("\n")
    for section in truth.get("sections") or []:
        label = section.get("tier_label")
        at = section["heading_line"] - 1
        if not label or "tier" not in label.lower() or label not in lines[at]:
            continue
        for words, tier in TIERS:
            printed = words.upper() if label.isupper() else words
            changed = list(lines)
            changed[at] = changed[at].replace(label, printed, 1)
            new_truth = json.loads(json.dumps(truth))
            for other in new_truth["sections"]:
                if other["heading_line"] == section["heading_line"]:
                    other.update(tier=tier, heading=changed[at], tier_label=printed)
            yield words, "\n".join(changed), new_truth


def _renumbered(truth: Truth, where: Callable[[int], int]) -> Truth:
    moved: Truth = json.loads(json.dumps(truth))
    for section in moved.get("sections") or []:
        section["heading_line"] = where(section["heading_line"])
    for part in moved.get("parts") or []:
        part["line"] = where(part["line"])
    return moved


def _wrapped(lines: list[str], width: int) -> tuple[list[str], Callable[[int], int]]:
    """Lines longer than `width` + 20 hard-wrapped at `width`; where each old line went."""
    out: list[str] = []
    starts: dict[int, int] = {}
    for number, line in enumerate(lines, 1):
        starts[number] = len(out) + 1
        if len(line) > width + 20:
            out += textwrap.wrap(line, width)
        else:
            out.append(line)
    return out, starts.__getitem__


def _doubled(lines: list[str]) -> tuple[list[str], Callable[[int], int]]:
    return [piece for line in lines for piece in (line, "")], lambda n: 2 * n - 1


def layout_variants(text: str, truth: Truth) -> Iterator[Variant]:
    lines = text.split("\n")

    def same(n: int) -> int:
        return n

    relaid: dict[str, tuple[list[str], Callable[[int], int]]] = {
        "trailing spaces": ([line + "   " if line else line for line in lines], same),
        "indented": (["    " + line if line.strip() else line for line in lines], same),
        "blank lines doubled": _doubled(lines),
        "wrapped at 72": _wrapped(lines, 72),
        "wrapped at 95": _wrapped(lines, 95),
        "NBSP after full stops": ([line.replace(". ", ".\u00a0 ", 3) for line in lines], same),
    }
    for name, (changed, where) in relaid.items():
        yield name, "\n".join(changed), _renumbered(truth, where)
    yield "CRLF", text.replace("\n", "\r\n").encode("utf-8"), truth
    yield "BOM", b"\xef\xbb\xbf" + text.encode("utf-8"), truth
    yield "UTF-16", text.encode("utf-16"), truth
    try:
        windows = text.encode("cp1252")
    except UnicodeEncodeError:
        return  # a copy with characters that code page lacks
    yield "Windows-1252", windows, truth


# The heading forms of the eras and of mirrors: {c} the country as printed, {t} the tier words.
HEADING_FORMS = (
    "{c} ({t})",
    "{c}: {t}",
    "{C}: {T}",
    "{C} ({t})",
    "{c} \u2013 {t}",
    "{C} - {T}",
    "{c} [{t}]",
    "{C}\t({t})",
)


def form_variants(text: str, truth: Truth) -> Iterator[Variant]:
    """A plain heading ("Country (Tier n)", "COUNTRY: Tier n") printed in each other form."""
    lines = text.split("\n")
    for section in truth.get("sections") or []:
        country, words = section.get("country"), section.get("tier_label")
        at = section["heading_line"] - 1
        plain = rf"\s*{re.escape(country or '')}\s*[(:]\s*{re.escape(words or '')}\)?\s*"
        if not country or not words or not re.fullmatch(plain, lines[at]):
            continue
        for form in HEADING_FORMS:
            printed = form.format(c=country, C=country.upper(), t=words, T=words.upper())
            changed = list(lines)
            changed[at] = printed
            new_truth = json.loads(json.dumps(truth))
            for other in new_truth["sections"]:
                if other["heading_line"] == section["heading_line"]:
                    other["heading"] = printed
                    other["country"] = country.upper() if "{C}" in form else country
            yield form, "\n".join(changed), new_truth


# The title forms of Refworld, ecoi.net, mirrors and pages: {y} the year, {s} the subject.
TITLE_FORMS = (
    "U.S. Department of State {y} Trafficking in Persons Report - {s}",
    "Trafficking in Persons Report {y} - {s}",
    "{y} Trafficking in Persons Report - {s}",
    "{y} Trafficking in Persons Report: {s}",
    "Trafficking in Persons Report {y} on {s}",
    "Trafficking in Persons Report {y} - Country Narratives - {s}",
    "{y} Trafficking in Persons Report \u2013 {s}",
    "Trafficking in Persons Report, June {y} - {s}",
    "{y} Trafficking in Persons Report: {s} - U.S. Embassy in {s}",
)


def title_variants(text: str, truth: Truth) -> Iterator[Variant]:
    """A title that names its year and subject printed in each other title form."""
    title, year, subject = truth.get("title"), truth.get("report_year"), truth.get("subject")
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if title and line.strip() == title.strip()), None)
    if at is None or not year or not subject:
        return
    for form in TITLE_FORMS:
        printed = form.format(y=year, s=subject)
        changed = list(lines)
        changed[at] = printed
        yield form, "\n".join(changed), {**truth, "title": printed}


CUTS = (1700, 1400, 1100, 800, 600)


def cut_variants(text: str, truth: Truth) -> Iterator[Variant]:
    """The copy cut shorter, as pasted and scraped copies are: what stood on the lines the
    cut removes or breaks leaves the truth; a cut before a heading, or a copy whose stated
    tier the cut may remove, is not made."""
    if truth.get("tier_stated_in_text"):
        return
    for size in CUTS:
        if size >= len(text):
            continue
        cut = text[:size]
        whole = cut.count("\n")  # the lines the cut leaves whole
        if any(s["heading_line"] > whole for s in truth.get("sections") or []):
            continue
        shorter: Truth = json.loads(json.dumps(truth))
        shorter["parts"] = [p for p in truth.get("parts") or [] if p["line"] <= whole]
        yield str(size), cut, shorter


MAKERS = {
    "country": country_variants,
    "year": year_variants,
    "tier": tier_variants,
    "form": form_variants,
    "title": title_variants,
    "layout": layout_variants,
    "cut": cut_variants,
}


def _report(variant: str | bytes, scratch: Path) -> dict[str, Any] | None:
    import tipconv

    if isinstance(variant, str):
        report = tipconv.parse(variant)
    else:
        scratch.write_bytes(variant)
        report = tipconv.parse_file(scratch, encoding="auto")
    if report.has_internal_error():
        return None
    data: dict[str, Any] = report.to_dict()
    return data


def score(corpus: Path, families: Sequence[str]) -> dict[str, accuracy.Tally]:
    sys.path.insert(0, str(ROOT))
    tallies = {family: accuracy.Tally() for family in families}
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "variant.txt"
        for path in sorted((corpus / "docs").glob("*.txt")):
            truth = json.loads((corpus / "truth" / f"{path.stem}.json").read_text("utf-8"))
            text = path.read_text(encoding="utf-8")
            for family in families:
                tally = tallies[family]
                for label, variant, expected in MAKERS[family](text, truth):
                    tally.counts["docs"] += 1
                    doc = f"{accuracy.doc_id(path)} ({label})"
                    accuracy.score_doc(doc, expected, _report(variant, scratch), tally)
    return tallies


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=accuracy.DEFAULT_CORPUS)
    parser.add_argument("--only", choices=FAMILIES, action="append", help="one family (repeat)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    options = parser.parse_args(argv)
    if not (options.corpus / "docs").is_dir():
        print(f"variants: no corpus at {options.corpus}; nothing to measure")
        return 0
    tallies = score(options.corpus, options.only or FAMILIES)
    for family, tally in tallies.items():
        if options.verbose:
            for miss in tally.misses:
                print(f"{family:8} {miss}")
        print(f"{family:8} {tally.counts['docs']:5} variants | {accuracy.summary(tally)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
