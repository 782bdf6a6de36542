"""Placement sentences: where the text itself states the tier ("remained on Tier 2")."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .model import Paragraph, TierStatement
from .patterns import (
    ASSESSED_GOVERNMENT,
    PLACEMENT_SUBJECT,
    PLACEMENT_TIER_AT,
    PLACEMENT_VERB_BEFORE,
    THEREFORE_COUNTRY,
    TIER_STATEMENT,
    tier_from_words,
)


def tier_statement(
    paragraphs: Sequence[Paragraph],
) -> tuple[TierStatement | None, bool, str | None]:
    """The placement sentence: (statement, whether it says "therefore", country it places).

    A "therefore" sentence wins over any other; otherwise the first placement sentence.
    """
    first: TierStatement | None = None
    first_country: str | None = None
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
            if inside_quotation(text, start):
                continue  # a news story quoting the report: not the text's own placement
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
            subject = PLACEMENT_SUBJECT.match(sentence)
            first_country = subject.group("country").strip() if subject else None
    return first, False, first_country if first else None


_OPENING_QUOTES = ('"', "\u201c", "\u00ab")
_CLOSING_QUOTES = ("\u201d", "\u00bb")


def inside_quotation(text: str, at: int) -> bool:
    """Whether position `at` of a paragraph stands inside a quotation: an opening mark
    before it (within the sentence's reach) that no closing mark has closed."""
    before = text[max(0, at - 600) : at]
    curly_open = before.count("\u201c") + before.count("\u00ab")
    if curly_open:
        return curly_open > sum(before.count(mark) for mark in _CLOSING_QUOTES)
    return before.count('"') % 2 == 1


def assessed_governments(paragraphs: Sequence[Paragraph]) -> set[str]:
    """Countries the text says, in the present tense, do or do not fully meet the minimum
    standards ("The Government of X does not fully comply ..."), case-folded."""
    found: set[str] = set()
    for paragraph in paragraphs:
        if "government of" in paragraph.text.lower():
            for match in ASSESSED_GOVERNMENT.finditer(paragraph.text):
                found.add(" ".join(match.group("country").casefold().split()))
    return found


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


# Abbreviations whose full stop ends no sentence ("St. Vincent and the Grenadines").
_ABBREVIATIONS = frozenset({"st", "mr", "mrs", "ms", "dr", "no", "u.s", "u.n"})


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at `stop` closes an abbreviation, not a sentence."""
    word = text[text.rfind(" ", 0, stop) + 1 : stop]
    return word.lower() in _ABBREVIATIONS


def _full_stop_before(text: str, floor: int, start: int) -> int:
    """Where the last sentence-ending ". " before `start` stands (not before `floor`), or -1."""
    at = text.rfind(". ", floor, start)
    while at >= 0 and _is_abbreviation(text, at):
        at = text.rfind(". ", floor, at)
    return at


def _full_stop_after(text: str, end: int, ceiling: int) -> int:
    """Where the first sentence-ending ". " from `end` stands (before `ceiling`), or -1."""
    at = text.find(". ", end, ceiling)
    while at >= 0 and _is_abbreviation(text, at):
        at = text.find(". ", at + 1, ceiling)
    return at


def _sentence_around(text: str, start: int, end: int) -> str:
    floor = max(0, end - _SENTENCE_LIMIT - 2)
    ceiling = min(len(text), start + _SENTENCE_LIMIT + 2)
    left = max(_full_stop_before(text, floor, start), text.rfind("; ", floor, start))
    right = _full_stop_after(text, end, ceiling)
    stop = right + 1 if right >= 0 else ceiling
    if left >= 0:
        begin = left + 2
    elif end > _SENTENCE_LIMIT:  # the sentence starts out of reach: begin at a word
        reach = min(stop, end + 100) - _SENTENCE_LIMIT
        begin = max(reach, text.find(" ", reach, start) + 1)
    else:
        begin = 0
    return text[begin:stop].strip()[:_SENTENCE_LIMIT]
