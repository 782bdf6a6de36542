"""The tokens under one heading: paragraphs, the parts they form, and the stated tier."""

from __future__ import annotations

from .classify import Token
from .model import Diagnostic, Level, Paragraph, Part, TierStatement
from .patterns import is_assessment_sentence, is_profile_sentence, part_kind
from .rules import LINE_RULES, Kind
from .statements import tier_statement
from .text import line_ranges

# A paragraph this long is prose, not a list entry or a menu line.
_PROSE = 100
# A line at least this long is a whole paragraph, never a hard-wrapped piece of one.
_UNWRAPPED_LENGTH = 200
BULLET = "\u2022"
_SENTENCE_END = (".", "!", "?", ":", '"', "\u201d", "\u2019", ")")
# What may close a part heading on its own line: "PRIORITIZED RECOMMENDATIONS:",
# "Prosecution.", a reprint's "Protection -" (any dash).
_HEADING_CLOSE = ":. -\u2013\u2014"
# The longest line in capitals next to a page number that is read as a running header.
_RUNNING_HEADER_LENGTH = 60
# A copy is double-spaced when at least this many blank lines fall inside sentences and
# this share of its text lines stand alone between blank lines.
_SPACED_MIN = 3
_SPACED_ALONE = 0.75
# The parts whose headings 2003 Refworld copies lost, in each era's printed order.
_STRIPPED_ORDER_2003 = ("prevention", "prosecution", "protection")
_STRIPPED_ORDER_LATER = ("prosecution", "protection", "prevention")
_RUN_IN = LINE_RULES["part.run_in"]


class _Element:
    """A paragraph (with the blank lines before it) or a heading line, in body order."""

    __slots__ = ("gap", "heading", "kind", "line", "paragraph", "run_in", "starts")

    def __init__(
        self,
        paragraph: Paragraph | None,
        heading: str | None,
        line: int,
        gap: int,
        kind: str | None = None,
        run_in: str | None = None,
        starts: tuple[tuple[int, int], ...] = (),
    ) -> None:
        self.paragraph = paragraph
        self.heading = heading
        self.line = line
        self.gap = gap
        self.kind = kind  # a part kind: a heading line's, or a run-in paragraph's
        self.run_in = run_in  # a run-in paragraph's heading words
        self.starts = starts  # a joined paragraph's (offset, line) per line


class Body:
    """What a section's body holds: its parts and what its placement sentence says."""

    __slots__ = (
        "first_line",
        "paragraph_count",
        "parts",
        "stated_country",
        "tier_stated",
        "tier_stated_explicit",
    )

    def __init__(
        self,
        parts: tuple[Part, ...],
        paragraph_count: int,
        first_line: int | None,
        tier_stated: TierStatement | None,
        tier_stated_explicit: bool,
        stated_country: str | None,
    ) -> None:
        self.parts = parts
        self.paragraph_count = paragraph_count
        self.first_line = first_line  # where the first paragraph starts
        self.tier_stated = tier_stated
        self.tier_stated_explicit = tier_stated_explicit
        self.stated_country = stated_country

    def paragraphs(self) -> list[Paragraph]:
        return [p for part in self.parts for p in part.paragraphs]

    def printed_parts(self) -> list[Part]:
        """Parts under a heading printed on a line of its own, each followed by prose."""
        return [
            part
            for part in self.parts
            if not part.inferred
            and part.heading is not None
            and any(len(p.text) >= _PROSE for p in part.paragraphs)
        ]

    def looks_like_narrative(self) -> bool:
        """A profile or assessment sentence somewhere (asked only of headingless text)."""
        return any(
            is_assessment_sentence(p.text) or is_profile_sentence(p.text)
            for part in self.parts
            for p in part.paragraphs
        )


def read_body(
    tokens: list[Token],
    start: int,
    end: int,
    year: int | None,
    diagnostics: list[Diagnostic],
    lead: Paragraph | None = None,
    *,
    headed: bool = True,
) -> Body:
    """The body in tokens[start:end]; `lead` is a first paragraph its heading ran into.

    Without a heading (`headed` false) the opening paragraphs are never a 2017 summary:
    a copy that lost its heading, or a page that starts mid-narrative.
    """
    elements = _Elements(tokens, start, end, diagnostics).read()
    if lead is not None:
        elements.insert(0, _Element(lead, None, lead.line, 0))
    if not headed:
        elements = _without_kicker(tokens, start, end, elements, diagnostics)
    paragraphs = [e.paragraph for e in elements if e.paragraph is not None]
    stated, explicit, country = tier_statement(paragraphs)
    parts = _parts(elements, year, diagnostics, headed)
    first_line = paragraphs[0].line if paragraphs else None
    return Body(parts, len(paragraphs), first_line, stated, explicit, country)


def _without_kicker(
    tokens: list[Token],
    start: int,
    end: int,
    elements: list[_Element],
    diagnostics: list[Diagnostic],
) -> list[_Element]:
    """A copy without a heading (a news reprint) may open with a headline or kicker: short
    paragraphs before the first that shows the narrative. They are kept out of it."""
    position = next(
        (
            index
            for index, element in enumerate(elements)
            if element.paragraph is None or element.run_in is not None or _shows_narrative(element)
        ),
        0,
    )
    before = [e.paragraph for e in elements[:position] if e.paragraph is not None]
    if not before or any(len(paragraph.text) >= _PROSE for paragraph in before):
        return elements
    lines = {e.line for e in elements[:position]}
    last = elements[position].line
    kicker = [t for t in tokens[start:end] if t.line < last and t.kind is not Kind.BLANK]
    for token in kicker:
        if token.line >= min(lines):
            token.retag(Kind.UNPLACED, "unplaced.kicker")
    indexes = [t.line - 1 for t in kicker if t.line >= min(lines)]
    diagnostics.append(
        Diagnostic(
            Level.INFO,
            "kicker",
            min(lines),
            f"left the short text before the narrative out of it (a headline or kicker) on "
            f"{line_ranges(indexes)}",
        )
    )
    return elements[position:]


def _shows_narrative(element: _Element) -> bool:
    text = element.paragraph.text if element.paragraph else ""
    return is_profile_sentence(text) or is_assessment_sentence(text)


class _Elements:
    """Group a body's tokens into paragraphs and heading lines; skip site chrome."""

    def __init__(
        self, tokens: list[Token], start: int, end: int, diagnostics: list[Diagnostic]
    ) -> None:
        self.tokens = tokens
        self.start = start
        self.end = end
        self.diagnostics = diagnostics
        self.elements: list[_Element] = []
        self.block: list[Token] = []
        self.block_gap = 0
        self.wrapped = 0

    def read(self) -> list[_Element]:
        gap = 0
        chrome: list[int] = []
        noise: list[int] = []
        in_chrome = False
        _mark_running_headers(self.tokens, self.start, self.end)
        bridged = _page_breaks(self.tokens, self.start, self.end)
        spaced = _double_spaced_breaks(self.tokens, self.start, self.end)
        for index in range(self.start, self.end):
            token = self.tokens[index]
            # A report's title in a list of links after site chrome is a link, not a header.
            if _is_noise(token) and not (in_chrome and token.kind is Kind.TITLE):
                if token.kind is not Kind.NOISE:
                    token.retag(Kind.NOISE, "noise.running_header")
                noise.append(index)
                if index not in bridged:
                    self.flush()
                continue
            if index in bridged or index in spaced:  # a blank line inside a paragraph
                token.retag(Kind.BLANK, "blank.inside_paragraph")
                continue
            if token.kind is Kind.BLANK:
                self.flush()
                gap += 1
                continue
            if token.kind is Kind.CHROME or (in_chrome and _is_link_like(token.text)):
                self.flush()
                if token.kind is not Kind.CHROME:
                    token.retag(Kind.CHROME, "chrome.link_list")
                chrome.append(index)
                # What a reader marked as chrome ends where its markup ends, and a mirror's
                # attribution under the heading is one line: no link list runs on from them.
                in_chrome = token.rule not in ("reader.chrome", "chrome.attribution")
                continue
            in_chrome = False
            if token.kind is Kind.UNPLACED:  # a box outside the text flow (reader.aside)
                self.flush()
                continue
            if token.kind is Kind.CHAPTER:  # a chapter heading between narratives: no text
                self.flush()
                continue
            if token.kind is Kind.PART_HEADING:
                self.flush()
                assert token.groups is not None
                kind = part_kind(token.groups["key"] or "")
                heading = token.text.rstrip(_HEADING_CLOSE).strip()
                self.elements.append(_Element(None, heading, token.line, gap, kind))
                gap = 0
                continue
            if not self.block:
                self.block_gap = gap
            elif token.text.startswith(BULLET):
                self.flush()
                self.block_gap = 0
            self.block.append(token)
            gap = 0
        self.flush()
        if chrome:
            self.diagnostics.append(
                Diagnostic(
                    Level.INFO,
                    "site_chrome",
                    chrome[0] + 1,
                    f"skipped site chrome (links, sharing, footer) on {line_ranges(chrome)}",
                )
            )
        if noise:
            joined = " (a paragraph runs on across the page break)" if bridged else ""
            self.diagnostics.append(
                Diagnostic(
                    Level.INFO,
                    "page_noise",
                    noise[0] + 1,
                    f"left page numbers and running headers out of the text on "
                    f"{line_ranges(noise)}{joined}",
                )
            )
        if spaced:
            self.diagnostics.append(
                Diagnostic(
                    Level.INFO,
                    "double_spaced_joined",
                    min(spaced) + 1,
                    f"read the text as double-spaced (a blank line after every line): joined "
                    f"the lines across {len(spaced)} blank line(s) that fall inside a sentence",
                )
            )
        if self.wrapped:
            self.diagnostics.append(
                Diagnostic(
                    Level.INFO,
                    "hard_wrap_joined",
                    self.start + 1,
                    f"rejoined {self.wrapped} hard-wrapped paragraph(s)",
                )
            )
        return self.elements

    def flush(self) -> None:
        block = self.block
        if not block:
            return
        self.block = []
        pieces = _split_block(block)
        for number, piece in enumerate(pieces):
            if len(piece) > 1:
                self.wrapped += 1
            for token in piece[1:]:
                token.retag(Kind.CONTINUATION, "text.wrapped")
            text, starts = _join(piece)
            first = piece[0]
            run_in = _RUN_IN.match(text) if first.kind is Kind.RUN_IN or len(piece) > 1 else None
            words: str | None = None
            kind: str | None = None
            if run_in is not None:
                first.retag(Kind.RUN_IN, _RUN_IN.name)
                words = " ".join((run_in["key"] or "").split())
                kind = part_kind(words)
            elif first.kind is not Kind.ITEM:
                first.retag(Kind.PARAGRAPH, "text")
            self.elements.append(
                _Element(
                    Paragraph(first.line, text),
                    None,
                    first.line,
                    self.block_gap if number == 0 else 0,
                    kind,
                    words,
                    starts,
                )
            )


def _is_noise(token: Token) -> bool:
    """A page number, or the report's title again below the header: a running header."""
    return token.kind is Kind.NOISE or (token.kind is Kind.TITLE and token.rule == "title")


def _mark_running_headers(tokens: list[Token], start: int, end: int) -> None:
    """A PDF page's running header beside its page number: a short line in capitals with
    no sentence in it ("COUNTRY NARRATIVES", the country's name), next to a page number
    with only blank lines between. Such a line is page noise, not text."""
    for index in range(start, end):
        token = tokens[index]
        if token.rule != "noise.page_number":
            continue
        for step in (-1, 1):
            near = index + step
            while start <= near < end and tokens[near].kind is Kind.BLANK:
                near += step
            if start <= near < end and _reads_as_running_header(tokens[near]):
                tokens[near].retag(Kind.NOISE, "noise.running_header")


def _reads_as_running_header(token: Token) -> bool:
    text = token.text
    return (
        token.kind in (Kind.TEXT, Kind.LABEL)  # "COUNTRY NARRATIVES" opens like a label
        and len(text) <= _RUNNING_HEADER_LENGTH
        and text.isupper()
        and not text.endswith(_SENTENCE_END)
    )


def _page_breaks(tokens: list[Token], start: int, end: int) -> set[int]:
    """The blank and noise lines of page breaks that fall inside a paragraph: the text before
    stops mid-sentence and the text after goes on in lower case."""
    bridged: set[int] = set()
    index = start
    while index < end:
        if not _is_noise(tokens[index]):
            index += 1
            continue
        before = index - 1
        while before >= start and (tokens[before].kind is Kind.BLANK or _is_noise(tokens[before])):
            before -= 1
        after = index + 1
        while after < end and (tokens[after].kind is Kind.BLANK or _is_noise(tokens[after])):
            after += 1
        if (
            before >= start
            and after < end
            and tokens[before].kind is Kind.TEXT
            and tokens[after].kind is Kind.TEXT
            and not tokens[before].text.endswith(_SENTENCE_END)
            and tokens[after].text[:1].islower()
        ):
            bridged.update(range(before + 1, after))
        index = after
    return bridged


def _double_spaced_breaks(tokens: list[Token], start: int, end: int) -> set[int]:
    """In a double-spaced copy (a blank line after every line: PDF text of a double-spaced
    page, a web page with each line its own paragraph), the blank lines inside paragraphs:
    those after a line that stops mid-sentence, before more text.

    Only where that is the copy's habit: most of its text lines stand alone between blank
    lines, and at least `_SPACED_MIN` of those blank lines are plainly inside a sentence (the
    text after them goes on in lower case). A single-spaced copy keeps its paragraphs.
    """
    inside: list[int] = []
    plainly = 0
    for index in range(start, end - 2):
        token = tokens[index]
        if token.kind is not Kind.TEXT or token.text.endswith(_SENTENCE_END):
            continue
        after, following = tokens[index + 1], tokens[index + 2]
        if after.kind is Kind.BLANK and following.kind is Kind.TEXT:
            inside.append(index + 1)
            plainly += following.text[:1].islower()
    if plainly < _SPACED_MIN:
        return set()
    # Only now the habit, which needs every text line's neighbours: most stand alone.
    lines = alone = 0
    for index in range(start, end):
        if tokens[index].kind is Kind.TEXT:
            lines += 1
            alone += (index == start or tokens[index - 1].kind is Kind.BLANK) and (
                index + 1 == end or tokens[index + 1].kind is Kind.BLANK
            )
    return set(inside) if alone >= _SPACED_ALONE * lines else set()


def _is_link_like(line: str) -> bool:
    """A line in a link list: short, and not a sentence."""
    return len(line) < 120 and not line.endswith((".", "!", "?"))


def _split_block(block: list[Token]) -> list[list[Token]]:
    """Split consecutive non-blank lines into paragraphs.

    Copies with one paragraph per line (Refworld) have long lines: each is a paragraph.
    Hard-wrapped copies (PDF, e-mail) have lines of about one width: a paragraph ends on a
    line that finishes a sentence well short of that width, and where lines are indented,
    one that stands out to the left of the line after it (hanging indentation) opens one.
    """
    if len(block) == 1:
        return [block]
    width = max(len(token.text) for token in block)
    if width >= _UNWRAPPED_LENGTH:
        return [[token] for token in block]
    hanging = any(token.indent for token in block)
    pieces: list[list[Token]] = [[]]
    for index, token in enumerate(block):
        line = token.text
        following = block[index + 1] if index + 1 < len(block) else None
        if pieces[-1] and (
            line.startswith(BULLET)
            or (hanging and following is not None and token.indent < following.indent)
        ):
            pieces.append([])
        pieces[-1].append(token)
        if line.endswith(_SENTENCE_END) and len(line) < 0.75 * width:
            pieces.append([])
    return [piece for piece in pieces if piece]


def _join(piece: list[Token]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The lines of a paragraph as one text, and where each line starts in it."""
    first = piece[0].text
    if len(piece) == 1:
        return first, ()
    # Collect and join once: growing one string line by line is quadratic on 1M-line blocks.
    pieces = [first]
    starts = [(0, piece[0].line)]
    size = len(first)
    tail = first[-2:]
    for token in piece[1:]:
        line = token.text
        # "anti-" + "trafficking": a line-end hyphen stays and joins without a space.
        glue = "" if tail.endswith("-") and tail[-2:-1].isalpha() else " "
        pieces.append(glue)  # glue and line apart: no new string per line of a huge block
        pieces.append(line)
        size += len(glue)
        starts.append((size, token.line))
        size += len(line)
        tail = line[-2:] if len(line) > 1 else (tail + glue + line)[-2:]
    return "".join(pieces), tuple(starts)


class _PartBuilder:
    """A part while its paragraphs are being collected."""

    __slots__ = ("elements", "heading", "inferred", "kind", "line")

    def __init__(self, kind: str, heading: str | None, line: int, inferred: bool) -> None:
        self.kind = kind
        self.heading = heading
        self.line = line
        self.inferred = inferred
        self.elements: list[_Element] = []

    def build(self) -> Part:
        paragraphs: list[Paragraph] = []
        for element in self.elements:
            assert element.paragraph is not None
            paragraphs.extend(_list_items(element.paragraph, element.starts, self.kind))
        return Part(self.kind, self.heading, self.line, self.inferred, tuple(paragraphs))


_EVIDENCE = {
    "profile": "a sentence calls the country a source, transit or destination",
    "assessment": "a sentence says whether the government meets the minimum standards",
    "summary": "the paragraphs before the first printed part heading (the 2017 layout)",
    "other": "no printed heading, no profile or assessment sentence",
}


def _parts(
    elements: list[_Element], year: int | None, diagnostics: list[Diagnostic], headed: bool
) -> tuple[Part, ...]:
    """Group the elements into parts; one diagnostic names every inferred part and why."""
    printed_lines = any(e.heading is not None for e in elements)
    any_run_in = any(e.run_in is not None for e in elements)
    stripped = _stripped_gaps(elements) if not (printed_lines or any_run_in) else []
    order = _STRIPPED_ORDER_2003 if year is None or year <= 2003 else _STRIPPED_ORDER_LATER
    stripped_kinds = dict(zip(stripped, order, strict=False))
    parts: list[_PartBuilder] = []
    inferred: list[str] = []
    for position, element in enumerate(elements):
        current = parts[-1] if parts else None
        if element.paragraph is None:
            assert element.kind is not None
            parts.append(_PartBuilder(element.kind, element.heading, element.line, False))
            continue
        paragraph = element.paragraph
        if element.run_in is not None:
            assert element.kind is not None
            parts.append(_PartBuilder(element.kind, element.run_in, paragraph.line, False))
        elif position in stripped_kinds:
            kind = stripped_kinds[position]
            parts.append(_PartBuilder(kind, None, paragraph.line, True))
            inferred.append(f"{kind} on line {paragraph.line} (a double blank line before it)")
        elif current is None or (current.inferred and current.kind in ("profile", "other")):
            kind = _infer_kind(paragraph.text, current, printed_lines and headed)
            if current is None or kind != current.kind:
                parts.append(_PartBuilder(kind, None, paragraph.line, True))
                inferred.append(f"{kind} on line {paragraph.line} ({_EVIDENCE[kind]})")
        parts[-1].elements.append(element)
    if inferred:
        diagnostics.append(
            Diagnostic(
                Level.INFO,
                "parts_inferred",
                next(p.line for p in parts if p.inferred),
                "parts without a printed heading: " + "; ".join(inferred),
            )
        )
    return tuple(part.build() for part in parts)


def _infer_kind(text: str, current: _PartBuilder | None, summary: bool) -> str:
    """Kind for a paragraph before any printed part heading, from position and content."""
    if current is None:
        if is_profile_sentence(text):
            return "profile"
        if summary:
            return "summary"  # 2017+: the opening paragraphs summarise before RECOMMENDATIONS
        return "assessment" if is_assessment_sentence(text) else "other"
    if is_assessment_sentence(text):
        return "assessment"
    if current.kind == "other" and is_profile_sentence(text):
        return "profile"
    return current.kind


def _stripped_gaps(elements: list[_Element]) -> list[int]:
    """Positions of paragraphs after a double blank line, where 2003 copies lost headings."""
    gaps = [i for i, e in enumerate(elements) if i and e.paragraph is not None and e.gap >= 2]
    return gaps if 0 < len(gaps) <= 3 else []


def _list_items(
    paragraph: Paragraph, starts: tuple[tuple[int, int], ...], kind: str
) -> list[Paragraph]:
    """A paragraph of `•` items as one paragraph per item (text without the bullet), each
    at the line where its bullet stands.

    A paragraph opening with a bullet is a list anywhere; in a recommendations part the
    items may also follow a lead-in ("Recommendations for Freedonia: • ... • ..."), which
    stays a paragraph of its own.
    """
    text = paragraph.text
    if BULLET not in text or not (text.startswith(BULLET) or kind == "recommendations"):
        return [paragraph]
    lead = text[: text.find(BULLET)].strip()
    found = [Paragraph(paragraph.line, lead)] if lead else []
    at = text.find(BULLET)
    while at >= 0:
        following = text.find(BULLET, at + 1)
        item = text[at + 1 : following if following >= 0 else len(text)].strip(" ;")
        if item:
            found.append(Paragraph(_line_at(starts, at, paragraph.line), item, True))
        at = following
    return found or [paragraph]


def _line_at(starts: tuple[tuple[int, int], ...], offset: int, first: int) -> int:
    """The line holding `offset` of a joined paragraph."""
    line = first
    for start, number in starts:
        if start > offset:
            break
        line = number
    return line
