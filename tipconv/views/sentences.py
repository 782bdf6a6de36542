"""Splitting narrative paragraphs into sentences, for `diff`.

A sentence ends at `.`, `!` or `?` (and any closing quotes or brackets) followed by space
and a capital letter, a digit or an opening quote. It does not end at a period that belongs
to a word, which TIP narratives are full of:

- dotted abbreviations and initials: `U.S.`, `U.N.`, `e.g.`, `J. K.`, `S.`;
- titles and other words that are never last: `Dr.`, `Mr.`, `St.`, `Gen.`, `Inc.`, `vs.`;
- words before a number: `No. 5`, `Art. 12`, `para. 3`, `Jan. 20`;
- decimals and dotted numbers (`3.5 percent`, `1.2.3`), which have no space after the period.

A sentence that really ends with `U.S.` stays joined to the next one: a missed break costs a
diff a longer sentence, a false one splits a sentence into two that no longer match.
"""

from __future__ import annotations

import re

# Lower-cased, without the final period.
NEVER_LAST = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "st", "mt", "ft", "messrs", "mme", "mlle"),
        *("gen", "col", "lt", "maj", "capt", "cmdr", "sgt", "adm", "gov", "sen", "rep", "hon"),
        *("rev", "jr", "sr", "inc", "ltd", "corp", "co", "bros", "vs", "approx", "dept"),
        *("govt", "assn", "univ"),
    }
)
BEFORE_NUMBER = frozenset(
    {
        *("no", "nos", "art", "arts", "para", "paras", "sec", "secs", "ch", "vol", "p", "pp"),
        *("fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov"),
        "dec",
    }
)
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?")  # U.S, e.g, J (the final period cut off)


def split(text: str) -> list[str]:
    """The sentences of `text`, stripped, in order; their concatenation drops only spaces."""
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        after = match.end()
        if after >= len(text) or not _starts_sentence(text, after):
            continue
        if text[match.start()] == "." and _period_in_word(text, match.start(), after):
            continue
        sentence = text[start : match.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = after
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _starts_sentence(text: str, at: int) -> bool:
    first = text[at]
    if first in "\"'\u201c\u2018([" and at + 1 < len(text):
        first = text[at + 1]
    return first.isupper() or first.isdigit()


def _period_in_word(text: str, period: int, after: int) -> bool:
    """Whether the period at `period` ends an abbreviation rather than the sentence."""
    word = text[:period].rsplit(None, 1)[-1].lstrip("\"'\u201c\u2018([") if period else ""
    if not word:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. Smith"
    if _DOTTED.fullmatch(word) and "." in word:
        return True  # "U.S", "e.g", "a.m"
    lowered = word.lower()
    if lowered in NEVER_LAST:
        return True
    return lowered in BEFORE_NUMBER and text[after].isdigit()
