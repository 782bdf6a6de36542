"""Bytes to clean lines: decoding, line endings, invisible characters, mojibake.

Normalisation never adds or removes a line, so every line number the parser reports still
points into the original file.
"""

from __future__ import annotations

import codecs
import re

from .errors import BinaryInputError, DecodeError
from .model import Diagnostic, Level
from .patterns import LazyPattern

# Bytes that open common binary formats; a text file never starts with them.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document (read it with --from pdf)"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a .docx or .xlsx)"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (perhaps a .doc)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_SNIFF_BYTES = 65536


class Decoded:
    """Text decoded from bytes, with the encoding used and what was noticed on the way."""

    __slots__ = ("diagnostics", "encoding", "text")

    def __init__(self, text: str, encoding: str, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.text = text
        self.encoding = encoding
        self.diagnostics = diagnostics


def decode(data: bytes, encoding: str | None = None, path: str | None = None) -> Decoded:
    """Decode `data`: a forced `encoding`, "auto" detection, or (None) BOM-aware strict UTF-8.

    Raises BinaryInputError or DecodeError (with the byte offset) when the bytes are not
    text in the chosen encoding.
    """
    mode = (encoding or "").strip().lower()
    if mode and mode != "auto":
        return _decode_forced(data, mode, path)
    bom = _bom_encoding(data)
    if bom:
        return _decode_strict(data, bom, path, f"byte-order mark says {bom}")
    _reject_binary(data, path, allow_utf16=mode == "auto")
    if mode == "auto" and _utf16_without_bom(data):
        # ASCII in UTF-16 is also valid UTF-8 (with a NUL in every pair): detect it first.
        return _detect(data, path)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", ())
    except UnicodeDecodeError as exc:
        if mode != "auto":
            raise DecodeError(
                path,
                f"byte {exc.start}: not valid UTF-8 "
                f"(0x{data[exc.start]:02x}); try --encoding auto or --encoding cp1252",
                offset=exc.start,
                line=data.count(b"\n", 0, exc.start) + 1,
            ) from None
    return _detect(data, path)


def _bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 by where the NULs sit: ASCII text in UTF-16 has one in every pair.

    Text in other scripts (Japanese, Chinese, ...) has few NULs or none, but each of its
    line breaks is a pair of its own, `0A 00` (LE) or `00 0A` (BE) at an even offset: a
    pattern no single-byte text has, for it has no NUL at all.
    """
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    if even + odd == 0:
        return None
    for name, pair in (("utf-16-le", b"\n\x00"), ("utf-16-be", b"\x00\n")):
        aligned = _aligned(sample, pair)
        stray = sample.count(b"\n") - aligned  # an LF that is not a line break of UTF-16
        if aligned and stray <= aligned // 20 and _reads_as(sample, name):
            return name
    return None


def _aligned(sample: bytes, pair: bytes) -> int:
    """How often `pair` occurs at an even offset: as one UTF-16 code unit."""
    count = 0
    at = sample.find(pair)
    while at >= 0:
        if at % 2 == 0:
            count += 1
            at = sample.find(pair, at + 2)
        else:
            at = sample.find(pair, at + 1)
    return count


def _reads_as(sample: bytes, encoding: str) -> bool:
    """Whether `sample` (perhaps cut mid-character) is text in `encoding`: it decodes, and
    into hardly any control characters."""
    try:
        text = codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    controls = sum(1 for char in text if char < " " and char not in "\t\n\r\f\v")
    return controls <= len(text) // 100


# A single-byte text's bytes are alike at even and odd offsets; UTF-16's are not (one of
# each pair is a high byte: few values, often the same). Total variation distance between
# the two, over at least this many bytes, above which a text that could be either is
# neither guessed: 1,024 bytes of English in cp1252 stay under 0.25, UTF-16 exceeds 0.8.
_PARITY_BYTES = 256
_PARITY_SKEW = 0.6


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without NULs or line breaks (one line of CJK, say): which, if it could be."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < _PARITY_BYTES:
        return None
    from collections import Counter

    even, odd = Counter(sample[0::2]), Counter(sample[1::2])
    total_even, total_odd = sum(even.values()), sum(odd.values())
    skew = 0.5 * sum(abs(even[b] / total_even - odd[b] / total_odd) for b in even | odd)
    if skew < _PARITY_SKEW:
        return None
    # The high bytes are the side with fewer distinct values.
    name = "utf-16-le" if len(odd) < len(even) else "utf-16-be"
    return name if _reads_as(sample, name) else None


def _reject_binary(data: bytes, path: str | None, *, allow_utf16: bool) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(path, f"binary file: looks like {what}, not text")
    sample = data[:_SNIFF_BYTES]
    nul = sample.find(b"\x00")
    if nul < 0:
        return
    utf16 = _utf16_without_bom(data)
    if utf16 and not allow_utf16:
        raise BinaryInputError(
            path, f"looks like {utf16.upper()} without a byte-order mark; try --encoding {utf16}"
        )
    if utf16:
        return
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if controls > 0.1 * len(sample):
        raise BinaryInputError(path, f"binary file: control byte 0x00 at byte {nul}, not text")


def _decode_forced(data: bytes, encoding: str, path: str | None) -> Decoded:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DecodeError(path, f"unknown encoding {encoding!r}", offset=0) from None
    if encoding.replace("_", "-") in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    return _decode_strict(data, encoding, path, "forced with --encoding")


def _decode_strict(data: bytes, encoding: str, path: str | None, why: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            path, f"byte {exc.start}: not valid {encoding} ({exc.reason})", offset=exc.start
        ) from None
    name = codecs.lookup(encoding).name
    note = Diagnostic(Level.INFO, "encoding", None, f"decoded as {name}: {why}")
    return Decoded(text, name, (note,))


def _detect(data: bytes, path: str | None) -> Decoded:
    """--encoding auto, after strict UTF-8 failed: UTF-16 by NUL pattern, else Windows-1252.

    Bytes that read as UTF-16 as well as cp1252, with nothing to tell which, are refused
    rather than guessed: "cannot tell" names the encodings to choose from.
    """
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_strict(data, utf16, path, "detected by --encoding auto (no BOM)")
    maybe = _looks_like_utf16(data)
    if maybe:
        raise DecodeError(
            path,
            f"cannot tell the encoding: looks like {maybe.upper()} without a byte-order mark "
            "but could be a single-byte one; give --encoding utf-16-le, utf-16-be or cp1252",
            offset=0,
        )
    try:
        text = data.decode("cp1252")
        name = "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so it always decodes.
        text = data.decode("latin-1")
        name = "latin-1"
    note = Diagnostic(
        Level.WARNING,
        "encoding_detected",
        None,
        f"not valid UTF-8; decoded as {name} (--encoding auto)",
    )
    return Decoded(text, name, (note,))


_LINE_BREAK = LazyPattern(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF and lone CR only: the breaks an editor counts, unlike str.splitlines."""
    lines = text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # a final newline ends the last line; it does not start another
    return lines


# Invisible characters that copy-paste and PDF extraction leave inside words.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_MOJIBAKE = LazyPattern(
    r"[ÃÂâ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


class Cleaned:
    """Text with invisible characters, odd spaces and control characters normalised, and
    how many of each there were."""

    __slots__ = ("controls", "invisible", "spaces", "text")

    def __init__(self, text: str, invisible: int, spaces: int, controls: int) -> None:
        self.text = text
        self.invisible = invisible
        self.spaces = spaces
        self.controls = controls


# Spaces other than the plain one, and control characters other than line breaks.
_ODD_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v"
_CONTROL_CHARS = "\x00-\x08\x0e-\x1f\x7f"
# One pattern per kind, compiled only for a text that needs it.
_INVISIBLE_ONE = LazyPattern(f"[{_INVISIBLE_CHARS}]")
_SPACES = LazyPattern(f"[{_ODD_SPACES}]")
_CONTROLS = LazyPattern(f"[{_CONTROL_CHARS}]")
_SURROGATES = LazyPattern("[\ud800-\udfff]")
# The odd characters real copies carry most (web pages are full of NBSP), handled with
# str.count and str.replace before any pattern runs: (character, replacement, kind).
_INVISIBLE, _SPACE = 0, 1
_COMMON_ODD = (
    ("\u00a0", " ", _SPACE),
    ("\t", " ", _SPACE),
    ("\u200b", "", _INVISIBLE),
    ("\u00ad", "", _INVISIBLE),
    ("\ufeff", "", _INVISIBLE),
)


def clean_text(text: str) -> Cleaned:
    """Normalise the whole text in a few C-speed scans, before it is split into lines.

    Invisible characters go, odd spaces (NBSP, tab, ...) become spaces, control characters
    go and lone surrogates (unwritable as UTF-8) become U+FFFD. None of them is a line break
    (LF, CR), but removing one can join a CR and an LF into one CRLF, or empty a last line
    into none: split the text first (`split_lines`) and clean its lines joined by LF, and
    every line keeps its number. Trailing spaces are left to the caller.
    """
    if _nothing_to_clean(text):
        return Cleaned(text, 0, 0, 0)
    counts = [0, 0]
    for char, replacement, kind in _COMMON_ODD:
        if char in text:
            counts[kind] += text.count(char)
            text = text.replace(char, replacement)
    if _nothing_to_clean(text):
        return Cleaned(text, counts[_INVISIBLE], counts[_SPACE], 0)
    # The rarer kinds: one C-speed pass each (a Python callback per character took 7 s on
    # 25M NBSPs), with patterns compiled on first need. The kinds are disjoint and no
    # replacement is of another kind, so order does not matter.
    text, invisible = _INVISIBLE_ONE.subn("", text)
    text, spaces = _SPACES.subn(" ", text)
    text, controls = _CONTROLS.subn("", text)
    text, surrogates = _SURROGATES.subn("\ufffd", text)
    return Cleaned(
        text, counts[_INVISIBLE] + invisible, counts[_SPACE] + spaces, controls + surrogates
    )


def _nothing_to_clean(text: str) -> bool:
    """Whether every character but the line breaks is printable: then none is one that
    `clean_text` changes.

    Invisible characters (format, Cf), odd spaces (Zs, and tab, form feed and vertical tab),
    controls (Cc) and lone surrogates (Cs) are all unprintable, so one C-speed test stands
    for the four patterns (`tests/test_parser.py` checks every code point). It is twice as
    fast as searching for them with one pattern, which also cost 0.2 ms to compile at every
    start-up.
    """
    return text.replace("\n", "").replace("\r", "").isprintable()


def has_mojibake(text: str) -> bool:
    # Every mojibake sequence starts with one of these; most texts contain none of them.
    return ("Ã" in text or "Â" in text or "â" in text) and bool(_MOJIBAKE.search(text))


def repair_mojibake(line: str) -> str | None:
    """Undo UTF-8 that was decoded as Windows-1252 ("dâ€™Ivoire"), or None if not that.

    The repair is accepted only when the round trip decodes cleanly, so text that merely
    contains an "Ã" is left alone.
    """
    if not _MOJIBAKE.search(line):
        return None
    for legacy in ("cp1252", "latin-1"):
        try:
            fixed = line.encode(legacy).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != line:
            return fixed
    return _repair_runs(line)


_MOJIBAKE_RUN = LazyPattern(r"[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]{1,3}")


def _repair_runs(line: str) -> str | None:
    """Repair mojibake run by run, for lines that mix it with characters cp1252 lacks."""

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            return run.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    fixed = _MOJIBAKE_RUN.sub(fix, line)
    return fixed if fixed != line else None


def line_ranges(indexes: list[int]) -> str:
    """0-based line indexes as 1-based ranges for messages: [0, 1, 2, 6] -> "lines 1-3, 7"."""
    spans: list[str] = []
    start = previous = indexes[0]
    for index in [*indexes[1:], None]:
        if index is not None and index == previous + 1:
            previous = index
            continue
        spans.append(f"{start + 1}" if start == previous else f"{start + 1}-{previous + 1}")
        if index is not None:
            start = previous = index
    word = "line" if len(spans) == 1 and "-" not in spans[0] else "lines"
    return f"{word} {', '.join(spans)}"
