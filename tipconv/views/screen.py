"""Drawing a view: styled lines as colour on a terminal, plain text elsewhere, or a picture.

A view lays itself out once, as lines of `(text, style)` spans; this module alone decides
what the styles become:

- colour (rich) when stdout is a terminal, unless NO_COLOR or --no-color; FORCE_COLOR=1
  forces it, on a pipe too;
- plain aligned text, without one escape code, when piped, written with -o, with NO_COLOR
  or --no-color.

rich is imported only for colour, never for plain text. The grid's picture (`--svg`,
`--html`) is a figure drawn from the grid itself, not from these lines (`figure.py`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from ..console import is_terminal, screen_width
from ..console import use_color as _terminal_wants_color
from ..output import is_stdout, open_output

if TYPE_CHECKING:
    from rich.console import Console

Span = tuple[str, str | None]
Line = list[Span]

# Style names the views use, and what they look like in colour.
STYLES: dict[str, str] = {
    "title": "bold",
    "header": "bold",
    "label": "",
    "dim": "dim",
    "tier1": "bold green",
    "tier2": "yellow",
    "tier2wl": "bold dark_orange",
    "tier3": "bold red",
    "special": "cyan",
    "none": "dim",
    "conflict": "bold magenta",
    "up": "green",
    "down": "red",
    "added": "green",
    "removed": "red",
    "deleted": "red strike",
    "inserted": "bold green",
    "changed": "yellow",
    "kept": "dim",
    "path": "cyan",
}

TIER_STYLES = {
    "1": "tier1",
    "2": "tier2",
    "2WL": "tier2wl",
    "3": "tier3",
    "special_case": "special",
}

# The legend's width for a layout without a screen (a file, a pipe).
PICTURE_WIDTH = 100


def use_color(output: str | None, *, forbidden: bool = False) -> bool:
    """Colour for a view: on stdout only, as `tipconv explain` has it (a terminal, unless
    --no-color or NO_COLOR), and also on a pipe with FORCE_COLOR set (for `less -R`)."""
    if not is_stdout(output) or forbidden or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or _terminal_wants_color(sys.stdout)


def tier_style(tier: str | None) -> str:
    """The style of a tier (`2WL`), or of a missing one."""
    return TIER_STYLES.get(tier or "", "none")


def layout_width(output: str | None, color: bool) -> int | None:
    """The width a view on stdout must fit: COLUMNS, else the terminal's, or None: no limit.

    COLUMNS counts on a pipe too (`COLUMNS=80 tipconv grid ... | less`), as in rich and
    click; a file written with -o is not cut or wrapped for a screen it never meets. Colour
    forced onto a pipe (FORCE_COLOR) without COLUMNS fits 80 columns, as rich does.
    """
    if not is_stdout(output):
        return None
    width = screen_width(sys.stdout)
    if width is None and color:
        return 80
    return width


def text_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide East Asian letters two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def span_of(first: int, last: int) -> str:
    """Years as a title shows them: `2015-2019`, or `2016` alone."""
    return str(first) if first == last else f"{first}-{last}"


def pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def show(lines: Sequence[Line], output: str | None, color: bool) -> None:
    """Write `lines` to `output` (a file, atomically, always plain) or stdout."""
    with open_output(output) as out:
        if color and is_stdout(output):
            write_color(lines, out)
        else:
            write_plain(lines, out)


def write_plain(lines: Sequence[Line], out: TextIO) -> None:
    for line in lines:
        out.write("".join(text for text, _ in line).rstrip() + "\n")


def write_color(lines: Sequence[Line], out: TextIO) -> None:
    from rich.console import Console

    class Screen(Console):
        def on_broken_pipe(self) -> None:
            """rich would exit 1; the reader leaving is the CLI's business (exit 141)."""
            self.quiet = True
            raise BrokenPipeError

    console = Screen(
        file=out,
        force_terminal=True,
        color_system="auto" if is_terminal(out) else "standard",
        no_color=False,
        highlight=False,
        emoji=False,
        markup=False,
    )
    _print(console, lines)


def _print(console: Console, lines: Sequence[Line]) -> None:
    from rich.text import Text

    for line in lines:
        text = Text(no_wrap=True, end="\n")
        for chunk, style in _trimmed(line):
            text.append(chunk, style=STYLES.get(style or "", "") or None)
        console.print(text, soft_wrap=True)


def _trimmed(line: Line) -> Iterator[Span]:
    """`line` without the padding after its last visible character."""
    spans = list(line)
    while spans and not spans[-1][0].strip():
        spans.pop()
    if spans:
        text, style = spans[-1]
        spans[-1] = (text.rstrip(), style)
    yield from spans
