"""Text in, Report out. Pure: no I/O, no click, no rich; total: never raises on any str.

The parse runs in three steps: clean the text into lines (`text.py`), name every line with
the rule table (`classify.py`), then assemble the report from that token stream: the header
above the first heading (`header.py`), and under each heading its paragraphs and parts
(`body.py`). The assembler corrects each token to what the line turned out to be, so
`tokenize` shows exactly how a text was read (`tipconv explain`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import countries
from .body import Body, read_body
from .classify import Token, apply_hints, classify
from .digest import sha256_hex
from .evidence import country_code
from .header import ACCESSED, Header, read_header
from .headings import Heading, attribution_year, read_headings
from .model import Diagnostic, Level, Metadata, Report, Section, Source
from .rules import YEAR, Kind
from .statements import assessed_governments
from .text import clean_text, has_mojibake, line_ranges, repair_mojibake, split_lines

if TYPE_CHECKING:
    from .layout import Layout


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
    layout: Layout | None = None,
) -> Report:
    """`parse` with what decoding learned. `strict` lets an internal error raise (for --debug).

    `layout` is what a reader of HTML or PDF knows of the lines (`tipconv.layout`).
    """
    return analyse(text, path=path, encoding=encoding, notes=notes, strict=strict, layout=layout)[0]


def tokenize(text: str) -> list[Token]:
    """One token per line of `text`, as the parse read it (what `tipconv explain` prints)."""
    return analyse(text)[1]


def analyse(
    text: str,
    *,
    path: str | None = None,
    encoding: str = "utf-8",
    notes: Iterable[Diagnostic] = (),
    strict: bool = False,
    layout: Layout | None = None,
) -> tuple[Report, list[Token]]:
    """The report and the token stream it was assembled from."""
    parse = _Parse(text, path, encoding, list(notes), layout)
    try:
        report = parse.run()
        if layout is not None:
            report = layout.apply(report)
            for token in parse.tokens:
                token.line = layout.source_line(token.line)
        return report, parse.tokens
    except Exception as exc:
        if strict:
            raise
        return _failed(text, path, encoding, exc), []


def _failed(text: str, path: str | None, encoding: str, exc: Exception) -> Report:
    message = f"internal error ({type(exc).__name__}: {exc}); please report it with this file"
    diagnostic = Diagnostic(Level.ERROR, "internal_error", None, message)
    source = Source(
        path,
        sha256_hex(text.encode("utf-8", "replace")),
        encoding,
        len(split_lines(text)) if text else 0,
    )
    return Report(source, Metadata(), None, (), (diagnostic,))


class _Parse:
    def __init__(
        self,
        text: str,
        path: str | None,
        encoding: str,
        notes: list[Diagnostic],
        layout: Layout | None = None,
    ):
        self.text = text
        self.path = path
        self.encoding = encoding
        self.diagnostics = notes
        self.layout = layout
        self.tokens: list[Token] = []

    def note(self, level: Level, code: str, line: int | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(level, code, line, message))

    def run(self) -> Report:
        lines = self._clean()
        tokens = self.tokens = classify(lines)
        if self.layout is not None and self.layout.hints:
            apply_hints(tokens, self.layout.hints)
        headings = read_headings(tokens, self.note)
        header = read_header(tokens, headings[0].start if headings else len(tokens))
        self.diagnostics.extend(header.diagnostics)
        if header.chrome:
            self.note(
                Level.INFO,
                "site_chrome",
                header.chrome[0] + 1,
                f"skipped site navigation before the narrative on {line_ranges(header.chrome)}",
            )
        metadata = header.metadata
        year = metadata.report_year
        where = year_source = ""
        if year is None and headings:
            year, year_source, where = _year_elsewhere(tokens, headings)
        sections = self._sections(headings, header, year)
        if sections and year != metadata.report_year:
            metadata = metadata.replace(report_year=year, report_year_source=year_source)
            self.note(Level.INFO, "report_year", headings[0].start + 1, f"report year {where}")
        elif not sections and metadata.report_year is not None:
            # The year of a page about a report is not the edition of any narrative.
            self.note(
                Level.INFO,
                "report_year",
                None,
                f"the year {metadata.report_year} in the title is not used: the text holds "
                "no narrative",
            )
            metadata = metadata.replace(report_year=None, report_year_source=None)
        # A copy that prints the tier placement lists (the annual report does) is checked
        # against its narratives; a list opens with tier words alone on a line, which
        # classifying has read already.
        if any(token.reading is not None and token.reading.form == "tier_only" for token in tokens):
            from .placements import check_placements, read_placement_lists

            lists = read_placement_lists(lines)
            if lists:
                self.diagnostics.extend(check_placements(lists, sections))
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
        source = Source(
            self.path, _content_hash(lines, set(header.provenance)), self.encoding, len(lines)
        )
        return Report(
            source,
            metadata,
            header.disclaimer,
            tuple(sections),
            tuple(sorted(self.diagnostics, key=_diagnostic_order)),
        )

    def _clean(self) -> list[str]:
        """Normalised lines, the same count and numbering as the original."""
        text = self.text
        if text.startswith("\ufeff"):
            text = text[1:]  # reported as bom_removed below, not as an invisible character
        # Lines first, then clean them: a removed character must not turn CR, NUL, LF into
        # one CRLF, nor a last line of only a NUL into no line.
        lines = split_lines(text) if text else []
        cleaner = clean_text("\n".join(lines))
        lines = [line.rstrip() for line in cleaner.text.split("\n")] if lines else []
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
        return lines

    def _sections(self, headings: list[Heading], header: Header, year: int | None) -> list[Section]:
        tokens = self.tokens
        if not headings:
            body = read_body(tokens, header.end, len(tokens), year, self.diagnostics, headed=False)
            section = self._headingless(body, header.metadata)
            if section is None:
                _mark_unplaced(tokens, header.end, len(tokens), "unplaced.no_narrative")
            return [section] if section else []
        first = headings[0].start
        stray = [i for i in range(header.end, first) if tokens[i].kind is not Kind.BLANK]
        if stray:
            _mark_unplaced(tokens, header.end, first, "unplaced.before_heading")
            self.note(
                Level.INFO,
                "text_before_heading",
                stray[0] + 1,
                f"skipped text between the header and the first heading on {line_ranges(stray)}",
            )
        sections: list[Section] = []
        for number, heading in enumerate(headings):
            end = headings[number + 1].start if number + 1 < len(headings) else len(tokens)
            body = read_body(tokens, heading.end, end, year, self.diagnostics, heading.lead)
            sections.append(self._section(heading, body))
        return sections

    def _section(self, heading: Heading, body: Body) -> Section:
        line = heading.start + 1
        stated = body.tier_stated
        if not body.paragraph_count:
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
                f"the text places {heading.country or 'the country'} on {stated.tier.label} but "
                "the heading "
                f"on line {line} says {heading.tier.label}",
            )
        if heading.country is not None:
            name, iso3, cow = self._country(heading.country, line)
        elif heading.named:
            name, iso3, cow = self._country(heading.named, line)
            if iso3 is None:
                name = None
        else:
            name, iso3, cow = None, None, None
        return Section(
            heading=heading.text,
            line=line,
            country=name,
            country_printed=heading.country,
            iso3=iso3,
            cow_code=cow,
            tier=heading.tier or (stated.tier if stated else None),
            tier_printed=heading.tier_words,
            tier_source=heading.tier_source if heading.tier else "stated" if stated else None,
            tier_stated=stated,
            parts=body.parts,
        )

    def _headingless(self, body: Body, metadata: Metadata) -> Section | None:
        """A narrative whose heading is missing: a section only on evidence, which its
        diagnostic names."""
        if not body.paragraph_count:
            return None
        assert body.first_line is not None
        stated = body.tier_stated
        printed = body.stated_country
        if stated is not None and body.tier_stated_explicit:
            evidence = f"the sentence on line {stated.line} says 'therefore'"
        elif stated is not None and printed and _assessed(printed, body):
            evidence = (
                f"the sentence on line {stated.line} places {printed}, whose government the "
                "text says does not (or does) fully meet the minimum standards"
            )
        else:
            stated = printed = None
            untiered = self._untiered_evidence(body, metadata)
            if untiered is None:
                return None
            evidence = untiered
        printed = printed or metadata.subject or _recommended_country(body)
        line = stated.line if stated else body.first_line
        if stated:
            self.note(
                Level.INFO,
                "tier_from_statement",
                stated.line,
                f"no heading: tier {stated.tier.label} from a placement sentence ({evidence})",
            )
            self._heading_not_recognised(body.first_line)
        else:
            self.note(
                Level.WARNING,
                "no_heading",
                line,
                f"no tier-tagged heading: a narrative section without a tier ({evidence})",
            )
        name, iso3, cow = self._country(printed, line) if printed else (None, None, None)
        return Section(
            heading=None,
            line=None,
            country=name,
            country_printed=printed,
            iso3=iso3,
            cow_code=cow,
            tier=stated.tier if stated else None,
            tier_printed=None,
            tier_source="stated" if stated else None,
            tier_stated=stated,
            parts=body.parts,
        )

    @staticmethod
    def _untiered_evidence(body: Body, metadata: Metadata) -> str | None:
        """Why a text without heading or placement sentence is still a narrative, if it is."""
        if metadata.title and body.looks_like_narrative():
            return "a report title, and a profile or assessment sentence"
        printed = body.printed_parts()
        kinds = {part.kind for part in printed}
        named = any(
            part.kind == "recommendations" and " for " in (part.heading or "").lower()
            for part in printed
        )
        if len(kinds) >= 2 or named:
            headings = ", ".join(f"{p.heading!r} on line {p.line}" for p in printed)
            return f"printed part headings followed by prose: {headings}"
        first = body.parts[0] if body.parts else None
        if (
            first is not None
            and first in printed
            and any("traffick" in p.text.lower() for p in first.paragraphs)
        ):
            # A page that starts inside a narrative: its first line is a part heading.
            return (
                f"the text opens with the printed part heading {first.heading!r} (line "
                f"{first.line}) and prose about trafficking under it"
            )
        return None

    def _heading_not_recognised(self, first_line: int) -> None:
        """Name a short line before the narrative that mentions a tier: a heading whose form
        no rule knows, for the user to report with `tipconv explain` output."""
        for token in self.tokens[: first_line - 1]:
            if (
                token.kind in (Kind.TEXT, Kind.PARAGRAPH, Kind.UNPLACED, Kind.CHROME)
                and len(token.text) <= 160
                and ("tier" in token.text.lower() or "special case" in token.text.lower())
            ):
                self.note(
                    Level.WARNING,
                    "heading_not_recognised",
                    token.line,
                    f"line {token.line} ({token.text!r}) looks like a heading but matches no "
                    "heading form; please report it with the output of tipconv explain",
                )
                return

    def _country(self, printed: str, line: int) -> tuple[str, str | None, int | None]:
        """The canonical name and codes for a printed name; unknown keeps the printed name."""
        code = country_code(printed)
        if code is None:
            self.note(
                Level.WARNING, "unknown_country", line, f"no ISO3/COW code known for {printed!r}"
            )
            return printed, None, None
        return code.name, code.iso3, code.cow_code


def _closes_bracket_of(heading: str, line: str) -> bool:
    """Whether a short `line` closes the bracket the heading line left open."""
    return heading.count("[") > heading.count("]") and len(line) <= 120 and line.endswith("]")


def _year_elsewhere(tokens: list[Token], headings: list[Heading]) -> tuple[int | None, str, str]:
    """The report year of a copy whose title prints none, from the other places a copy
    prints it, and where it came from: the heading line (a mirror's attribution, a title
    around the country), a line of attribution right under the heading, or a running
    header (the report's title with its year again inside a PDF's text). Returns the year,
    its `report_year_source` and the words that say where it came from."""
    for heading in headings:
        if heading.attribution_year:
            line = tokens[heading.start].line
            year = heading.attribution_year
            return year, "heading", f"{year} from the heading line {line}"
    first = headings[0]
    for token in tokens[first.end : first.end + 3]:
        if token.kind is Kind.BLANK or token.reading is not None:
            continue
        named = attribution_year(token.text) if len(token.text) <= 200 else None
        if named is None and _closes_bracket_of(tokens[first.start].text, token.text):
            # The heading's bracketed attribution, hard-wrapped: "... [Extracted from U.S.
            # State Dept Trafficking" / "in Persons Report, June 2009]".
            named = attribution_year(f"{tokens[first.start].text} {token.text}")
        if named:
            token.retag(Kind.CHROME, "chrome.attribution")  # provenance, not narrative
            where = f"{named} from the attribution under the heading (line {token.line})"
            return named, "attribution", where
        break
    for token in tokens:
        if token.rule in ("noise.running_header", "reader.running_header"):
            printed = YEAR.search(token.text)
            if printed:
                year = int(printed.group(1))
                return (
                    year,
                    "running_header",
                    f"{year} from the running header on line {token.line}",
                )
    return None, "", ""


def _recommended_country(body: Body) -> str | None:
    """The country a printed "Recommendations for X" heading names, if the crosswalk knows it:
    the hint a copy that starts inside a narrative gives of whose narrative it is."""
    for part in body.parts:
        heading = part.heading or ""
        at = heading.lower().find(" for ")
        if part.kind == "recommendations" and at >= 0:
            name = heading[at + 5 :].strip(" :.")
            if countries.lookup(name) is not None:
                return name
    return None


def _assessed(country: str, body: Body) -> bool:
    """Does the text say, in the present tense, how the government of `country` meets the
    minimum standards? The guard that keeps news about a downgrade from placing a tier."""
    name = " ".join(country.casefold().split())
    if name.startswith("the government of "):
        name = name[len("the government of ") :]
    return name in assessed_governments(body.paragraphs())


def _mark_unplaced(tokens: list[Token], start: int, end: int, rule: str) -> None:
    """Text outside any narrative: named in the token stream, kept out of paragraphs."""
    for token in tokens[start:end]:
        if token.kind not in (Kind.BLANK, Kind.CHROME):
            token.retag(Kind.UNPLACED, rule)


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
    data = (text + "\n" if kept else "").encode("utf-8", "surrogatepass")
    return sha256_hex(data)


_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.line or 0, _LEVEL_ORDER[diagnostic.level])
