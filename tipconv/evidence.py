"""Is this line a country heading? The evidence for and against, and one verdict.

A heading is read by what it says, not by the exact shape it is printed in: a country or
territory the crosswalk knows, a tier phrase beside it (before or after, in brackets, after
a colon or a dash), and perhaps a report's name and year around them. What trails the tier
words is kept and read: an attribution ("taken in part from the 2022 report") gives the
report year, a sentence glued to the heading is the narrative's first words, a full stop is
nothing.

Against it: a subject that is not a country (an agency, a report, a placeholder such as
"COUNTRY NAME"), quotation marks around the tier words (a news story quoting the report),
another site's label before them ("trafficking ranking: Tier 3"), and prose before them.

`read_heading_line` proposes a reading of one line with its evidence; the assembler
(`headings.py`) weighs it with what surrounds the line (what follows it, where it stands)
and `tipconv explain` prints the reasons.
"""

from __future__ import annotations

import re

from . import countries
from .patterns import LazyPattern
from .rules import YEAR
from .statements import inside_quotation

# Tier words as printed, with an opening bracket before and a mark and closing bracket
# after: "(Tier 2 Watch List)", "TIER II", "Tier 3*", "Special Case", "(Special Case)".
_TIER = LazyPattern(
    r"(?P<open>[(\[]\s*)?(?P<tier>tier\s*(?:[123]|i{1,3}|one|two|three)\b"
    r"(?:\s*[-\u2013]?\s*watch\s*[-\u2013]?\s*list)?|special[\s-]+case)"
    r"(?P<mark>\s?[*\u2020\u2021]{1,2})?(?P<close>\s*[)\]])?",
    re.IGNORECASE,
)
# The tier words must start this early in the line: a heading opens with its subject.
_TIER_REACH = 120
# What may separate a subject from its tier words: spaces, a colon, a dash, a bar.
_SEPARATORS = " \t:-\u2013\u2014|,"
# A report named in a prefix or a trailing attribution: the year beside it is the edition.
_REPORT_WORDS = LazyPattern(
    r"\b(?:tip|trafficking(?:\s+in\s+persons)?)\s+report\b|\bstate\s+dep|\bdepartment\s+of\s+state",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    """A set of words, written as the words."""
    return frozenset(text.split())


# Words of a title-like prefix before the subject: "2018 TIP Report for", "State Dept.
# Trafficking Report 2010", "U.S. Department of State". Anything else before the subject
# is prose ("the report placed"), and the line is no heading.
_PREFIX_WORDS = _words(
    "u.s. us usa u.s the of in for "
    "on state dept dept. department trafficking persons report "
    "tip annual country narrative narratives - : \u2013 \u2014 |"
)
# Words that say a subject is an institution, a document or a thing, not a country.
_NOT_A_COUNTRY = _words(
    "ministry ministries department office agency agencies bureau commission "
    "council committee police court courts university union organization "
    "organisation embassy government report reports ranking rankings rating "
    "ratings tier tiers status score category level grade "
    "list watch trafficking persons narrative narratives summary introduction "
    "methodology table contents chapter page section foundation institute "
    "program programme project company corporation inc ltd network "
    "alliance coalition"
)
# Placeholders of templates and guides: "COUNTRY NAME: TIER 2", "[Country] (Tier 1)".
_PLACEHOLDER_WORDS = _words("country countries name nation x xx xxx xyz territory state")
# A label of another site in front of the tier words: "ranking: Tier 3", "rated Tier 2".
_LABEL_WORDS = _words(
    "ranking ranked rank rating rated rate status score "
    "placement placed classification classified category grade level tiered "
    "assessment"
)
_QUOTES = ('"', "\u201c", "\u201d", "\u00ab", "\u00bb")
_MAX_SUBJECT_WORDS = 8


class HeadingReading:
    """One line read as a heading: who, which tier, and why (or why not).

    `subject` is the country as printed (None for tier words alone); `known` whether the
    crosswalk knows it; `trailing` what the line holds after the tier words; `year` an
    edition the line names; `evidence` and `against` say why, for `tipconv explain`.
    `start` is where the subject begins in the line when the tier words follow it.
    """

    __slots__ = (
        "against",
        "attribution",
        "evidence",
        "form",
        "known",
        "mark",
        "prefix",
        "subject",
        "tier_words",
        "trailing",
        "year",
    )

    def __init__(self) -> None:
        self.subject: str | None = None
        self.tier_words = ""
        self.mark = ""
        self.trailing = ""
        self.attribution = False  # the trailing words are a mirror's attribution
        self.prefix = ""
        self.year: int | None = None
        self.known = False
        self.form = ""
        self.evidence: list[str] = []
        self.against: list[str] = []

    @property
    def vetoed(self) -> bool:
        return bool(self.against)

    def reasons(self) -> str:
        """The evidence as one line: what `tipconv explain` prints beside the line."""
        found = "; ".join(self.evidence)
        if self.against:
            found += (" | against: " if found else "against: ") + "; ".join(self.against)
        return found

    def __repr__(self) -> str:
        return (
            f"HeadingReading({self.form}, {self.subject!r}, {self.tier_words!r}, "
            f"year={self.year}, trailing={self.trailing[:30]!r}, {self.reasons()!r})"
        )


def could_be_heading(lowered: str) -> bool:
    """The cheap test: tier words early in the (lower-cased) line."""
    at = lowered.find("tier", 0, _TIER_REACH + 8)
    if at < 0:
        at = lowered.find("special", 0, _TIER_REACH + 8)
    return at >= 0


def read_heading_line(text: str) -> HeadingReading | None:
    """Read `text` (a stripped line) as a heading, or None when it holds no tier words near
    its start. The reading says what it found and what speaks against it."""
    text = _unmarked(text)
    found = _TIER.search(text, 0, min(len(text), _TIER_REACH + 60))
    if found is None or found.start() > _TIER_REACH:
        return None
    reading = HeadingReading()
    reading.tier_words = " ".join(found.group("tier").split())
    reading.mark = (found.group("mark") or "").strip()
    before = text[: found.start()]
    after = text[found.end() :]
    bracketed = bool(found.group("open"))
    if bracketed and not found.group("close"):
        # "(Tier 2 Watch List" with its bracket lost, or the tier words go on in the text.
        after = after.lstrip()
    if text.startswith(_QUOTES) or inside_quotation(text, found.start()):
        reading.against.append("the tier words stand inside quotation marks (a quotation)")
    head = before.rstrip(_SEPARATORS + "([")
    if head:
        _subject_before(reading, head, bracketed)
        _trailing(reading, after.lstrip(")]").strip() if bracketed else after.strip())
    else:
        _subject_after(reading, after, bracketed)
    if reading.subject is not None:
        _judge_subject(reading)
    elif not reading.form:
        reading.form = "tier_only"
        reading.evidence.append(f"tier words {reading.tier_words!r} alone")
    return reading


# "OMAN : US Trafficking in Persons Report 2008": a country, then the report's name and year,
# and no tier words; a mirror's heading for the country's narrative.
_COUNTRY_THEN_REPORT = LazyPattern(
    r"(?P<country>[^:\-\u2013\u2014|]{2,60}?)\s*[:\-\u2013\u2014|]\s*"
    r"(?P<title>(?:u\.?\s?s\.?\s+)?(?:state\s+dep\w*\.?\s+(?:of\s+state\s+)?)?"
    r"(?:(?:19|20)\d\d\s+)?(?:tip|trafficking(?:\s+in\s+persons)?)\s+report"
    r"(?:\s*,?\s*(?:19|20)\d\d)?)\s*",
    re.IGNORECASE,
)


# What `_COUNTRY_THEN_REPORT` allows between the country and the report's name.
_REPORT_SEPARATORS = ":-\u2013\u2014|"


def _report_after_separator(text: str) -> bool:
    """The pattern's screen, exact: the country holds no separator, so a match has the
    report's name after the line's first one ("report" has no letter that Unicode case
    folding reaches from elsewhere). A title line, "... Report - Hong Kong", fails it and
    the pattern is never compiled for it."""
    places = [at for at in map(text.find, _REPORT_SEPARATORS) if at >= 0]
    return bool(places) and "report" in text[min(places) + 1 :].lower()


def read_country_report_line(text: str) -> HeadingReading | None:
    """Read "OMAN : US Trafficking in Persons Report 2008" as a heading without tier words:
    only a country the crosswalk knows opens it."""
    if len(text) > 120 or not _report_after_separator(text):
        return None
    found = _COUNTRY_THEN_REPORT.fullmatch(text)
    if found is None:
        return None
    subject = found.group("country").strip()
    code = countries.lookup(subject)
    if code is None:
        return None
    reading = HeadingReading()
    reading.subject = subject
    reading.known = True
    reading.form = "country_report"
    year = YEAR.search(found.group("title"))
    reading.year = int(year.group(1)) if year else None
    reading.evidence.append(f"{subject!r} is a known country ({code.iso3})")
    reading.evidence.append(f"the report's name after it ({found.group('title')!r})")
    return reading


# Markdown and wiki copies mark a heading up: "## PERU: Tier 1", "**Peru (Tier 1)**",
# "== Peru (Tier 1) ==".
_MARKUP = LazyPattern(
    r"^(?:#{1,6}\s+|={1,6}\s*|>\s*)?(?:\*\*|__|\*|_)?|(?:\*\*|__|\*|_)?(?:\s*={1,6})?$"
)


def _unmarked(text: str) -> str:
    """`text` without the Markdown or wiki marks around a heading."""
    if text[:1] in "#*_=>" or text[-1:] in "*_=":
        return _MARKUP.sub("", text).strip()
    return text


# A note on what a heading's country covers: "CHINA (includes Tibet, Hong Kong, and Macau)".
_COVERS = LazyPattern(r"(?P<core>.+?)\s*\((?:includes?|including|incl\.)\b[^)]*\)", re.IGNORECASE)


def country_code(name: str) -> countries.CountryCode | None:
    """The crosswalk's entry for a printed name, a note on what it covers left aside."""
    code = countries.lookup(name)
    if code is None and name.endswith(")"):
        covers = _COVERS.fullmatch(name)
        if covers is not None:
            code = countries.lookup(covers.group("core"))
    return code


def read_matched_heading(
    text: str, country: str, tier_words: str, mark: str, trailing: str
) -> HeadingReading:
    """The reading of a line a heading rule of the table matched ("Hong Kong (Tier 1)"),
    from what the rule captured: the same judgement as `read_heading_line`, without the
    tier pattern, which a plain copy then never compiles."""
    reading = HeadingReading()
    reading.tier_words = " ".join(tier_words.split())
    reading.mark = mark.strip()
    if text.startswith(_QUOTES):
        reading.against.append("the tier words stand inside quotation marks (a quotation)")
    _subject_before(reading, country.strip(), True)
    _trailing(reading, trailing)
    _judge_subject(reading)
    return reading


def _subject_before(reading: HeadingReading, head: str, bracketed: bool) -> None:
    """ "Togo (Tier 2)", "UNITED ARAB EMIRATES: Tier 2", "2018 TIP Report for Qatar - Tier 2"."""
    reading.form = "country_tier" if bracketed else "country_colon_tier"
    covers = _COVERS.fullmatch(head) if head.endswith(")") else None
    if covers is not None and countries.lookup(covers.group("core")) is not None:
        reading.subject = head
        reading.evidence.append(f"{covers.group('core')!r} with a note on what it covers")
        return
    words = head.split()
    # The subject is the end of what stands before the tier words: the longest run of its
    # last words the crosswalk knows; else all of it, when it reads as a name.
    for size in range(min(len(words), _MAX_SUBJECT_WORDS), 0, -1):
        candidate = " ".join(words[-size:]).strip(_SEPARATORS + "([")
        if candidate and countries.lookup(candidate) is not None:
            reading.subject = candidate
            reading.prefix = " ".join(words[:-size])
            break
    else:
        reading.subject = head.strip(_SEPARATORS)
    prefix = reading.prefix
    if prefix:
        if _title_like(prefix):
            reading.evidence.append(f"a report's name before the country ({prefix!r})")
            year = YEAR.search(prefix)
            if year:
                reading.year = int(year.group(1))
            reading.form = "title_country_tier"
        else:
            reading.against.append(f"prose before the country ({prefix!r})")
    label = _label_before(head)
    if label:
        reading.against.append(f"another site's label before the tier words ({label!r})")


def _subject_after(reading: HeadingReading, after: str, bracketed: bool) -> None:
    """ "Special Case (Yemen)", "Tier 3 - Eritrea", "SPECIAL CASE: LIBYA"."""
    rest = after.lstrip(")] ")
    opened = rest[:1] in "([" or (rest[:1] in ":-\u2013\u2014|" and rest[1:2].isspace())
    body = rest.lstrip(_SEPARATORS + "([")
    if not body:
        return
    words = body.split()
    for size in range(min(len(words), _MAX_SUBJECT_WORDS), 0, -1):
        candidate = " ".join(words[:size]).strip(_SEPARATORS + ")]([")
        if candidate and countries.lookup(candidate) is not None:
            trailing = " ".join(words[size:])
            if opened or rest[:1] == ":" or not trailing:
                reading.subject = candidate
                reading.form = "tier_country"
                reading.evidence.append(f"the country follows the tier words ({candidate!r})")
                _trailing(reading, trailing.lstrip(")] "))
            return
    if opened and len(words) <= _MAX_SUBJECT_WORDS and not bracketed:
        name = body.rstrip(")] .")
        if name and name[:1].isupper():
            reading.subject = name
            reading.form = "tier_country"
            return
    reading.form = "tier_only"
    reading.against.append("words after the tier words that name no country")


def _trailing(reading: HeadingReading, trailing: str) -> None:
    """What follows the tier words: nothing, a full stop, an attribution, or narrative."""
    trailing = trailing.strip()
    if not trailing or trailing in (".", ":", ";", ","):
        return
    reading.trailing = trailing
    if _REPORT_WORDS.search(trailing) or trailing[:1] in "[(" or _ATTRIBUTED.match(trailing):
        reading.attribution = True
        reading.evidence.append(f"an attribution after the tier words ({trailing[:60]!r})")
        year = YEAR.search(trailing)
        if year and reading.year is None:
            reading.year = int(year.group(1))
    elif trailing.lstrip(_SEPARATORS)[:1].islower():
        reading.against.append("the line goes on as a sentence after the tier words")


# An attribution without the report's name: "- taken in part from ...", "Source: ...".
_ATTRIBUTED = LazyPattern(
    r"[\s\-\u2013\u2014\[(]*(?:taken|extracted|adapted|excerpted|reprinted|copied|source[sd]?"
    r"|from|via|courtesy|published)\b",
    re.IGNORECASE,
)


def _title_like(prefix: str) -> bool:
    words = [w.strip("\"'.,:;()[]").lower() for w in prefix.split()]
    return all(w in _PREFIX_WORDS or YEAR.fullmatch(w) or not w for w in words) or bool(
        _REPORT_WORDS.search(prefix)
        and all(w[:1].isupper() or w.isdigit() or w in _PREFIX_WORDS for w in prefix.split())
    )


def _label_before(head: str) -> str | None:
    words = [w.strip(":-\u2013\u2014.,()[]").lower() for w in head.split()]
    for word in words[-3:]:
        if word in _LABEL_WORDS:
            return word
    return None


def _judge_subject(reading: HeadingReading) -> None:
    subject = reading.subject or ""
    words = [w.strip(".,:;()[]'\"").lower() for w in subject.split()]
    if not words or len(words) > _MAX_SUBJECT_WORDS:
        reading.against.append("what stands before the tier words is too long for a name")
        return
    letters = [w for w in words if any(ch.isalpha() for ch in w)]
    if letters and all(w.strip("<>[]{}") in _PLACEHOLDER_WORDS for w in letters):
        reading.against.append(f"{subject!r} is a placeholder, not a country")
        return
    code = country_code(subject)
    if code is not None:
        reading.known = True
        reading.evidence.insert(0, f"{subject!r} is a known country ({code.iso3})")
        return
    stop = [w for w in words if w in _NOT_A_COUNTRY]
    if stop:
        reading.against.append(f"{subject!r} names no country ({stop[0]!r})")
    elif not _name_like(subject):
        reading.against.append(f"{subject!r} does not read as a name")
    else:
        reading.evidence.append(f"{subject!r} reads as a name the crosswalk does not know")


def _name_like(subject: str) -> bool:
    """Capitalised words (a few small ones allowed), no digits, no sentence punctuation."""
    if any(ch.isdigit() for ch in subject) or subject.endswith((".", ",", ";")):
        return False
    small = {"of", "and", "the", "da", "de", "del", "la", "d'", "du", "et"}
    for word in subject.replace("-", " ").split():
        bare = word.strip("'\u2019,()")
        if bare and not (bare[:1].isupper() or bare.lower() in small):
            return False
    return True


def names_subject(subject: str, following: str) -> bool:
    """Does narrative text `following` name `subject` as the country it is about? Prose
    (not a list of names) that names it in its opening sentences."""
    name = " ".join(subject.casefold().replace(":", " ").split())
    if name.startswith("the "):
        name = name[4:]
    text = " ".join(following[:600].casefold().split())
    return bool(name) and len(text) >= 20 and " " in text and name in text
