"""The Refworld metadata header: title, labelled fields and the disclaimer (FORMAT.md §1)."""

# No `from __future__ import annotations` here: typing.NamedTuple would compile every
# string annotation into a ForwardRef, a cost paid at each start-up.
import re
from collections.abc import Callable
from typing import NamedTuple

from .dates import to_iso
from .model import Diagnostic, Level, Metadata
from .patterns import CHROME_LINES, CHROME_PHRASE, LazyPattern

# Refworld's labels, longest first so "Publication Date" wins over "Publisher".
_KNOWN_LABELS = (
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
# The known labels by their first two letters, longest first within each (string tests:
# a case-insensitive pattern of all fifteen costs 0.3 ms to compile at every start).
_LABELS_BY_START: dict[str, tuple[str, ...]] = {}
for _label in _KNOWN_LABELS:
    _key = _label[:2].lower()
    _LABELS_BY_START[_key] = (*_LABELS_BY_START.get(_key, ()), _label.lower())
# A value may follow its label with nothing between when it starts with one of these
# ("DisclaimerThis", "Publication Date11 June 2003").
_GLUED_VALUE_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789[(")
# An unknown "Label: value" pair in the header block, e.g. "Region: Africa".
_GENERIC_LABEL = LazyPattern(r"(?P<label>[A-Z][A-Za-z]+(?: [A-Za-z/]+){0,3}):\s+(?P<value>\S.*)")
# The report's name, the year that may follow it, and what separates it from the subject
# (with "Special Cases" for those chapters).
_REPORT_NAME = r"trafficking\s+in\s+persons\s+report"
_REPORT_YEAR = r"(?:\s*,?\s*(?:19|20)\d\d)?"
_SUBJECT_SEPARATOR = r"\s*[-\u2013\u2014:|]\s*(?:special\s+cases\s*[-\u2013\u2014:]\s*)?"
_TITLE = LazyPattern(_REPORT_NAME, re.IGNORECASE)
# A whole title line: "U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong",
# "Trafficking in Persons Report 2010 - Freedonia", "2022 Trafficking in Persons Report: X".
_TITLE_LINE = re.compile(
    r"(?:u\.?\s?s\.?\s+department\s+of\s+state,?\s+)?(?:(?:19|20)\d\d\s+)?"
    + _REPORT_NAME
    + _REPORT_YEAR
    + rf"(?:{_SUBJECT_SEPARATOR}(?P<subject>\S.*))?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
# The subject of a title that is not a whole title line (rare: see _metadata).
_SUBJECT = LazyPattern(
    _REPORT_NAME + _REPORT_YEAR + _SUBJECT_SEPARATOR + r"(?P<subject>.+)$", re.IGNORECASE
)
_URL = re.compile(r"https?://[^\s\]\[<>\"']+")
ACCESSED = re.compile(r"\[\s*accessed\s+(?P<date>[^\]]{1,60})\]", re.IGNORECASE)
_MAX_HEADER_LINE = 2000
# Web copies put banners and navigation above the title, but never hundreds of lines of it.
_TITLE_SEARCH_LINES = 400

_FIELD_NAMES = {
    "last updated": "last_updated",
    "publisher": "publisher",
    "author": "author",
    "publication date": "publication_date",
    "cite as": "cite_as",
}
_DATE_FIELDS = ("last_updated", "publication_date")


class HeaderResult(NamedTuple):
    """What the header scan found, and the line indexes it used up."""

    metadata: Metadata
    disclaimer: str | None
    used: set[int]
    chrome: list[int]
    end: int
    diagnostics: list[Diagnostic]


_LONGEST_CHROME_LINE = max(map(len, CHROME_LINES))


def is_chrome(line: str) -> bool:
    """A line of site navigation, sharing links, cookie banners or footer (`line` stripped)."""
    if len(line) <= _LONGEST_CHROME_LINE and line.lower() in CHROME_LINES:
        return True
    if len(line) >= 200:
        return False
    lowered = line.lower()
    # Words CHROME_PHRASE needs: substring tests are far cheaper than the pattern.
    return (
        "cookie" in lowered
        or "javascript" in lowered
        or "sign" in lowered
        or "subscribe" in lowered
        or "reserved" in lowered
        or "privacy" in lowered
        or "terms" in lowered
        or "follow" in lowered
    ) and bool(CHROME_PHRASE.search(lowered))


def parse_header(lines: list[str], stop: int) -> HeaderResult:
    """Scan lines[0:stop] for the header; stop at the first line of narrative text.

    Lines before the title that are neither labels nor blank are site chrome (banners,
    navigation) and are skipped. `end` is the index of the first line after the header.
    """
    title_at = _find_title(lines, stop)
    fields: dict[str, str] = {}
    values: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    used: set[int] = set()
    warned: set[str] = set()
    chrome: list[int] = []
    title: str | None = None
    disclaimer: str | None = None
    index = 0
    while index < stop:
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        if len(line) > _MAX_HEADER_LINE and not line.lower().startswith(("disclaimer", "cite")):
            break
        match = match_label(line)
        # Above a title only Refworld's "Last Updated" is a label: "Countries & Areas" is a menu.
        if match and index < title_at and match[0].lower() != "last updated":
            match = None
        if match and _looks_like_label(match[0], line):
            label = _canonical_label(match[0])
            value = _squeeze(match[1] or "")
            used.add(index)
            if label == "Disclaimer":
                index, text = _continuation(lines, index, stop, value, used)
                if disclaimer is None:
                    disclaimer = text or None
                continue
            _store(fields, values, label, value, index + 1, diagnostics, warned)
            index += 1
            continue
        # Refworld puts the title right under "Last Updated", whatever the document is.
        refworld_title = title_at < 0 and "last_updated" in values and len(line) < 300
        if index == title_at or (title is None and refworld_title):
            title = _squeeze(line)
            used.add(index)
            index += 1
            continue
        generic = _GENERIC_LABEL.fullmatch(line) if title is not None else None
        if generic and len(line) < 300 and disclaimer is None:
            _store(
                fields,
                values,
                generic.group("label"),
                generic.group("value"),
                index + 1,
                diagnostics,
                warned,
            )
            used.add(index)
            index += 1
            continue
        if title is None and (
            index < title_at or is_chrome(line) or (len(line) < 120 and _is_nav(line))
        ):
            chrome.append(index)
            index += 1
            continue
        break
    metadata = _metadata(title, fields, values, used, lines, diagnostics)
    return HeaderResult(metadata, disclaimer, used, chrome, index, diagnostics)


def _find_title(lines: list[str], stop: int) -> int:
    """Index of the title line (with a year), or -1: what stands before it is site chrome."""
    for index in range(min(stop, _TITLE_SEARCH_LINES)):
        line = lines[index].strip()
        if (
            len(line) < 300
            and "rafficking" in line.lower()
            and _TITLE_LINE.fullmatch(line)
            and _YEAR.search(line)
            and match_label(line) is None
        ):
            return index
    return -1


def _squeeze(text: str) -> str:
    """Whitespace runs as one space, ends trimmed; most values need no change at all."""
    if "  " not in text and text.isprintable():  # any other whitespace is unprintable
        return text.strip()
    return " ".join(text.split())


def _is_nav(line: str) -> bool:
    """A short navigation item: a few words, no sentence punctuation."""
    words = line.split()
    return len(words) <= 6 and not line.endswith((".", ":", ";", ",")) and not _YEAR.search(line)


def match_label(line: str) -> tuple[str, str | None] | None:
    """A known label opening `line` (stripped), as printed, and the value after it.

    Label and value are separated by ':' (spaces around it allowed), by whitespace (NBSP and
    tabs are spaces by now), or by nothing when the value starts with a letter, digit, "["
    or "(". Case is ignored; when no label fits, None.
    """
    for label in _LABELS_BY_START.get(line[:2].lower(), ()):
        size = len(label)
        if line[:size].lower() != label:
            continue
        rest = line[size:]
        value = rest.lstrip()
        if value.startswith(":"):
            return line[:size], value[1:].lstrip() or None
        if len(value) < len(rest) or rest[:1] in _GLUED_VALUE_START:
            return line[:size], value or None
    return None


def _looks_like_label(label: str, line: str) -> bool:
    """Guard against prose: "Authorities ..." must not read as the label "Author"."""
    after = line[len(label) : len(label) + 1]
    if label[0].islower():
        return False
    return not (after.isalpha() and after.islower())


_CANONICAL_LABELS = {label.lower(): label for label in _KNOWN_LABELS}


def _canonical_label(label: str) -> str:
    return _CANONICAL_LABELS.get(label.lower(), label)


def _continuation(
    lines: list[str], index: int, stop: int, first: str, used: set[int]
) -> tuple[int, str]:
    """A value that continues on the following non-blank lines (the disclaimer does)."""
    parts = [first] if first else []
    index += 1
    while index < stop and lines[index].strip() and len(lines[index]) <= _MAX_HEADER_LINE:
        line = lines[index].strip()
        if match_label(line) or _TITLE.search(line):
            break
        parts.append(_squeeze(line))
        used.add(index)
        index += 1
    return index, " ".join(parts)


def _store(
    fields: dict[str, str],
    values: dict[str, str],
    label: str,
    value: str,
    line: int,
    diagnostics: list[Diagnostic],
    warned: set[str],
) -> None:
    if label in fields:
        # One warning per label: a file repeating a label 100,000 times needs one line.
        if fields[label] != value and label not in warned:
            warned.add(label)
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    "duplicate_label",
                    line,
                    f"{label!r} given again with another value; the first is kept "
                    "(later repeats are not reported)",
                )
            )
        return
    fields[label] = value
    name = _FIELD_NAMES.get(label.lower())
    if name:
        values[name] = value


def _metadata(
    title: str | None,
    fields: dict[str, str],
    values: dict[str, str],
    used: set[int],
    lines: list[str],
    diagnostics: list[Diagnostic],
) -> Metadata:
    def line_of(label: str) -> int | None:
        prefix = label.lower()
        found = [i for i in used if lines[i].lstrip()[: len(prefix)].lower() == prefix]
        return min(found) + 1 if found else None

    dates: dict[str, str | None] = {}
    for name in _DATE_FIELDS:
        raw = values.get(name)
        dates[name] = _date(raw, name, name.replace("_", " "), line_of, diagnostics)
    cite_as = values.get("cite_as") or None
    url = accessed = None
    if cite_as:
        url_match = _URL.search(cite_as)
        url = url_match.group(0).rstrip(".,;)") if url_match else None
        accessed_match = ACCESSED.search(cite_as)
        if accessed_match:
            accessed = _date(
                accessed_match.group("date"), "accessed_date", "cite as", line_of, diagnostics
            )
    subject = None
    year = None
    if title:
        # A whole title line names its subject; other titles are searched for one.
        whole = _TITLE_LINE.fullmatch(title)
        if whole:
            subject = whole.group("subject")
        else:
            subject_match = _SUBJECT.search(title)
            subject = subject_match.group("subject").strip() if subject_match else None
        year_match = _YEAR.search(title)
        year = int(year_match.group(1)) if year_match else None
    publication = dates["publication_date"]
    if year is None and publication and _YEAR.match(publication):
        year = int(publication[:4])
    return Metadata(
        title=title,
        report_year=year,
        subject=subject or None,
        last_updated=dates["last_updated"],
        publisher=values.get("publisher") or None,
        author=values.get("author") or None,
        publication_date=publication,
        cite_as=cite_as,
        url=url,
        accessed_date=accessed,
        fields=fields,
    )


def _date(
    raw: str | None,
    name: str,
    label: str,
    line_of: Callable[[str], int | None],
    diagnostics: list[Diagnostic],
) -> str | None:
    """The ISO form of a header date; a raw value plus a warning (on the label's line)."""
    if not raw:
        return None
    iso = to_iso(raw)
    if iso is None:
        diagnostics.append(
            Diagnostic(
                Level.WARNING,
                "unparsed_date",
                line_of(label),
                f"{name} {raw!r} is not a date tipconv understands; kept as written",
            )
        )
        return raw
    return iso
