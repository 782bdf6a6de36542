"""What one narrative says that the other does not: the tier change, then part by part, the
sentences added, removed, kept, and changed.

    tipconv diff 2017/burma.txt 2018/burma.txt             # coloured on a terminal
    tipconv diff old.txt new.txt --to json                  # or md

Parts are compared kind by kind, in the model's order (profile, assessment, summary,
recommendations, prosecution, protection, prevention, trafficking profile, ...); a kind
that only one narrative has shows all its sentences added or removed. Within a kind,
sentences (see `sentences.split`) are matched in three passes:

1. identical sentences in the same order (difflib's longest matching blocks): kept;
2. identical sentences that moved within the part: kept;
3. of the rest, the most similar old/new pair first, while their similarity (difflib's
   ratio over words and stops, every number alike: see `similarity_words`) is at least
   `THRESHOLD`: changed, shown word by word.

What is left is removed or added. A sentence's `line` is where its paragraph starts in the
file: the sentence's own line in every copy whose paragraphs are one line each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import InputError, UsageError
from ..model import PART_KINDS, Tier
from ..writers._markdown import escape_line
from ..writers._panel import change_between
from . import screen
from .names import Target, target
from .screen import Line
from .sentences import split

if TYPE_CHECKING:
    from ..model import Report, Section

TO = ("text", "json", "md")
STATUSES = ("kept", "changed", "added", "removed")
# Similarity from which a removed and an added sentence are one changed sentence. New
# figures alone leave a sentence at 1.0; "Authorities identified 116 victims, including 20
# adults, and referred them to NGO shelters." against "Authorities identified 187 victims
# and referred all of them to care." is 0.64; two sentences that share only a subject and
# stock words ("The government identified ... victims ...") stay near 0.4.
THRESHOLD = 0.6
_TOKENS = re.compile(r"\w+\s*|[^\w\s]+\s*|\s+")
_TOKENS_BARE = re.compile(r"\w+|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class Sentence:
    line: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text}


@dataclass(frozen=True, slots=True)
class Change:
    """One sentence's fate: kept, changed (both sides), added (new only), removed (old only)."""

    status: str
    old: Sentence | None
    new: Sentence | None
    ratio: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
        }


@dataclass(frozen=True, slots=True)
class PartDiff:
    kind: str
    changes: tuple[Change, ...]

    def counts(self) -> dict[str, int]:
        return _counts(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "counts": self.counts(),
            "sentences": [change.to_dict() for change in self.changes],
        }


@dataclass(frozen=True, slots=True)
class Side:
    """Which narrative one side of the diff is."""

    path: str | None
    country: str | None
    country_printed: str | None
    iso3: str | None
    report_year: int | None
    tier: str | None
    tier_printed: str | None
    line: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "country": self.country,
            "country_printed": self.country_printed,
            "iso3": self.iso3,
            "report_year": self.report_year,
            "tier": self.tier,
            "tier_label": _tier_words(self.tier),
            "tier_printed": self.tier_printed,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class Diff:
    old: Side
    new: Side
    change: str | None  # the panel's up / down / same; None when a tier is unknown
    parts: tuple[PartDiff, ...]

    @property
    def same_country(self) -> bool:
        return _identity(self.old) == _identity(self.new)

    def counts(self) -> dict[str, int]:
        return _counts([change for part in self.parts for change in part.changes])

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "same_country": self.same_country,
            "tier": {"old": self.old.tier, "new": self.new.tier, "change": self.change},
            "threshold": THRESHOLD,
            "counts": self.counts(),
            "parts": [part.to_dict() for part in self.parts],
        }


@dataclass(frozen=True, slots=True)
class DiffRequest:
    """The `diff` command's choices."""

    to: str = "text"
    output: str | None = None
    country: str | None = None
    kept: bool = False
    no_color: bool = False
    encoding: str | None = None


def run(old: str, new: str, request: DiffRequest, *, warn: Callable[[str], None]) -> None:
    """Read both narratives, compare them, write the difference."""
    import os

    from ..output import check_output, open_output
    from ..reading import parse_file
    from .sources import check_encoding

    if old == "-" and new == "-":
        raise UsageError(None, "only one of OLD and NEW can be - (stdin)")
    if request.output is not None:
        check_output(request.output)
        for which, path in (("OLD", old), ("NEW", new)):
            if (
                path != "-"
                and os.path.exists(request.output)
                and os.path.samefile(path, request.output)
            ):
                raise UsageError(
                    None, f"-o {request.output} is {which} {path}: it would be overwritten"
                )
    check_encoding(request.encoding)
    wanted = target(request.country) if request.country is not None else None
    reports = [parse_file(path, encoding=request.encoding) for path in (old, new)]
    diff = compare(*reports, wanted=wanted, warn=warn)
    if request.to == "text":
        color = screen.use_color(request.output, forbidden=request.no_color)
        screen.show(layout(diff, kept=request.kept), request.output, color)
        return
    with open_output(request.output) as out:
        if request.to == "json":
            json.dump(diff.to_dict(), out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            write_markdown(diff, out, kept=request.kept)


def compare(
    old: Report,
    new: Report,
    *,
    wanted: Target | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> Diff:
    """The difference between one country's narrative in `old` and in `new`."""
    sides = []
    sections = []
    for which, report in (("OLD", old), ("NEW", new)):
        section = _section(report, wanted, which)
        sections.append(section)
        sides.append(
            Side(
                report.source.path,
                section.country or report.metadata.subject,
                section.country_printed,
                section.iso3,
                report.metadata.report_year,
                section.tier.value if section.tier else None,
                section.tier_printed,
                section.line,
            )
        )
    before, after = sides
    if _identity(before) != _identity(after):
        warn(
            f"OLD is about {before.country or 'an unnamed country'}, NEW about "
            f"{after.country or 'an unnamed country'}: compared all the same"
        )
    if before.report_year and after.report_year and before.report_year > after.report_year:
        warn(f"OLD is the {before.report_year} report, NEW the {after.report_year}: swapped?")
    change = change_between(before.tier, Tier(after.tier) if after.tier else None)
    old_parts, new_parts = _sentences(sections[0]), _sentences(sections[1])
    parts = tuple(
        PartDiff(kind, tuple(match(old_parts.get(kind, []), new_parts.get(kind, []))))
        for kind in PART_KINDS
        if kind in old_parts or kind in new_parts
    )
    return Diff(before, after, change, parts)


def _section(report: Report, wanted: Target | None, which: str) -> Section:
    """The section a side compares: the one asked for, or the file's only one."""
    path = report.source.path or "<stdin>"
    sections = report.sections
    if wanted is not None:
        sections = tuple(s for s in sections if wanted.matches(s.iso3, s.country))
        if not sections:
            raise UsageError(None, f"{which} {path}: no narrative of {wanted.name}")
        return sections[0]
    if not sections:
        raise InputError(report.source.path, "no country narrative found")
    if len(sections) > 1:
        names = ", ".join(s.country or "?" for s in sections[:5])
        raise UsageError(
            None,
            f"{which} {path} holds {len(sections)} narratives ({names}); pick one with --country",
        )
    return sections[0]


def _identity(side: Side) -> str:
    return side.iso3 or " ".join((side.country or "").split()).casefold()


def _sentences(section: Section) -> dict[str, list[Sentence]]:
    """The section's sentences by part kind, in order (a kind's parts run together)."""
    by_kind: dict[str, list[Sentence]] = {}
    for part in section.parts:
        sentences = by_kind.setdefault(part.kind, [])
        for paragraph in part.paragraphs:
            sentences.extend(Sentence(paragraph.line, text) for text in split(paragraph.text))
    return by_kind


def match(old: Sequence[Sentence], new: Sequence[Sentence]) -> list[Change]:
    """Pair `old` and `new` sentences (see the module docstring), in reading order."""
    pairs: dict[int, tuple[int, str, float | None]] = {}  # old index -> new index, how
    old_texts, new_texts = [s.text for s in old], [s.text for s in new]
    blocks = SequenceMatcher(None, old_texts, new_texts, autojunk=False).get_matching_blocks()
    for block in blocks:
        for offset in range(block.size):
            pairs[block.a + offset] = (block.b + offset, "kept", None)
    taken = {j for j, _, _ in pairs.values()}
    waiting: dict[str, list[int]] = {}
    for j, text in enumerate(new_texts):
        if j not in taken:
            waiting.setdefault(text, []).append(j)
    for i, text in enumerate(old_texts):
        if i not in pairs and waiting.get(text):
            j = waiting[text].pop(0)
            pairs[i] = (j, "kept", None)
            taken.add(j)
    for ratio, i, j in _similar(old_texts, new_texts, set(pairs), taken):
        if i not in pairs and j not in taken:
            pairs[i] = (j, "changed", ratio)
            taken.add(j)
    return _in_order(old, new, pairs, taken)


def _similar(
    old: list[str], new: list[str], paired: set[int], taken: set[int]
) -> list[tuple[float, int, int]]:
    """Unpaired (old, new) pairs at least THRESHOLD alike, the most alike first."""
    free_old = [i for i in range(len(old)) if i not in paired]
    free_new = [j for j in range(len(new)) if j not in taken]
    if not free_old or not free_new:
        return []
    words = {i: similarity_words(old[i]) for i in free_old}
    found: list[tuple[float, int, int]] = []
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    for j in free_new:
        matcher.set_seq2(similarity_words(new[j]))  # difflib caches the second
        for i in free_old:
            matcher.set_seq1(words[i])
            if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= THRESHOLD:
                found.append((ratio, i, j))
    found.sort(key=lambda item: (-item[0], item[1], item[2]))
    return found


def _in_order(
    old: Sequence[Sentence],
    new: Sequence[Sentence],
    pairs: dict[int, tuple[int, str, float | None]],
    taken: set[int],
) -> list[Change]:
    """Changes in the new text's order; a removed sentence just after its old predecessor."""
    keyed: list[tuple[tuple[int, int, int], Change]] = []
    by_new = {j: (i, how, ratio) for i, (j, how, ratio) in pairs.items()}
    for j, sentence in enumerate(new):
        if j in by_new:
            i, how, ratio = by_new[j]
            keyed.append(((j, 1, 0), Change(how, old[i], sentence, ratio)))
        else:
            keyed.append(((j, 1, 0), Change("added", None, sentence)))
    for i, sentence in enumerate(old):
        if i in pairs:
            continue
        before = next((pairs[k][0] for k in range(i - 1, -1, -1) if k in pairs), -1)
        keyed.append(((before, 2, i), Change("removed", sentence, None)))
    keyed.sort(key=lambda item: item[0])
    return [change for _, change in keyed]


def _counts(changes: Sequence[Change]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for change in changes:
        counts[change.status] += 1
    return counts


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """`old` -> `new` word by word: runs of ("=", same), ("-", removed), ("+", added).

    A run keeps its text's own spacing (new's for "="), so joined they read as written;
    punctuation is a word of its own, so "traffickers." against "traffickers;" changes
    only the stop.
    """
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = SequenceMatcher(
        None, [t.rstrip() for t in a], [t.rstrip() for t in b], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            runs.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", "".join(b[j1:j2])))
    return runs


def similarity_words(text: str) -> list[str]:
    """What `THRESHOLD` compares: words and stops, case-folded, every number alike.

    A report updates its figures every year ("convicted 48" -> "convicted 52"); a sentence
    that changed only in them is the same sentence.
    """
    return _TOKENS_BARE.findall(_NUMBER.sub("0", text.casefold()))


# --- rendering ----------------------------------------------------------------------------

_MARKS = {"kept": "=", "changed": "~", "added": "+", "removed": "-"}
_RUN_STYLES = {"=": None, "-": "deleted", "+": "inserted"}


def _tier_words(tier: str | None) -> str:
    return Tier(tier).label if tier else "no tier found"


def _title(diff: Diff) -> str:
    old, new = diff.old, diff.new
    if diff.same_country:
        return f"{new.country}: {old.report_year or '?'} → {new.report_year or '?'}"
    return f"{old.country} {old.report_year or '?'} → {new.country} {new.report_year or '?'}"


def _tier_text(diff: Diff) -> str:
    text = f"{_tier_words(diff.old.tier)} → {_tier_words(diff.new.tier)}"
    return f"{text} ({diff.change})" if diff.change else text


def _count_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[status]} {status}" for status in STATUSES if counts[status])


def _where(change: Change, unit: str = "") -> str:
    """Where a change stands: both line numbers, or the one side it has."""
    if change.old and change.new:
        return f"{unit}{change.old.line} → {change.new.line}"
    if change.old:
        return f"old {unit}{change.old.line}"
    assert change.new is not None
    return f"new {unit}{change.new.line}"


def layout(diff: Diff, *, kept: bool = False) -> list[Line]:
    """The diff as styled lines: a heading, then each part's changed sentences."""
    lines: list[Line] = [
        [(_title(diff), "title")],
        [("old ", "dim"), (diff.old.path or "<stdin>", "path")],
        [("new ", "dim"), (diff.new.path or "<stdin>", "path")],
        [
            ("tier ", "dim"),
            (_tier_text(diff), diff.change if diff.change in ("up", "down") else None),
        ],
        [("sentences ", "dim"), (_count_text(diff.counts()) or "none", None)],
    ]
    for part in diff.parts:
        lines += [
            [],
            [(part.kind.replace("_", " "), "header"), (": " + _count_text(part.counts()), "dim")],
        ]
        for change in part.changes:
            if change.status == "kept" and not kept:
                continue
            line: Line = [
                (f"{_MARKS[change.status]} ", change.status),
                (f"{_where(change)}: ", "dim"),
            ]
            if change.status == "changed":
                assert change.old is not None and change.new is not None
                for op, text in marked_runs(change.old.text, change.new.text):
                    line.append((_PLAIN_RUN[op].format(text), _RUN_STYLES[op]))
            else:
                sentence = change.new or change.old
                assert sentence is not None
                line.append((sentence.text, change.status if change.status != "kept" else "kept"))
            lines.append(line)
    return lines


# Plain text marks a changed sentence's words as wdiff and `git diff --word-diff` do.
_PLAIN_RUN = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}


def write_markdown(diff: Diff, out: TextIO, *, kept: bool = False) -> None:
    out.write(f"# {escape_line(_title(diff))}\n\n")
    out.write("| | old | new |\n|---|---|---|\n")
    rows = (
        ("file", diff.old.path or "<stdin>", diff.new.path or "<stdin>"),
        ("country", diff.old.country or "", diff.new.country or ""),
        ("year", str(diff.old.report_year or ""), str(diff.new.report_year or "")),
        ("tier", _tier_words(diff.old.tier), _tier_words(diff.new.tier)),
        ("heading line", str(diff.old.line or ""), str(diff.new.line or "")),
    )
    for label, before, after in rows:
        out.write(f"| {label} | {escape_line(before)} | {escape_line(after)} |\n")
    out.write(f"\n**Tier:** {escape_line(_tier_text(diff))}. ")
    out.write(f"**Sentences:** {_count_text(diff.counts()) or 'none'}.\n")
    for part in diff.parts:
        title = part.kind.replace("_", " ").capitalize()
        out.write(f"\n## {title}\n\n{_count_text(part.counts())}\n")
        items = [c for c in part.changes if kept or c.status != "kept"]
        if items:
            out.write("\n")
        for change in items:
            out.write(f"- **{change.status}** ({_where(change, 'line ')}): {_md_text(change)}\n")


def _md_text(change: Change) -> str:
    if change.status != "changed":
        sentence = change.new or change.old
        assert sentence is not None
        return escape_line(sentence.text)
    assert change.old is not None and change.new is not None
    marks = {"=": "{}", "-": "~~{}~~", "+": "**{}**"}
    runs = marked_runs(change.old.text, change.new.text)
    return "".join(
        marks[op].format(escape_line(text) if op != "=" else _md_plain(text)) for op, text in runs
    )


def _md_plain(text: str) -> str:
    """Escaped like `escape_line`, but keeping the spaces at either end that separate runs."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core[0])
    return text[:start] + escape_line(core) + text[start + len(core) :]


def marked_runs(old: str, new: str) -> list[tuple[str, str]]:
    """`word_diff` ready to show: a marked run ("-", "+") without spacing inside its marks,
    and a space wherever two words or two marked runs would otherwise touch."""
    runs: list[tuple[str, str]] = []
    for op, text in word_diff(old, new):
        core = text.strip() if op != "=" else text
        if not core:
            continue
        if runs:
            before = runs[-1][1]
            touching = not before[-1].isspace() and not core[0].isspace()
            words = before[-1].isalnum() and core[0].isalnum()
            if touching and (words or (op != "=" and runs[-1][0] != "=")):
                runs.append(("=", " "))
        runs.append((op, core))
        tail = text[len(text.rstrip()) :] if op != "=" else ""
        if tail:
            runs.append(("=", tail))
    return runs
