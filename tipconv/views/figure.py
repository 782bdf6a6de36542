"""The tier grid as a figure for a paper: an SVG drawn from the grid itself, and a page.

`grid --svg` used to be rich's terminal screenshot (a dark window, title-bar dots, fonts
fetched from a CDN, no title, labels running into each other). A journal wants a figure:

- white background, no network fetch (system fonts only), `<title>` and `<desc>`;
- one cell per country-year, filled by tier on a sequential scale whose lightness falls
  from Tier 1 to Tier 3 (cividis, made for colour-vision deficiency), so the order survives
  greyscale printing; every cell also prints its tier code (`1`, `2`, `2WL`, `3`, `SC`),
  and copies that disagree are hatched, so nothing depends on colour alone;
- a legend below the grid, flowed into rows that fit the figure: never over a cell;
- sized for a journal column (11 px text in 20 px rows; about 360 px wide for five years)
  and never wider than a page: too many years, and the year labels shorten to `'03`, then
  the years wrap into blocks, each repeating the country names, as on the terminal.

Every text is placed in a box as wide as a conservative estimate of its rendered width
(`text_width`: wider than DejaVu Sans, Arial or Helvetica set it), and no two boxes meet;
tests render the SVG with a real renderer and check that its ink stays in the boxes.
The same grid gives the same bytes: no date, no random id.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .screen import span_of

if TYPE_CHECKING:
    from .grid import Cell, Grid

FONT = "Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"
SIZE = 11.0  # cell, label and legend text, px
TITLE_SIZE = 13.0
MARGIN = 12.0
ROW = 20.0  # a cell's height
GAP = 2.0  # between cells
PAD = 5.0  # text to cell edge
LEGEND_GAP = 14.0  # between legend entries in a row
PAGE = 680.0  # the widest a figure is laid out: a journal page's text width at 96 dpi

# Fill and text colour per tier: cividis at 1.0, 0.7, 0.4, 0.05 (light to dark).
FILLS: dict[str, tuple[str, str]] = {
    "1": ("#fee838", "#000000"),
    "2": ("#b5a572", "#000000"),
    "2WL": ("#6e6f73", "#ffffff"),
    "3": ("#0e2d6a", "#ffffff"),
}
WHITE = ("#ffffff", "#000000")
Style = tuple[str, str, str | None, bool, bool]  # fill, ink, outline, dashed, hatched
SPECIAL: Style = ("#ffffff", "#000000", "#000000", False, False)
CONFLICT: Style = ("#ffffff", "#000000", "#000000", False, True)
NOT_FOUND: Style = ("#ffffff", "#000000", "#555555", True, False)
# The legend: a key (drawn as a cell when it has a style) and what it means.
LEGEND: tuple[tuple[str, str, Style | None], ...] = (
    ("1", "Tier 1", (*FILLS["1"], None, False, False)),
    ("2", "Tier 2", (*FILLS["2"], None, False, False)),
    ("2WL", "Tier 2 Watch List", (*FILLS["2WL"], None, False, False)),
    ("3", "Tier 3", (*FILLS["3"], None, False, False)),
    ("SC", "special case", SPECIAL),
    ("↑", "better than the previous year in the data", None),
    ("↓", "worse", None),
    ("a|b", "copies disagree", CONFLICT),
    ("?", "tier not found", NOT_FOUND),
    ("", "blank: no narrative", None),
)

# Character classes of `text_width`, in em: generous for the usual sans-serif faces.
_NARROW = set("iljtfrI!|.,:;'()[] \u2019")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """At least the width `text` takes in DejaVu Sans (the widest common sans-serif), px."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.40
        elif char in _WIDE:
            em += 1.02
        elif char in "↑↓":
            em += 0.86
        elif char.isupper() or char.isdigit():
            em += 0.78
        else:
            em += 0.66
    return em * size * (1.1 if bold else 1.0)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle of the figure: x, y of its top left corner, width, height (px)."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True, slots=True)
class Text:
    """A text and the box it is drawn in (left-aligned, or centred when `centre`)."""

    box: Box
    text: str
    size: float = SIZE
    bold: bool = False
    colour: str = "#000000"
    centre: bool = False


@dataclass(frozen=True, slots=True)
class Swatch:
    """A filled rectangle: a cell or a legend key."""

    box: Box
    fill: str
    stroke: str | None = None
    dashed: bool = False
    hatched: bool = False


@dataclass(slots=True)
class Figure:
    """What the SVG draws, in drawing order; `table` and `legend` bound the two parts."""

    width: float = 0.0
    height: float = 0.0
    title: str = ""
    description: str = ""
    swatches: list[Swatch] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    table: Box = Box(0, 0, 0, 0)
    legend: Box = Box(0, 0, 0, 0)


def style_of(cell: Cell) -> Style:
    """A cell's fill, text colour, outline, and whether dashed or hatched."""
    if len(cell.tiers) > 1:
        return CONFLICT
    tier = cell.tiers[0]
    if tier is None:
        return NOT_FOUND
    if tier == "special_case":
        return SPECIAL
    fill, ink = FILLS[tier]
    return fill, ink, None, False, False


def build(grid: Grid) -> Figure:
    """Lay the grid out: title, year header, a row per country, then the legend."""
    figure = Figure()
    first, last = grid.years[0], grid.years[-1]
    noun = "country" if len(grid.countries) == 1 else "countries"
    figure.title = f"TIP Report tiers, {span_of(first, last)}: {len(grid.countries)} {noun}"
    figure.description = (
        "A country by report-year grid of U.S. State Department Trafficking in Persons "
        "Report tier placements, drawn by tipconv. Each cell prints its tier (1, 2, 2WL for "
        "the Watch List, 3, SC for a special case), an arrow where the tier moved against "
        "the previous year in the data, and a|b where copies of a year disagree."
    )
    y = MARGIN
    title_height = TITLE_SIZE * 1.5
    title_width = text_width(figure.title, TITLE_SIZE, bold=True)
    figure.texts.append(
        Text(Box(MARGIN, y, title_width, title_height), figure.title, TITLE_SIZE, bold=True)
    )
    y += title_height + 6
    label_width = max(text_width(c.label, SIZE) for c in grid.countries) + PAD
    room = PAGE - 2 * MARGIN - label_width - GAP
    labels = [str(year) for year in grid.years]
    widths = _widths(grid, labels)
    if sum(width + GAP for width in widths) > room:  # too wide for a page: '03, then blocks
        labels = [f"'{year % 100:02d}" for year in grid.years]
        widths = _widths(grid, labels)
    table_top, table_right = y, 0.0
    for number, block in enumerate(_blocks(widths, room)):
        if number:
            y += ROW / 2
        x = MARGIN + label_width + GAP
        for index in block:
            box = Box(x, y, widths[index], ROW)
            figure.texts.append(Text(box, labels[index], bold=True, centre=True))
            x += widths[index] + GAP
        table_right = max(table_right, x - GAP)
        y += ROW + GAP
        for country in grid.countries:
            figure.texts.append(Text(Box(MARGIN, y, label_width - PAD, ROW), country.label))
            x = MARGIN + label_width + GAP
            for index in block:
                cell = country.cells.get(grid.years[index])
                if cell is not None:
                    fill, ink, stroke, dashed, hatched = style_of(cell)
                    box = Box(x, y, widths[index], ROW)
                    figure.swatches.append(Swatch(box, fill, stroke, dashed, hatched))
                    figure.texts.append(Text(box, cell.text, colour=ink, centre=True))
                x += widths[index] + GAP
            y += ROW + GAP
    figure.table = Box(MARGIN, table_top, table_right - MARGIN, y - GAP - table_top)
    width = max(table_right, MARGIN + title_width) - MARGIN
    y += 10
    figure.legend, width = _legend(figure, MARGIN, y, width)
    figure.width = MARGIN + width + MARGIN
    figure.height = figure.legend.y + figure.legend.height + MARGIN
    return figure


def _widths(grid: Grid, labels: list[str]) -> list[float]:
    """Each year column's width: its label's or its widest cell's, and the padding."""
    return [
        max(
            [text_width(label, SIZE, bold=True)]
            + [text_width(c.cells[year].text, SIZE) for c in grid.countries if year in c.cells]
        )
        + 2 * PAD
        for label, year in zip(labels, grid.years, strict=True)
    ]


def _blocks(widths: list[float], room: float) -> list[list[int]]:
    """Year columns split into as few blocks as fit `room`, as even as fit (no block of two
    years under one of twelve), at least one column each."""
    greedy: list[list[int]] = [[]]
    used = 0.0
    for index, width in enumerate(widths):
        if greedy[-1] and used + width + GAP > room:
            greedy.append([])
            used = 0.0
        greedy[-1].append(index)
        used += width + GAP
    count = len(greedy)
    size = -(-len(widths) // count)  # ceil: the even split's longest block
    even = [
        list(range(start, min(start + size, len(widths)))) for start in range(0, len(widths), size)
    ]
    fits = len(even) == count and all(sum(widths[i] + GAP for i in block) <= room for block in even)
    return even if fits else greedy


def _legend(figure: Figure, left: float, top: float, width: float) -> tuple[Box, float]:
    """Legend entries flowed into rows no wider than `width` (widened for one too wide)."""
    entries = LEGEND
    sizes = []
    for code, name, style in entries:
        key = text_width(code, SIZE) + (2 * PAD if style is not None else 0)
        sizes.append((key, text_width(name, SIZE)))
    width = max([width, *(key + 4 + name for key, name in sizes)])
    x, y = left, top
    for (code, name, style), (key, name_width) in zip(entries, sizes, strict=True):
        size = key + (4 if code else 0) + name_width
        if x > left and x + size > left + width:
            x, y = left, y + ROW + GAP
        if style is not None:
            fill, ink, stroke, dashed, hatched = style
            box = Box(x, y, key, ROW)
            figure.swatches.append(Swatch(box, fill, stroke, dashed, hatched))
            figure.texts.append(Text(box, code, colour=ink, centre=True))
        elif code:
            figure.texts.append(Text(Box(x, y, key, ROW), code))
        start = x + key + (4 if code else 0)
        figure.texts.append(Text(Box(start, y, name_width, ROW), name))
        x += size + LEGEND_GAP
    return Box(left, top, width, y + ROW - top), width


def to_svg(figure: Figure) -> str:
    """The figure as a standalone SVG document."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(figure.width)}" '
        f'height="{_n(figure.height)}" viewBox="0 0 {_n(figure.width)} {_n(figure.height)}" '
        'role="img" aria-labelledby="tipconv-title tipconv-desc">\n',
        f'<title id="tipconv-title">{_x(figure.title)}</title>\n',
        f'<desc id="tipconv-desc">{_x(figure.description)}</desc>\n',
        "<defs>\n"
        '<pattern id="tipconv-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern>\n'
        "</defs>\n",
        f'<rect width="{_n(figure.width)}" height="{_n(figure.height)}" fill="#ffffff"/>\n',
        f'<g font-family="{_x(FONT)}" font-size="{_n(SIZE)}">\n',
    ]
    for swatch in figure.swatches:
        box = swatch.box
        fill = "url(#tipconv-hatch)" if swatch.hatched else swatch.fill
        stroke = ""
        if swatch.stroke is not None:
            stroke = f' stroke="{swatch.stroke}" stroke-width="1"'
            if swatch.dashed:
                stroke += ' stroke-dasharray="3 2"'
        out.append(
            f'<rect x="{_n(box.x + 0.5)}" y="{_n(box.y + 0.5)}" width="{_n(box.width - 1)}" '
            f'height="{_n(box.height - 1)}" fill="{fill}"{stroke}/>\n'
        )
    for text in figure.texts:
        box = text.box
        x = box.x + box.width / 2 if text.centre else box.x
        baseline = box.y + box.height / 2 + text.size * 0.36
        attributes = f'x="{_n(x)}" y="{_n(baseline)}"'
        if text.centre:
            attributes += ' text-anchor="middle"'
        if text.size != SIZE:
            attributes += f' font-size="{_n(text.size)}"'
        if text.bold:
            attributes += ' font-weight="bold"'
        if text.colour != "#000000":
            attributes += f' fill="{text.colour}"'
        out.append(f"<text {attributes}>{_x(text.text)}</text>\n")
    out.append("</g>\n</svg>\n")
    return "".join(out)


def to_html(figure: Figure, grid: Grid) -> str:
    """A standalone page: the title, the figure inline, and the grid as a table; offline."""
    svg = to_svg(figure).split("\n", 1)[1]  # no XML declaration inside HTML
    head = "".join(f"<th scope='col'>{year}</th>" for year in grid.years)
    rows = []
    for country in grid.countries:
        cells = "".join(
            f"<td>{_x(cell.text)}</td>" if (cell := country.cells.get(year)) else "<td></td>"
            for year in grid.years
        )
        rows.append(f"<tr><th scope='row'>{_x(country.label)}</th>{cells}</tr>\n")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_x(figure.title)}</title>\n"
        "<style>\n"
        f"body {{ font-family: {FONT}; color: #000; background: #fff; margin: 2em; }}\n"
        "table { border-collapse: collapse; margin-top: 1.5em; }\n"
        "th, td { border: 1px solid #bbb; padding: 2px 8px; text-align: center; }\n"
        "th[scope=row] { text-align: left; }\n"
        "</style>\n</head>\n<body>\n"
        f"<h1>{_x(figure.title)}</h1>\n"
        f"<figure>\n{svg}<figcaption>{_x(figure.description)}</figcaption>\n</figure>\n"
        f"<table>\n<caption>{_x(figure.title)}</caption>\n"
        f"<tr><th scope='col'>country</th>{head}</tr>\n{''.join(rows)}</table>\n"
        "</body>\n</html>\n"
    )


def _n(value: float) -> str:
    """A coordinate with at most one decimal: short, and the same on every platform."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _x(text: str) -> str:
    return html.escape(text, quote=True)
