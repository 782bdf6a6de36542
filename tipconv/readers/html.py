"""HTML pages (state.gov, its archive, Refworld, a browser's "Save as..."): markup to lines.

Block elements end lines and stand apart with a blank line between them (the parser splits
paragraphs on blank lines); inline elements join; whitespace collapses; entities decode.
What never is text (`script`, `style`, `template`, comments, the `head` but its `<title>`)
is dropped; site chrome (`nav`, `header`, `footer`, `aside`, elements whose id, class or
role says navigation, breadcrumbs, skip links, menus, banners or sharing, and, on a page
with a `<main>`, everything outside it) becomes lines hinted `Hint.CHROME`, which the
parser keeps out of the narrative and reports. A heading element, or a block all in bold,
is hinted `Hint.HEADING`; a list item is a line opening with a bullet; a table row is one
line, its cells joined with a space (so Refworld's `Publisher | United States ...` table
reads as the header's labels). The page's `<title>`, without the site's name, is the first
line unless an `h1` says the same.

Each line keeps the line of the HTML source where its element starts (`Layout.origin`).
The parse is iterative (the standard library's `HTMLParser`) and keeps one small entry per
open element, so a page nested 100,000 deep or 100 MB on one line costs what it weighs.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ..errors import DecodeError, InputError
from ..layout import Hint, Layout
from ..model import Diagnostic, Level
from ..text import Decoded, _decode_strict, decode
from . import Document

# How far into the bytes a `<meta charset>` (or an XML prolog's encoding) is looked for.
_PRESCAN_BYTES = 4096
_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})"""
    rb"""|<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
# What a page's declared charset means in practice (as browsers read it, WHATWG Encoding):
# Latin-1 and ASCII labels are Windows-1252; a page that says UTF-16 in ASCII bytes is not.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-user-defined": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}

# Elements that end a line (and open a new block).
_BLOCKS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
        "noframes",
    )
)
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BOLD = frozenset(("b", "strong"))
# Never text: their content is dropped (script and style are raw text to HTMLParser).
_SKIPPED = frozenset(
    (
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "head",
        "iframe",
        "object",
        "canvas",
        "select",
        "button",
        "datalist",
        "audio",
        "video",
        "map",
    )
)
# Elements with no end tag: never pushed on the stack.
_VOID = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    )
)
_CHROME_TAGS = frozenset(("nav", "header", "footer", "aside", "form"))
_CHROME_ROLES = frozenset(("navigation", "banner", "contentinfo", "search", "complementary"))
# Words in an id or class that say the element is site chrome.
_CHROME_WORDS = re.compile(
    r"nav|breadcrumb|skip|menu|footer|banner|share|sharing|social|cookie|sidebar|masthead",
    re.IGNORECASE,
)
# Words that say an element holds the document itself, whatever its other classes say
# (`<div id="main-content" class="skip-target">`): never chrome by its attributes.
_CONTENT_WORDS = re.compile(r"main|content|article|story|narrative|report", re.IGNORECASE)
# Elements whose class never makes them chrome (`<body class="has-nav">`).
_NEVER_CHROME = frozenset(("html", "body", "main", "article"))
_MARKUP = re.compile(r"<[A-Za-z!/?]")
_MAIN_ELEMENT = re.compile(r"<main[\s>]|\brole\s*=\s*[\"']?main\b", re.IGNORECASE)
_ARTICLE_ELEMENT = re.compile(r"<article[\s>]", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# A title's segments that are the site's name, not the document's.
_SITE_NAMES = frozenset(
    (
        "united states department of state",
        "u.s. department of state",
        "us department of state",
        "department of state",
        "state.gov",
        "refworld",
        "unhcr",
        "refworld | unhcr",
    )
)
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ")
BULLET = "\u2022"

# Flags of an open element (one int per entry of the stack).
_F_BLOCK = 1
_F_CHROME = 2
_F_SKIP = 4
_F_HEADING = 8
_F_BOLD = 16
_F_MAIN = 32
_F_TITLE = 64


def read_html(data: bytes, *, encoding: str | None = None, path: str | None = None) -> Document:
    """The lines of an HTML page, with where each starts in the source and what it is."""
    decoded = _decode(data, encoding, path)
    name, notes, text = decoded.encoding, decoded.diagnostics, decoded.text
    del decoded  # a large page is held once: as text, then as what the parser has left
    if _MARKUP.search(text) is None:
        # A text copy saved under a page's name: its lines are its own.
        note = Diagnostic(Level.INFO, "no_markup", None, "no markup in the page: read as text")
        return Document(text, name, (*notes, note))
    if text.startswith("\ufeff"):
        text = text[1:]
    if _MAIN_ELEMENT.search(text):
        main: str | None = "main"
    elif len(_ARTICLE_ELEMENT.findall(text, 0, _ARTICLE_SCAN)) == 1:
        main = "article"
    else:
        main = None
    text = defuse(text)
    extractor = _extract(text, main)
    if main is not None and extractor.prose_outside and not extractor.prose_inside:
        # The `<main>` (or the one `<article>`) holds no prose and the page does elsewhere:
        # it is not where the narrative is (a card of related stories), so nothing is chrome
        # for being outside it.
        extractor = _extract(text, None)
    del text
    lines, origin, hints = extractor.result()
    layout = Layout("html", origin=origin, hints=hints)
    return Document("\n".join(lines), name, notes, layout)


def _extract(text: str, main: str | None) -> _Extractor:
    extractor = _Extractor(main)
    extractor.feed(text)  # (HTMLParser adds it to its empty buffer: no copy)
    extractor.close()
    return extractor


# A line this long is prose, not a menu item or a caption.
_PROSE = 200
# How far into a page its `<article>` elements are counted (a page of 10,000 comments
# holds many; one is the document).
_ARTICLE_SCAN = 1 << 20


# ------------------------------------------------------------------------------ decoding


def _decode(data: bytes, encoding: str | None, path: str | None) -> Decoded:
    """`--encoding` if given; else the BOM, the page's `<meta charset>`, strict UTF-8, then
    Windows-1252 with a warning. A charset the bytes contradict, or one no codec knows, is
    a warning, never a failure."""
    mode = (encoding or "").strip().lower()
    if mode and mode != "auto":
        return decode(data, mode, path)
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, None, path)
    notes: list[Diagnostic] = []
    found = _CHARSET.search(data[:_PRESCAN_BYTES])
    if found:
        label = (found.group(1) or found.group(2) or b"").decode("ascii").lower()
        name = _CHARSET_ALIASES.get(label, label)
        try:
            codecs.lookup(name)
        except LookupError:
            notes.append(
                Diagnostic(
                    Level.WARNING,
                    "charset_unknown",
                    None,
                    f"the page declares charset {label!r}, which no codec knows; detected instead",
                )
            )
        else:
            try:
                return _decode_strict(data, name, path, f"the page's <meta> says {label}")
            except DecodeError as exc:  # the bytes contradict the page
                notes.append(
                    Diagnostic(
                        Level.WARNING,
                        "charset_mismatch",
                        None,
                        f"the page declares charset {label!r} but its bytes are not "
                        f"({exc.message}); detected instead",
                    )
                )
    try:
        detected = decode(data, "auto", path)
    except InputError:
        # Not text by the text reader's tests (NUL bytes, control bytes), yet it looked like
        # markup: read what can be read.
        text = data.decode("utf-8", "replace")
        note = Diagnostic(
            Level.WARNING,
            "encoding_detected",
            None,
            "not valid text in any encoding tried; undecodable bytes replaced",
        )
        return Decoded(text, "utf-8", (*notes, note))
    found_notes = tuple(
        note.replace(message=note.message.replace("(--encoding auto)", "(detected)"))
        if note.code == "encoding_detected"
        else note
        for note in detected.diagnostics
    )
    return Decoded(detected.text, detected.encoding, (*notes, *found_notes))


# --------------------------------------------------------------------- hostile markup

# HTMLParser looks ahead from each `<` for the end of what it opens (`>`, `-->`, `]]>`),
# and on failure moves on by one construct: many `<` before one distant `>` (or none), or
# many comments that never close, make it quadratic (100,000 `</` took minutes). `defuse`
# turns those `<` into text first, as a browser would read them: after it, no run between
# two `>` holds more than _CROWD `<`, no `<!--` lacks its `-->`, and no `<![` remains.
_CROWD = 32
# From a `>` (a literal first, which the regex engine finds fast), a run of too many `<`.
_CROWDED = re.compile(r">(?=(?:[^<>]*<){" + str(_CROWD + 1) + r"})[^>]*")
_CROWDED_START = re.compile(r"(?:[^<>]*<){" + str(_CROWD + 1) + "}")
_CONDITIONAL = re.compile(r"<!\[[^<>\]]{0,100}\]>")  # `<![if !IE]>`, `<![endif]>`


def defuse(text: str) -> str:
    """`text` with every `<` that cannot open markup a parser could close cheaply written as
    `&lt;` (text, once entities decode): the markup of any real page is left as it is."""
    if "<![" in text:
        text = _CONDITIONAL.sub("", text).replace("<![", "&lt;![")
    last = text.rfind("-->")
    if text.find("<!--", last + 1 if last >= 0 else 0) >= 0:
        head, tail = (text[: last + 3], text[last + 3 :]) if last >= 0 else ("", text)
        text = head + tail.replace("<!--", "&lt;!--")
    if _CROWDED_START.match(text) is None and _CROWDED.search(text) is None:
        return text  # every real page: no copy of a large one
    return _CROWDED.sub(_spread, ">" + text)[1:]  # the text's start counts as after a `>`


def _spread(found: re.Match[str]) -> str:
    """A run with too many `<`: all but the last (the one that may open a real tag) as text."""
    run = found.group(0)
    last = run.rfind("<")
    return run[:last].replace("<", "&lt;") + run[last:]


# ---------------------------------------------------------------------------- extraction


class _Extractor(HTMLParser):
    """Lines as blocks end, with their source lines and hints."""

    def __init__(self, main: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.main = main  # "main", "article" or None: text outside it is chrome
        self.lines: list[str] = []
        self.origin: list[int] = []
        self.hints: dict[int, Hint] = {}
        # Open elements: tag names and flags, and how many of each tag are open.
        self.tags: list[str] = []
        self.flags: list[int] = []
        self.open: dict[str, int] = {}
        self.chrome = 0
        self.skip = 0
        self.heading = 0
        self.bold = 0
        self.inside_main = 0
        self.in_title = 0
        self.title: list[str] = []
        self.title_line = 1
        self.h1s: list[str] = []
        # The line being built.
        self.pieces: list[str] = []
        self.has_text = False
        self.line_at: int | None = None
        self.pending_line: int | None = None
        self.all_bold = True
        self.any_bold = False
        self.in_heading = False
        self.item = False
        self.last_item = False
        self.after_term = False  # a `</dt>` was the last markup: its `<dd>` joins its line
        self.need_blank = False
        self.br_run = 0
        # Whether a line of prose stood inside the main element, and outside it.
        self.prose_inside = False
        self.prose_outside = False

    # HTMLParser's callbacks -----------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self._line_break()
            elif tag == "hr":
                self._break()
            return
        flags = 0
        if tag in _SKIPPED or _hidden(attrs):
            flags |= _F_SKIP
        if tag == "title" and not self.title:
            flags |= _F_TITLE
            self.title_line = self.getpos()[0]
            flags &= ~_F_SKIP
        if tag in _CHROME_TAGS or (tag not in _NEVER_CHROME and _chrome_attrs(attrs)):
            flags |= _F_CHROME | _F_BLOCK
        if tag in _BLOCKS:
            flags |= _F_BLOCK
        if tag in _HEADINGS:
            flags |= _F_HEADING
        elif tag in _BOLD:
            flags |= _F_BOLD
        if self.main is not None and (
            tag == self.main or any(k == "role" and v == "main" for k, v in attrs)
        ):
            flags |= _F_MAIN | _F_BLOCK
        if flags & _F_BLOCK:
            if tag == "dd" and self.after_term:
                self._space()  # a term and its description: one line, "Publisher United ..."
            else:
                self._break(tag, flags)
        self.after_term = False
        self._push(tag, flags)
        if tag == "li" and not self.chrome:
            self.item = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if not self.open.get(tag):
            if tag == "br":  # `</br>` is read as `<br>` by browsers
                self._line_break()
            elif tag == "p":
                self._break()
            return
        tags = self.tags
        while tags:
            popped = tags.pop()
            self._pop(popped, self.flags.pop())
            if popped == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip:
            return
        if self.open.get("pre") and "\n" in data and not self._in_item():
            # Preformatted text keeps its lines, and its blank lines end paragraphs.
            line = self.getpos()[0]
            pieces = data.split("\n")
            self._text(pieces[0], line)
            for number, piece in enumerate(pieces[1:], 1):
                self._line_break()
                self._text(piece, line + number)
            return
        self._text(data, self.getpos()[0])

    def _text(self, data: str, line: int) -> None:
        """Text that began on source line `line`."""
        if not data or data.isspace():
            if self.has_text:
                self.pieces.append(" ")
            return
        if not self.has_text:
            self.has_text = True
            if self.pending_line is not None:
                self.line_at = self.pending_line
            else:
                lead = len(data) - len(data.lstrip())
                self.line_at = line + data.count("\n", 0, lead)
            self.pending_line = None
        self.br_run = 0
        if self.bold:
            self.any_bold = True
        else:
            self.all_bold = False
        self.pieces.append(data)

    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        return

    def handle_pi(self, data: str) -> None:
        return

    def unknown_decl(self, data: str) -> None:
        return

    # The element stack ----------------------------------------------------------------

    def _push(self, tag: str, flags: int) -> None:
        self.tags.append(tag)
        self.flags.append(flags)
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag in ("td", "th") and self.has_text:
            self.pieces.append(" ")
        if flags & _F_CHROME:
            self.chrome += 1
        if flags & _F_SKIP:
            self.skip += 1
        if flags & _F_HEADING:
            self.heading += 1
        if flags & _F_BOLD:
            self.bold += 1
        if flags & _F_MAIN:
            self.inside_main += 1
        if flags & _F_TITLE:
            self.in_title += 1

    def _pop(self, tag: str, flags: int) -> None:
        if tag == "dt" and not flags & _F_CHROME:
            self.after_term = True
            self._space()
        elif flags & _F_BLOCK:
            self._break(tag, flags)
        self.open[tag] -= 1
        if flags & _F_CHROME:
            self.chrome -= 1
        if flags & _F_SKIP:
            self.skip -= 1
        if flags & _F_HEADING:
            self.heading -= 1
        if flags & _F_BOLD:
            self.bold -= 1
        if flags & _F_MAIN:
            self.inside_main -= 1
        if flags & _F_TITLE:
            self.in_title -= 1

    # Lines ----------------------------------------------------------------------------

    def _space(self) -> None:
        if self.has_text:
            self.pieces.append(" ")

    def _in_item(self) -> bool:
        """Inside a list item of the text (not of a menu): it stays one line."""
        return bool(self.open.get("li")) and not self.chrome

    def _break(self, tag: str = "", flags: int = 0) -> None:
        """A block ends or starts: the line ends, and a blank line comes before the next.
        Inside a list item, a block other than an item is a space: the item is one line."""
        if tag != "li" and not flags & _F_CHROME and self._in_item():
            if self.has_text:
                self.pieces.append(" ")
            return
        self._end_line()
        self.need_blank = True
        self.pending_line = self.getpos()[0]
        self.br_run = 0

    def _line_break(self) -> None:
        """`<br>`: a new line in the same block; two in a row end the block."""
        if self._in_item():
            if self.has_text:
                self.pieces.append(" ")
            return
        if self.has_text:
            self._end_line()
            self.br_run = 1
        else:
            self.br_run += 1
            if self.br_run >= 2:
                self.need_blank = True
        self.pending_line = None

    def _end_line(self) -> None:
        if not self.has_text:
            return
        text = _WHITESPACE.sub(" ", "".join(self.pieces)).strip()
        outside = self.main is not None and not self.inside_main
        if not self.chrome and len(text) >= _PROSE:
            if outside:
                self.prose_outside = True
            else:
                self.prose_inside = True
        chrome = bool(self.chrome) or outside
        hint: Hint | None = None
        if chrome:
            hint = Hint.CHROME
        elif self.heading or (self.any_bold and self.all_bold):
            hint = Hint.HEADING
            if self.heading and self.open.get("h1"):
                self.h1s.append(text)
        item = self.item and not chrome
        if item:
            text = f"{BULLET} {text}"
        self.item = False
        line = self.line_at or 1
        # Items of a list stand line under line, as a text copy prints them.
        if self.need_blank and self.lines and self.lines[-1] and not (item and self.last_item):
            self.lines.append("")
            self.origin.append(line)
        self.need_blank = False
        if hint is not None:
            self.hints[len(self.lines)] = hint
        self.lines.append(text)
        self.origin.append(line)
        self.last_item = item
        self.pieces = []
        self.has_text = False
        self.line_at = None
        self.all_bold = True
        self.any_bold = False

    def result(self) -> tuple[list[str], list[int], dict[int, Hint]]:
        self._end_line()
        lines, origin, hints = self.lines, self.origin, self.hints
        title = page_title(" ".join("".join(self.title).split()))
        shown = {_fold(h1) for h1 in self.h1s}
        if title and _fold(title) not in shown:
            # Where the page's text begins: after the banners and menus above it, as a copy
            # of the page reads (chrome, then the title, then `Last Updated` and the rest).
            at = 0
            while at < len(lines) and (not lines[at] or hints.get(at) is Hint.CHROME):
                at += 1
            if at == len(lines):
                at = 0
            lead = [title, ""] if lines else [title]
            if at and lines[at - 1]:
                lead.insert(0, "")  # (blocks stand apart with one blank line, never two)
            lines[at:at] = lead
            origin[at:at] = [self.title_line] * len(lead)
            hints = {
                index + len(lead) if index >= at else index: hint for index, hint in hints.items()
            }
        return lines, origin, hints


def page_title(title: str) -> str:
    """A page's `<title>` without the site's name before or after it:
    "2022 Trafficking in Persons Report: Peru - United States Department of State" ->
    "2022 Trafficking in Persons Report: Peru"."""
    changed = True
    while title and changed:
        changed = False
        for separator in _TITLE_SEPARATORS:
            head, found, tail = title.rpartition(separator)
            if found and tail.strip().lower() in _SITE_NAMES:
                title, changed = head.strip(), True
                break
            head, found, tail = title.partition(separator)
            if found and head.strip().lower() in _SITE_NAMES:
                title, changed = tail.strip(), True
                break
    return "" if title.lower() in _SITE_NAMES else title


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _chrome_attrs(attrs: list[tuple[str, str | None]]) -> bool:
    chrome = False
    for name, value in attrs:
        if not value:
            continue
        if name in ("id", "class"):
            # Each class by itself: "main-menu" is chrome, "main-content" is the document.
            for word in value.split():
                if _CHROME_WORDS.search(word):
                    chrome = True
                elif _CONTENT_WORDS.search(word):
                    return False
        elif name == "role":
            role = value.strip().lower()
            if role == "main":
                return False
            chrome = chrome or role in _CHROME_ROLES
    return chrome


def _hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden":
            return True
        if name == "style" and value and "display:none" in value.replace(" ", "").lower():
            return True
    return False


__all__ = ["page_title", "read_html"]
