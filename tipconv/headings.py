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

from . import countries
from .classify import Token
from .evidence import HeadingReading, names_subject, read_heading_line
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


def attribution_year(text: str) -> int | None:
    """The edition an attribution names: the year beside the report's name ("2019 TIP
    Report", "Trafficking in Persons Report, June 2009"), never any other date."""
    lowered = text.lower()
    if "report" not in lowered or ("tip" not in lowered and "trafficking" not in lowered):
        return None
    found = _ATTRIBUTION_YEAR.search(text)
    return int(found.group("before") or found.group("after")) if found else None


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
    """The headings that open sections, in order; lines that do not are re-read.

    Every line that holds tier words near its start carries a reading (`evidence.py`);
    here it is weighed with what surrounds it: a heading needs a country the crosswalk
    knows, or a name that the narrative under it names; nothing that speaks against it
    (quotation marks, another site's label, prose before it); a place of its own, not the
    middle of a paragraph; and a narrative under it or its neighbours (a run of headings
    with none is a table of placements).

    What the headings' reading notes is held until the table rows are known, so that a row
    gets the table's note and not a heading's.
    """
    held: list[tuple[Level, str, int | None, str]] = []
    headings = _read_headings(tokens, lambda *diagnostic: held.append(diagnostic))
    kept = _without_strays(tokens, _without_tables(tokens, headings, note), note)
    rows = {tokens[h.start].line for h in headings} - {tokens[h.start].line for h in kept}
    for level, code, line, message in held:
        if line not in rows:
            note(level, code, line, message)
    return kept


def _read_headings(tokens: list[Token], note: Note) -> list[Heading]:
    """Each line's heading reading weighed in its place (`read_headings` then takes out
    the rows of tables)."""
    headings: list[Heading] = []
    tier_only = [i for i, t in enumerate(tokens) if _is_tier_only(t)]
    chapter: Token | None = None
    taken = -1  # the last token a heading took (a split heading takes two)
    for index, token in enumerate(tokens):
        if index <= taken:
            continue
        if token.kind is Kind.CHAPTER:
            chapter = token
            continue
        if chapter is not None and token.kind is Kind.TEXT and token.reading is None:
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
        if index in tier_only:
            heading = _tier_words_alone(tokens, index, tier_only, headings, note)
            if heading is not None:
                headings.append(heading)
                taken = heading.end - 1
            elif token.kind is Kind.HEADING:
                token.retag(Kind.TEXT, "text")
            continue
        if token.kind is Kind.HEADING and token.rule in ("heading.split", "heading.letter_spaced"):
            headings.append(_heading(tokens, index, token, note))
            taken = index + (token.rule == "heading.split")
            continue
        reading = token.reading if token.read is None else read_heading_line(token.read)
        if token.kind is Kind.HEADING:
            verdict = _weigh(tokens, index, reading) if reading is not None else None
            if verdict is not None and not verdict[0]:
                _reject(token, verdict[1], note)
                continue
            heading = _heading(tokens, index, token, note)
            if reading is not None:
                token.why = verdict[1] if verdict else reading.reasons()
                if heading.attribution_year is None and reading.year is not None:
                    heading.attribution_year = reading.year
            headings.append(heading)
            continue
        if reading is None or reading.subject is None or token.kind not in _PROMOTABLE:
            continue
        accepted, why = _weigh(tokens, index, reading)
        if not accepted:
            token.why = why
            if reading.known and not reading.vetoed:
                note(
                    Level.WARNING,
                    "heading_not_recognised",
                    token.line,
                    f"line {token.line} ({token.text[:80]!r}) reads like a heading but was "
                    f"not taken: {why}",
                )
            continue
        token.why = why
        headings.append(_from_reading(index, token, reading, note))
    return headings


# A list of countries and tiers (a table of contents, the tier placements, a sidebar): this
# many headings in a row with no narrative under any of them.
_TABLE_ROWS = 3
_OUTSIDE_TEXT = frozenset({Kind.BLANK, Kind.NOISE, Kind.CHROME})
_NARRATIVE_PARTS = frozenset({Kind.PART_HEADING, Kind.RUN_IN, Kind.ITEM})
_PROSE_LINE = 80  # a line this long is prose even where a cut ends it mid-sentence


def _without_tables(tokens: list[Token], headings: list[Heading], note: Note) -> list[Heading]:
    """The headings, less any run of `_TABLE_ROWS` or more with no narrative under them:
    such lines are the rows of a table or list of tier placements, not sections."""
    if len(headings) < _TABLE_ROWS:
        return headings
    bare = [
        not _narrative_under(tokens, heading, following.start if following else len(tokens))
        for heading, following in zip(headings, [*headings[1:], None], strict=True)
    ]
    kept: list[Heading] = []
    run: list[Heading] = []
    for heading, alone in zip([*headings, None], [*bare, False], strict=True):
        if alone and heading is not None:
            run.append(heading)
            continue
        if len(run) >= _TABLE_ROWS:
            _reject_table(tokens, run, note)
        else:
            kept.extend(run)
        run = []
        if heading is not None:
            kept.append(heading)
    return kept


def _without_strays(tokens: list[Token], headings: list[Heading], note: Note) -> list[Heading]:
    """The headings, less any with no narrative under it that follows prose: a line of
    another text ("Armenia: Tier 1 (2023)" in an encyclopedia page), not a section. A
    heading alone in a copy cut right after it has nothing before it but a header."""
    kept: list[Heading] = []
    first_prose: int | None = None  # found once: a file of stray headings stays linear
    for number, heading in enumerate(headings):
        stop = headings[number + 1].start if number + 1 < len(headings) else len(tokens)
        if _narrative_under(tokens, heading, stop):
            kept.append(heading)
            continue
        if first_prose is None:
            first_prose = _first_prose(tokens)
        if first_prose >= heading.start:
            kept.append(heading)
            continue
        why = "no narrative under it, and prose before it: a line of another text"
        for token in tokens[heading.start : heading.end]:
            _reject(token, why, note)
    return kept


def _first_prose(tokens: list[Token]) -> int:
    """Where the first sentence of prose (not a header label or title) stands; past the
    end when none does."""
    return next(
        (i for i, t in enumerate(tokens) if t.kind is Kind.TEXT and _is_sentence(t.text)),
        len(tokens),
    )


def _is_sentence(text: str) -> bool:
    return len(text) >= _PROSE_LINE or (text.endswith(_SENTENCE_END) and len(text.split()) >= 3)


def _narrative_under(tokens: list[Token], heading: Heading, stop: int) -> bool:
    """Whether a narrative stands between a heading and `stop`: a part heading, or a
    sentence (its glued lead too), not leader dots and a page number, a caption or a cell."""
    texts = [heading.lead.text] if heading.lead is not None else []
    for token in tokens[heading.end : stop]:
        if token.kind in _NARRATIVE_PARTS:
            return True
        if token.kind not in _OUTSIDE_TEXT:
            texts.append(token.text)
    # Hard-wrapped prose (a PDF's lines, a copy cut mid-sentence) is a narrative as a block.
    return any(_is_sentence(text) for text in texts) or _is_sentence(" ".join(texts))


def _reject_table(tokens: list[Token], rows: list[Heading], note: Note) -> None:
    for heading in rows:
        for token in tokens[heading.start : heading.end]:
            token.retag(Kind.TEXT, "text")
            token.why = "a row of a list of countries and tiers, with no narrative under it"
    note(
        Level.INFO,
        "tier_table",
        tokens[rows[0].start].line,
        f"{len(rows)} lines from line {tokens[rows[0].start].line} name a country and a tier "
        "with no narrative under any of them: a table or list of placements, not headings",
    )


# Kinds of line a heading reading may turn into a heading: what no rule claimed, a label
# ("Trafficking ranking: Tier 3" is one, and its reading says no), a line of site chrome.
_PROMOTABLE = frozenset({Kind.TEXT, Kind.LABEL, Kind.CHROME})
# A line directly above longer than this, not ending a sentence, is the paragraph a
# heading-like line continues.
_PARAGRAPH_ABOVE = 80
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "\u201d", ")", "]")


def _weigh(tokens: list[Token], index: int, reading: HeadingReading) -> tuple[bool, str]:
    """Is the reading of tokens[index] a heading, and why (or why not)?"""
    reasons = reading.reasons()
    if reading.vetoed:
        return False, reasons
    if index > 0:
        above = tokens[index - 1]
        if (
            above.kind in (Kind.TEXT, Kind.PARAGRAPH, Kind.CONTINUATION)
            and len(above.text) > _PARAGRAPH_ABOVE
            and not above.text.endswith(_SENTENCE_END)
        ):
            return False, reasons + " | against: it continues the paragraph above it"
    subject = reading.subject or ""
    following = _following_text(tokens, index, reading)
    if reading.known and reading.form != "country_report":
        return True, reasons
    if following and names_subject(subject, following):
        return True, reasons + f"; the narrative under it names {subject!r}"
    if reading.known:
        return (
            False,
            reasons + f" | against: no tier words, and no narrative under it names {subject!r}",
        )
    return False, reasons + f" | against: {subject!r} is unknown and no narrative under it names it"


def _following_text(tokens: list[Token], index: int, reading: HeadingReading) -> str:
    """The text that follows a heading line: its glued first sentence, or the next lines."""
    if reading.trailing and not reading.attribution:
        return reading.trailing
    return _lines_after(tokens, index + 1, 2)


def _lines_after(tokens: list[Token], index: int, count: int) -> str:
    """Up to `count` non-blank lines from `index` on, joined, stopping at a heading."""
    texts: list[str] = []
    for token in tokens[index : index + 7]:
        if token.kind is Kind.BLANK:
            continue
        if token.kind is Kind.HEADING or len(texts) == count:
            break
        texts.append(token.text)
    return " ".join(texts)


def _reject(token: Token, why: str, note: Note) -> None:
    token.retag(Kind.TEXT, "text")
    token.why = why
    note(
        Level.WARNING,
        "heading_not_recognised",
        token.line,
        f"line {token.line} ({token.text[:80]!r}) has the form of a heading but is not read as "
        f"one: {why}",
    )


_RULE_BY_FORM = {
    "country_tier": "heading.trailing",
    "country_colon_tier": "heading.trailing",
    "tier_country": "heading.reversed",
    "title_country_tier": "heading.titled",
    "country_report": "heading.titled",
}


def _from_reading(index: int, token: Token, reading: HeadingReading, note: Note) -> Heading:
    """A heading that no rule's exact form took, from what its reading found."""
    token.retag(Kind.HEADING, _RULE_BY_FORM.get(reading.form, "heading.trailing"))
    text = token.text
    lead = None
    trailing = reading.trailing
    if trailing and text.endswith(trailing):
        text = text[: len(text) - len(trailing)].rstrip(" \u2013\u2014-")
        if reading.attribution:
            note(
                Level.INFO,
                "attribution",
                token.line,
                f"left the attribution after the heading out of the narrative: {trailing!r}",
            )
        else:
            lead = Paragraph(token.line, trailing)
            note(
                Level.INFO,
                "glued_heading",
                token.line,
                f"the heading {text!r} runs into the first sentence; read apart",
            )
    words = reading.tier_words
    if reading.mark:
        note(
            Level.INFO,
            "tier_mark",
            token.line,
            f"the tier carries the mark {reading.mark!r}, a footnote this copy does not hold",
        )
    return Heading(
        index,
        index + 1,
        text,
        reading.subject,
        tier_from_words(words) if words else None,
        (words + reading.mark) or None,
        lead,
        None,
        reading.year,
    )


def _is_tier_only(token: Token) -> bool:
    """Tier words alone on a line, in brackets or not: "Tier 1", "(Tier 3)"."""
    if token.rule == "heading.tier_only":
        return True
    reading = token.reading
    return (
        reading is not None
        and reading.form == "tier_only"
        and not reading.vetoed
        and len(token.text) <= 40
        and token.kind in _PROMOTABLE
    )


def _bare_country(token: Token) -> str | None:
    """A known country alone on a line ("UNITED ARAB EMIRATES:"), as printed, or None."""
    if token.kind not in _PROMOTABLE or len(token.text) > 60:
        return None
    name = token.text.rstrip(" :-\u2013\u2014").strip()
    return name if name and countries.lookup(name) is not None else None


def _tier_words_alone(
    tokens: list[Token], index: int, tier_only: list[int], headings: list[Heading], note: Note
) -> Heading | None:
    """Tier words alone on line `index`: the second half of a heading split after its
    country, the first half of one whose country follows, or the heading of a copy whose
    country is in its title or its narrative. None when none of these holds."""
    token = tokens[index]
    reading = token.reading or read_heading_line(token.text)
    words = reading.tier_words if reading is not None else " ".join(token.text.split())
    mark = reading.mark if reading is not None else ""
    tier = tier_from_words(words)
    for near, start in ((index - 1, index - 1), (index + 1, index)):
        if not 0 <= near < len(tokens) or any(h.start <= near < h.end for h in headings):
            continue
        name = _bare_country(tokens[near])
        if name is None or not names_subject(name, _lines_after(tokens, start + 2, 1)):
            continue  # a placement list ("TIER 1", then names) is no heading
        first, second = tokens[start], tokens[start + 1]
        first.retag(Kind.HEADING, "heading.split")
        second.retag(Kind.CONTINUATION, "heading.continued")
        first.why = f"{name!r} is a known country; the tier words {words!r} stand beside it"
        note(
            Level.INFO,
            "split_heading",
            first.line,
            f"joined a heading split over lines {first.line}-{second.line}",
        )
        return Heading(
            start, start + 2, f"{first.text} {second.text}", name, tier, words + mark, None,
            None, None,
        )  # fmt: skip
    named = _tier_only_named(tokens, index, tier_only, headings)
    if named is None:
        return None
    token.retag(Kind.HEADING, "heading.tier_only")
    if not named:
        named = _title_subject(tokens, index) or ""
    note(
        Level.INFO,
        "tier_only_heading",
        token.line,
        "tier words alone read as the heading: the only such line, before the narrative"
        + (f", which names {named}" if named else ""),
    )
    return Heading(
        index, index + 1, token.text, None, tier, words + mark, None, named or None, None
    )


def _title_subject(tokens: list[Token], index: int) -> str | None:
    """The subject of a title above line `index`, if a title names one."""
    for token in tokens[:index]:
        if token.kind is Kind.TITLE and token.groups and token.groups.get("subject"):
            return (token.groups["subject"] or "").strip() or None
    return None


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
        year = attribution_year(attribution)
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


# A country's name on a line of its own: up to six capitalised words, no sentence
# punctuation, though a word may be abbreviated with a full stop ("St. Lucia").
_BARE_NAME = LazyPattern(
    r"(?:the\s+)?[A-Z][\w'\u2019-]*\.?(?:,?\s+(?:[A-Z][\w'\u2019-]*\.?|of|and|the))"
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
    opening = _opening_prose(tokens, index + 1)
    if len(opening) < _PROSE:
        return None
    name = text.casefold().removeprefix("the ").strip()
    return text if name in opening[:300].casefold() else None


def _opening_prose(tokens: list[Token], start: int) -> str:
    """The text lines from the first non-blank token at `start` on, up to a blank line or
    300 characters: the paragraph there, hard-wrapped (PDF text) or not ("" if none)."""
    index = start
    while index < len(tokens) and tokens[index].kind is Kind.BLANK:
        index += 1
    pieces: list[str] = []
    size = 0
    while index < len(tokens) and tokens[index].kind is Kind.TEXT and size < 300:
        pieces.append(tokens[index].text)
        size += len(tokens[index].text) + 1
        index += 1
    return " ".join(pieces)


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
