"""The Refworld metadata header, read from the tokens above the first heading.

Title, labelled fields and the disclaimer; what stands above the title is site chrome
(docs/format.md, "The header").
"""

from __future__ import annotations

import re

from . import countries
from .classify import Token
from .dates import to_iso
from .model import Diagnostic, Level, Metadata
from .patterns import LazyPattern
from .rules import (
    KNOWN_LABELS,
    REPORT_NAME,
    REPORT_YEAR,
    SUBJECT_SEPARATOR,
    YEAR,
    Kind,
    ScreenedPattern,
    leading_literal,
    match_label,
    split_alternatives,
)

# The subject of a title that is not a whole title line (rare: see _metadata).
_SUBJECT = LazyPattern(
    REPORT_NAME + REPORT_YEAR + SUBJECT_SEPARATOR + r"(?P<subject>.+)$", re.IGNORECASE
)
# Where a title's subject splits into segments ("Country Narratives - Mongolia"): at a
# spaced dash, bar or colon, or at an en or em dash. Every break holds one of the marks, so
# a subject without any ("Hong Kong", the common case) needs no pattern compiled.
_DASHES = "\u2013\u2014"
_SEGMENT_BREAK = LazyPattern(rf"\s+(?:[-{_DASHES}|]{{1,2}}|:)\s+|\s*[{_DASHES}]\s*|:\s+")
_BREAK_MARKS = ("-", "|", ":", *_DASHES)
# The report's chapters, which are never the subject, and the words each opens with
# (derived as the rule table's pre-checks are): a country name needs no pattern either.
_CHAPTER_NAMES = (
    r"country\s+narratives(?:\W+countries\s+\w+\s+through\s+\w+)?|special\s+cases"
    r"|introduction|tier\s+placements"
)
_CHAPTER = LazyPattern(f"(?:{_CHAPTER_NAMES})", re.IGNORECASE)
_CHAPTER_OPENINGS = tuple(leading_literal(name) for name in split_alternatives(_CHAPTER_NAMES))
_REPORT_NAME = LazyPattern(REPORT_NAME, re.IGNORECASE)
_URL = ScreenedPattern(r"https?://[^\s\]\[<>\"']+")
ACCESSED = re.compile(r"\[\s*accessed\s+(?P<date>[^\]]{1,60})\]", re.IGNORECASE)
_MAX_HEADER_LINE = 2000
# How many lines a hard-wrapped citation may go on over ("[accessed ...]" closes it).
_CITATION_LINES = 4
_ENDS_CITATION = frozenset({Kind.BLANK, Kind.HEADING, Kind.DISCLAIMER, Kind.PART_HEADING})
_HEADER_LABEL_RULES = frozenset({"label.known", "label.table"})
# Web copies put banners and navigation above the title, but never hundreds of lines of it.
_TITLE_SEARCH_LINES = 400
# How far below a breadcrumb's bare report name the page's own title may stand.
_BREADCRUMB_REACH = 8

_FIELD_NAMES = {
    "last updated": "last_updated",
    "publisher": "publisher",
    "author": "author",
    "publication date": "publication_date",
    "cite as": "cite_as",
}
_CANONICAL_LABELS = {label.lower(): label for label in KNOWN_LABELS}
# Other pages' labels of the report's date: the publication date when the value is a date.
_DATE_LABELS = frozenset({"date", "published", "date of publication", "publication"})
# Marks of a list item before a label: "- Author: Office to Monitor ...".
_ITEM_MARKS = ("- ", "\u2022 ", "* ", "\u2013 ")
# Labels that older Refworld pages print on a line of their own, the value on the next.
_OWN_LINE_LABELS = {
    **{
        label.lower(): label
        for label in ("Publisher", "Author", "Publication Date", "Cite as", "Country", "Topics")
    },
    "date": "Date",
}
# Refworld's own header labels; the others ("Country", "Topics") also open ordinary lines.
_CORE_LABELS = frozenset(
    {"Last Updated", "Publisher", "Author", "Publication Date", "Cite as", "Disclaimer"}
)


class Header:
    """What the header holds, and where it ends (the index of the first token after it)."""

    __slots__ = ("chrome", "diagnostics", "disclaimer", "end", "metadata", "provenance")

    def __init__(
        self,
        metadata: Metadata,
        disclaimer: str | None,
        end: int,
        chrome: list[int],
        provenance: list[int],
        diagnostics: list[Diagnostic],
    ) -> None:
        self.metadata = metadata
        self.disclaimer = disclaimer
        self.end = end
        self.chrome = chrome
        self.provenance = provenance  # lines whose text changes with every download
        self.diagnostics = diagnostics


def read_header(tokens: list[Token], stop: int) -> Header:
    """Read tokens[0:stop]; stop at the first line of narrative text.

    Lines before the title that are not a `Last Updated` label are site chrome (banners,
    navigation). Tokens are re-tagged with what they turned out to be.
    """
    reader = _HeaderReader(tokens, stop)
    reader.run()
    return reader.result()


class _HeaderReader:
    def __init__(self, tokens: list[Token], stop: int) -> None:
        self.tokens = tokens
        self.stop = stop
        self.title_at = _find_title(tokens, stop)
        self.fields: dict[str, str] = {}
        self.values: dict[str, str] = {}
        self.lines: dict[str, int] = {}
        self.diagnostics: list[Diagnostic] = []
        self.warned: set[str] = set()
        self.chrome: list[int] = []
        self.provenance: list[int] = []
        self.title: str | None = None
        self.title_rule: str | None = None
        self.subject: str | None = None
        self.disclaimer: str | None = None
        self.index = 0

    def run(self) -> None:
        tokens = self.tokens
        while self.index < self.stop:
            token = tokens[self.index]
            if token.kind is Kind.BLANK:
                self.index += 1
                continue
            text = token.text
            if len(text) > _MAX_HEADER_LINE and not text.lower().startswith(("disclaimer", "cite")):
                break
            if not self._read(token):
                break

    def _read(self, token: Token) -> bool:
        """Take one non-blank token into the header; False where the header ends."""
        text = token.text
        if token.kind in (Kind.CHAPTER, Kind.NOISE):  # a chapter heading, a page number
            self.index += 1
            return True
        if self._label_on_its_own_line(token) or self._listed_label(token):
            return True
        name = self._label(token)
        if name is not None:
            assert token.groups is not None
            value = squeeze(token.groups["value"] or "")
            if name == "Disclaimer":
                token.retag(Kind.DISCLAIMER, token.rule)
                self._disclaimer(value)
                return True
            if name == "Last Updated":
                self.provenance.append(self.index)
            self.index += 1
            if name == "Cite as":
                value = self._wrapped_citation(value)
            self._store(name, value, token.line)
            return True
        # Refworld puts the title right under "Last Updated", whatever the document is.
        under_date = self.title_at < 0 and "last_updated" in self.values and len(text) < 300
        if self.index == self.title_at or (self.title is None and under_date):
            self.title = squeeze(text)
            if self.index == self.title_at:
                assert token.groups is not None
                self.subject = subject_of(token.groups.get("subject") or "")
                self.title_rule = token.rule
                token.retag(Kind.TITLE, token.rule)
            else:
                self.title_rule = "title.under_date"
                token.retag(Kind.TITLE, "title.under_date")
            self.index += 1
            return True
        if (
            token.rule == "label.other"
            and self.title is not None
            and len(text) < 300
            and self.disclaimer is None
        ):
            assert token.groups is not None
            self._store(token.groups["label"] or "", token.groups["value"] or "", token.line)
            token.retag(Kind.LABEL, token.rule)
            self.index += 1
            return True
        if self.title is None and (
            self.index < self.title_at
            or token.kind is Kind.CHROME
            or (len(text) < 120 and _is_nav(text) and token.kind is not Kind.PART_HEADING)
        ):
            if token.kind is not Kind.CHROME:
                token.retag(Kind.CHROME, "header.chrome")
            self.chrome.append(self.index)
            self.index += 1
            return True
        return False

    def _label_on_its_own_line(self, token: Token) -> bool:
        """Older Refworld layouts print a label alone on its line and its value on the next
        ("Author" / "Office to Monitor ..."; "Date:" / "3 June 2005"), in any order."""
        if token.kind not in (Kind.TEXT, Kind.LABEL) or self.index < self.title_at:
            return False
        printed = token.text.lstrip("-\u2013 ").rstrip(": ").strip()
        name = _OWN_LINE_LABELS.get(printed.lower())
        if name is None or (self.title is None and self.title_at >= 0):
            return False
        following = self.index + 1
        if following >= self.stop:
            return False
        value_token = self.tokens[following]
        value = squeeze(value_token.text)
        if not value or value_token.kind is Kind.LABEL or len(value) > 300:
            return False
        if name == "Date":
            if to_iso(value) is None:
                return False
            name = "Publication Date"
        token.retag(Kind.LABEL, "label.own_line")
        value_token.retag(Kind.LABEL, "label.own_line")
        self._store(name, value, value_token.line)
        self.index += 2
        return True

    def _listed_label(self, token: Token) -> bool:
        """A label written as a list item under the title: "- Author: Office to ..."."""
        text = token.text
        if token.kind is not Kind.TEXT or self.title is None or not text.startswith(_ITEM_MARKS):
            return False
        groups = match_label(text[2:].lstrip())
        if groups is None:
            return False
        label = _CANONICAL_LABELS.get((groups["key"] or "").lower(), groups["key"] or "")
        if label == "Disclaimer":
            return False
        token.retag(Kind.LABEL, "label.known")
        self._store(label, squeeze(groups["value"] or ""), token.line)
        self.index += 1
        return True

    def _label(self, token: Token) -> str | None:
        """The label a token gives in its place in the header (canonical), or None."""
        if token.rule not in ("label.known", "label.table"):
            return None
        groups = token.groups
        assert groups is not None
        printed = (groups["key"] if token.rule == "label.known" else groups["label"]) or ""
        name = _CANONICAL_LABELS.get(printed.lower(), printed)
        if name == "Last Updated":
            return name
        # Above a title only Refworld's "Last Updated" is a label: "Countries & Areas" is a menu.
        if self.index < self.title_at:
            return None
        # With no title at all, a label of Refworld's second rank ("Country", "Topics") is one
        # only beside another label: "Country Narratives -- ..." alone is a page heading.
        if self.title_at < 0 and name not in _CORE_LABELS and not self._beside_label():
            return None
        return name

    def _beside_label(self) -> bool:
        for step in (-1, 1):
            index = self.index + step
            while 0 <= index < len(self.tokens) and self.tokens[index].kind is Kind.BLANK:
                index += step
            if 0 <= index < len(self.tokens) and self.tokens[index].kind is Kind.LABEL:
                return True
        return False

    def _disclaimer(self, first: str) -> None:
        """The disclaimer goes on over the following non-blank lines."""
        parts = [first] if first else []
        self.index += 1
        while self.index < self.stop:
            token = self.tokens[self.index]
            text = token.text
            if not text or len(text) > _MAX_HEADER_LINE:
                break
            # A real label ends it; a wrapped line may open with a label's word in lower case
            # ("publisher and do not ..."), which the label rule's guard turns down.
            if token.rule == "label.known" or _REPORT_NAME.search(text):
                break
            parts.append(squeeze(text))
            token.retag(Kind.DISCLAIMER, "header.disclaimer")
            self.index += 1
        if self.disclaimer is None:
            self.disclaimer = " ".join(parts) or None

    def _wrapped_citation(self, value: str) -> str:
        """A `Cite as` value hard-wrapped onto the next lines (a printed or e-mailed page):
        Refworld's citation closes with "[accessed <date>]", so lines right under it are its
        own only when that close turns up within them."""
        if ACCESSED.search(value):
            return value
        parts = [value]
        end = self.index
        while end < min(self.stop, self.index + _CITATION_LINES):
            token = self.tokens[end]
            # A wrapped piece may read as a title ("... Report - Philippines, 5 June 2002")
            # or a label ("available at: ..."); a blank, a heading or a known label ends it.
            if (
                token.kind in _ENDS_CITATION
                or token.rule in _HEADER_LABEL_RULES
                or len(token.text) > 300
            ):
                return value
            parts.append(squeeze(token.text))
            end += 1
            joined = " ".join(part for part in parts if part)
            if ACCESSED.search(joined):
                for continued in self.tokens[self.index : end]:
                    continued.retag(Kind.CONTINUATION, "label.wrapped")
                self.index = end
                return joined
        return value

    def _store(self, label: str, value: str, line: int) -> None:
        if label in self.fields:
            # One warning per label: a file repeating a label 100,000 times needs one line.
            if self.fields[label] != value and label not in self.warned:
                self.warned.add(label)
                self.diagnostics.append(
                    Diagnostic(
                        Level.WARNING,
                        "duplicate_label",
                        line,
                        f"{label!r} given again with another value; the first is kept "
                        "(later repeats are not reported)",
                    )
                )
            return
        self.fields[label] = value
        if label.lower() in _DATE_LABELS and "publication_date" not in self.values:
            if to_iso(value) is not None:  # "Date: 27 June 2017" on ecoi-like pages
                self.values["publication_date"] = value
                self.lines["publication_date"] = line
            return
        name = _FIELD_NAMES.get(label.lower())
        if name:
            self.values[name] = value
            self.lines[name] = line

    def result(self) -> Header:
        metadata = self._metadata()
        return Header(
            metadata, self.disclaimer, self.index, self.chrome, self.provenance, self.diagnostics
        )

    def _metadata(self) -> Metadata:
        values = self.values
        last_updated = self._date("last_updated", "last_updated")
        publication = self._date("publication_date", "publication_date")
        cite_as = values.get("cite_as") or None
        url = accessed = None
        if cite_as:
            url_match = _URL.search(cite_as)
            url = url_match.group(0).rstrip(".,;)") if url_match else None
            accessed_match = ACCESSED.search(cite_as)
            if accessed_match:
                accessed = self._date("accessed_date", "cite_as", accessed_match.group("date"))
        title = self.title
        subject = self.subject
        year = None
        if title:
            if subject is None and self.title_at < 0:
                # A title found under "Last Updated" rather than by the title rule.
                subject_match = _SUBJECT.search(title)
                subject = subject_of(subject_match.group("subject")) if subject_match else None
            # Only a TIP Report title names a TIP Report year.
            if self.title_rule == "title" or _REPORT_NAME.search(title):
                year_match = YEAR.search(title)
                year = int(year_match.group(1)) if year_match else None
        source = "title" if year is not None else None
        if year is None and publication and YEAR.match(publication):
            year, source = int(publication[:4]), "publication_date"
        return Metadata(
            title=title,
            report_year=year,
            report_year_source=source,
            subject=subject or None,
            last_updated=last_updated,
            publisher=values.get("publisher") or None,
            author=values.get("author") or None,
            publication_date=publication,
            cite_as=cite_as,
            url=url,
            accessed_date=accessed,
            fields=self.fields,
        )

    def _date(self, name: str, field: str, raw: str | None = None) -> str | None:
        """The ISO form of a header date; else the raw value, with a warning on its line."""
        raw = raw if raw is not None else self.values.get(field)
        if not raw:
            return None
        iso = to_iso(raw)
        if iso is None:
            self.diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    "unparsed_date",
                    self.lines.get(field),
                    f"{name} {raw!r} is not a date tipconv understands; kept as written",
                )
            )
            return raw
        return iso


def subject_of(raw: str) -> str | None:
    """The subject of a title from what follows the report's name: its last segment that is
    not a chapter ("Country Narratives - Mongolia" -> "Mongolia")."""
    segments = [_without_year(squeeze(part)) for part in _segments(raw)]
    subjects = [part for part in segments if part and not _is_chapter(part)]
    if len(subjects) > 1:
        # A web page's title ends with its site ("...: Georgia | U.S. Embassy in Georgia"):
        # the subject is the last segment that names a country the crosswalk knows.
        known = [part for part in subjects if countries.lookup(part) is not None]
        if known:
            return known[-1]
    return subjects[-1] if subjects else None


def _without_year(segment: str) -> str:
    """A segment without the edition a mirror adds after the name: "Georgia (2019)"."""
    edition = segment.endswith(")") and segment[-7:-5] == " (" and YEAR.fullmatch(segment[-5:-1])
    return segment[:-7] if edition and len(segment) > 7 else segment


def _segments(raw: str) -> list[str]:
    """`_SEGMENT_BREAK.split(raw)`, without the pattern when no break can be there."""
    if any(mark in raw for mark in _BREAK_MARKS):
        return _SEGMENT_BREAK.split(raw)
    return [raw]


def _is_chapter(text: str) -> bool:
    """Whether `text` is one of the report's chapters (`_CHAPTER.fullmatch`). Lower-casing
    folds case as the pattern does only for ASCII, so only ASCII text is turned away early."""
    if text.isascii() and not text.lower().startswith(_CHAPTER_OPENINGS):
        return False
    return _CHAPTER.fullmatch(text) is not None


def _find_title(tokens: list[Token], stop: int) -> int:
    """Index of the title line, or -1: what stands before it is site chrome.

    A title that names its year wins over a bare "Trafficking in Persons Report", which a
    web page also prints in its navigation.
    """
    found = -1
    end = min(stop, _TITLE_SEARCH_LINES)
    for index in range(end):
        token = tokens[index]
        if token.kind is Kind.TITLE:
            if token.rule != "title" or YEAR.search(token.text):
                return _fuller_title(tokens, index, end)
            if found < 0:
                found = index
    return found


def _fuller_title(tokens: list[Token], index: int, end: int) -> int:
    """A web page's breadcrumb may name the report ("2023 Trafficking in Persons Report")
    a few lines above the page's own title, which adds its subject ("...: Georgia"): the
    title is the fuller one, when it follows soon and names the same year."""
    token = tokens[index]
    if token.rule != "title" or (token.groups or {}).get("subject"):
        return index
    found = YEAR.search(token.text)
    year = found.group(1) if found else None
    for later in range(index + 1, min(end, index + _BREADCRUMB_REACH)):
        other = tokens[later]
        if other.kind is not Kind.TITLE or other.rule != "title":
            continue
        other_year = YEAR.search(other.text)
        if (other.groups or {}).get("subject") and other_year and other_year.group(1) == year:
            return later
    return index


def squeeze(text: str) -> str:
    """Whitespace runs as one space, ends trimmed; most values need no change at all."""
    if "  " not in text and text.isprintable():  # any other whitespace is unprintable
        return text.strip()
    return " ".join(text.split())


def _is_nav(line: str) -> bool:
    """A short navigation item: a few words, no sentence punctuation."""
    words = line.split()
    return len(words) <= 6 and not line.endswith((".", ":", ";", ",")) and not YEAR.search(line)
