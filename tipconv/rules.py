"""The rule table: every form of line the parser recognises, as data.

A rule has a name, the kind of token it emits, a pattern, and sample lines it must match.
The classifier (`classify.py`) tries the rules in table order and the first that matches a
line names it; the assembler (`assemble.py`) then reads the token stream in context.

Each pattern holds a named group, its *key* (`key=` names it), whose alternatives open
with literal words: `(?P<key>prosecution|protection|...)`. The cheap pre-check that lets
the classifier skip a rule is derived from those words, never written beside the pattern:
a key at the start of the pattern gives "the line starts with one of the words", a key
elsewhere "the line contains one of the words". Adding an alternative to a pattern adds it
to the pre-check too, and `tests/test_rules.py` checks that every alternative has a sample
that passes the pre-check and classifies as its rule.

To add a line form: add a rule here (with a sample for every alternative), describe it in
`docs/format.md`, and add a fixture that shows it to `fixtures/`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from enum import StrEnum

from . import countries
from ._rule_checks import SHIPPED_CHECKS as _SHIPPED_CHECKS
from .patterns import MAX_HEADING_LENGTH, LazyPattern


class Kind(StrEnum):
    """What a line is, as `tipconv explain` shows it."""

    BLANK = "blank"
    CHROME = "chrome"  # site banners, navigation, sharing links, footers
    NOISE = "noise"  # page numbers and running headers of PDF text
    LABEL = "label"  # a header field: "Publisher United States Department of State"
    TITLE = "title"
    CHAPTER = "chapter"  # a chapter heading of the report: "VII. Special Cases"
    DISCLAIMER = "disclaimer"
    HEADING = "heading"  # a tier-tagged country heading
    PART_HEADING = "part_heading"  # "PROSECUTION" alone on its line
    RUN_IN = "run_in"  # a paragraph opening with its part's heading: "Prosecution. The ..."
    ITEM = "item"  # a "•" list item
    PARAGRAPH = "paragraph"  # the first line of a paragraph
    CONTINUATION = "continuation"  # a line joined to the one above (hard wrap, split heading)
    UNPLACED = "unplaced"  # text outside any narrative, kept out of paragraphs
    TEXT = "text"  # a line no rule claims (the classifier's answer before assembly)


Groups = Mapping[str, str | None]
# A further test on a match: its groups and the whole (stripped) line.
Accept = Callable[[Groups, str], bool]


class Unsure:
    """What a `fast` matcher answers for a line it does not read alone: the pattern decides."""

    __slots__ = ()


UNSURE = Unsure()
# A rule's `fast` matcher: the groups, None (no match), or UNSURE.
Fast = Callable[[str], "Groups | Unsure | None"]

_REGEX_SYNTAX = frozenset(".^$*+?{}[]\\|()")
UNBOUNDED = 1 << 62  # `max_length` of a rule that takes lines of any length


class Rule:
    """One line form; see the module docstring for how its pre-check is derived.

    `mode` "full" matches the whole stripped line, "search" finds the pattern in it.
    `max_length` skips longer lines without trying the pattern. `reach` says that the key
    group always ends within that many characters of the line's start, so a long line's
    pre-check reads only its head (`tests/test_rules.py` holds every sample to it).
    `accept` is a further test that a pattern cannot say well (a plausible country name).
    `fast` is an optional matcher for ASCII lines, proven equal to the pattern in the tests,
    for a pattern that costs too much to compile at every start-up: it may read only the
    common forms and answer UNSURE for the others, which the pattern then reads.
    """

    __slots__ = (
        "_compiled",
        "accept",
        "anchored",
        "doc",
        "fast",
        "key",
        "kind",
        "literals",
        "max_length",
        "mode",
        "name",
        "pattern",
        "reach",
        "samples",
        "words",
    )

    def __init__(
        self,
        name: str,
        kind: Kind,
        pattern: str,
        samples: tuple[str, ...],
        *,
        doc: str,
        key: str | None = "key",
        mode: str = "full",
        flags: int = re.IGNORECASE,
        max_length: int = UNBOUNDED,
        reach: int = 0,
        accept: Accept | None = None,
        fast: Fast | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.pattern = pattern
        self.samples = samples
        self.doc = doc
        self.key = key
        self.mode = mode
        self.max_length = max_length
        self.reach = reach
        self.accept = accept
        self.fast = fast
        self._compiled = LazyPattern(pattern, flags)
        self.literals: tuple[str, ...] = ()
        # Per alternative, its literal and its other words; empty when none has others.
        self.words: tuple[tuple[str, tuple[str, ...]], ...] = ()
        self.anchored = False
        if key is not None:
            shipped = _SHIPPED_CHECKS.get(name)
            if shipped is not None and shipped[0] == (pattern, key):
                _, self.anchored, self.literals, self.words = shipped
            else:
                self.anchored, self.literals, self.words = derive_precheck(name, pattern, key)

    def admits(self, lowered: str) -> bool:
        """The derived pre-check on an ASCII line, lower-cased: can the pattern match it?

        Only for ASCII: a case-insensitive pattern also matches the long s (U+017F) for "s"
        or the Kelvin sign for "k", which lower-casing does not fold.
        """
        if self.anchored:
            if not lowered.startswith(self.literals):
                return False  # one call turns away most lines
        else:
            for literal in self.literals:
                if literal in lowered:
                    break
            else:
                return not self.literals
        # An alternative's first (or longest) word is there; rarely, it needs more words.
        return not self.words or self._holds_all_words(lowered)

    def _holds_all_words(self, lowered: str) -> bool:
        """Does `lowered` hold every literal word of one of the alternatives?"""
        for literal, others in self.words:
            if lowered.startswith(literal) if self.anchored else literal in lowered:
                for word in others:
                    if word not in lowered:
                        break
                else:
                    return True
        return False

    def match(self, text: str) -> Groups | None:
        """The named groups when the pattern (and `accept`) take stripped `text`, else None."""
        groups = self.fast(text) if self.fast is not None and text.isascii() else UNSURE
        if isinstance(groups, Unsure):
            groups = self.match_pattern(text)
        if groups is None or (self.accept is not None and not self.accept(groups, text)):
            return None
        return groups

    def match_pattern(self, text: str) -> Groups | None:
        """The pattern alone, never `fast` nor `accept`: what the tests compare `fast` with."""
        found = (
            self._compiled.fullmatch(text) if self.mode == "full" else self._compiled.search(text)
        )
        return found.groupdict() if found else None

    def __repr__(self) -> str:
        return f"Rule({self.name!r}, {self.kind.value})"


PreCheck = tuple[bool, tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]


def derive_precheck(name: str, pattern: str, key: str) -> PreCheck:
    """A rule's pre-check from its pattern: whether its key opens it, the literal words of
    each alternative of the key (opening or longest), and each one's other words (empty
    when none has others). `_rule_checks.py` ships these for the table's rules."""
    opening = f"(?P<{key}>"
    if opening not in pattern:
        raise ValueError(f"rule {name}: no group ({key}) in {pattern!r}")
    runs = _runs_by_alternative(pattern, pattern.index(opening) + len(opening))
    anchored = pattern.startswith(opening)
    # Anchored, a line must start with an alternative's opening words; elsewhere it must
    # contain one, and the longest required words rule out the most lines.
    derive = _leading if anchored else _longest
    literals = tuple(derive(alternative) for alternative in runs)
    if not all(literals):
        raise ValueError(f"rule {name}: an alternative of ({key}) has no literal words")
    # An alternative's other literal words: a match holds them all, too.
    words = [
        (literal, tuple(dict.fromkeys(text for _, text in found if text != literal)))
        for literal, found in zip(literals, runs, strict=True)
    ]
    return anchored, literals, tuple(words) if any(others for _, others in words) else ()


class ContextRule:
    """A reading the assembler gives a line from its context, not from its form alone."""

    __slots__ = ("doc", "kind", "name")

    def __init__(self, name: str, kind: Kind, doc: str) -> None:
        self.name = name
        self.kind = kind
        self.doc = doc


# ------------------------------------------------------------- deriving pre-checks from patterns


# The pieces of a pattern, in order: an escape, a character class, a counted repeat, a
# run of plain characters, or any other single character (a group's "(" among them).
# Reading a pattern piece by piece is one C-speed scan. The table's own pre-checks ship
# derived (`_rule_checks.py`): this runs for a rule that file lacks, and in the tests.
_PIECES = LazyPattern(
    r"\\.|\[\^?\]?(?:\\.|[^\\\]])*\]|\{[\d,]*\}|[^\\\[\](){}|.^$*+?]+|.", re.DOTALL
)
# What may follow a character and repeat it zero times (a counted repeat may, too), and
# what repeats it: text after it is not next to the text before.
_OPTIONAL = ("?", "*", "{")
_REPEATS = ("?", "*", "{", "+")


def group_span(pattern: str, name: str) -> tuple[int, int]:
    """Where the body of the named group `name` lies in `pattern`: (start, end)."""
    spans = _key_spans(pattern, name)
    return spans[0][0], spans[-1][1]


def split_alternatives(body: str) -> list[str]:
    """`body` split at its top-level `|` (outside groups and character classes)."""
    return [body[start:end] for start, end in _top_level(body, 0)]


def key_alternatives(pattern: str, key: str) -> list[str]:
    """The alternatives of the named group `key` in `pattern`."""
    return [pattern[start:end] for start, end in _key_spans(pattern, key)]


def _key_spans(pattern: str, name: str) -> list[tuple[int, int]]:
    opening = f"(?P<{name}>"
    start = pattern.find(opening)
    if start < 0:
        raise ValueError(f"no group ({name}) in {pattern!r}")
    return _top_level(pattern, start + len(opening))


def _top_level(text: str, start: int) -> list[tuple[int, int]]:
    """Spans of the top-level alternatives from `start` to the `)` closing the group there
    (or the end of `text`)."""
    spans: list[tuple[int, int]] = []
    depth = 0
    begin = end = start
    for piece in _PIECES.finditer(text, start):
        end = piece.start()
        opening = piece.group()[0]
        if opening == "(":
            depth += 1
        elif opening == ")":
            if depth == 0:
                break
            depth -= 1
        elif opening == "|" and depth == 0:
            spans.append((begin, end))
            begin = piece.end()
    else:
        end = len(text)
    spans.append((begin, end))
    return spans


def literal_runs(alternative: str) -> list[tuple[int, str]]:
    """The runs of literal text that every match of `alternative` holds: (where each starts
    in the pattern, the text lower-cased), in order.

    Only what stands outside groups and classes counts, and a character a quantifier may
    repeat zero times is not required: "all\\s+rights" -> "all", "rights"; "cookies?" ->
    "cookie"; "share\\ this" -> "share this" (escaped punctuation is literal).
    """
    return _runs_by_alternative(alternative, 0)[0]


def _runs_by_alternative(text: str, start: int) -> list[list[tuple[int, str]]]:
    """`literal_runs` of each top-level alternative from `start` to the `)` closing the
    group there (or the end of `text`), in one scan: a rule's whole key group at once."""
    found: list[list[tuple[int, str]]] = [[]]
    run = ""
    begin = at = start  # where the alternative and the piece start in `text`
    run_start = depth = 0
    pieces = _PIECES.findall(text, start)
    for number, piece in enumerate(pieces):
        if depth:  # inside a group, where nothing is required: only its end matters
            depth += (piece == "(") - (piece == ")")
            at += len(piece)
            continue
        if piece in ("|", ")"):
            if run:
                found[-1].append((run_start - begin, run.lower()))
                run = ""
            if piece == ")":
                break
            found.append([])
            at = begin = at + 1
            continue
        depth = piece == "("
        literal = "" if depth else _literal_text(piece)
        following = pieces[number + 1][0] if number + 1 < len(pieces) else ""
        if following in _OPTIONAL:
            literal = literal[:-1]  # a quantifier may leave out the piece's last character
        if literal:
            run_start = run_start if run else at
            run += literal
        if run and (not literal or following in _REPEATS):
            found[-1].append((run_start - begin, run.lower()))
            run = ""
        at += len(piece)
    else:
        if run:
            found[-1].append((run_start - begin, run.lower()))
    return found


def _literal_text(piece: str) -> str:
    """The text a piece of pattern (outside any group) always matches, or "" if none."""
    if piece[0] == "\\":  # "\ " and "\." are literal; "\s", "\d" and "\b" are not
        return piece[1:] if len(piece) == 2 and not piece[1].isalnum() else ""
    if piece[0] in _REGEX_SYNTAX:  # classes, repeats, groups and the other syntax
        return ""
    return piece


def leading_literal(alternative: str) -> str:
    """The literal text every match of `alternative` opens with ("" when it opens with none)."""
    return _leading(literal_runs(alternative))


def longest_literal(alternative: str) -> str:
    """The longest literal text every match of `alternative` holds ("" when none)."""
    return _longest(literal_runs(alternative))


def _leading(runs: list[tuple[int, str]]) -> str:
    return runs[0][1] if runs and runs[0][0] == 0 else ""


def _longest(runs: list[tuple[int, str]]) -> str:
    return max((text for _, text in runs), key=len, default="")


class ScreenedPattern(LazyPattern):
    """A pattern that is searched for only in a text that could hold a match: an ASCII text
    that lacks a literal word of every alternative (derived as the rules' pre-checks are)
    cannot, and is answered without compiling the pattern."""

    __slots__ = ("words",)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        super().__init__(pattern, flags)
        runs = _runs_by_alternative(pattern, 0)
        self.words = tuple(tuple(text for _, text in alternative) for alternative in runs)

    def could_match(self, text: str) -> bool:
        if not text.isascii():
            return True  # case-insensitive patterns fold more than lower() does
        lowered = text.lower()
        for words in self.words:
            for word in words:
                if word not in lowered:
                    break
            else:
                return True
        return False

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        # Once compiled, the pattern itself is the faster test.
        if self._compiled is None and not self.could_match(text):
            return None
        return self.compiled.search(text, pos, endpos)


def words(*phrases: str) -> str:
    """Literal phrases as pattern alternatives (escaped; order kept: longest first wins)."""
    return "|".join(re.escape(phrase) for phrase in phrases)


# ------------------------------------------------------------------------------ shared pieces

# The printed tier words: "Tier 2", "TIER II", "Tier 2 Watch-List", "Special Case".
TIER_WORDS = (
    r"tier\s*(?:[123]|i{1,3}|one|two|three)\b(?:\s*[-\u2013]?\s*watch\s*[-\u2013]?\s*list)?"
    r"|special\s+case"
)
# A footnote mark after the tier words: "Tier 3*" (2013-: the automatic downgrade), "†".
TIER_MARK = r"(?P<mark>\s?[*\u2020\u2021]{1,2})?"
# Provenance a mirror prints after a heading: "[Extracted from ... Report, June 2009]", or
# the same without its opening bracket but with a stray closing one, or "Adapted (in part)
# from ... Report". Never a news sentence: that has no bracket and no "from ... report".
ATTRIBUTION = (
    r"(?P<attribution>\[.*"
    r"|\(.*\b(?:tip|trafficking\s+in\s+persons)\s+report\b.*"
    r"|[^\[\]]*\]"
    r"|[A-Z][a-z]+(?:\s+in\s+part)?\s+from\s+.*\b(?:tip|trafficking\s+in\s+persons)\s+report\b.*)"
)
# A country name: letters, no digits, no sentence punctuation but "St." and "D.R.". The
# curly quotes have a class of their own: mixed with the others, the class takes twice as
# long to compile, at every start-up (tests/test_rules.py checks every character).
COUNTRY_NAME = LazyPattern(r"[^\W\d_](?:[^\W\d]|['`.,()\- &]|[\u2018\u2019])*")
# Words no country's name holds, though a heading-shaped line may: "Trafficking in persons:
# Tier 2 Watch List" is an encyclopedia's table row, not a country's heading.
_NOT_IN_A_NAME = ScreenedPattern(r"tier|special\s+case|trafficking|report", re.IGNORECASE)


# What opens a narrative: "The Government of X does not ...", "X is a source ...",
# "X is a Special Case ...".
_NARRATIVE_OPENING = LazyPattern(
    r"(?:the\s+government\s+of\s+(?P<government>[^,;.]{1,60}?)\s+(?:does|do|did|fully|has|is)\b"
    r"|(?P<subject>[^,;.]{1,60}?)\s+is\s+(?:a|an)\s+(?:\w+\s+){0,3}?"
    r"(?:source|transit|destination|special\s+case)\b)",
    re.IGNORECASE,
)


def opens_narrative(groups: Groups) -> bool:
    """Does the text after a heading open the narrative of that heading's country?"""
    found = _NARRATIVE_OPENING.match(groups["rest"] or "")
    if found is None:
        return False
    named = (found.group("government") or found.group("subject") or "").casefold()
    country = (groups["country"] or "").strip().casefold()
    return bool(named) and (country in named or named in country)


def plausible_country(groups: Groups, line: str) -> bool:
    """A heading's country reads as a name, not as a sentence or as tier words."""
    name = (groups["country"] or "").strip()
    return (
        0 < len(name.split()) <= 8
        and reads_as_a_name(name)
        and not _NOT_IN_A_NAME.search(name)
        and not name.endswith((",", "."))
    )


def reads_as_a_name(name: str) -> bool:
    """`COUNTRY_NAME.fullmatch(name)`; letters and spaces alone (most names) need no pattern
    compiled."""
    if name[:1].isalpha() and name.replace(" ", "").isalpha():
        return True
    return COUNTRY_NAME.fullmatch(name) is not None


# The report's name, the year that may follow it, and what separates it from the subject:
# a dash, colon or bar, or " on " / " for " before a capitalised name ("... 2012 on Armenia").
REPORT_NAME = r"trafficking\s+in\s+persons\s+report"
REPORT_YEAR = (
    r"(?:\s*,?\s*(?:(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\s+)?(?:19|20)\d\d)?"
)
SUBJECT_SEPARATOR = r"(?:\s*[-\u2013\u2014:|]+\s*|\s+(?:on|for)\s+(?=(?-i:[A-Z])))"
# The report's name and nothing else: the page header of state.gov's archived pages.
_BARE_REPORT_NAME = LazyPattern(r"(?:the\s+)?" + REPORT_NAME, re.IGNORECASE)
YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")

# Refworld's labels, longest first so "Publication Date" wins over "Publisher".
KNOWN_LABELS = (
    "Citation / Document Symbol",
    "Publication Date",
    "Other languages",
    "Document type",
    "Last Updated",
    "Countries",
    "Publisher",
    "Reference",
    "Keywords",
    "Disclaimer",
    "Country",
    "Cite as",
    "Author",
    "Topics",
    "Topic",
)
# A value may follow its label with nothing between when it starts with one of these
# ("DisclaimerThis", "Publication Date11 June 2003").
_GLUED = "A-Za-z0-9\\[("
_GLUED_VALUE_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789[(")
_LABELS_BY_START: dict[str, tuple[str, ...]] = {}
for _label in KNOWN_LABELS:
    _start = _label[:2].lower()
    _LABELS_BY_START[_start] = (*_LABELS_BY_START.get(_start, ()), _label.lower())


def match_label(line: str) -> Groups | None:
    """The `label.known` pattern by string tests: compiling it costs 0.3 ms at every start.

    A known label opens `line`, case ignored, followed by ':' (spaces around it allowed),
    by spaces, or by nothing when the value starts with a letter, digit, "[" or "(".
    `tests/test_rules.py` proves this equal to the rule's pattern on ASCII lines.
    """
    for label in _LABELS_BY_START.get(line[:2].lower(), ()):
        size = len(label)
        if line[:size].lower() != label:
            continue
        rest = line[size:]
        value = rest.lstrip()
        if value.startswith(":"):
            return {"key": line[:size], "value": value[1:].lstrip()}
        if len(value) < len(rest) or rest[:1] in _GLUED_VALUE_START:
            return {"key": line[:size], "value": value}
    return None


def looks_like_label(groups: Groups, line: str) -> bool:
    """Guard against prose: "Authorities ..." must not read as the label "Author"."""
    label = groups["key"] or ""
    after = line[len(label) : len(label) + 1]
    return not label[:1].islower() and not (after.isalpha() and after.islower())


def is_title(groups: Groups, line: str) -> bool:
    """A title names its year, or a country as its subject, or is the report's name alone;
    a label line that mentions the report is not one."""
    if YEAR.search(line) and match_label(line) is None:
        return True  # the common case, asked first: the bare name's pattern is rarely needed
    subject = (groups.get("subject") or "").strip(" .")
    if subject and match_label(line) is None:
        return countries.lookup(subject) is not None  # "Trafficking in Persons Report - Indonesia"
    return _BARE_REPORT_NAME.fullmatch(line) is not None


CHROME_PHRASES = (
    "an official website of the united states government",
    "secure .gov websites use https",
    "official websites use .gov",
    "here\u2019s how you know",
    "here's how you know",
    "skip to main content",
    "accept all cookies",
    "related documents",
    "related articles:",
    "related articles",
    "related content",
    "search refworld",
    "share this page",
    "skip to content",
    "back to top",
    "breadcrumb",
    "share this",
    "copy link",
    "facebook",
    "linkedin",
    "whatsapp",
    "previous",
    "twitter",
    "related",
    "decline",
    "accept",
    "e-mail",
    "search",
    "share",
    "print",
    "email",
    "close",
    "tags",
    "menu",
    "home",
    "next",
    "x",
)
_CHROME_SET = frozenset(CHROME_PHRASES)


def match_chrome_line(line: str) -> Groups | None:
    """The `chrome.line` pattern as one set lookup (ASCII lines; proven equal in tests)."""
    lowered = line.lower()
    return {"key": line} if lowered in _CHROME_SET else None


# The fast matchers of the heading and title rules read their plainest print, which nearly
# every copy uses, without compiling the patterns (~0.5 ms each at every start-up); any
# other line is UNSURE, and the pattern reads it. tests/test_rules.py holds them equal.

_PLAIN_TIER_WORDS = frozenset({"tier 1", "tier 2", "tier 3", "tier 2 watch list", "special case"})
_MAX_COUNTRY = 81  # heading.parens' country is "[^\s(].{0,80}?"


def match_plain_heading(line: str) -> Groups | Unsure | None:
    """`heading.parens` for "Hong Kong (Tier 1)": a name, the tier words in their plainest
    print in the line's only parentheses, nothing after them."""
    if "(" not in line:
        return None  # the pattern needs one
    opening = line.find("(")
    country = line[:opening].rstrip()
    words = line[opening + 1 : -1]
    plain = (
        line.endswith(")")
        and opening == line.rfind("(")
        and 0 < len(country) <= _MAX_COUNTRY
        and words.lower() in _PLAIN_TIER_WORDS
    )
    if not plain:
        return UNSURE
    return {"country": country, "tier": words, "mark": None, "attribution": None}


_REPORT_WORDS = "trafficking in persons report"
_DEPARTMENT = "u.s. department of state "


def match_plain_title(line: str) -> Groups | Unsure | None:
    """`title` for "[U.S. Department of State ][2003 ]Trafficking in Persons Report[ 2003]
    [ - Subject]", one space between words (any case)."""
    lowered = line.lower()
    at = lowered.find(_REPORT_WORDS)
    if at < 0:
        return UNSURE  # the words may be spaced otherwise
    before = lowered[:at].removeprefix(_DEPARTMENT)
    if before and not (len(before) == 5 and _is_year(before[:4]) and before[4] == " "):
        return UNSURE
    end = at + len(_REPORT_WORDS)
    rest = line[end:]
    if rest[:1] == " " and _is_year(rest[1:5]) and rest[5:6] in ("", " "):
        rest = rest[5:]
    key = line[at:end]
    if not rest:
        return {"key": key, "subject": None}
    if rest.startswith(" - ") and rest[3:4].isalnum():
        return {"key": key, "subject": rest[3:]}
    return UNSURE


def _is_year(text: str) -> bool:
    """The four digits of "(?:19|20)\\d\\d" (ASCII text)."""
    return len(text) == 4 and text[:2] in ("19", "20") and text[2:].isdigit()


# ---------------------------------------------------------------------------------- the table

RULES: tuple[Rule, ...] = (
    Rule(
        "heading.parens",
        Kind.HEADING,
        r"(?P<country>[^\s(].{0,80}?)\s*\(\s*(?P<tier>"
        + TIER_WORDS
        + ")"
        + TIER_MARK
        + r"\s*\)(?:\s+"
        + ATTRIBUTION
        + r")?\s*",
        (
            "Hong Kong (Tier 1)",
            "Congo (Kinshasa) (Tier 2 Watch List)",
            "FREEDONIA (TIER 2)",
            "Freedonia (Tier II)",
            "Freedonia (Tier 2 Watch-List)",
            "SYLVANIA (Special Case)",
            "SYLVANIA (Tier 3*)",
            "SYLVANIA (TIER 2)   [Taken from the Trafficking in Persons Report, June 2011]",
            "FREEDONIA (Tier 1) Adapted in part from the TIP Report, June 2021]",
        ),
        key="tier",
        max_length=MAX_HEADING_LENGTH + 80,
        accept=plausible_country,
        fast=match_plain_heading,
        doc="A country and its tier in parentheses (2001-2014; special cases 2010-), with a "
        "footnote mark or a mirror's attribution after it.",
    ),
    Rule(
        "heading.colon",
        Kind.HEADING,
        r"(?P<country>[^\s:][^:]{0,80}?)\s*:\s*(?P<tier>"
        + TIER_WORDS
        + ")"
        + TIER_MARK
        + r"(?:\s+"
        + ATTRIBUTION
        + r")?\s*",
        (
            "FREEDONIA: Tier 2 Watch List",
            "KOSOVO: TIER 2",
            "SYLVANIA: Special Case",
            "SYLVANIA: Tier 3*",
            "FREEDONIA: TIER 2 [Extracted from the 2016 Trafficking in Persons Report]",
        ),
        key="tier",
        max_length=MAX_HEADING_LENGTH + 80,
        accept=plausible_country,
        doc="A country, a colon and its tier (2015-).",
    ),
    Rule(
        "heading.special_case_first",
        Kind.HEADING,
        r"(?P<tier>special\s+case)\s*:\s*(?P<country>[^\[(]{1,80}?)(?:\s+" + ATTRIBUTION + r")?\s*",
        ("SPECIAL CASE: SYLVANIA", "Special Case: Ruritania"),
        key="tier",
        max_length=MAX_HEADING_LENGTH + 80,
        accept=plausible_country,
        doc="A special case named after its status (2017-).",
    ),
    Rule(
        "heading.glued",
        Kind.HEADING,
        r"(?P<country>[^\s:(][^:(]{0,60}?)\s*(?::\s*|\(\s*)(?P<tier>"
        + TIER_WORDS
        + ")"
        + TIER_MARK
        + r"\s*\)?\s+(?P<rest>(?-i:[A-Z]).*)",
        (
            "RURITANIA: TIER 2 The Government of Ruritania does not fully meet the minimum "
            "standards for the elimination of trafficking.",
            "SYLVANIA (Tier 1) Sylvania is a destination country for men subjected to forced "
            "labor in construction.",
            "SYLVANIA: Special Case Sylvania is a special case for the fourth year.",
        ),
        key="tier",
        reach=90,
        accept=lambda groups, line: plausible_country(groups, line) and opens_narrative(groups),
        doc="A heading run into the narrative's first sentence (scraped pages lose the break).",
    ),
    Rule(
        "heading.tier_only",
        Kind.HEADING,
        r"(?P<tier>" + TIER_WORDS + ")" + TIER_MARK + r"\s*",
        ("Tier 1", "TIER 2 WATCH LIST", "Special Case"),
        key="tier",
        max_length=40,
        doc="Tier words alone on a line, the country lost with the page title: a heading only "
        "when it is the text's one such line and a narrative follows it.",
    ),
    Rule(
        "title.other_report",
        Kind.TITLE,
        r"(?:(?:19|20)\d\d\s+)?(?P<key>country\s+reports?\s+on\s+human\s+rights\s+practices"
        r"|trafficking\s+in\s+persons\s+interim\s+assessment"
        r"|international\s+religious\s+freedom\s+report|country\s+reports?\s+on\s+terrorism)"
        r"(?:\s+for)?" + REPORT_YEAR + rf"(?:{SUBJECT_SEPARATOR}(?P<subject>\S.*))?",
        (
            "Country Report on Human Rights Practices 2018 - Freedonia",
            "Trafficking in Persons Interim Assessment",
            "International Religious Freedom Report for 2019 - Sylvania",
            "2020 Country Reports on Terrorism: Sylvania",
        ),
        max_length=200,
        doc="The title of another State Department report: a title, but no TIP report year.",
    ),
    Rule(
        "label.table",
        Kind.LABEL,
        r"(?:\|\s*)?(?P<label>[A-Za-z][\w /.()-]{0,40}?)\s*(?P<key>\|)\s*(?P<value>.*?)\s*\|?\s*",
        ("Publisher | United States Department of State |", "| Country | Freedonia |"),
        reach=48,
        flags=0,
        doc="A header laid out as a table: `Label | value |` (archived and Markdown copies).",
    ),
    Rule(
        "label.known",
        Kind.LABEL,
        rf"(?P<key>{words(*KNOWN_LABELS)})(?:\s*:\s*|\s+|(?=[{_GLUED}]))(?P<value>.*)",
        (
            "Last Updated: Friday, 27 November 2015, 12:04 GMT",
            "Publisher United States Department of State",
            "Author Office to Monitor and Combat Trafficking in Persons",
            "Publication Date 11 June 2003",
            "Cite as United States Department of State, Freedonia, 11 June 2003",
            "DisclaimerThis is not a UNHCR publication.",
            "Country Freedonia",
            "Countries Freedonia, Sylvania",
            "Topics Trafficking in persons",
            "Topic Forced labour",
            "Keywords trafficking",
            "Document type Annual reports",
            "Other languages French",
            "Reference 12345",
            "Citation / Document Symbol TIP/2003/FRE",
        ),
        accept=looks_like_label,
        fast=match_label,
        doc="A header field, its label followed by a colon, spaces or nothing (`DisclaimerThis`).",
    ),
    Rule(
        "title",
        Kind.TITLE,
        r"(?:u\.?\s?s\.?\s+department\s+of\s+state,?\s+)?[\"\u201c]?(?:(?:19|20)\d\d\s+)?"
        rf"(?P<key>{REPORT_NAME})(?:,?[\"\u201d])?{REPORT_YEAR}"
        rf"(?:{SUBJECT_SEPARATOR}(?P<subject>\S.*))?",
        (
            "U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong",
            "Trafficking in Persons Report 2010 - Freedonia",
            "2022 Trafficking in Persons Report: Freedonia",
            "Trafficking in Persons Report 2008 - Special Cases - Sylvania",
            "Trafficking in Persons Report 2012 on Freedonia",
            "Trafficking in Persons Report",
            "TRAFFICKING IN PERSONS REPORT JUNE 2016",
            'U.S. Department of State, "2012 Trafficking in Persons Report," June 2012',
            "Trafficking in Persons Report \u2013 Indonesia",
        ),
        max_length=200,
        accept=is_title,
        fast=match_plain_title,
        doc="The report's title with its year, and the subject Refworld files it under.",
    ),
    Rule(
        "part.heading_line",
        Kind.PART_HEADING,
        r"(?P<key>prioritized\s+recommendations|recommendations\s+for\s+[^:]{1,60}?|recommendations"
        r"|prosecution|protection|prevention|trafficking\s+profile|government\s+efforts"
        r"|scope\s+and\s+magnitude)(?:\s*[:.]|\s+[-\u2013\u2014]{1,2})?\s*",
        (
            "PRIORITIZED RECOMMENDATIONS:",
            "Prosecution.",
            "Protection \u2013",
            "RECOMMENDATIONS FOR FREEDONIA",
            "Recommendations",
            "PROSECUTION",
            "Protection",
            "PREVENTION",
            "TRAFFICKING PROFILE",
            "GOVERNMENT EFFORTS",
            "Scope and Magnitude",
        ),
        max_length=90,
        doc="A part heading alone on its line (2017-; `PRIORITIZED RECOMMENDATIONS:` 2020-).",
    ),
    Rule(
        "part.run_in",
        Kind.RUN_IN,
        r"(?P<key>prosecution|protection|prevention|recommendations\s+for\s+[^:.]{1,60}?"
        r"|scope\s+and\s+magnitude|government\s+efforts|trafficking\s+profile)"
        r"(?:\s*[.:]|\s+[-\u2013\u2014]{1,2}(?=\s|$))(?:\s.*)?",
        (
            "Prosecution. The Government of Freedonia made modest progress.",
            "Prosecution \u2013 The government convicted two recruiters.",
            "Protection: The government identified 40 victims.",
            "Prevention. The government ran a radio campaign.",
            "Recommendations for Freedonia: Increase prosecutions of traffickers.",
            "Scope and Magnitude. Sylvania is a destination country.",
            "Government Efforts. The government formed a commission.",
            "Trafficking Profile: Freedonia is a source country.",
        ),
        doc="A paragraph opening with its part's heading (2003-2016; special cases' two parts); "
        "a reprint may set a spaced dash after it in place of the full stop.",
    ),
    Rule(
        "chapter.special_cases",
        Kind.CHAPTER,
        r"(?:[ivxl]+\.\s*)?(?P<key>special\s+cases)\s*",
        ("Special Cases", "VII. SPECIAL CASES"),
        max_length=40,
        doc="The report's Special Cases chapter heading: its entries may print no tier.",
    ),
    Rule(
        "item.bullet",
        Kind.ITEM,
        "(?P<key>\u2022)" + r"\s*(?P<text>.*)",
        ("\u2022 Increase investigations of forced labor.",),
        doc="A list item opening with a bullet (`PRIORITIZED RECOMMENDATIONS`, 2020-).",
    ),
    Rule(
        "chrome.line",
        Kind.CHROME,
        rf"(?P<key>{words(*CHROME_PHRASES)})",
        CHROME_PHRASES,
        max_length=max(map(len, CHROME_PHRASES)),
        fast=match_chrome_line,
        doc="A line of site navigation, sharing links or footer, e.g. `Search Refworld`.",
    ),
    Rule(
        "noise.page_number",
        Kind.NOISE,
        r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?",
        ("142", "Page 7 of 12", "12/40"),
        key=None,
        max_length=16,
        # After chrome.line, which no page number matches: its set lookup turns away "Search
        # Refworld" and the like before this pattern, which has no pre-check, is compiled.
        doc="A page number alone on its line (PDF text).",
    ),
    Rule(
        "chrome.phrase",
        Kind.CHROME,
        r"\b(?P<key>cookies?|javascript|sign\s+up\s+for|subscribe\s+to|all\s+rights\s+reserved"
        r"|privacy\s+policy|terms\s+of\s+use|follow\s+us)\b",
        (
            "This site uses cookies to improve your experience.",
            "Please enable JavaScript to view this page.",
            "Sign up for our newsletter",
            "Subscribe to updates",
            "Copyright 2024. All rights reserved.",
            "Privacy Policy",
            "Terms of Use",
            "Follow us on social media",
        ),
        mode="search",
        max_length=199,
        doc="A short line of cookie banner, newsletter or legal footer text.",
    ),
    Rule(
        "label.other",
        Kind.LABEL,
        r"(?P<label>[A-Z][A-Za-z]+(?: [A-Za-z/]+){0,3})(?P<key>:)\s+(?P<value>\S.*)",
        ("Region: Africa", "Source Type: Government report"),
        flags=0,
        max_length=120,
        doc="Any other `Label: value` pair (kept in `metadata.fields` when in the header).",
    ),
)

# Forms that span lines or need the line rewritten first; the classifier reads them after
# the per-line rules, on lines those left as text.
LETTER_SPACED = Rule(
    "heading.letter_spaced",
    Kind.HEADING,
    r"\S(?: {1,3}\S){5,}",
    ("F R E E D O N I A :  T I E R  2", "S Y L V A N I A  ( T i e r  1 )"),
    key=None,
    flags=0,
    max_length=2 * MAX_HEADING_LENGTH,
    doc="A heading letter-spaced by PDF extraction, read with its letters closed up.",
)
SPLIT_HEADING = ContextRule(
    "heading.split",
    Kind.HEADING,
    "A heading broken over two lines by PDF extraction, read as one line.",
)
SPLIT_HEADING_SAMPLES = ("FREEDONIA (TIER 2\nWATCH LIST)", "Sylvania\n(Tier 1)")

# Readings from context, named in the token stream so `tipconv explain` can say why.
CONTEXT_RULES: tuple[ContextRule, ...] = (
    SPLIT_HEADING,
    ContextRule("blank", Kind.BLANK, "An empty line (or only spaces)."),
    ContextRule(
        "blank.inside_paragraph",
        Kind.BLANK,
        "An empty line inside a paragraph, which runs on across it: at a PDF page break, or "
        "in a double-spaced copy, after a line that stops mid-sentence.",
    ),
    ContextRule("text", Kind.PARAGRAPH, "A line of narrative text that starts a paragraph."),
    ContextRule(
        "text.wrapped",
        Kind.CONTINUATION,
        "A hard-wrapped line (PDF, e-mail) joined to the paragraph above it.",
    ),
    ContextRule(
        "heading.special_cases_entry",
        Kind.HEADING,
        "A country's name alone on its line in the Special Cases chapter, its narrative after "
        "it: a special case.",
    ),
    ContextRule(
        "heading.continued", Kind.CONTINUATION, "The second line of a heading split over two."
    ),
    ContextRule(
        "heading.trailing",
        Kind.HEADING,
        "A known country and its tier at the start of a line that goes on: an attribution, "
        "a source, a full stop, or the narrative glued on without a space.",
    ),
    ContextRule(
        "heading.reversed",
        Kind.HEADING,
        "The tier words first and the country after them: `Special Case (Yemen)`, "
        "`Tier 3 - Eritrea`.",
    ),
    ContextRule(
        "heading.titled",
        Kind.HEADING,
        "A country heading inside a mirror's title: `2018 TIP Report for Qatar - Tier 2`, "
        "`OMAN : US Trafficking in Persons Report 2008` (its narrative names the country).",
    ),
    ContextRule(
        "label.own_line",
        Kind.LABEL,
        "A header label alone on its line and its value on the next (older Refworld pages).",
    ),
    ContextRule(
        "label.wrapped",
        Kind.CONTINUATION,
        "A hard-wrapped header value (`Cite as`) going on over the next lines, up to its "
        "closing `[accessed ...]`.",
    ),
    ContextRule(
        "header.disclaimer",
        Kind.DISCLAIMER,
        "The disclaimer: its label line and the lines that continue it.",
    ),
    ContextRule(
        "header.chrome",
        Kind.CHROME,
        "Site banners and navigation above the title (anything there but a label).",
    ),
    ContextRule(
        "noise.running_header",
        Kind.NOISE,
        "The report's title printed again inside the text: a PDF page's running header.",
    ),
    ContextRule(
        "chrome.attribution",
        Kind.CHROME,
        "A mirror's attribution on the line under the heading: its year is the report year.",
    ),
    ContextRule(
        "chrome.link_list",
        Kind.CHROME,
        "Short lines following site chrome in the body: a list of links.",
    ),
    ContextRule(
        "title.under_date",
        Kind.TITLE,
        "With no line reading as a title, the line right under Refworld's `Last Updated`.",
    ),
    ContextRule(
        "unplaced.no_narrative",
        Kind.UNPLACED,
        "Text of a document that holds no narrative (no heading, no placement sentence).",
    ),
    ContextRule(
        "unplaced.kicker",
        Kind.UNPLACED,
        "Short text before a headingless narrative's first paragraph: a headline or kicker.",
    ),
    ContextRule(
        "unplaced.before_heading",
        Kind.UNPLACED,
        "Text between the header and the first heading, outside any narrative.",
    ),
    ContextRule(
        "reader.aside",
        Kind.UNPLACED,
        "A PDF block outside the column flow (a photo caption, a box in smaller type).",
    ),
    ContextRule(
        "reader.running_header",
        Kind.NOISE,
        "A PDF's running header, kept once by the reader for the report's year.",
    ),
    ContextRule(
        "reader.chrome",
        Kind.CHROME,
        "A web page's site chrome, as its markup says: navigation, header, footer, sidebars, "
        "skip links, breadcrumbs, and on a page with a main element all text outside it.",
    ),
)

LINE_RULES: dict[str, Rule] = {rule.name: rule for rule in (*RULES, LETTER_SPACED)}
RULES_BY_NAME: dict[str, Rule | ContextRule] = {
    **LINE_RULES,
    **{rule.name: rule for rule in CONTEXT_RULES},
}


def shipped_checks_source() -> str:
    """`_rule_checks.py` as derived from the table now: what `python -m tipconv.rules`
    writes, and what `tests/test_rules.py` holds the shipped file to."""
    rules = [rule for rule in (*RULES, LETTER_SPACED) if rule.key is not None]
    lines = [
        "# ruff: noqa: E501, RUF001  (generated: the patterns as the table writes them)",
        '"""The rule table\'s pre-checks, derived from its patterns (`rules.derive_precheck`).',
        "",
        "Generated by `python -m tipconv.rules` (then `ruff format`); do not edit. Deriving them",
        "costs about 0.6 ms at every start; `tests/test_rules.py` fails when this file and the",
        "table disagree.",
        '"""',
        "",
        "from typing import Any",
        "",
        "SHIPPED_CHECKS: dict[str, Any] = {",
    ]
    for rule in rules:
        assert rule.key is not None
        check = (rule.pattern, rule.key), *derive_precheck(rule.name, rule.pattern, rule.key)
        lines.append(f"    {rule.name!r}: {check!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).with_name("_rule_checks.py").write_text(shipped_checks_source(), "utf-8")
