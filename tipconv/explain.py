"""`tipconv explain`: how each line of a text was read, for people and for bug reports.

One line per input line: its number, the kind of token it became, the rule that decided,
and the line itself:

       9  disclaimer    label.known                 DisclaimerThis is not a UNHCR ...
      11  heading       heading.parens              Hong Kong (Tier 1)
      13  paragraph     text                        Hong Kong is a point of transit ...

A line that could be a country heading says why it was read as it was, after the line:
the evidence for it (a known country, an attribution, the narrative under it naming the
country) and, after "against:", what made the other reading lose.

`--to json` gives the same tokens as data (`why` holds the reasons). The rule names are
those of `rules.py`, listed with an example each in docs/format.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .classify import Token
from .rules import Kind

# Styles (click.style keywords) by kind: structure stands out, skipped text recedes.
_STYLES: dict[Kind, dict[str, Any]] = {
    Kind.HEADING: {"fg": "yellow", "bold": True},
    Kind.TITLE: {"fg": "green", "bold": True},
    Kind.LABEL: {"fg": "green"},
    Kind.DISCLAIMER: {"fg": "green", "dim": True},
    Kind.PART_HEADING: {"fg": "cyan", "bold": True},
    Kind.RUN_IN: {"fg": "cyan"},
    Kind.ITEM: {"fg": "blue"},
    Kind.CHROME: {"fg": "magenta", "dim": True},
    Kind.NOISE: {"fg": "magenta", "dim": True},
    Kind.UNPLACED: {"fg": "red"},
    Kind.TEXT: {"fg": "red"},
    Kind.BLANK: {"dim": True},
}
_KIND_WIDTH = max(len(kind.value) for kind in Kind)
_RULE_WIDTH = 26


def plain_lines(tokens: Iterable[Token], *, width: int = 0, color: bool = False) -> Iterator[str]:
    """The tokens as aligned text lines; each cut to `width` columns (0: never cut)."""
    listed = list(tokens)
    number_width = len(str(listed[-1].line)) if listed else 1
    for token in listed:
        head = (
            f"{token.line:>{number_width}}  {token.kind.value:<{_KIND_WIDTH}}  "
            f"{token.rule:<{_RULE_WIDTH}}  "
        )
        text = token.text
        if token.read is not None:
            text = f"{text}  -> {token.read}"
        if token.why is not None:
            text = f"{text}  [why: {token.why}]"
        line = (head + text).rstrip()
        if width and len(line) > width:
            line = line[: max(width - 1, len(head))] + "\u2026"
        if color:
            import click

            line = click.style(line, **_STYLES.get(token.kind, {}))
        yield line


def as_json(tokens: Iterable[Token], source: dict[str, Any], version: str) -> str:
    """The tokens as one JSON document, with what a bug report needs beside them."""
    document = {
        "tipconv_version": version,
        "source": source,
        "tokens": [token.to_dict() for token in tokens],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
