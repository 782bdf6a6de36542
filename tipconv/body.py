"""The text under one heading: paragraphs, the parts they form, and the stated tier."""

# No `from __future__ import annotations` here: typing.NamedTuple would compile every
# string annotation into a ForwardRef, a cost paid at each start-up.
from collections.abc import Iterator
from typing import NamedTuple

from .header import is_chrome
from .model import Diagnostic, Level, Paragraph, Part, TierStatement
from .patterns import (
    HEADING_LINE,
    PLACEMENT_TIER_AT,
    PLACEMENT_VERB_BEFORE,
    THEREFORE_COUNTRY,
    TIER_STATEMENT,
    is_assessment_sentence,
    is_profile_sentence,
    match_run_in,
    part_kind,
    tier_from_words,
)
from .text import line_ranges

# A line at least this long is a whole paragraph, never a hard-wrapped piece of one.
_UNWRAPPED_LENGTH = 200
_BULLET = "\u2022"
_HEADING_INITIALS = frozenset("PpRrTtGgSs")
_SENTENCE_END = (".", "!", "?", ":", '"', "\u201d", "\u2019", ")")
# The parts whose headings 2003 Refworld copies lost, in each era's printed order.
_STRIPPED_ORDER_2003 = ("prevention", "prosecution", "protection")
_STRIPPED_ORDER_LATER = ("prosecution", "protection", "prevention")


class _Element(NamedTuple):
    """A paragraph (with the blank lines before it) or a heading line, in body order."""

    paragraph: Paragraph | None
    heading: str | None
    line: int
    gap: int
    kind: str | None = None  # a heading line's part kind, found when the line was matched


class SectionBody(NamedTuple):
    paragraphs: tuple[Paragraph, ...]
    parts: tuple[Part, ...]
    tier_stated: TierStatement | None
    tier_stated_explicit: bool
    stated_country: str | None

    def looks_like_narrative(self) -> bool:
        """A profile or assessment sentence somewhere (asked only of headingless text)."""
        return any(
            is_assessment_sentence(p.text) or is_profile_sentence(p.text) for p in self.paragraphs
        )


class _PartBuilder:
    """A part while its paragraphs are being collected."""

    __slots__ = ("heading", "inferred", "kind", "line", "paragraphs")

    def __init__(self, kind: str, heading: str | None, line: int, inferred: bool) -> None:
        self.kind = kind
        self.heading = heading
        self.line = line
        self.inferred = inferred
        self.paragraphs: list[Paragraph] = []

    def build(self) -> Part:
        items = _bullet_items(self.paragraphs) if self.kind == "recommendations" else ()
        return Part(
            self.kind, self.heading, self.line, self.inferred, tuple(self.paragraphs), items
        )


def read_body(
    lines: list[str], start: int, end: int, year: int | None, diagnostics: list[Diagnostic]
) -> SectionBody:
    elements = _elements(lines, start, end, diagnostics)
    paragraphs = tuple(e.paragraph for e in elements if e.paragraph is not None)
    parts = _parts(elements, year, diagnostics)
    stated, explicit, country = _tier_statement(paragraphs)
    return SectionBody(paragraphs, parts, stated, explicit, country)


def _elements(
    lines: list[str], start: int, end: int, diagnostics: list[Diagnostic]
) -> list[_Element]:
    """Group lines into paragraphs and heading lines; skip site chrome."""
    elements: list[_Element] = []
    block: list[int] = []
    gap = 0
    block_gap = 0
    chrome: list[int] = []
    in_chrome = False
    wrapped = 0

    def flush() -> None:
        nonlocal wrapped, block
        if len(block) == 1:  # the usual case: a web copy prints each paragraph on one line
            number = block[0] + 1
            paragraph = Paragraph(number, lines[block[0]].strip())
            elements.append(_Element(paragraph, None, number, block_gap))
            block = []
        elif block:
            pieces = _split_block(lines, block)
            wrapped += sum(1 for piece in pieces if len(piece) > 1)
            for number, piece in enumerate(pieces):
                text = _join(lines, piece)
                elements.append(
                    _Element(
                        Paragraph(piece[0] + 1, text),
                        None,
                        piece[0] + 1,
                        block_gap if number == 0 else 0,
                    )
                )
            block = []

    for index in range(start, end):
        line = lines[index].strip()
        if not line:
            if block:
                flush()
            gap += 1
            continue
        if is_chrome(line) or (in_chrome and _is_link_like(line)):
            flush()
            chrome.append(index)
            in_chrome = True
            continue
        in_chrome = False
        # Every part heading starts with one of these letters: most lines skip the pattern.
        heading = (
            HEADING_LINE.fullmatch(line)
            if len(line) <= 90 and line[0] in _HEADING_INITIALS
            else None
        )
        if heading:
            flush()
            kind = part_kind(heading.group("heading"))
            elements.append(_Element(None, line.rstrip(":").strip(), index + 1, gap, kind))
            gap = 0
            continue
        if not block:
            block_gap = gap
        elif line.startswith(_BULLET):
            flush()
            block_gap = 0
        block.append(index)
        gap = 0
    flush()
    if chrome:
        diagnostics.append(
            Diagnostic(
                Level.INFO,
                "site_chrome",
                chrome[0] + 1,
                f"skipped site chrome (links, sharing, footer) on {line_ranges(chrome)}",
            )
        )
    if wrapped:
        diagnostics.append(
            Diagnostic(
                Level.INFO,
                "hard_wrap_joined",
                start + 1,
                f"rejoined {wrapped} hard-wrapped paragraph(s)",
            )
        )
    return elements


def _is_link_like(line: str) -> bool:
    """A line in a link list: short, and not a sentence."""
    return len(line) < 120 and not line.endswith((".", "!", "?"))


def _split_block(lines: list[str], block: list[int]) -> list[list[int]]:
    """Split consecutive non-blank lines into paragraphs.

    Copies with one paragraph per line (Refworld) have long lines: each is a paragraph.
    Hard-wrapped copies (PDF, e-mail) have lines of about one width: a paragraph ends on a
    line that finishes a sentence well short of that width.
    """
    if len(block) == 1:
        return [block]
    widths = [len(lines[i]) for i in block]
    width = max(widths)
    if width >= _UNWRAPPED_LENGTH:
        return [[i] for i in block]
    pieces: list[list[int]] = [[]]
    for index in block:
        line = lines[index].strip()
        if line.startswith(_BULLET) and pieces[-1]:
            pieces.append([])
        pieces[-1].append(index)
        if line.endswith(_SENTENCE_END) and len(line) < 0.75 * width:
            pieces.append([])
    return [piece for piece in pieces if piece]


def _join(lines: list[str], piece: list[int]) -> str:
    first = lines[piece[0]].strip()
    # Collect and join once: growing one string line by line is quadratic on 1M-line blocks.
    pieces = [first]
    tail = first[-2:]
    for index in piece[1:]:
        line = lines[index].strip()
        # "anti-" + "trafficking": a line-end hyphen stays and joins without a space.
        glue = "" if tail.endswith("-") and tail[-2:-1].isalpha() else " "
        pieces.append(glue)  # glue and line apart: no new string per line of a huge block
        pieces.append(line)
        tail = line[-2:] if len(line) > 1 else (tail + glue + line)[-2:]
    return "".join(pieces)


def _parts(
    elements: list[_Element], year: int | None, diagnostics: list[Diagnostic]
) -> tuple[Part, ...]:
    printed_lines = any(e.heading is not None for e in elements)
    run_ins = [match_run_in(e.paragraph.text) if e.paragraph else None for e in elements]
    stripped = _stripped_gaps(elements) if not (printed_lines or any(run_ins)) else []
    order = _STRIPPED_ORDER_2003 if year is None or year <= 2003 else _STRIPPED_ORDER_LATER
    stripped_kinds = dict(zip(stripped, order, strict=False))
    if stripped_kinds:
        names = ", ".join(stripped_kinds.values())
        diagnostics.append(
            Diagnostic(
                Level.INFO,
                "parts_inferred",
                elements[stripped[0]].line,
                f"{names} inferred from double blank lines where this copy lost the part headings",
            )
        )
    parts: list[_PartBuilder] = []
    for position, element in enumerate(elements):
        current = parts[-1] if parts else None
        if element.kind is not None:
            parts.append(_PartBuilder(element.kind, element.heading, element.line, False))
            continue
        paragraph = element.paragraph
        assert paragraph is not None
        run_in = run_ins[position]
        if run_in:
            words = " ".join(run_in.group("heading").split())
            parts.append(_PartBuilder(part_kind(words), words, paragraph.line, False))
        elif position in stripped_kinds:
            parts.append(_PartBuilder(stripped_kinds[position], None, paragraph.line, True))
        elif current is None or (current.inferred and current.kind in ("profile", "other")):
            kind = _infer_kind(paragraph.text, current, printed_lines)
            if current is None or kind != current.kind:
                parts.append(_PartBuilder(kind, None, paragraph.line, True))
        parts[-1].paragraphs.append(paragraph)
    return tuple(part.build() for part in parts)


def _infer_kind(text: str, current: _PartBuilder | None, printed_lines: bool) -> str:
    """Kind for a paragraph before any printed part heading, from position and content."""
    if current is None:
        if is_profile_sentence(text):
            return "profile"
        if printed_lines:
            return "summary"  # 2017+: the opening paragraphs summarise before RECOMMENDATIONS
        return "assessment" if is_assessment_sentence(text) else "other"
    if is_assessment_sentence(text):
        return "assessment"
    if current.kind == "other" and is_profile_sentence(text):
        return "profile"
    return current.kind


def _stripped_gaps(elements: list[_Element]) -> list[int]:
    """Positions of paragraphs after a double blank line, where 2003 copies lost headings."""
    gaps = [i for i, e in enumerate(elements) if i and e.paragraph is not None and e.gap >= 2]
    return gaps if 0 < len(gaps) <= 3 else []


def _bullet_items(paragraphs: list[Paragraph]) -> tuple[Paragraph, ...]:
    items: list[Paragraph] = []
    for paragraph in paragraphs:
        if _BULLET not in paragraph.text:
            continue
        text = paragraph.text
        run_in = match_run_in(text)
        if run_in:
            text = text[run_in.end() :]
        for piece in text.split(_BULLET):
            piece = piece.strip(" ;")
            if piece:
                items.append(Paragraph(paragraph.line, piece))
    return tuple(items)


def _tier_statement(
    paragraphs: tuple[Paragraph, ...],
) -> tuple[TierStatement | None, bool, str | None]:
    """The placement sentence: (statement, whether it says "therefore", country named)."""
    first: TierStatement | None = None
    for paragraph in paragraphs:
        text = paragraph.text
        lowered = text.lower()
        # Once the first statement is known, only a "therefore" sentence can change the
        # answer: skipping the rest keeps a 50 MB paragraph of tier words linear and fast.
        said_therefore = "therefore" in lowered
        if "tier" not in lowered or (first is not None and not said_therefore):
            continue
        for start, end, words in placements(text, lowered):
            if first is not None and not said_therefore:
                break
            sentence = _sentence_around(text, start, end)
            therefore = "therefore" in sentence.lower()
            if first is not None and not therefore:
                continue
            statement = TierStatement(
                tier_from_words(" ".join(words.split())), paragraph.line, sentence
            )
            if therefore:
                country_match = THEREFORE_COUNTRY.search(sentence)
                country = country_match.group("country").strip() if country_match else None
                return statement, True, country
            first = statement
    return first, False, None


# How far before its tier words a placement's verb phrase may start ("has been downgraded
# to " is 24 characters; the rest allows for runs of spaces).
_PHRASE_REACH = 200


def placements(text: str, lowered: str) -> Iterator[tuple[int, int, str]]:
    """Placement phrases in `text` ("remained on Tier 2"), in order: (start, end, tier words).

    `lowered` is text.lower(). TIER_STATEMENT opens with a case-insensitive word boundary,
    which the regex engine tries at every character (20 ns each: a second for a 50 MB
    paragraph); here str.find jumps from one "tier" to the next and the verb phrase is
    matched only just before it, within _PHRASE_REACH.
    """
    if len(lowered) != len(text):  # lower-casing changed a length: positions do not align
        for match in TIER_STATEMENT.finditer(text):
            yield match.start(), match.end(), match.group("tier")
        return
    at = lowered.find("tier")
    while at >= 0:
        tier = PLACEMENT_TIER_AT.match(text, at)
        verb = PLACEMENT_VERB_BEFORE.search(text, max(0, at - _PHRASE_REACH), at) if tier else None
        if tier and verb:
            yield verb.start(), tier.end(), tier.group(0)
            at = lowered.find("tier", tier.end())
        else:
            at = lowered.find("tier", at + 1)


# The quoted placement sentence is at most this long. A longer one keeps the part that ends
# in the tier words (its head used to be kept, losing them and the "therefore" before them),
# and boundaries are looked for only within reach, so a 50 MB paragraph costs linear time.
_SENTENCE_LIMIT = 500


def _sentence_around(text: str, start: int, end: int) -> str:
    floor = max(0, end - _SENTENCE_LIMIT - 2)
    ceiling = min(len(text), start + _SENTENCE_LIMIT + 2)
    left = max(text.rfind(". ", floor, start), text.rfind("; ", floor, start))
    right = text.find(". ", end, ceiling)
    stop = right + 1 if right >= 0 else ceiling
    if left >= 0:
        begin = left + 2
    elif end > _SENTENCE_LIMIT:  # the sentence starts out of reach: begin at a word
        reach = min(stop, end + 100) - _SENTENCE_LIMIT
        begin = max(reach, text.find(" ", reach, start) + 1)
    else:
        begin = 0
    return text[begin:stop].strip()[:_SENTENCE_LIMIT]
