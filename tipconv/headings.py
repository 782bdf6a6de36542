"""Which heading tokens open a section, and what each says: country, tier, and what a mirror
printed beside it.

Most heading forms stand on their own. A line of tier words alone (`heading.tier_only`) is
a heading only in its context: the text's one such line, before any narrative paragraph,
with a narrative opening right after it; anything else (a tier table in a news item) is
read as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .classify import Token
from .model import Level, Paragraph, Tier
from .patterns import LazyPattern, is_assessment_sentence, is_profile_sentence, tier_from_words
from .rules import Kind

Note = Callable[[Level, str, int | None, str], None]

# The year of the edition in an attribution: next to the report's name ("2019 TIP Report",
# "Trafficking in Persons Report, June 2009"), never any other date on the line.
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)"
)
_ATTRIBUTION_YEAR = LazyPattern(
    r"(?P<before>(?:19|20)\d\d)\s+(?:tip|trafficking\s+in\s+persons)\s+report"
    r"|(?:tip|trafficking\s+in\s+persons)\s+report,?\s+(?:"
    + _MONTH
    + r"\s+)?(?P<after>(?:19|20)\d\d)",
    re.IGNORECASE,
)
# Who a narrative opening names: "The Government of Armenia ...", "Armenia is a source ..."
_NAMED_IN_OPENING = LazyPattern(
    r"\s*(?:(?i:the\s+government\s+of)\s+(?P<government>[A-Z][\w'\u2019 ,.()-]{1,60}?)"
    r"\s+(?:does|do|fully|has|is)\b|(?P<subject>[A-Z][\w'\u2019 ,.()-]{1,60}?)\s+is\s+"
    r"(?:primarily\s+|mainly\s+)?(?:a|an)\b)"
)
# A tier-only line needs a narrative within this many paragraphs after it.
_OPENING_WITHIN = 2
# Text before a tier-only line longer than this is prose: the line is then no heading.
_PROSE = 120


class Heading:
    """A section's heading: tokens[start:end] hold it (two when PDF extraction split it)."""

    __slots__ = (
        "attribution_year",
        "country",
        "end",
        "lead",
        "named",
        "start",
        "text",
        "tier",
        "tier_source",
        "tier_words",
    )

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        country: str | None,
        tier: Tier | None,
        tier_words: str | None,
        lead: Paragraph | None,
        named: str | None,
        attribution_year: int | None,
        tier_source: str = "heading",
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.country = country  # as printed; None for tier words alone
        self.tier = tier
        self.tier_words = tier_words  # as printed, footnote mark included
        self.lead = lead  # the first paragraph, when the heading runs into it
        self.named = named  # the country the narrative names, for a heading that prints none
        self.attribution_year = attribution_year
        self.tier_source = tier_source  # or "chapter": a special case by its chapter


def read_headings(tokens: list[Token], note: Note) -> list[Heading]:
    """The headings that open sections, in order; tier-only lines that do not are re-read."""
    headings: list[Heading] = []
    tier_only = [i for i, t in enumerate(tokens) if t.rule == "heading.tier_only"]
    chapter: Token | None = None
    for index, token in enumerate(tokens):
        if token.kind is Kind.CHAPTER:
            chapter = token
            continue
        if chapter is not None and token.kind is Kind.TEXT:
            entry = _special_case_entry(tokens, index)
            if entry is not None:
                token.retag(Kind.HEADING, "heading.special_cases_entry")
                note(
                    Level.INFO,
                    "special_case_from_chapter",
                    token.line,
                    f"{entry!r} alone on its line in the Special Cases chapter (line "
                    f"{chapter.line}), its narrative after it: read as a special case",
                )
                headings.append(
                    Heading(
                        index,
                        index + 1,
                        token.text,
                        entry,
                        Tier.SPECIAL_CASE,
                        None,
                        None,
                        None,
                        None,
                        "chapter",
                    )
                )
            continue
        if token.kind is not Kind.HEADING:
            continue
        if token.rule == "heading.tier_only":
            named = _tier_only_named(tokens, index, tier_only, headings)
            if named is None:
                token.retag(Kind.TEXT, "text")
                continue
            headings.append(_heading(tokens, index, token, note, named=named or None))
            continue
        headings.append(_heading(tokens, index, token, note))
    return headings


def _heading(
    tokens: list[Token], index: int, token: Token, note: Note, *, named: str | None = None
) -> Heading:
    groups = token.groups
    assert groups is not None
    end = index + 1
    text = token.read or token.text
    if token.rule == "heading.split":
        end += 1
        note(
            Level.INFO,
            "split_heading",
            token.line,
            f"joined a heading split over lines {token.line}-{token.line + 1}",
        )
    elif token.rule == "heading.letter_spaced":
        note(
            Level.INFO,
            "letter_spaced_heading",
            token.line,
            f"read letter-spaced heading as {text!r}",
        )
    lead = None
    rest = groups.get("rest")
    if rest:
        text = text[: len(text) - len(rest)].rstrip()
        lead = Paragraph(token.line, rest)
        note(
            Level.INFO,
            "glued_heading",
            token.line,
            f"the heading {text!r} runs into the first sentence; read apart",
        )
    attribution = groups.get("attribution")
    year = None
    if attribution:
        text = text[: len(text) - len(attribution)].rstrip()
        found = _ATTRIBUTION_YEAR.search(attribution)
        year = int(found.group("before") or found.group("after")) if found else None
        note(
            Level.INFO,
            "attribution",
            token.line,
            f"left the attribution after the heading out of the narrative: {attribution!r}",
        )
    words = " ".join((groups["tier"] or "").split())
    mark = (groups.get("mark") or "").strip()
    if mark:
        note(
            Level.INFO,
            "tier_mark",
            token.line,
            f"the tier carries the mark {mark!r}, a footnote this copy does not hold",
        )
    country = (groups.get("country") or "").strip() or None
    if token.rule == "heading.tier_only":
        note(
            Level.INFO,
            "tier_only_heading",
            token.line,
            "tier words alone read as the heading: the only such line, before the narrative"
            + (f", which names {named}" if named else ""),
        )
    return Heading(
        index,
        end,
        text,
        country,
        tier_from_words(words) if words else None,
        (words + mark) or None,
        lead,
        named,
        year,
    )


# A country's name on a line of its own: a few capitalised words, no sentence punctuation.
_BARE_NAME = LazyPattern(
    r"(?:the\s+)?[A-Z][\w'\u2019-]*(?:,?\s+(?:[A-Z][\w'\u2019-]*|of|and|the))"
    r"{0,5}",
    re.IGNORECASE,
)


def _special_case_entry(tokens: list[Token], index: int) -> str | None:
    """The country a bare name line in the Special Cases chapter opens, if it opens one:
    alone between blank lines, its narrative (prose naming it) right after it."""
    token = tokens[index]
    text = token.text
    if len(text) > 60 or not _BARE_NAME.fullmatch(text):
        return None
    for step in (-1, 1):
        near = index + step
        if 0 <= near < len(tokens) and tokens[near].kind is not Kind.BLANK:
            return None
    following = next((t for t in tokens[index + 1 :] if t.kind is not Kind.BLANK), None)
    if following is None or following.kind is not Kind.TEXT or len(following.text) < _PROSE:
        return None
    name = text.casefold().removeprefix("the ").strip()
    return text if name in following.text[:300].casefold() else None


def _tier_only_named(
    tokens: list[Token], index: int, tier_only: list[int], headings: list[Heading]
) -> str | None:
    """For tier words alone on line `index`: the country the narrative after it names ("" if
    it names none it can be read from), or None when the line is no heading."""
    others = any(t.kind is Kind.HEADING and t.rule != "heading.tier_only" for t in tokens)
    if len(tier_only) != 1 or headings or others:
        return None
    if any(t.kind is Kind.TEXT and len(t.text) > _PROSE for t in tokens[:index]):
        return None
    paragraphs = [t.text for t in tokens[index + 1 :] if t.kind is Kind.TEXT][:_OPENING_WITHIN]
    for text in paragraphs:
        if is_profile_sentence(text) or is_assessment_sentence(text):
            found = _NAMED_IN_OPENING.match(text)
            if found is None:
                return ""
            return (found.group("government") or found.group("subject") or "").strip()
    return None
