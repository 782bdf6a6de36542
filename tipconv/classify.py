"""Lines to tokens: each line is named by the first rule of the table that matches it.

This reads every line on its own (a heading split over two lines is the one exception);
what a line means in its place (a label below the header is prose, a line after a wrapped
one continues its paragraph) is the assembler's business, which then updates the tokens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from .evidence import (
    HeadingReading,
    could_be_heading,
    read_country_report_line,
    read_heading_line,
    read_matched_heading,
)
from .layout import Hint
from .rules import LETTER_SPACED, RULES, UNBOUNDED, Groups, Kind, Rule

# Lines longer than this are never part of a split heading (the second part is shorter).
_SPLIT_FIRST = 80
_SPLIT_SECOND = 40


class Token:
    """One line as read: 1-based `line`, its `kind`, the `rule` that named it, and its `text`
    (stripped). `groups` holds what the rule's pattern captured; `read` the text the rule
    read where that is not the line itself (a heading letter-spaced, or split over two lines).

    Mutable on purpose: the assembler corrects a token's kind and rule from context.
    """

    __slots__ = ("groups", "indent", "kind", "line", "read", "reading", "rule", "text", "why")

    def __init__(
        self,
        line: int,
        kind: Kind,
        rule: str,
        text: str,
        groups: Groups | None = None,
        indent: int = 0,
    ) -> None:
        self.line = line
        self.kind = kind
        self.rule = rule
        self.text = text
        self.groups = groups
        self.indent = indent  # spaces before the text: hanging indentation marks paragraphs
        self.read: str | None = None
        self.reading: HeadingReading | None = None  # the line read as a heading, if it can be
        self.why: str | None = None  # why the line was read as it was, where that was weighed

    def retag(self, kind: Kind, rule: str) -> None:
        self.kind = kind
        self.rule = rule

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "kind": self.kind.value,
            "rule": self.rule,
            "text": self.text,
            "read": self.read,
            "why": self.why,
        }

    def __repr__(self) -> str:
        return f"Token({self.line}, {self.kind.value}, {self.rule!r}, {self.text!r})"


class _Dispatch:
    """Which rules a line can match, by its first character and its length (both derived
    from the rules: the literals of their pre-checks and their `max_length`)."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        initials = {literal[0] for rule in rules if rule.anchored for literal in rule.literals}
        # A line longer than `short` can only match a rule without a length limit; their
        # pre-checks need no more of it than `head` (an anchored rule's longest opening
        # words, or the reach of a key that is not at the start).
        self.short = max((r.max_length for r in rules if r.max_length < UNBOUNDED), default=0)
        unbounded = [rule for rule in rules if rule.max_length >= UNBOUNDED]
        self.head = max(
            [len(lit) for r in unbounded if r.anchored for lit in r.literals]
            + [r.reach for r in unbounded],
            default=0,
        )
        self.long = tuple(unbounded)
        opens = {rule: {literal[0] for literal in rule.literals} for rule in rules}

        def candidates(initial: str | None, longer: bool) -> tuple[Rule, ...]:
            return tuple(
                rule
                for rule in (self.long if longer else rules)
                if not rule.anchored or initial in opens[rule]
            )

        self.by_initial = {initial: candidates(initial, False) for initial in initials}
        self.long_by_initial = {initial: candidates(initial, True) for initial in initials}
        self.default = candidates(None, False)
        self.long_default = candidates(None, True)


@functools.cache
def _dispatch() -> _Dispatch:
    return _Dispatch(RULES)


@functools.cache
def _heading_dispatch() -> _Dispatch:
    return _Dispatch(tuple(rule for rule in RULES if rule.kind is Kind.HEADING))


# Heading rules whose groups say all a reading needs: the country before its tier words.
_MATCHED_HEADINGS = frozenset({"heading.parens", "heading.colon"})


def classify(lines: list[str]) -> list[Token]:
    """One token per line, in order; `lines` are the cleaned lines of one text."""
    table = _dispatch()
    tokens: list[Token] = []
    append = tokens.append
    texts: list[int] = []  # short text tokens: where a heading may be letter-spaced or split
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            append(Token(number, Kind.BLANK, "blank", text))
            continue
        indent = len(line) - len(text) if line[0] == " " else 0
        found = first_match(text, table)
        if found is None:
            if len(text) <= LETTER_SPACED.max_length:
                texts.append(number - 1)
            token = Token(number, Kind.TEXT, "text", text, None, indent)
        else:
            rule, groups = found
            if rule.name == "label.other":
                texts.append(number - 1)
            token = Token(number, rule.kind, rule.name, text, groups, indent)
        head = text[:140].lower()
        if token.rule in _MATCHED_HEADINGS:
            groups = token.groups or {}
            token.reading = read_matched_heading(
                text,
                groups.get("country") or "",
                groups.get("tier") or "",
                groups.get("mark") or "",
                groups.get("attribution") or "",
            )
        elif could_be_heading(head):
            token.reading = read_heading_line(text)
        elif "report" in head and len(text) <= 120:
            token.reading = read_country_report_line(text)
        append(token)
    if texts:
        _read_spanning_forms(tokens, texts)
    return tokens


def apply_hints(tokens: list[Token], hints: Mapping[int, Hint]) -> None:
    """What a reader saw of a line, where it settles what the line is: site chrome and
    boxes outside the text flow never reach a paragraph; a running header is page noise.
    A heading hint is evidence the assembler weighs; it does not decide alone."""
    for index, hint in hints.items():
        if not 0 <= index < len(tokens):
            continue
        token = tokens[index]
        if token.kind is Kind.BLANK:
            continue
        if hint is Hint.CHROME:
            token.retag(Kind.CHROME, "reader.chrome")
        elif hint is Hint.ASIDE:
            token.retag(Kind.UNPLACED, "reader.aside")
        elif hint is Hint.RUNNING_HEADER:
            token.retag(Kind.NOISE, "reader.running_header")


def match_line(text: str) -> Token:
    """One line read on its own, as `classify` reads each line of a text."""
    return classify([text])[0]


def first_match(text: str, table: _Dispatch) -> tuple[Rule, Groups] | None:
    """The first rule (in table order) that matches stripped `text`, with its groups.

    Only the rules whose derived pre-check admits the line are tried. The pre-check reads
    the line lower-cased, which folds case as the patterns do only for ASCII (a
    case-insensitive pattern also takes the long s for "s", the Kelvin sign for "k"): a
    line whose checked part is not ASCII tries every rule that its length allows.
    """
    size = len(text)
    if size > table.short:
        head = text[: table.head]
        if head.isascii():
            lowered = head.lower()
            candidates = table.long_by_initial.get(lowered[:1], table.long_default)
            for rule in candidates:
                if rule.anchored:
                    # Its opening words read from the head; its other words, rarely, from
                    # the whole line.
                    if not lowered.startswith(rule.literals) or (
                        rule.words and not rule.admits(text.lower())
                    ):
                        continue
                elif rule.reach and not rule.admits(lowered[: rule.reach]):
                    continue
                groups = rule.match(text)
                if groups is not None:
                    return rule, groups
            return None
        candidates = table.long
    elif text.isascii():
        lowered = text.lower()
        for rule in table.by_initial.get(lowered[0], table.default):
            if size <= rule.max_length and rule.admits(lowered):
                groups = rule.match(text)
                if groups is not None:
                    return rule, groups
        return None
    else:
        candidates = table.rules
    for rule in candidates:
        if size <= rule.max_length:
            groups = rule.match(text)
            if groups is not None:
                return rule, groups
    return None


def match_heading(text: str) -> tuple[Rule, Groups] | None:
    """A heading rule that matches stripped `text`, if any."""
    return first_match(text, _heading_dispatch())


def _read_spanning_forms(tokens: list[Token], texts: list[int]) -> None:
    """Headings letter-spaced by a PDF, or split over two lines, among short text tokens."""
    count = len(tokens)
    taken = -1
    for index in texts:
        if index <= taken:
            continue
        token = tokens[index]
        if token.kind is Kind.TEXT and _read_letter_spaced(token):
            taken = index
        # "FREEDONIA: TIER 2 WATCH" reads as a label until "LIST" on the next line joins it.
        elif index + 1 < count and _read_split(token, tokens[index + 1]):
            taken = index + 1


def _read_letter_spaced(token: Token) -> bool:
    text = token.text
    if not could_be_letter_spaced(text) or LETTER_SPACED.match(text) is None:
        return False
    unspaced = unspace(text)
    found = match_heading(unspaced) if unspaced else None
    if found is None:
        return False
    token.retag(Kind.HEADING, LETTER_SPACED.name)
    token.read, token.groups = unspaced, found[1]
    return True


def could_be_letter_spaced(text: str) -> bool:
    """The cheap test before the pattern: a letter-spaced line opens with one character
    and a space ("F R E E ..."), which most lines of prose do not; nor is it long."""
    return text[1:2] == " " and len(text) <= LETTER_SPACED.max_length


def unspace(text: str) -> str | None:
    """Undo PDF letter-spacing: "F R E E D O N I A :  T I E R  2" -> "FREEDONIA: TIER 2"."""
    if any(len(piece) > 1 for piece in text.split()):
        return None
    return " ".join(word.replace(" ", "") for word in re.split(r" {2,}", text))


def _read_split(token: Token, following: Token) -> bool:
    if (
        following.kind is not Kind.TEXT
        or len(token.text) > _SPLIT_FIRST
        or len(following.text) > _SPLIT_SECOND
    ):
        return False
    joined = f"{token.text} {following.text}"
    found = match_heading(joined)
    if found is None:
        return False
    token.retag(Kind.HEADING, "heading.split")
    token.read, token.groups = joined, found[1]
    following.retag(Kind.CONTINUATION, "heading.continued")
    return True
