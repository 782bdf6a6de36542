"""Synthetic TIP narrative corpora for the benchmark, made from the fixtures.

Each narrative is a fixture that parses as exactly one tier-tagged country section, with the
country name and the tier swapped so that no two files in a run of templates are alike:

    bench/corpus/1000/2003/estonia-000117.txt
    bench/corpus/1000/2004/hong-kong-000118.txt

Files sit in one folder per report year. A finished corpus is recorded in a marker beside its
folder (`1000.complete.json`, not inside it, so that a converter walking the folder never sees
it) and reused by later runs.

    python bench/make_corpus.py --size 1000 --out bench/corpus
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PRIMARY_FIXTURE = FIXTURES / "refworld-2003-hong-kong.txt"
GENERATOR_VERSION = 1  # bump when the output of `narrative` changes

TIERS = ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3")
FIRST_YEAR = 2001
YEARS = 23  # 2001-2023

# Used only when the installed tipconv has no country table to borrow names from.
_FALLBACK_COUNTRIES = (
    "Albania",
    "Bolivia",
    "Cambodia",
    "Denmark",
    "Ecuador",
    "Fiji",
    "Ghana",
    "Honduras",
    "Indonesia",
    "Jordan",
    "Kenya",
    "Laos",
    "Malawi",
    "Nepal",
    "Oman",
    "Peru",
)


@dataclass(frozen=True)
class Template:
    """A fixture with one section: where its heading is and which words to swap."""

    name: str
    text: str
    heading_index: int  # 0-based line of the heading
    country: str
    tier_words: str


def load_templates(fixtures: Path = FIXTURES) -> list[Template]:
    """Fixtures that parse as one clean section with a one-line heading, primary first."""
    from tipconv.reading import parse_file

    paths = sorted(fixtures.glob("*.txt"), key=lambda p: (p != PRIMARY_FIXTURE, p.name))
    templates: list[Template] = []
    for path in paths:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if "\r" in text or text.startswith("\ufeff"):
            continue  # keep the swap simple: LF-only, no BOM
        report = parse_file(path)
        if len(report.sections) != 1:
            continue
        section = report.sections[0]
        if not (section.heading and section.line and section.country and section.tier_label):
            continue
        if section.tier is None or section.tier.value == "special_case":
            continue
        lines = text.split("\n")
        index = section.line - 1
        if lines[index].strip() != section.heading or section.tier_label not in section.heading:
            continue  # split or letter-spaced heading: not a plain template
        if section.country not in section.heading:
            continue
        templates.append(Template(path.name, text, index, section.country, section.tier_label))
    if not templates:
        raise SystemExit(f"make_corpus: no usable template among {fixtures}/*.txt")
    return templates


def country_names() -> list[str]:
    try:
        from tipconv.countries import all_countries
    except ImportError:
        return list(_FALLBACK_COUNTRIES)
    return [row.name for row in all_countries() if row.name.isascii()]


def _styled(words: str, like: str) -> str:
    """`words` in the letter case of `like` ("HONG KONG" -> "ESTONIA")."""
    return words.upper() if like.isupper() else words


def narrative(template: Template, country: str, tier: str) -> str:
    """The template with its country and tier replaced everywhere they are printed."""
    text = template.text
    old_tier = template.tier_words
    new_tier = _styled(tier, old_tier)
    # "Tier 2" must not eat the start of "Tier 2 Watch List".
    tier_pattern = re.compile(re.escape(old_tier) + r"\b(?!\s*[-\u2013]?\s*watch)", re.IGNORECASE)
    text = tier_pattern.sub(lambda _match: new_tier, text)
    for old in {template.country, template.country.upper()}:
        text = text.replace(old, _styled(country, old))
    return text


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x"


def plan(size: int, templates: list[Template], names: list[str]) -> Iterator[tuple[Path, str]]:
    """(relative path, text) for each narrative: templates, countries and tiers all rotate."""
    for number in range(size):
        template = templates[number % len(templates)]
        country = names[(number * 7919) % len(names)]  # a prime stride spreads the names
        tier = TIERS[(number // len(templates)) % len(TIERS)]
        year = FIRST_YEAR + number % YEARS
        path = Path(str(year)) / f"{slug(country)}-{number:06d}.txt"
        yield path, narrative(template, country, tier)


def _fingerprint(templates: list[Template], names: list[str]) -> str:
    digest = hashlib.sha256(str(GENERATOR_VERSION).encode())
    for template in templates:
        digest.update(template.name.encode())
        digest.update(template.text.encode())
    digest.update("\n".join(names).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Corpus:
    path: Path
    files: int
    bytes: int
    templates: int
    reused: bool


def ensure_corpus(size: int, out: Path, *, quiet: bool = False) -> Corpus:
    """Build `out/<size>/` (or reuse it when its marker matches) and describe it."""
    templates = load_templates()
    names = country_names()
    fingerprint = _fingerprint(templates, names)
    folder = out / str(size)
    marker = out / f"{size}.complete.json"
    if marker.exists() and folder.is_dir():
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            info = {}
        if info.get("fingerprint") == fingerprint and info.get("files") == size:
            return Corpus(folder, size, int(info["bytes"]), len(templates), True)
    marker.unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    if not quiet:
        print(f"make_corpus: writing {size:,} narratives to {folder} ...", file=sys.stderr)
    total = 0
    made: set[Path] = set()
    for relative, text in plan(size, templates, names):
        path = folder / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    info = {"files": size, "bytes": total, "fingerprint": fingerprint, "templates": len(templates)}
    marker.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return Corpus(folder, size, total, len(templates), False)


def check_sample(corpus: Corpus, sample: int = 50) -> list[str]:
    """Parse a few generated files; say where the swap did not give the intended section."""
    from tipconv.reading import parse_file

    problems: list[str] = []
    templates = load_templates()
    names = country_names()
    step = max(1, corpus.files // sample)
    for number, (relative, _) in enumerate(plan(corpus.files, templates, names)):
        if number % step:
            continue
        report = parse_file(corpus.path / relative)
        tier = TIERS[(number // len(templates)) % len(TIERS)]
        sections = report.sections
        if len(sections) != 1 or sections[0].tier is None or sections[0].tier.label != tier:
            problems.append(f"{relative}: expected one {tier} section")
    return problems


# --- web pages ------------------------------------------------------------------------------

PAGE_FIXTURE = FIXTURES / "html" / "stategov-2022-peru.html"


def html_pages(folder: Path, count: int) -> Corpus:
    """`count` state.gov-like country pages in `folder` (the 2022 page fixture, its country
    and tier replaced): what `convert` of a folder of saved pages reads."""
    template = PAGE_FIXTURE.read_text(encoding="utf-8")
    names = country_names()
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for number in range(count):
        country = names[(number * 7919) % len(names)]
        tier = TIERS[number % len(TIERS)]
        text = template.replace("PERU", country.upper()).replace("Peru", country)
        text = text.replace("Tier&nbsp;2", tier).replace("Tier 2", tier)
        data = text.encode("utf-8")
        (folder / f"{slug(country)}-{number:06d}.html").write_bytes(data)
        written += len(data)
    return Corpus(folder, count, written, 1, False)


# --- hostile inputs -------------------------------------------------------------------------


def one_line_file(path: Path, size_bytes: int) -> int:
    """The primary fixture's words repeated on one line of `size_bytes`, no final newline."""
    words = " ".join(PRIMARY_FIXTURE.read_text(encoding="utf-8").split()) + " "
    chunk = (words * (1 + (1 << 20) // len(words))).encode("utf-8")
    written = 0
    with path.open("wb") as handle:
        while written < size_bytes:
            piece = chunk[: size_bytes - written]
            handle.write(piece)
            written += len(piece)
    return written


def many_lines_file(path: Path, line_count: int) -> int:
    """The primary fixture's words hard-wrapped at 70 columns with no blank line, `line_count`
    lines: a PDF extraction that lost its paragraph breaks, so one paragraph runs on and on.
    """
    words = " ".join(PRIMARY_FIXTURE.read_text(encoding="utf-8").split())
    lines = textwrap.wrap(words, 70)
    block = ("\n".join(lines) + "\n").encode("utf-8")
    written = 0
    with path.open("wb") as handle:
        full, rest = divmod(line_count, len(lines))
        for _ in range(full):
            handle.write(block)
            written += len(block)
        tail = ("\n".join(lines[:rest]) + "\n").encode("utf-8") if rest else b""
        handle.write(tail)
        written += len(tail)
    return written


def short_lines_file(path: Path, line_count: int) -> int:
    """`line_count` short numbered lines (`line 7 text.`): the most tokens for the fewest
    bytes, so what the parser keeps per line shows as memory against the input's size.
    """
    written = 0
    with path.open("wb") as handle:
        for start in range(0, line_count, 100_000):
            chunk = "".join(
                f"line {i} text.\n" for i in range(start, min(start + 100_000, line_count))
            ).encode("ascii")
            handle.write(chunk)
            written += len(chunk)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, action="append", required=True, help="narratives")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "corpus")
    parser.add_argument("--check", action="store_true", help="parse a sample and report")
    args = parser.parse_args(argv)
    for size in args.size:
        corpus = ensure_corpus(size, args.out)
        state = "reused" if corpus.reused else "written"
        print(f"{corpus.path}: {corpus.files:,} files, {corpus.bytes / 1e6:.1f} MB ({state})")
        if args.check:
            for problem in check_sample(corpus):
                print(f"  {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
