"""PDF fixtures, generated: laid out as the report's PDFs are, in the project's own words.

    .venv/bin/python -m tests.pdf_fixtures           # rewrite fixtures/pdf/*.pdf

Every PDF here is made by fpdf2 with a fixed creation date, so the same script gives the
same bytes. The layout engine is small on purpose: pages with a running header and a page
number, one or two columns of justified or ragged text, words hyphenated at a line's end,
bold capital headings, a photo with its caption in a smaller font, and flows that run on
from column to column and page to page. `tests/test_pdf.py` checks that the committed PDFs
still read as the generator's do; their goldens sit beside them.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "pdf"
WHEN = datetime.datetime(2019, 6, 20, 12, 0, tzinfo=datetime.UTC)

# A5 portrait, in points.
WIDTH, HEIGHT = 420.0, 595.0
MARGIN = 36.0
GUTTER = 16.0
TOP = 62.0  # first baseline of the body
BOTTOM = HEIGHT - 50.0  # last baseline of the body


@dataclass
class Block:
    kind: str  # "title", "heading", "para", "bullet", "caption", "break", "column", "lines"
    text: str = ""


def T(text: str) -> Block:  # a country's title, across both columns
    return Block("title", text)


def H(text: str) -> Block:
    return Block("heading", text)


def P(text: str) -> Block:
    return Block("para", " ".join(text.split()))


def B(text: str) -> Block:
    return Block("bullet", " ".join(text.split()))


def CAPTION(text: str) -> Block:
    return Block("caption", " ".join(text.split()))


PAGE_BREAK = Block("break")


class Layout:
    """Pours blocks into columns and pages."""

    def __init__(
        self,
        *,
        header: str | None,
        columns: int = 2,
        size: float = 10.0,
        justify: bool = True,
        indent: float = 0.0,
        gap: float = 5.0,
        first_page_number: int = 1,
        bare_first_page: bool = False,
    ) -> None:
        pdf = FPDF(unit="pt", format=(WIDTH, HEIGHT))
        pdf.set_creation_date(WHEN)
        pdf.set_producer("tipconv fixture generator")
        pdf.set_creator("tests/pdf_fixtures.py")
        pdf.set_compression(False)
        pdf.set_auto_page_break(False)
        pdf.core_fonts_encoding = "windows-1252"
        self.pdf = pdf
        self.header = header
        self.columns = columns
        self.size = size
        self.leading = size * 1.25
        self.justify = justify
        self.indent = indent
        self.gap = gap
        self.number = first_page_number - 1
        self.column = 0
        self.y = 0.0
        self.bare = bare_first_page
        self.width = (WIDTH - 2 * MARGIN - (columns - 1) * GUTTER) / columns
        self._new_page()

    # --- pages and columns ---------------------------------------------------------------

    def _new_page(self) -> None:
        pdf = self.pdf
        family, style, size = pdf.font_family, pdf.font_style, pdf.font_size_pt
        self._page_furniture()
        if family:
            pdf.set_font(family, style, size)

    def _page_furniture(self) -> None:
        pdf = self.pdf
        pdf.add_page()
        self.number += 1
        if getattr(self, "bare", False) and self.number == 1:
            self.column, self.y, self.top = 0, TOP, TOP
            return
        if self.header:
            pdf.set_font("Helvetica", "", 7.5)
            right = WIDTH - MARGIN - pdf.get_string_width(self.header)
            x = right if self.number % 2 else MARGIN
            pdf.text(x, 34, self.header)
        pdf.set_font("Helvetica", "", 8)
        label = str(self.number)
        pdf.text((WIDTH - pdf.get_string_width(label)) / 2, HEIGHT - 24, label)
        self.column = 0
        self.y = TOP
        self.top = TOP

    def _next_column(self) -> None:
        if self.column + 1 < self.columns:
            self.column += 1
            self.y = self.top
        else:
            self._new_page()

    def _x(self) -> float:
        return MARGIN + self.column * (self.width + GUTTER)

    def _room(self, lines: int = 1) -> None:
        if self.y + (lines - 1) * self.leading > BOTTOM:
            self._next_column()

    # --- text ------------------------------------------------------------------------------

    def _wrap(self, words: list[str], width: float, first: float) -> list[list[str]]:
        """Greedy lines; a long word that does not fit is hyphenated."""
        pdf = self.pdf
        lines: list[list[str]] = [[]]
        room = width - first
        used = 0.0
        space = pdf.get_string_width(" ")
        queue = list(words)
        while queue:
            word = queue.pop(0)
            w = pdf.get_string_width(word)
            need = w + (space if lines[-1] else 0)
            if used + need <= room:
                lines[-1].append(word)
                used += need
                continue
            if len(word) >= 8 and word.isalpha():
                for cut in range(len(word) - 3, 3, -1):
                    head = word[:cut] + "-"
                    if used + space + pdf.get_string_width(head) <= room:
                        lines[-1].append(head)
                        queue.insert(0, word[cut:])
                        break
                else:
                    cut = 0
                if cut:
                    lines.append([])
                    room, used = width, 0.0
                    continue
            lines.append([word])
            room, used = width, w
        return [line for line in lines if line]

    def _set_line(self, words: list[str], x: float, width: float, last: bool) -> None:
        pdf = self.pdf
        if not self.justify or last or len(words) == 1:
            pdf.text(x, self.y, " ".join(words))
            return
        total = sum(pdf.get_string_width(w) for w in words)
        space = (width - total) / (len(words) - 1)
        for word in words:
            pdf.text(x, self.y, word)
            x += pdf.get_string_width(word) + space

    def _flow(self, text: str, style: str, size: float, *, indent: float = 0.0) -> None:
        pdf = self.pdf
        pdf.set_font("Helvetica", style, size)
        hang = 0.0
        if text.startswith("• "):
            hang = pdf.get_string_width("• ")
        lines = self._wrap(text.split(), self.width, indent)
        for index, words in enumerate(lines):
            self._room()
            offset = indent if index == 0 else hang
            last = index == len(lines) - 1
            self._set_line(words, self._x() + offset, self.width - offset, last)
            self.y += size * 1.25

    def add(self, blocks: Iterable[Block]) -> None:
        pdf = self.pdf
        for block in blocks:
            if block.kind == "break":
                self._new_page()
            elif block.kind == "column":
                self._next_column()
            elif block.kind == "title":
                pdf.set_font("Helvetica", "B", 15)
                if self.y > self.top:
                    self._new_page()
                pdf.text(MARGIN, self.y + 6, block.text)
                self.y += 34
                self.top = self.y
            elif block.kind == "heading":
                if self.y > self.top:
                    self.y += self.gap + 3
                self._room(3)
                self._flow(block.text, "B", self.size)
                self.y += 2
            elif block.kind == "caption":
                self._room(8)
                x = self._x()
                pdf.set_fill_color(150, 150, 150)
                pdf.rect(x, self.y - self.size, self.width, 60, style="F")
                self.y += 60
                pdf.set_font("Helvetica", "I", self.size * 0.7)
                for words in self._wrap(block.text.split(), self.width - 8, 0):
                    pdf.text(x + 4, self.y, " ".join(words))
                    self.y += self.size * 0.7 * 1.25
                self.y += self.gap + 4
            elif block.kind == "lines":  # a list of short lines (placement lists)
                pdf.set_font("Helvetica", "", self.size)
                for line in block.text.split("\n"):
                    self._room()
                    pdf.text(self._x(), self.y, line)
                    self.y += self.leading
                self.y += self.gap
            else:
                first = self.indent if block.kind == "para" else 0.0
                self._flow(block.text, "", self.size, indent=first)
                self.y += self.gap

    def output(self) -> bytes:
        return bytes(self.pdf.output())


# --- the texts (invented; real country names) ------------------------------------------------

ALBANIA = [
    T("ALBANIA: TIER 2"),
    P("""The Government of Albania does not fully meet the minimum standards for the
    elimination of trafficking but is making significant efforts to do so. The government
    demonstrated increasing efforts compared to the previous reporting period; therefore
    Albania remained on Tier 2. These efforts included opening more investigations into
    forced begging, funding two new shelters run by nongovernmental organizations, and
    adopting standard operating procedures for the identification of trafficking victims
    at border crossings. However, the government did not meet the minimum standards in
    several key areas. Courts convicted fewer traffickers, and officials continued to treat
    some victims of trafficking as offenders for acts their traffickers compelled them to
    commit."""),
    H("PRIORITIZED RECOMMENDATIONS:"),
    B("""• Vigorously investigate, prosecute and convict traffickers, including officials
    complicit in trafficking crimes."""),
    B("""• Train police, prosecutors and judges on a victim-centered approach to
    trafficking cases."""),
    B("""• Fund the shelters run by nongovernmental organizations in full and on time."""),
    H("PROSECUTION"),
    P("""The government maintained law enforcement efforts. The criminal code criminalized
    sex trafficking and labor trafficking and prescribed penalties of eight to 15 years'
    imprisonment, which were sufficiently stringent and, with respect to sex trafficking,
    commensurate with those prescribed for other serious crimes, such as rape. The state
    police investigated 68 trafficking cases involving 92 suspects, compared with 61 cases
    involving 75 suspects in the previous reporting period."""),
    CAPTION("""A volunteer at a coastal shelter sorts donated clothing for the women and
    children who stay there. Photo caption text sits outside the column flow."""),
    P("""Prosecutors started 21 prosecutions and courts convicted eleven traffickers, a
    decrease from 19 convictions in the previous year. Judges sentenced the convicted
    traffickers to terms of between two and 17 years. Observers reported that lengthy
    pretrial detention and frequent adjournments delayed trafficking cases, and that
    judges sometimes reclassified trafficking charges as the lesser crime of exploitation
    for prostitution. The government did not report any investigations, prosecutions or
    convictions of government employees complicit in trafficking offenses; however,
    corruption and official complicity in trafficking crimes remained significant concerns,
    and observers alleged that some police officers accepted payments from traffickers
    operating in the capital and in the southern port cities."""),
    P("""The police academy trained 240 officers on identifying and investigating
    trafficking, and the government cooperated with counterparts in neighboring countries
    on four transnational investigations."""),
    PAGE_BREAK,
    H("PROTECTION"),
    P("""The government increased efforts to protect victims. The government and
    nongovernmental organizations identified 95 official and potential victims, compared
    with 105 in the previous reporting period. Of these, 56 were children and 72 were
    female; most were exploited in sex trafficking, and 14 were exploited in forced labor
    or forced begging. Mobile identification units operated in four cities and screened
    street children, seasonal workers and migrants for indicators of trafficking."""),
    P("""The state-run shelter and three shelters run by nongovernmental organizations
    offered accommodation, medical care, psychological counseling, legal assistance and
    vocational training. The government provided 23 million lek to the shelters, an
    increase from 18 million lek in the previous year, but the funds arrived months late,
    and shelter staff reported that they relied on donors to pay salaries."""),
    H("PREVENTION"),
    P("""The government maintained efforts to prevent trafficking. The national coordinator
    led an interagency working group that met quarterly and monitored the national action
    plan. The government conducted awareness campaigns in schools and on social media, and
    the labor inspectorate carried out unannounced inspections of textile factories and
    farms. The government did not make efforts to reduce the demand for commercial sex
    acts."""),
    H("TRAFFICKING PROFILE"),
    P("""As reported over the past five years, human traffickers exploit domestic and
    foreign victims in Albania, and traffickers exploit victims from Albania abroad.
    Traffickers exploit Albanian women and children in sex trafficking within the country
    and in other countries in Europe, and they force children to beg or sell goods in the
    streets during the summer tourist season."""),
]

CHILE = [
    T("CHILE: TIER 1"),
    P("""The Government of Chile fully meets the minimum standards for the elimination of
    trafficking. The government continued to demonstrate serious and sustained efforts
    during the reporting period; therefore Chile remained on Tier 1. These efforts included
    convicting more traffickers and opening a new shelter for male victims."""),
    H("PROSECUTION"),
    P("""The government increased law enforcement efforts. Authorities investigated 31
    cases and convicted nine traffickers, and courts sentenced them to terms of up to 15
    years' imprisonment."""),
    H("PROTECTION"),
    P("""The government identified 190 victims, most of them exploited in forced labor in
    agriculture and construction, and referred all of them to care."""),
]

BOTSWANA = [
    T("BOTSWANA: TIER 2 WATCH LIST"),
    P("""The Government of Botswana does not fully meet the minimum standards for the
    elimination of trafficking but is making significant efforts to do so. The government
    did not demonstrate increasing efforts compared to the previous reporting period;
    therefore Botswana remained on Tier 2 Watch List for the second consecutive year."""),
    H("PROSECUTION"),
    P("""The government decreased law enforcement efforts. Police investigated two cases,
    and courts did not convict any traffickers during the reporting period."""),
]

ERITREA = [
    T("ERITREA: TIER 3"),
    P("""The Government of Eritrea does not fully meet the minimum standards for the
    elimination of trafficking and is not making significant efforts to do so; therefore
    Eritrea remained on Tier 3. The government continued to subject its nationals to forced
    labor in its national service program."""),
    H("PROSECUTION"),
    P("""The government did not report any law enforcement efforts against trafficking
    during the reporting period."""),
]

FIJI = [
    T("FIJI: TIER 2"),
    P("""The Government of Fiji does not fully meet the minimum standards for the
    elimination of trafficking but is making significant efforts to do so; therefore Fiji
    was upgraded to Tier 2. The government convicted its first labor traffickers."""),
]

LIBYA = [
    T("LIBYA: SPECIAL CASE"),
    P("""Libya is a Special Case for the fourth consecutive year. The country lacks a
    functioning central government, and armed groups control much of its territory, so
    information on trafficking remains difficult to gather and verify."""),
]

COVER = "2019\nTRAFFICKING IN PERSONS\nREPORT\nJUNE 2019"

INTRODUCTION = [
    H("INTRODUCTION"),
    P("""This report places every country in one of four tiers. Countries whose
    governments fully meet the minimum standards are placed on Tier 1; those that do not,
    but are making significant efforts, on Tier 2; those whose efforts are significant but
    whose number of victims is growing, on the Tier 2 Watch List; and those that make no
    significant efforts, on Tier 3. A placement on Tier 1 does not mean that a country has
    no trafficking problem."""),
    P("""The narratives that follow describe each government's efforts to prosecute
    traffickers, protect victims and prevent the crime during the reporting period."""),
]

PLACEMENTS = [
    H("TIER PLACEMENTS"),
    H("TIER 1"),
    Block("lines", "Chile"),
    H("TIER 2"),
    Block("lines", "Albania\nBotswana"),
    H("TIER 2 WATCH LIST"),
    Block("lines", "Zambia"),
    H("TIER 3"),
    Block("lines", "Eritrea"),
    H("SPECIAL CASES"),
    Block("lines", "Libya"),
]


def narrative() -> bytes:
    """One country's narrative: two columns over three pages (fixtures/pdf/)."""
    layout = Layout(header="2019 TRAFFICKING IN PERSONS REPORT", first_page_number=62)
    layout.add(ALBANIA)
    return layout.output()


def report() -> bytes:
    """A miniature annual report: cover, introduction, placement lists, narratives."""
    layout = Layout(
        header="2019 TRAFFICKING IN PERSONS REPORT",
        columns=2,
        justify=False,
        indent=10,
        gap=0,
        bare_first_page=True,
    )
    pdf = layout.pdf
    # The cover: big type, no running header (drawn over the first page's header slot).
    pdf.set_font("Helvetica", "B", 30)
    for index, line in enumerate(COVER.split("\n")):
        pdf.text(MARGIN, 200 + index * 40, line)
    layout.add([PAGE_BREAK, *INTRODUCTION, PAGE_BREAK, *PLACEMENTS])
    layout.add([PAGE_BREAK, *ALBANIA[:2], *ALBANIA[6:9]])
    for country in (BOTSWANA, CHILE, ERITREA, FIJI):
        layout.add(country)
    layout.add([PAGE_BREAK, H("SPECIAL CASES"), *LIBYA])
    return layout.output()


def _image() -> object:
    from PIL import Image, ImageDraw

    image = Image.new("L", (300, 420), 235)
    draw = ImageDraw.Draw(image)
    for row in range(40, 400, 14):
        draw.rectangle((30, row, 270 - (row * 7) % 60, row + 5), fill=40)
    return image


def with_scanned_page() -> bytes:
    """A narrative whose middle page is an image only (a scan without a text layer)."""
    layout = Layout(header="2019 TRAFFICKING IN PERSONS REPORT", columns=1, justify=False)
    layout.add(CHILE[:2])
    layout.add([PAGE_BREAK])
    layout.pdf.image(_image(), x=MARGIN, y=60, w=WIDTH - 2 * MARGIN)
    layout.add([PAGE_BREAK, *CHILE[2:]])
    return layout.output()


def scanned() -> bytes:
    """Every page an image: a scanned PDF."""
    pdf = FPDF(unit="pt", format=(WIDTH, HEIGHT))
    pdf.set_creation_date(WHEN)
    pdf.set_compression(False)
    for _ in range(2):
        pdf.add_page()
        pdf.image(_image(), x=MARGIN, y=60, w=WIDTH - 2 * MARGIN)
    return bytes(pdf.output())


def encrypted() -> bytes:
    layout = Layout(header=None, columns=1)
    layout.add(FIJI)
    layout.pdf.set_encryption(owner_password="owner", user_password="secret")
    return layout.output()


def letter_soup() -> bytes:
    """A page whose text is not words (a font without its encoding), between two good ones."""
    layout = Layout(header=None, columns=1, justify=False)
    layout.add(CHILE[:2])
    layout.add([PAGE_BREAK])
    soup = " ".join(
        "".join("bcdfghjklmnpqrstvwxz#%&"[(i * 7 + j * 3) % 23] for j in range(2 + i % 5))
        for i in range(400)
    )
    layout.add([P(soup), PAGE_BREAK, *CHILE[2:]])
    return layout.output()


def big(pages: int) -> bytes:
    """A report of about `pages` pages: the narratives over and over (bench/run.py)."""
    layout = Layout(header="2019 TRAFFICKING IN PERSONS REPORT")
    countries = [ALBANIA, BOTSWANA, CHILE, ERITREA, FIJI]
    index = 0
    while layout.number < pages:
        layout.add(countries[index % len(countries)])
        index += 1
    return layout.output()


# name in fixtures/pdf/ -> generator
FIXTURES = {
    "pdf-2019-narrative.pdf": narrative,
    "pdf-2019-mini-report.pdf": report,
    "pdf-scanned-page.pdf": with_scanned_page,
}


def main(argv: list[str]) -> int:
    """No arguments: rewrite fixtures/pdf/. `--big N PATH`: write a report of N pages."""
    if argv[:1] == ["--big"] and len(argv) == 3:
        Path(argv[2]).write_bytes(big(int(argv[1])))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in FIXTURES.items():
        (OUT / name).write_bytes(make())
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def raw_pdf(contents: list[bytes], width: int = 420, height: int = 595) -> bytes:
    """A minimal PDF, written by hand: one page a content stream, Helvetica as F1.

    For hostile sizes (10,000 pages, a page of a million characters) that fpdf2 would take
    long to lay out."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for content in contents:
        stream = len(objects) + 1
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(len(objects) + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (width, height, stream)
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text_stream(
    lines: list[str], *, x: float = 36, top: float = 540, leading: float = 12.5
) -> bytes:
    """A content stream that prints `lines` one under the other in 10-point Helvetica."""
    parts = [b"BT /F1 10 Tf %.1f TL %.1f %.1f Td" % (leading, x, top)]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(b"(%s) Tj T*" % escaped.encode("cp1252"))
    parts.append(b"ET")
    return b"\n".join(parts)
