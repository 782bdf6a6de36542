"""Repairs for text that went through a PDF extraction: ligatures and broken words.

Pure functions on strings. The PDF reader uses them on the text it extracts; the parser
can use them on text copies that someone else extracted ("suc- cessfully", "traffi cking",
"traficking").

- `fix_ligatures`: the ligature glyphs U+FB00-FB06 become their letters ("ﬁ" -> "fi").
- `join_broken_words(text, vocabulary)`: a hyphen-and-space break inside a word
  ("suc- cessfully") is joined where `vocabulary` holds the joined word, and otherwise
  loses only the space ("anti- slavery" -> "anti-slavery"); a suspended hyphen
  ("short- and long-term") stays. A word split where a ligature stood ("traffi cking") is
  closed up, and one that lost the ligature's letter ("traficking") gets it back, when the
  repaired word is in `vocabulary` and the broken one is not.
- `vocabulary(texts)`: the lower-cased words of some texts, plus the report's own words
  that ligatures break most often.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LIGATURES = {
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
}

# Words of the report that a ligature (ff, fi, fl, ffi, ffl) sits in, so a copy that lost
# or split it can be repaired even where the document never prints the word whole.
COMMON_WORDS = frozenset(
    """
    traffic trafficked trafficker traffickers trafficking officer officers official
    officials office offices offense offenses offender offenders offered offering effort
    efforts effective effectively efficient sufficient sufficiently insufficient difficult
    difficulties difficulty affected affairs staff staffed staffing profit profits profile
    field fields first final finally financial finance financing fines fined fishing
    fisheries fishermen flee fled fleeing flight flights flow flows conflict conflicts
    influence influential inflicted identified identification identify identifying
    unidentified significant significantly specific specifically confiscated confiscation
    certificate certificates certified classified verified justified notified modified
    qualified beneficiaries benefit benefits benefited fifteen fifty fifth officially
    offshore suffered suffering affidavit confidential confidentiality scientific artificial
    """.split()  # noqa: SIM905
)

_LIGATURE = re.compile("[\ufb00-\ufb06]")
_SUSPENDED = frozenset({"and", "or", "nor", "to"})
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# "suc- cessfully": letters, a hyphen, one space, a lower-case letter.
_HYPHEN_SPACE = re.compile(r"\b([^\W\d_]+)- ([a-z][^\W\d_]*)")
_SPLIT = re.compile(r"\b([^\W\d_]*f[fil]?) ([a-z][^\W\d_]*)|\b([^\W\d_]+) ([fl][^\W\d_]*)")
_LOST = re.compile(r"\b[^\W\d_]*f[^\W\d_]+")


def fix_ligatures(text: str) -> str:
    """The ligature glyphs (U+FB00-FB06) as letters."""
    if text.isascii() or _LIGATURE.search(text) is None:
        return text
    return text.translate(_LIGATURES)


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The lower-cased words in `texts`, with `COMMON_WORDS`."""
    words = set(COMMON_WORDS)
    for text in texts:
        words.update(match.lower() for match in WORD.findall(text))
    return words


def join_hyphenated(head: str, tail: str, words: set[str] | frozenset[str]) -> str:
    """A word broken as `head`- / `tail`: joined if the document knows the whole word,
    else kept with its hyphen ("anti-slavery"); a suspended hyphen keeps its space."""
    if tail.lower() in _SUSPENDED:
        return f"{head}- {tail}"
    if (head + tail).lower() in words and f"{head}-{tail}".lower() not in words:
        return head + tail
    return f"{head}-{tail}"


def join_broken_words(text: str, words: set[str] | frozenset[str]) -> str:
    """`text` with the words an extraction broke put back together (module docstring)."""
    text = fix_ligatures(text)
    if "- " in text:
        text = _HYPHEN_SPACE.sub(lambda m: join_hyphenated(m[1], m[2], words), text)
    if "f" in text:
        text = _SPLIT.sub(lambda m: _close_up(m, words), text)
        text = _LOST.sub(lambda m: _restore(m[0], words), text)
    return text


def _close_up(match: re.Match[str], words: set[str] | frozenset[str]) -> str:
    head, tail = (match[1], match[2]) if match[1] is not None else (match[3], match[4])
    whole = head + tail
    return whole if whole.lower() in words else match[0]


def _restore(word: str, words: set[str] | frozenset[str]) -> str:
    low = word.lower()
    if low in words or len(word) < 5:
        return word
    for at in range(len(low)):
        if low[at] != "f":
            continue
        for letters in ("f", "i", "l"):
            candidate = low[: at + 1] + letters + low[at + 1 :]
            if candidate in words:
                return word[: at + 1] + letters + word[at + 1 :]
    return word
