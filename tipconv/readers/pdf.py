"""PDF documents: a country's narrative or the whole annual report, to lines for the parser.

Read with pypdfium2 (Apache-2.0/BSD-3), imported only here, so a text parse never loads
it. Pages are read one at a time; of each, only its lines are kept (text and geometry).

What the reader does with a page:

1. Lines. pdfium's own text (one call a page) is split where pdfium breaks lines; each
   line's place comes from the boxes of its first and last characters. A line that runs
   across a gutter (a producer that drew two columns row by row) is cut at the gap.
2. Columns. A vertical strip that no line crosses, with lines on both sides, is a gutter;
   lines that cross it anyway (a title, a full-width box) are read where they stand, and
   between them the columns one after the other, left to right.
3. Chrome. A line at the top or bottom of the page that recurs (digits aside) at the same
   height on most pages is a running header or footer, a bare number there is a page
   number: all are dropped and reported once. The first running header that names a year
   is kept, once, as `Hint.RUNNING_HEADER` (it carries the report's year).
4. Paragraphs, from the layout: a vertical gap wider than the line spacing, an indented
   first line, a short last line that ends a sentence, a change of type size, a bullet.
   A paragraph runs on across columns and pages unless one of those says it ends.
   Headings (bold or larger type, or capitals, on a short line) are blocks of their own
   with `Hint.HEADING`; a block in smaller type than the body (a photo caption, a box) is
   kept apart with `Hint.ASIDE`.
5. Words. pdfium marks a hyphen that breaks a word at a line's end (U+FFFE, U+0002); such
   words are joined. A plain hyphen there is joined when the document uses the joined
   word (or does not use the hyphenated one); ligature glyphs become letters
   (`tipconv.repair`).

A page with no text but images is a scan: if every page is, the PDF cannot be read (one
line, exit 3); otherwise a warning names the pages. A page whose text is mostly not words
(a font without a usable encoding) is reported and left out. An encrypted, truncated or
broken PDF is one line (exit 3). Nothing raises but `InputError`.

Each paragraph is one line of the extracted text, with a blank line between blocks; the
`Layout` gives every line its page.
"""

from __future__ import annotations

import ctypes
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict, deque
from typing import TYPE_CHECKING, Any

from ..errors import BinaryInputError, InputError
from ..layout import Hint, Layout
from ..model import Diagnostic, Level
from ..repair import WORD, fix_ligatures, join_hyphenated, vocabulary
from . import Document

if TYPE_CHECKING:
    from collections.abc import Iterator

# Top and bottom of a page, as fractions of its height, where running chrome lives.
_TOP_ZONE = 0.10
_BOTTOM_ZONE = 0.09
# A running header recurs on at least this share of the pages with text (and on two).
_CHROME_SHARE = 0.4
_PAGE_NUMBER = re.compile(r"(?i)(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[ivxlc]{1,6}")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "\u201d", "\u2019", ")")
_BULLETS = ("\u2022", "\u25aa", "\u25cf", "\u2013 ", "- ", "\u00b7", "o ")
_HYPHEN_MARKS = "\ufffe\x02\u00ad"
_VOWELS = frozenset("aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûüÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ")
_WORDS = WORD
_COMPOUND = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_PREFIXES = frozenset(
    ("anti", "non", "self", "co", "cross", "ex", "multi", "post", "pre", "semi", "inter")
)
_BOLD_NAME = re.compile(r"(?i)bold|black|heavy|semibold|demi")
# How many of a page's tokens the letter-soup test reads.
_SOUP_SAMPLE = 400
# A page with more characters than this is read in part (memory bounded by a page).
_MAX_PAGE_CHARS = 2_000_000


class _Line:
    """One line of a page: text and where it stands (PDF points, y grows upwards)."""

    __slots__ = (
        "aside",
        "bold",
        "bottom",
        "first",
        "heading",
        "left",
        "page",
        "right",
        "size",
        "text",
        "top",
    )

    def __init__(
        self,
        text: str,
        left: float,
        right: float,
        top: float,
        bottom: float,
        size: float,
        page: int,
        first: int,
    ) -> None:
        self.text = text
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
        self.size = size
        self.page = page
        self.first = first  # pdfium index of its first character (for the font, lazily)
        self.bold = False
        self.heading = False
        self.aside = False  # a box outside the column flow, found by its geometry


class _Page:
    __slots__ = ("columns", "height", "images", "lines", "number", "width")

    def __init__(self, number: int, width: float, height: float) -> None:
        self.number = number
        self.width = width
        self.height = height
        self.lines: list[_Line] = []  # in reading order
        self.columns: list[tuple[float, float]] = []  # the column of each line (left, right)
        self.images = False  # with little text: whether it holds images (a scan?)


def read_pdf(data: bytes, *, path: str | None = None) -> Document:
    try:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]
        import pypdfium2.raw as raw  # type: ignore[import-untyped]
    except ImportError:
        raise InputError(
            path, "reading a PDF needs pypdfium2: pip install 'tipconv[pdf]'"
        ) from None
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(path, _open_error(str(exc))) from None
    except Exception as exc:  # pragma: no cover - pdfium raises PdfiumError
        raise InputError(path, f"a broken PDF: {exc}") from None
    notes: list[Diagnostic] = []
    scanned: list[int] = []
    stream = _Stream()
    try:
        count = len(document)
        for page in _pages(document, raw, count, notes, scanned):
            stream.add(page)
    finally:
        document.close()
    return stream.finish(count, notes, scanned, path)


def _open_error(message: str) -> str:
    low = message.lower()
    if "password" in low or "security" in low:
        return "an encrypted PDF: tipconv cannot read it (save a copy without the password)"
    if "format" in low or "file" in low:
        return "a broken PDF: pdfium cannot open it (truncated or damaged?)"
    return f"a broken PDF: {message}"


def _pages(
    document: Any, raw: Any, count: int, notes: list[Diagnostic], scanned: list[int]
) -> Iterator[_Page]:
    """The pages with text, one at a time; `scanned` gets those with images only."""
    soup: list[int] = []
    failed: list[int] = []
    for index in range(count):
        number = index + 1
        try:
            page = document[index]
        except Exception:
            failed.append(number)
            continue
        try:
            read = _read_page(page, raw, number)
            if read is None:
                if _has_images(page, raw):
                    scanned.append(number)
                continue
            if _is_soup(read):
                soup.append(number)
                continue
            if sum(len(line.text) for line in read.lines) < 300:
                read.images = _has_images(page, raw)  # a scan under a running header?
            yield read
        except Exception:
            failed.append(number)
        finally:
            page.close()
    if soup:
        notes.append(
            Diagnostic(
                Level.WARNING,
                "pdf_letter_soup",
                None,
                f"{_pages_phrase(soup)} text that is mostly not words (a font without a "
                "usable encoding?): left out",
            )
        )
    if failed:
        notes.append(
            Diagnostic(
                Level.WARNING,
                "pdf_unreadable_page",
                None,
                f"{_pages_phrase(failed)} could not be read by pdfium: left out",
            )
        )


def _pages_phrase(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:20])) + (", ..." if len(numbers) > 20 else "")
    return f"page {shown} has" if len(numbers) == 1 else f"pages {shown} have"


def _has_images(page: Any, raw: Any) -> bool:
    count = raw.FPDFPage_CountObjects(page)
    for index in range(min(count, 10_000)):
        obj = raw.FPDFPage_GetObject(page, index)
        if raw.FPDFPageObj_GetType(obj) in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM):
            return True
    return False


# --- one page: lines, columns, reading order ---------------------------------------------


def _read_page(page: Any, raw: Any, number: int) -> _Page | None:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        total = textpage.count_chars()
        if total <= 0:
            return None
        total = min(total, _MAX_PAGE_CHARS)
        text = textpage.get_text_range(0, total)
        if not text.strip():
            return None
        result = _Page(number, float(width), float(height))
        lines = list(_lines(textpage, raw, text, result))
    finally:
        textpage.close()
    if not lines:
        return None
    _order(result, lines)
    return result


class _Boxes:
    """pdfium's character boxes, through one set of reusable out-parameters."""

    def __init__(self, textpage: Any, raw: Any) -> None:
        self.handle = textpage.raw
        self.raw = raw
        self.values = [ctypes.c_double() for _ in range(4)]
        self.refs = [ctypes.byref(value) for value in self.values]

    def baseline(self, index: int) -> float | None:
        v = self.values
        if not self.raw.FPDFText_GetCharOrigin(self.handle, index, self.refs[0], self.refs[1]):
            return None
        return v[1].value

    def box(self, index: int) -> tuple[float, float, float, float] | None:
        """(left, right, bottom, top) of character `index`, or None (a generated one)."""
        v = self.values
        if not self.raw.FPDFText_GetCharBox(self.handle, index, *self.refs):
            return None
        left, right, bottom, top = v[0].value, v[1].value, v[2].value, v[3].value
        if right <= left and top <= bottom:
            return None
        return left, right, bottom, top

    def size(self, index: int) -> float:
        return float(self.raw.FPDFText_GetFontSize(self.handle, index))

    def bold(self, index: int) -> bool:
        if self.raw.FPDFText_GetFontWeight(self.handle, index) >= 600:
            return True
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        if not self.raw.FPDFText_GetFontInfo(self.handle, index, name, 128, ctypes.byref(flags)):
            return False
        return bool(_BOLD_NAME.search(name.value.decode("latin-1")))


_LINE_END = re.compile(r"\r\n|(?<=[\ufffe\x02])")


def _lines(textpage: Any, raw: Any, text: str, page: _Page) -> Iterator[_Line]:
    """pdfium's lines; it runs the two halves of a hyphenated word into one, so a hyphen
    mark (U+FFFE, U+0002) ends a line too."""
    boxes = _Boxes(textpage, raw)
    start = 0
    for match in _LINE_END.finditer(text):
        yield from _split_line(boxes, text, start, match.start(), page)
        start = match.end()
    yield from _split_line(boxes, text, start, len(text), page)


def _split_line(boxes: _Boxes, text: str, start: int, end: int, page: _Page) -> Iterator[_Line]:
    """The line of characters [start, end): one _Line, or several where it jumps a gap."""
    first = start
    while first < end and text[first].isspace():
        first += 1
    last = end - 1
    while last >= first and text[last].isspace():
        last -= 1
    if first > last:
        return
    head = _find_box(boxes, first, last + 1, 1)
    tail = _find_box(boxes, last, first - 1, -1)
    if head is None or tail is None:
        return
    (i, (left, _, bottom, top)) = head
    (j, (_, right, bottom2, _)) = tail
    size = boxes.size(i) or (top - bottom)
    if not text[i].isalnum() and j != i:  # a bullet or a quote mark may be in other type
        size = max(size, boxes.size(j))
    # Heights from the baselines: a glyph's box (an apostrophe's, a comma's) misleads.
    base = boxes.baseline(i)
    base2 = boxes.baseline(j) if j != i else base
    if base is not None and base2 is not None:
        top, bottom = base + 0.7 * size, base2 - 0.2 * size
        bottom2 = bottom
    span = right - left
    if span > 0.45 * page.width and bottom2 >= bottom - size * 0.5 and last - first > 8:
        # One visual line across much of the page: look for a gutter inside it.
        pieces = _gaps(boxes, text, first, last + 1, size)
        if len(pieces) > 1:
            for a, b, box_a, box_b in pieces:
                yield _Line(
                    text[a:b],
                    box_a[0],
                    box_b[1],
                    max(box_a[3], box_b[3]),
                    min(box_a[2], box_b[2]),
                    size,
                    page.number,
                    a,
                )
            return
    line = _Line(
        text[first : last + 1],
        left,
        max(right, left),
        top,
        min(bottom, bottom2) if base is None else bottom,
        size,
        page.number,
        i,
    )
    if last - first < 90:
        line.bold = boxes.bold(i)
    yield line


def _find_box(
    boxes: _Boxes, start: int, stop: int, step: int
) -> tuple[int, tuple[float, float, float, float]] | None:
    for index in range(start, stop, step)[:16]:
        box = boxes.box(index)
        if box is not None:
            return index, box
    return None


def _gaps(
    boxes: _Boxes, text: str, start: int, stop: int, size: float
) -> list[tuple[int, int, tuple[float, float, float, float], tuple[float, float, float, float]]]:
    """Pieces of a line separated by horizontal gaps wider than a column gutter."""
    threshold = max(1.5 * size, 8.0)
    pieces = []
    piece_start = None
    first_box = last_box = None
    last_index = start
    for index in range(start, stop):
        if text[index].isspace():
            continue
        box = boxes.box(index)
        if box is None:
            continue
        if last_box is not None and box[0] - last_box[1] > threshold:
            assert piece_start is not None and first_box is not None
            pieces.append((piece_start, last_index + 1, first_box, last_box))
            piece_start = None
        if piece_start is None:
            piece_start, first_box = index, box
        last_box, last_index = box, index
    if piece_start is not None and first_box is not None and last_box is not None:
        pieces.append((piece_start, last_index + 1, first_box, last_box))
    return pieces


def _order(page: _Page, lines: list[_Line]) -> None:
    """Put `lines` in reading order on `page`: columns one after the other."""
    page.lines, page.columns = [], []
    for group in _regions(lines, page.width, 0):
        group.sort(key=lambda line: (-round(line.top, 0), line.left))
        # The column's edges, which a page number, a header or a title does not move.
        inner = [line for line in group if not _in_zone(line, page)] or group
        lefts = sorted(line.left for line in inner)
        rights = sorted(line.right for line in inner)
        left = lefts[len(lefts) // 10] if len(lefts) >= 5 else lefts[0]
        right = rights[(len(rights) * 4) // 5] if len(rights) >= 5 else rights[-1]
        for line in group:
            page.lines.append(line)
            page.columns.append((left, right))


def _regions(lines: list[_Line], width: float, depth: int) -> list[list[_Line]]:
    """Lines in groups in reading order: bands between full-width lines, columns within."""
    gutter = _gutter(lines, width) if depth < 4 and len(lines) >= 4 else None
    if gutter is None:
        return [lines]
    lo, hi = gutter
    left = [line for line in lines if line.right <= lo]
    right = [line for line in lines if line.left >= hi]
    spanning = [line for line in lines if line.right > lo and line.left < hi]
    if not spanning:
        return _regions(left, width, depth + 1) + _regions(right, width, depth + 1)
    # A line across the gutter that starts at the left column's edge (a title, a
    # full-width paragraph) or stands out in bold or bigger type cuts the page into bands;
    # one that starts inside the left column is a box laid over the columns: an aside,
    # read after the columns.
    edge = min((line.left for line in left), default=lo)
    sizes = sorted(line.size for line in lines)
    usual = sizes[len(sizes) // 2]
    boxes = [
        line
        for line in spanning
        if line.left > edge + 3 * line.size and not line.bold and line.size < usual * 1.15
    ]
    for line in boxes:
        line.aside = True
    spanning = [line for line in spanning if not line.aside]
    spanning.sort(key=lambda line: -line.top)
    groups: list[list[_Line]] = []
    ceiling = float("inf")
    for cut in [*spanning, None]:
        floor = cut.top if cut is not None else float("-inf")
        band_left = [line for line in left if floor < line.top <= ceiling]
        band_right = [line for line in right if floor < line.top <= ceiling]
        if band_left:
            groups.extend(_regions(band_left, width, depth + 1))
        if band_right:
            groups.extend(_regions(band_right, width, depth + 1))
        if cut is not None:
            groups.append([cut])
            ceiling = cut.top
    if boxes:
        groups.append(sorted(boxes, key=lambda line: (-line.top, line.left)))
    return groups


def _gutter(lines: list[_Line], width: float) -> tuple[float, float] | None:
    """The widest vertical strip with many lines wholly on each side and few across it."""
    lefts = sorted(line.left for line in lines)
    rights = sorted(line.right for line in lines)
    count = len(lines)
    sizes = sorted(line.size for line in lines)
    strip = max(6.0, 0.6 * sizes[len(sizes) // 2])
    low, high = lefts[0], rights[-1]
    if high - low < 4 * strip:
        return None
    best: tuple[float, float, float] | None = None  # (score, lo, hi)
    x = low + strip
    step = max(1.0, (high - low) / 400)
    while x < high - strip:
        lo, hi = x - strip / 2, x + strip / 2
        on_left = bisect_right(rights, lo)
        on_right = count - bisect_left(lefts, hi)
        across = count - on_left - on_right
        need = max(2, count // 8)
        if on_left >= need and on_right >= need and across * 3 <= min(on_left, on_right):
            score = min(on_left, on_right) - 3 * across
            if best is None or score > best[0]:
                best = (score, lo, hi)
        x += step
    if best is None:
        return None
    # Widen the strip to the real gap between the columns.
    lo, hi = best[1], best[2]
    inner_left = [line.right for line in lines if line.right <= hi and line.left < lo]
    inner_right = [line.left for line in lines if line.left >= lo and line.right > hi]
    if inner_left and inner_right:
        lo, hi = max(inner_left), min(inner_right)
        if hi <= lo:
            return None
    return lo, hi


# --- letter soup ----------------------------------------------------------------------------


def _is_soup(page: _Page) -> bool:
    """Most of the page's tokens are not words: no vowel, or not letters at all."""
    tokens = " ".join(line.text for line in page.lines).split()[:_SOUP_SAMPLE]
    if len(tokens) < 20:
        return False
    wordlike = 0
    for token in tokens:
        letters = [c for c in token if c.isalpha()]
        if len(letters) * 2 >= len(token) and any(c in _VOWELS for c in letters):
            wordlike += 1
        elif token.isdigit() or (not letters and len(token) <= 3):
            wordlike += 1  # numbers and punctuation
    return wordlike < 0.5 * len(tokens)


# --- the document: chrome, paragraphs ---------------------------------------------------------


def _chrome_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _in_zone(line: _Line, page: _Page) -> bool:
    return line.bottom >= page.height * (1 - _TOP_ZONE) or line.top <= page.height * _BOTTOM_ZONE


_WINDOW = 12  # pages read ahead of the one being assembled: what chrome is judged by


class _Stream:
    """Pages in, blocks out, holding no more than `_WINDOW` pages at a time.

    A line at the top or bottom of a page is chrome when its text (digits aside) recurs
    at the same height on at least 40% of the pages within `_WINDOW` of it (and on two);
    so a page waits until the pages after it have been seen, then is assembled and let go.
    The body's type size and the document's words (for broken words) are what has been
    seen so far, lookahead included."""

    def __init__(self) -> None:
        self.pending: deque[_Page] = deque()
        self.seen: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.numbers: list[int] = []  # pages with text, in order
        self.sizes: Counter[float] = Counter()
        self.words = vocabulary(())
        self.compounds: set[str] = set()
        self.header: _Line | None = None
        self.dropped = 0
        self.dropped_pages: set[int] = set()
        self.scanned: list[int] = []
        self.out: list[str] = []
        self.out_pages: list[int] = []
        self.hints: dict[int, Hint] = {}
        self.block: _Block | None = None
        self.asides: list[_Block] = []
        self.aside_column: tuple[float, float] | None = None
        self.prev: _Line | None = None
        self.prev_column: tuple[float, float] | None = None

    def add(self, page: _Page) -> None:
        self.numbers.append(page.number)
        for line in page.lines:
            if _in_zone(line, page):
                self.seen[(_chrome_key(line.text), round(line.bottom / 4))].append(page.number)
            else:
                self.sizes[round(line.size * 2) / 2] += len(line.text)
            text = line.text
            self.words.update(match.lower() for match in _WORDS.findall(text))
            if "-" in text:
                self.compounds.update(match.lower() for match in _COMPOUND.findall(text))
        self.pending.append(page)
        while len(self.pending) > _WINDOW:
            self._release(self.pending.popleft())

    def _is_chrome(self, line: _Line, page: _Page, body_size: float) -> bool:
        """A page number, or a line that recurs at the same place: on 40% of the pages
        near it, or (in plain type not bigger than the body's: a chapter's running header,
        not a heading that happens to open three pages) on three of them."""
        if not _in_zone(line, page):
            return False
        text = line.text.strip()
        if _PAGE_NUMBER.fullmatch(text):
            return True
        key = _chrome_key(text)
        if key == "#":
            return False
        low, high = page.number - _WINDOW, page.number + _WINDOW
        near = bisect_right(self.numbers, high) - bisect_left(self.numbers, low)
        need = max(2, math.ceil(_CHROME_SHARE * near))
        height = round(line.bottom / 4)
        found: set[int] = set()
        for h in (height - 1, height, height + 1):
            found.update(n for n in self.seen.get((key, h), ()) if low <= n <= high)
        if len(found) >= need:
            return True
        return len(found) >= 3 and not line.bold and line.size < body_size * 1.15

    def _release(self, page: _Page) -> None:
        body_size = self.sizes.most_common(1)[0][0] if self.sizes else 10.0
        kept = 0
        # A line beside the page number, on its baseline, is a running header too.
        numbered = {
            round(line.bottom / 2)
            for line in page.lines
            if _in_zone(line, page) and _PAGE_NUMBER.fullmatch(line.text.strip())
        }
        for line, column in zip(page.lines, page.columns, strict=True):
            if self._is_chrome(line, page, body_size) or (
                numbered
                and _in_zone(line, page)
                and not line.bold
                and any(round(line.bottom / 2) + d in numbered for d in (-1, 0, 1))
            ):
                if (
                    self.header is None
                    and _YEAR.search(line.text)
                    and not _PAGE_NUMBER.fullmatch(line.text.strip())
                ):
                    self.header = line
                else:
                    self.dropped += 1
                    self.dropped_pages.add(page.number)
                continue
            kept += 1
            self._line(line, column, body_size)
        if page.images and not kept:
            self.scanned.append(page.number)  # a running header over a scanned page

    def _line(self, line: _Line, column: tuple[float, float], body_size: float) -> None:
        line.heading = _is_heading(line, body_size)
        if line.aside or (line.size < body_size * 0.88 and not line.heading):
            self._aside(line, column, body_size)
            return
        hint = Hint.HEADING if line.heading else None
        block, prev, prev_column = self.block, self.prev, self.prev_column
        if (
            block is None
            or prev is None
            or prev_column is None
            or block.hint != hint
            or _breaks(prev, prev_column, line, column, body_size, _is_item(block))
        ):
            self._emit()
            block = self.block = _Block(line.page, hint)
        block.lines.append(line)
        self.prev, self.prev_column = line, column

    def _aside(self, line: _Line, column: tuple[float, float], body_size: float) -> None:
        """A caption or a box: a block of its own that waits until the paragraph it
        interrupts has ended, so the narrative's flow runs on past it."""
        line.heading = False
        last = self.asides[-1] if self.asides else None
        if (
            last is None
            or self.aside_column is None
            or _breaks(last.lines[-1], self.aside_column, line, column, body_size)
        ):
            last = _Block(line.page, Hint.ASIDE)
            self.asides.append(last)
        last.lines.append(line)
        self.aside_column = column

    def _emit(self) -> None:
        block = self.block
        self.block = None
        if block is not None:
            self._write(block)
        for aside in self.asides:
            self._write(aside)
        self.asides.clear()

    def _write(self, block: _Block) -> None:
        text = _block_text(block, self.words, self.compounds)
        if not text:
            return
        out, pages = self.out, self.out_pages
        if out:
            out.append("")
            pages.append(pages[-1])
        if block.hint is not None:
            self.hints[len(out)] = block.hint
        out.append(text)
        pages.append(block.page)

    def finish(
        self, count: int, notes: list[Diagnostic], scanned: list[int], path: str | None
    ) -> Document:
        while self.pending:
            self._release(self.pending.popleft())
        self._emit()
        scanned = sorted({*scanned, *self.scanned})
        if scanned and self.out:
            notes.insert(
                0,
                Diagnostic(
                    Level.WARNING,
                    "pdf_no_text_layer",
                    None,
                    f"{_pages_phrase(scanned)} no text layer (scanned images?): "
                    "run OCR to read what is missing",
                ),
            )
        elif scanned or count == 0:
            raise BinaryInputError(path, "a scanned PDF without a text layer: run OCR first")
        if not self.out:
            if any(note.code == "pdf_letter_soup" for note in notes):
                raise BinaryInputError(
                    path, "a PDF whose text is not words (a font without a usable encoding)"
                )
            raise BinaryInputError(path, "a PDF without any text")
        if self.dropped:
            dropped, pages = self.dropped, len(self.dropped_pages)
            notes.append(
                Diagnostic(
                    Level.INFO,
                    "pdf_page_chrome",
                    None,
                    f"dropped {dropped} running header, footer and page-number "
                    f"line{'s' if dropped != 1 else ''} from {pages} "
                    f"page{'s' if pages != 1 else ''}",
                )
            )
        out, out_pages, hints = self.out, self.out_pages, self.hints
        if self.header is not None:  # first, where the year is read
            out[:0] = [" ".join(fix_ligatures(self.header.text).split()), ""]
            out_pages[:0] = [self.header.page, self.header.page]
            hints = {index + 2: hint for index, hint in hints.items()}
            hints[0] = Hint.RUNNING_HEADER
        layout = Layout("pdf", pages=tuple(out_pages), hints=hints, page_count=count)
        return Document("\n".join(out) + "\n", "pdf", tuple(notes), layout)


def _is_item(block: _Block) -> bool:
    return bool(block.lines) and block.lines[0].text.lstrip().startswith(_BULLETS)


class _Block:
    __slots__ = ("hint", "lines", "page")

    def __init__(self, page: int, hint: Hint | None) -> None:
        self.page = page
        self.hint = hint
        self.lines: list[_Line] = []


def _is_heading(line: _Line, body_size: float) -> bool:
    """A short line in bold or larger type, or in capitals: a block of its own."""
    text = line.text.strip()
    if len(text) > 90 or len(text) < 2:
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    bigger = line.size > body_size * 1.15
    caps = all(not c.islower() for c in letters) and len(letters) >= 3 and len(text) <= 70
    if text.endswith((".", ",", ";")) or text.startswith(_BULLETS):
        return False
    return bigger or caps or line.bold


def _breaks(
    prev: _Line,
    prev_column: tuple[float, float],
    line: _Line,
    column: tuple[float, float],
    body_size: float,
    item: bool = False,
) -> bool:
    """Whether `line` starts a new paragraph after `prev` (in a bulleted `item` or not)."""
    if prev.heading or line.heading:
        # A heading split over two lines stays one; anything else after a heading breaks.
        return not (
            prev.heading
            and line.heading
            and prev.page == line.page
            and abs(prev.size - line.size) < 0.5
            and prev.bottom - line.top < 0.6 * line.size
        )
    if prev.text.endswith(tuple(_HYPHEN_MARKS)):
        return False  # pdfium saw a word broken across the two
    text = line.text.lstrip()
    if text.startswith(_BULLETS):
        return True
    if abs(prev.size - line.size) > 0.1 * max(prev.size, line.size):
        return True
    size = line.size or body_size
    width = column[1] - column[0]
    indented = line.left - column[0] > 0.7 * size and line.left - column[0] < 0.3 * width
    prev_width = prev_column[1] - prev_column[0]
    short = prev.right < prev_column[1] - max(2.5 * size, 0.15 * prev_width)
    ends = prev.text.rstrip().endswith(_SENTENCE_END)
    same = prev.page == line.page and prev_column == column and prev.top > line.top
    if same:
        # Baselines a line and a half apart or more (the leading is about 1.2).
        if (prev.bottom + 0.2 * prev.size) - (line.top - 0.7 * size) > 1.45 * size:
            return True
    elif ends and text[:1].isupper() and prev.right < prev_column[1] - 0.5 * size:
        return True
    prev_indented = prev.left - prev_column[0] > 0.7 * size
    if indented and not prev_indented and not item:  # an item's lines hang under its text
        return True
    if prev.right - prev.left < 0.6 * prev_width and text[:1].isupper():
        return True  # a line that stops short (a list of country names, one a line)
    return short and ends


def _block_text(block: _Block, words: set[str], compounds: set[str]) -> str:
    parts: list[str] = []
    for line in block.lines:
        text = " ".join(fix_ligatures(line.text).split())
        text = _join_marked(text, words)
        if not text:
            continue
        if parts:
            parts[-1] = _join(parts[-1], text, words, compounds)
        else:
            parts.append(text)
    return parts[0] if parts else ""


def _join_marked(text: str, words: set[str]) -> str:
    """pdfium's own hyphen marks inside a line (it joins the lines of a broken word)."""
    if not any(mark in text for mark in _HYPHEN_MARKS):
        return text
    end = text[-1] if text[-1] in _HYPHEN_MARKS else ""
    return re.sub(r"\s*[\ufffe\x02\u00ad]\s*", "", text) + end


def _join(before: str, after: str, words: set[str], compounds: set[str]) -> str:
    """Two lines of a paragraph as one: a word hyphenated across them joined."""
    if before.endswith(tuple(_HYPHEN_MARKS)):
        return before[:-1] + after
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and after[:1].islower():
        head = re.search(r"[^\W\d_]+-$", before)
        tail = re.match(r"[^\W\d_]+", after)
        if head and tail:
            first, second = head[0][:-1], tail[0]
            if f"{first}-{second}".lower() in compounds or (
                first.lower() in _PREFIXES and (first + second).lower() not in words
            ):
                joined = f"{first}-{second}"  # a compound the document prints so
            else:
                # The joined word, known or not: a hyphen at a line's end is most often
                # a break, and the hyphenated form does not occur elsewhere.
                joined = join_hyphenated(first, second, words | {(first + second).lower()})
            return before[: head.start()] + joined + after[tail.end() :]
    return f"{before} {after}"
