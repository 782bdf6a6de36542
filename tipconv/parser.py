"""Text in, Report out. Pure: no I/O, no click, no rich; total: never raises on any str.

The parse runs in passes over the lines: normalise each line, find the country headings,
read the header above the first heading, then split each heading's body into paragraphs
and parts (see `body.py`).
"""

# No `from __future__ import annotations` here: typing.NamedTuple would compile every
# string annotation into a ForwardRef, a cost paid at each start-up.
import re
import sys
from collections.abc import Iterable
from typing import NamedTuple

from . import countries

try:  # the built-in module: importing hashlib loads OpenSSL, a few ms of every start-up
    from _sha256 import sha256 as _builtin_sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.12+ renamed it; hashlib always works
    from hashlib import sha256 as _builtin_sha256
from .body import SectionBody, read_body
from .header import ACCESSED, parse_header
from .model import Diagnostic, Level, Metadata, Report, Section, Source, Tier
from .patterns import (
    COUNTRY_NAME,
    HEADING_COLON,
    HEADING_PARENS,
    HEADING_SPECIAL,
    MAX_HEADING_LENGTH,
    LazyPattern,
    tier_from_words,
)
from .text import clean_text, has_mojibake, line_ranges, repair_mojibake, split_lines


def parse(text: str, *, source: str | None = None) -> Report:
    """Parse one narrative text (already decoded). Never raises: problems become diagnostics."""
    return parse_text(text, path=source)


def parse_text(
    text: str,
    *,
    path: str | None = None,
    encoding: str = "utf-8",
    notes: Iterable[Diagnostic] = (),
    strict: bool = False,
) -> Report:
    """`parse` with what decoding learned. `strict` lets an internal error raise (for --debug)."""
    try:
        return _Parse(text, path, encoding, list(notes)).run()
    except Exception as exc:
        if strict:
            raise
        return _failed(text, path, encoding, exc)


def _failed(text: str, path: str | None, encoding: str, exc: Exception) -> Report:
    message = f"internal error ({type(exc).__name__}: {exc}); please report it with this file"
    diagnostic = Diagnostic(Level.ERROR, "internal_error", None, message)
    source = Source(
        path,
        _sha256_hex(text.encode("utf-8", "replace")),
        encoding,
        len(split_lines(text)) if text else 0,
    )
    return Report(source, Metadata(), None, (), (diagnostic,))


class _Heading(NamedTuple):
    """A country heading: lines[start:end] hold it (two lines when PDF extraction split it)."""

    start: int
    end: int
    text: str
    country: str
    tier: Tier | None
    tier_words: str | None


_LETTER_SPACED = LazyPattern(r"\S(?: {1,3}\S){5,}")
_TIER_HINT = re.compile(r"tier|special\s+case", re.IGNORECASE)


def match_heading(line: str) -> tuple[str, Tier | None, str | None] | None:
    """(country, tier, printed tier words) if `line` is a tier-tagged country heading."""
    if len(line) > MAX_HEADING_LENGTH or not _TIER_HINT.search(line):
        return None
    line = line.strip()
    for pattern in (HEADING_PARENS, HEADING_COLON):
        match = pattern.fullmatch(line)
        if match:
            country = match.group("country").strip()
            if _plausible_country(country):
                words = " ".join(match.group("tier").split())
                return country, tier_from_words(words), words
    match = HEADING_SPECIAL.fullmatch(line)
    if match and _plausible_country(match.group("country")):
        return match.group("country").strip(), Tier.SPECIAL_CASE, None
    return None


def _hinted_lines(lines: list[str]) -> list[int]:
    """Indexes of lines worth a close look, in order.

    A heading mentions a tier or special case ("list" ends a split "Watch List"), or is
    letter-spaced by a PDF ("F R E E ..."); plain substring tests rule out most lines
    cheaply. A split heading starts on the line before its hint, so that line is a
    candidate too.
    """
    hinted = [
        index
        for index, line in enumerate(lines)
        if (
            len(line) <= MAX_HEADING_LENGTH
            and ("tier" in (lowered := line.lower()) or "special" in lowered or "list" in lowered)
        )
        or ((line[1:2] == " " or line[:1].isspace()) and _maybe_letter_spaced(line))
    ]
    candidates: list[int] = []
    for index in hinted:
        if index and (not candidates or candidates[-1] < index - 1):
            candidates.append(index - 1)
        if not candidates or candidates[-1] < index:
            candidates.append(index)
    return candidates


def _maybe_letter_spaced(line: str) -> bool:
    stripped = line.lstrip()
    return len(stripped) > 10 and stripped[1] == " " and stripped[3] == " "


def _plausible_country(name: str) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 8
        and bool(COUNTRY_NAME.fullmatch(name.strip()))
        and not _TIER_HINT.search(name)
        and not name.rstrip().endswith((",", "."))
    )


def _unspace(line: str) -> str | None:
    """Undo PDF letter-spacing: "F R E E D O N I A :  T I E R  2" -> "FREEDONIA: TIER 2"."""
    stripped = line.strip()
    if len(stripped) > 2 * MAX_HEADING_LENGTH or not _LETTER_SPACED.fullmatch(stripped):
        return None
    if any(len(token) > 1 for token in stripped.split()):
        return None
    words = re.split(r" {2,}", stripped)
    return " ".join(word.replace(" ", "") for word in words)


class _Parse:
    def __init__(self, text: str, path: str | None, encoding: str, notes: list[Diagnostic]):
        self.text = text
        self.path = path
        self.encoding = encoding
        self.diagnostics = notes

    def note(self, level: Level, code: str, line: int | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(level, code, line, message))

    def run(self) -> Report:
        lines, line_count = self._clean()
        headings = self._find_headings(lines)
        stop = headings[0].start if headings else len(lines)
        header = parse_header(lines, stop)
        self.diagnostics.extend(header.diagnostics)
        if header.chrome:
            self.note(
                Level.INFO,
                "site_chrome",
                header.chrome[0] + 1,
                f"skipped site navigation before the narrative on {line_ranges(header.chrome)}",
            )
        sections = self._sections(
            lines,
            headings,
            header.end,
            header.metadata.report_year,
            header.metadata.title,
            header.metadata.subject,
        )
        if not any(line.strip() for line in lines):
            self.note(Level.WARNING, "empty_input", None, "no text: the input is empty")
        elif not sections:
            self.note(
                Level.WARNING,
                "not_a_tip_narrative",
                None,
                "no tier-tagged country heading or placement sentence: "
                "this does not look like a TIP Report narrative",
            )
        excluded = {i for i in header.used if lines[i].lower().startswith("last updated")}
        source = Source(self.path, _content_hash(lines, excluded), self.encoding, line_count)
        return Report(
            source,
            header.metadata,
            header.disclaimer,
            tuple(sections),
            tuple(sorted(self.diagnostics, key=_diagnostic_order)),
        )

    def _clean(self) -> tuple[list[str], int]:
        """Normalised lines (same count and numbering as the original) and that count."""
        text = self.text
        if text.startswith("\ufeff"):
            text = text[1:]  # reported as bom_removed below, not as an invisible character
        cleaner = clean_text(text)
        lines = [line.rstrip() for line in split_lines(cleaner.text)] if text else []
        repaired: list[int] = []
        if has_mojibake(cleaner.text):
            for index, line in enumerate(lines):
                fixed = repair_mojibake(line) if not line.isascii() else None
                if fixed is not None:
                    lines[index] = fixed
                    repaired.append(index)
        if self.text.startswith("\ufeff"):
            self.note(Level.INFO, "bom_removed", 1, "removed a byte-order mark")
        crlf = lone_cr = 0
        if "\r" in self.text:
            crlf = self.text.count("\r\n")
            lone_cr = self.text.count("\r") - crlf
        if crlf or lone_cr:
            kinds = ", ".join(
                f"{count} {name}" for count, name in ((crlf, "CRLF"), (lone_cr, "lone CR")) if count
            )
            self.note(Level.INFO, "line_endings", None, f"normalised line endings ({kinds})")
        if cleaner.invisible or cleaner.spaces:
            changes = [
                f"{count} {what}"
                for count, what in (
                    (cleaner.invisible, "invisible character(s) removed"),
                    (cleaner.spaces, "NBSP/tab/other space(s) made plain spaces"),
                )
                if count
            ]
            self.note(Level.INFO, "whitespace_normalised", None, "; ".join(changes))
        if cleaner.controls:
            self.note(
                Level.WARNING,
                "control_characters",
                None,
                f"removed {cleaner.controls} control character(s) such as NUL",
            )
        if repaired:
            self.note(
                Level.INFO,
                "mojibake_repaired",
                repaired[0] + 1,
                f"repaired mis-decoded UTF-8 (mojibake) on {line_ranges(repaired)}",
            )
        return lines, len(lines)

    def _find_headings(self, lines: list[str]) -> list[_Heading]:
        headings: list[_Heading] = []
        count = len(lines)
        taken = 0  # lines before this belong to a heading already found
        # Most lines cannot be headings: only those mentioning a tier (or next to one that
        # does, for split headings) or letter-spaced by a PDF are looked at closely.
        for index in _hinted_lines(lines):
            if index < taken:
                continue
            line = lines[index]
            end = index + 1
            found = match_heading(line)
            text = line.strip()
            if found is None and line:
                unspaced = _unspace(line)
                if unspaced is not None:
                    found = match_heading(unspaced)
                    if found:
                        text = unspaced
                        self.note(
                            Level.INFO,
                            "letter_spaced_heading",
                            index + 1,
                            f"read letter-spaced heading as {unspaced!r}",
                        )
            if found is None and line and index + 1 < count and len(line) <= 80:
                following = lines[index + 1].strip()
                if following and len(following) <= 40 and match_heading(following) is None:
                    joined = f"{line.strip()} {following}"
                    found = match_heading(joined)
                    if found:
                        end = index + 2
                        text = joined
                        self.note(
                            Level.INFO,
                            "split_heading",
                            index + 1,
                            f"joined a heading split over lines {index + 1}-{index + 2}",
                        )
            if found:
                country, tier, words = found
                headings.append(_Heading(index, end, text, country, tier, words))
                taken = end
        return headings

    def _sections(
        self,
        lines: list[str],
        headings: list[_Heading],
        header_end: int,
        year: int | None,
        title: str | None,
        subject: str | None,
    ) -> list[Section]:
        sections: list[Section] = []
        if not headings:
            body = read_body(lines, header_end, len(lines), year, self.diagnostics)
            section = self._headingless(body, title, subject)
            return [section] if section else []
        first = headings[0].start
        stray = [i for i in range(header_end, first) if lines[i].strip()]
        if stray:
            self.note(
                Level.INFO,
                "text_before_heading",
                stray[0] + 1,
                f"skipped text between the header and the first heading on {line_ranges(stray)}",
            )
        for number, heading in enumerate(headings):
            end = headings[number + 1].start if number + 1 < len(headings) else len(lines)
            body = read_body(lines, heading.end, end, year, self.diagnostics)
            sections.append(self._section(heading, body))
        return sections

    def _section(self, heading: _Heading, body: SectionBody) -> Section:
        line = heading.start + 1
        stated = body.tier_stated
        if not body.paragraphs:
            self.note(
                Level.WARNING,
                "empty_section",
                line,
                f"heading {heading.text!r} has no text under it",
            )
        if stated and heading.tier and stated.tier is not heading.tier:
            self.note(
                Level.WARNING,
                "tier_mismatch",
                stated.line,
                f"the text places {heading.country} on {stated.tier.label} but the heading "
                f"on line {line} says {heading.tier.label}",
            )
        iso3, cow = self._codes(heading.country, line)
        return Section(
            heading=heading.text,
            line=line,
            country=heading.country,
            tier=heading.tier,
            tier_label=heading.tier_words or (heading.tier.label if heading.tier else None),
            tier_source="heading" if heading.tier else None,
            tier_stated=stated,
            iso3=iso3,
            cow_code=cow,
            paragraphs=body.paragraphs,
            parts=body.parts,
        )

    def _headingless(
        self, body: SectionBody, title: str | None, subject: str | None
    ) -> Section | None:
        """A narrative whose heading is missing: a section only with real evidence for it."""
        if not body.paragraphs:
            return None
        stated = body.tier_stated if body.tier_stated_explicit else None
        if stated is None and not (title and body.looks_like_narrative()):
            return None
        country = body.stated_country or subject
        line = stated.line if stated else body.paragraphs[0].line
        if stated:
            self.note(
                Level.INFO,
                "tier_from_statement",
                stated.line,
                f"no heading: tier {stated.tier.label} taken from the sentence on line "
                f"{stated.line}",
            )
        else:
            self.note(
                Level.WARNING,
                "no_heading",
                line,
                "no tier-tagged heading: a narrative section without a tier",
            )
        iso3, cow = self._codes(country, line) if country else (None, None)
        return Section(
            heading=None,
            line=None,
            country=country,
            tier=stated.tier if stated else None,
            tier_label=None,
            tier_source="stated" if stated else None,
            tier_stated=stated,
            iso3=iso3,
            cow_code=cow,
            paragraphs=body.paragraphs,
            parts=body.parts,
        )

    def _codes(self, country: str, line: int) -> tuple[str | None, int | None]:
        code = countries.lookup(country)
        if code is None:
            self.note(
                Level.WARNING, "unknown_country", line, f"no ISO3/COW code known for {country!r}"
            )
            return None, None
        return code.iso3, code.cow_code


def _content_hash(lines: list[str], excluded: set[int]) -> str:
    """Hash the normalised text without provenance, so two downloads of one narrative match."""
    last = len(lines)
    while last and not lines[last - 1].strip():
        last -= 1
    kept = lines[:last]
    for index in sorted((i for i in excluded if i < last), reverse=True):
        del kept[index]
    text = "\n".join(kept)
    # A match in the joined text may span lines where a line-by-line one cannot, so this
    # only decides whether the line-by-line removal is needed.
    if ACCESSED.search(text):
        kept = [ACCESSED.sub("", line).rstrip() if "[" in line else line for line in kept]
        text = "\n".join(kept)
    return _sha256_hex((text + "\n" if kept else "").encode("utf-8", "surrogatepass"))


def _sha256_hex(data: bytes) -> str:
    """SHA-256 from hashlib (OpenSSL) once something has imported it, else the built-in.

    hashlib hashes a narrative four times faster but takes 3.5 ms to import: `convert`
    imports it for its thousands of files, a one-file `parse` does without it.
    """
    hashlib = sys.modules.get("hashlib")
    digest: str = (hashlib.sha256 if hashlib else _builtin_sha256)(data).hexdigest()
    return digest


_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.line or 0, _LEVEL_ORDER[diagnostic.level])
