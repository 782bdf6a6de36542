"""`grid --svg` and `--html` are a figure fit for a paper, not a terminal screenshot (issue 23).

White background, no network fetch, `<title>` and `<desc>`, tiers that survive greyscale and
colour blindness (each cell prints its code), a legend that never overlaps the grid. The
figure is rendered with a real renderer (cairosvg, where it and libcairo are installed) and
its ink is checked to stay inside the boxes the layout gave each text, boxes that never meet.
"""

from __future__ import annotations

import io
import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tipconv.views import figure
from tipconv.views import grid as view
from tipconv.views.sources import panel_rows

from .conftest import ROOT
from .test_view_grid import wide_archive
from .views_support import ARCHIVE, run

SVG = "{http://www.w3.org/2000/svg}"


def grid_of(*inputs: str) -> view.Grid:
    rows = panel_rows(
        list(inputs), pattern="*.txt", encoding=None, failed=pytest.fail, warn=lambda m: None
    )
    return view.build(rows)


def archive_figure() -> tuple[view.Grid, figure.Figure]:
    grid = grid_of(str(ROOT / ARCHIVE))
    return grid, figure.build(grid)


def renderer() -> Any:
    """cairosvg, or a skip where it (or the libcairo it loads) is not installed."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: cairocffi found no libcairo
        pytest.skip(f"no SVG renderer: {exc}")
    return cairosvg


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_the_cli_writes_the_figure_of_the_grid(tmp_path: Path) -> None:
    svg, page = tmp_path / "grid.svg", tmp_path / "grid.html"
    result = run("grid", ARCHIVE, "--svg", str(svg), "--html", str(page), "-q")
    assert result.returncode == 0
    grid = grid_of(ARCHIVE)
    assert svg.read_text(encoding="utf-8") == figure.to_svg(figure.build(grid))
    assert page.read_text(encoding="utf-8") == figure.to_html(figure.build(grid), grid)


def test_a_figure_not_a_screenshot() -> None:
    _, picture = archive_figure()
    svg = figure.to_svg(picture)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert root.find(f"{SVG}title").text == "TIP Report tiers, 2015-2019: 3 countries"
    background = root.find(f"{SVG}rect")
    assert background is not None and background.get("fill") == "#ffffff"
    assert background.get("width") == root.get("width")
    # Nothing fetched: no URL but the SVG namespace, no font face, no image, no script.
    assert re.findall(r"https?://[^\s\"']+", svg) == ["http://www.w3.org/2000/svg"]
    assert not re.search(r"@font-face|@import|<image|<script|href=", svg)
    assert "Rich" not in svg and "#0c0c0c" not in svg.lower()  # the terminal window is gone


def test_tiers_survive_greyscale_and_carry_their_code() -> None:
    darkness = [luminance(figure.FILLS[tier][0]) for tier in ("1", "2", "2WL", "3")]
    assert darkness == sorted(darkness, reverse=True)
    assert min(a - b for a, b in itertools.pairwise(darkness)) > 0.12
    grid, picture = archive_figure()
    drawn = {text.text for text in picture.texts}
    for country in grid.countries:
        for cell in country.cells.values():
            assert cell.text in drawn  # the code, not the colour alone, says the tier
    for code, _, _ in figure.LEGEND:
        assert not code or code in drawn


@pytest.mark.parametrize("years", [5, 25])
def test_no_two_texts_meet_and_the_legend_is_below_the_grid(tmp_path: Path, years: int) -> None:
    if years == 5:
        _, picture = archive_figure()
    else:
        wide_archive(tmp_path, years=years)
        picture = figure.build(grid_of(str(tmp_path)))
    boxes = [text.box for text in picture.texts]
    for index, box in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert not box.overlaps(other), (box, other)
        assert box.x >= 0 and box.x + box.width <= picture.width
        assert box.y >= 0 and box.y + box.height <= picture.height
    assert picture.legend.y > picture.table.y + picture.table.height
    assert not picture.legend.overlaps(picture.table)


def test_rendered_ink_stays_in_the_text_boxes_and_the_size_is_the_declared_one() -> None:
    cairosvg = renderer()
    from PIL import Image

    _, picture = archive_figure()
    scale = 2.0
    png = cairosvg.svg2png(bytestring=figure.to_svg(picture).encode("utf-8"), scale=scale)
    image = Image.open(io.BytesIO(png))
    assert image.size == (round(picture.width * scale), round(picture.height * scale))
    assert 250 <= picture.width <= 420  # about a journal column at 96 dpi
    # The text alone, black on white: every dark pixel lies in the box of its text.
    root = ET.fromstring(figure.to_svg(picture))
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{SVG}rect", f"{SVG}defs"):
                parent.remove(child)
            elif child.tag == f"{SVG}text":
                child.set("fill", "#000000")
    ET.register_namespace("", SVG[1:-1])
    text_only = cairosvg.svg2png(
        bytestring=ET.tostring(root), scale=scale, background_color="white"
    )
    grey = Image.open(io.BytesIO(text_only)).convert("L")
    width, height = grey.size
    allowed = bytearray(width * height)
    for text in picture.texts:
        box = text.box
        left, top = int(box.x * scale) - 1, int(box.y * scale) - 1
        right, bottom = int((box.x + box.width) * scale) + 2, int((box.y + box.height) * scale) + 2
        for y in range(max(top, 0), min(bottom, height)):
            allowed[y * width + max(left, 0) : y * width + min(right, width)] = b"\x01" * (
                min(right, width) - max(left, 0)
            )
    pixels = grey.tobytes()
    stray = [i for i, value in enumerate(pixels) if value < 160 and not allowed[i]]
    assert not stray, [(i % width / scale, i // width / scale) for i in stray[:5]]
    assert sum(1 for value in pixels if value < 160) > 2000  # text was drawn at all


def test_the_html_page_is_titled_and_offline() -> None:
    grid, picture = archive_figure()
    page = figure.to_html(picture, grid)
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>TIP Report tiers, 2015-2019: 3 countries</title>" in page
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"]
    assert "<link" not in page and "<script" not in page
    assert "<th scope='row'>Côte d&#x27;Ivoire</th>" in page and "<td>2|2WL</td>" in page
