"""Patterns for what lies within lines: tier words, part kinds, and the sentences that
show a narrative (profile, assessment, placement). Line forms are in `rules.py`.

Every pattern is anchored or bounded so that a 50 MB line costs linear time.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from .model import Tier


class LazyPattern:
    """A regular expression compiled on first use, with the `re.Pattern` methods we call.

    Compiling costs 0.1-0.2 ms a pattern. Most texts never need the rarer patterns, and a
    run on one small file should not pay for them all at start-up.
    """

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos)

    def findall(self, text: str, pos: int = 0) -> list[Any]:
        return self.compiled.findall(text, pos)

    def split(self, text: str) -> list[str]:
        return self.compiled.split(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled.sub(replacement, text)

    def subn(self, replacement: str, text: str) -> tuple[str, int]:
        return self.compiled.subn(replacement, text)


# Longer than any heading or header label line; longer lines are body text.
MAX_HEADING_LENGTH = 160

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "one": "1", "two": "2", "three": "3"}


@functools.lru_cache(maxsize=256)
def tier_from_words(words: str) -> Tier:
    """Map printed tier words ("Tier II", "TIER 2 WATCH-LIST", "Special Case") to a Tier."""
    lowered = words.lower()
    if lowered.startswith("special"):
        return Tier.SPECIAL_CASE
    if "watch" in lowered:
        return Tier.TIER_2_WATCH_LIST
    if lowered.startswith("tier"):
        lowered = lowered[4:]
    number = lowered.split()[0].rstrip("-\u2013")
    return Tier(_ROMAN.get(number, number))


def part_kind(heading: str) -> str:
    """The part kind for heading words, e.g. "Recommendations for Freedonia" -> recommendations."""
    lowered = " ".join(heading.lower().split())
    if "recommendations" in lowered:
        return "recommendations"
    return lowered.replace(" ", "_")


# These two only classify paragraphs, so they run on lower-cased text with a literal first
# ("is", "fully"): the regex engine then skips ahead with a fast substring search, where a
# case-insensitive pattern opening with a word boundary is tried at every character.
# `(?<!\wis)` after the literal is the `\b` before it.

# "Freedonia is a source, transit, and destination country for ...", 2001-2004's "is a
# country of origin and transit for ...", and 2003's
# "Hong Kong is a point of transit and destination for persons trafficked ..."
_PROFILE_SENTENCE = re.compile(
    r"is(?<!\wis)\s+(?:primarily\s+|mainly\s+|principally\s+)?(?:an?\s+)?"
    r"(?:(?:source|transit|destination|origin|point)\b[\w\s,]{0,60}?"
    r"\b(?:country|countries|region|territory|for|of)"
    r"|(?:country|countries|region|territory)\s+of\s+(?:origin|transit|destination)\b)"
)
# "The Government of Freedonia does not fully comply with the minimum standards ..."
# ("does not fully", "do not fully" and "did not fully" all end in this "fully").
_ASSESSMENT_SENTENCE = re.compile(
    r"fully(?<!\wfully)\s+(?:compl(?:y|ies)|meets?)\s+(?:with\s+)?the\s+minimum\s+standards"
)


def is_profile_sentence(text: str) -> bool:
    """Does `text` describe the country as a source, transit or destination?"""
    return _PROFILE_SENTENCE.search(text.lower()) is not None


def is_assessment_sentence(text: str) -> bool:
    """Does `text` say whether the government meets the minimum standards?"""
    return _ASSESSMENT_SENTENCE.search(text.lower()) is not None


# "therefore Freedonia remained on Tier 1", "was downgraded to Tier 2 Watch List": the verb
# phrase, then the tier words.
_PLACEMENT_TIER = r"tier\s*(?:[123]|i{1,3})\b(?:\s*[-\u2013]?\s*watch\s*[-\u2013]?\s*list)?"
# "remained on", "was downgraded to", and a movement that names where the country went:
# "has moved from Tier 2 to", "movement from Tier 1 to" (never the tier it left).
_PLACEMENT_VERB = (
    r"\b(?:remain(?:s|ed)?|(?:is|was|were|has\s+been|have\s+been)\s+"
    r"(?:(?:upgraded|downgraded|placed|moved|ranked)\s+)?)\s*(?:on|to|at)\s+"
    r"|\b(?:movement|moved|dropped|fell|slipped|rose|upgraded|downgraded)\s+from\s+"
    + _PLACEMENT_TIER
    + r"\s+to\s+"
)
TIER_STATEMENT = LazyPattern(f"(?:{_PLACEMENT_VERB})(?P<tier>{_PLACEMENT_TIER})", re.IGNORECASE)
# The same in two steps, for `body.placements`: the tier words where they stand, and the
# verb phrase ending right before them.
PLACEMENT_TIER_AT = LazyPattern(_PLACEMENT_TIER, re.IGNORECASE)
PLACEMENT_VERB_BEFORE = LazyPattern(f"(?:{_PLACEMENT_VERB})\\Z", re.IGNORECASE)
# Who a placement sentence places: its opening words before the verb ("Bangladesh has moved
# from Tier 2 to Tier 3", "The Government of Benin's movement from ...").
PLACEMENT_SUBJECT = LazyPattern(
    r"(?:the\s+government\s+of\s+)?(?P<country>[A-Z][\w'\u2019 ,().-]{1,60}?)(?:['\u2019]s)?\s+"
    r"(?:has|have|is|was|were|remain|remains|remained|movement)\b"
)
# "The Government of X does not fully comply with the minimum standards", present tense and
# opening a sentence: what a narrative says of its country, unlike news or a history. The
# name may hold a comma ("Korea, North") and the full stop of "St.", but no other sentence end.
ASSESSED_GOVERNMENT = LazyPattern(
    r"(?:^|[.;!?]\s+)the\s+government\s+of\s+(?P<country>(?:[^,;.]|,(?=\s)|(?<=\bst)\.){1,60}?)\s+"
    r"(?:does\s+not\s+(?:yet\s+)?fully\s+(?:comply|meet)|fully\s+(?:complies|meets))\b",
    re.IGNORECASE,
)
THEREFORE_COUNTRY = LazyPattern(
    r"\btherefore,?\s+(?:the\s+government\s+of\s+)?(?P<country>[A-Z][\w'\u2019 ,().-]{1,60}?)\s+"
    r"(?:remain|is\s|was\s|has\s)",
)
