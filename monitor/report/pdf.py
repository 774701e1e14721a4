"""A territory report as an A4 PDF (fpdf2, DejaVu Sans embedded): every text written as it is, never as markup."""
from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from core.bilingual import Text
from monitor.report.mapshapes import MapShapes
from monitor.report.model import Report, Section, Table

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSansCondensed"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # never printable; newlines and tabs become spaces
MARGIN, MAP_WIDTH, MAP_MAX_HEIGHT = 14.0, 58.0, 52.0   # mm
INK, MUTED, RULE = (38, 39, 48), (100, 102, 112), (200, 202, 208)
COMPARISON_FILL = {"▲": (207, 229, 245), "▼": (251, 217, 185)}   # the profile page's blue / orange (comparisons.COMPARISON_COLOURS)
ROLE_FILL = {"other": (236, 237, 240), "zone": (190, 220, 240), "territory": (200, 60, 50)}
PAGE_ALIAS = "{nb}"  # fpdf2's total-pages alias: switched on only inside the footer, so no data text can carry it


def clean(text) -> str:
    """Text as it will be printed: control characters (which a PDF cannot show) as spaces, nothing else changed."""
    return CONTROL.sub(" ", "" if text is None else str(text)).strip()


class ReportPDF(FPDF):
    """FPDF with the report's fonts, and a footer with the report's line and 'page N of M'."""

    def __init__(self, footer_text: str, lang: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text, self.L = clean(footer_text), (lambda it, en: Text(it, en).in_(lang))
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSansCondensed.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSansCondensed-Bold.ttf"))
        self.alias_nb_pages(None)   # NOTE: fpdf2 would replace "{nb}" in any text, names from files included
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.set_text_color(*INK)

    def footer(self) -> None:
        """The monitor's line and the data date on the left, 'Pagina N di M' on the right."""
        previous = self.str_alias_nb_pages
        self.alias_nb_pages(PAGE_ALIAS)
        self.set_y(-11)
        self.set_font(FAMILY, "", 6.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(MARGIN)
        self.cell(0, 4, self.L(f"Pagina {self.page_no()} di {PAGE_ALIAS}", f"Page {self.page_no()} of {PAGE_ALIAS}"),
                  align="R")
        self.set_text_color(*INK)
        self.str_alias_nb_pages = previous

    def paragraph(self, text: str, size: float = 7.5, bold: bool = False, colour=INK, width: float = 0) -> None:
        """A paragraph of plain text, wrapped at word boundaries."""
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(width, size * 0.5, clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)


def draw_map(pdf: FPDF, shapes: MapShapes, x: float, y: float) -> float:
    """Draw the map's polygons with the PDF's own primitives in a box at (x, y); return the box's height."""
    scale = min(MAP_WIDTH / shapes.width, MAP_MAX_HEIGHT / shapes.height)
    width, height = shapes.width * scale, shapes.height * scale
    left = x + (MAP_WIDTH - width) / 2
    with pdf.rect_clip(left, y, width, height):
        pdf.set_draw_color(255, 255, 255)
        pdf.set_line_width(0.08)
        for role, ring in shapes.fills:
            pdf.set_fill_color(*ROLE_FILL[role])
            pdf.polygon([(left + px * scale, y + py * scale) for px, py in ring], style="DF")
        pdf.set_draw_color(*MUTED)
        pdf.set_line_width(0.25)
        for ring in shapes.outlines:
            pdf.polygon([(left + px * scale, y + py * scale) for px, py in ring], style="D")
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(left, y, width, height)
    return height


def draw_heading(pdf: ReportPDF, report: Report) -> None:
    """The title, facts, notices and data date on the left, the map and its caption on the right."""
    top = pdf.get_y()
    text_width = pdf.epw - MAP_WIDTH - 6
    pdf.paragraph(report.kicker, 7.5, colour=MUTED, width=text_width)
    pdf.ln(1)
    pdf.paragraph(report.title, 16, bold=True, width=text_width)
    pdf.ln(1)
    pdf.paragraph(report.facts, 9, width=text_width)
    pdf.ln(1.5)
    for notice in report.notices:
        pdf.paragraph(notice, 7.5, colour=MUTED, width=text_width)
    pdf.paragraph(report.data_date, 7.5, bold=True, width=text_width)
    left_bottom = pdf.get_y()
    map_height = draw_map(pdf, report.shapes, MARGIN + pdf.epw - MAP_WIDTH, top)
    pdf.set_xy(MARGIN + pdf.epw - MAP_WIDTH, top + map_height + 1)
    pdf.paragraph(report.map_caption, 6, colour=MUTED, width=MAP_WIDTH)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)


PADDING = 1.0          # mm left and right of a cell's text
LONGEST_TEXT_WORD = 36  # mm: a longer word (an address) wraps inside its column rather than squeeze the others


def column_widths(pdf: ReportPDF, table: Table, short: set[int]) -> list[float]:
    """Widths in mm filling the page: each column at least as wide as its longest heading word (and, for short
    columns, its longest cell, so that none wraps); the rest shared by the other columns by their weights."""
    def longest(texts, bold=False) -> float:   # the widest of the texts, each on one line
        pdf.set_font(FAMILY, "B" if bold else "", 7)
        return max((pdf.get_string_width(clean(text)) for text in texts), default=0)

    needed = []
    for i, column in enumerate(table.columns):
        cells = [row[i] for row in table.rows]
        whole = longest(cells) if i in short else 0
        title = [column] if len(column) <= 16 and i in short else column.split()   # a short title on one line
        words = min(max(longest(title, bold=True), longest(w for c in cells for w in clean(c).split())),
                    LONGEST_TEXT_WORD)
        needed.append(max(words, whole) + 2 * PADDING + 0.6)
    flexible = [i for i in range(len(table.columns)) if i not in short]
    spare = pdf.epw - sum(needed)
    weights = sum(table.weights[i] for i in flexible) or 1
    if spare <= 0 or not flexible:
        return [pdf.epw * w / sum(table.weights) for w in table.weights]
    return [n + (spare * table.weights[i] / weights if i in flexible else 0) for i, n in enumerate(needed)]


def draw_table(pdf: ReportPDF, table: Table) -> None:
    """A table whose text is written as it is (no markdown), headings repeated on each page, ▲/▼ cells coloured."""
    figures = table.figure_columns()
    align = tuple("CENTER" if i == table.compare_column else "RIGHT" if i in figures else "LEFT"
                  for i in range(len(table.columns)))
    widths = column_widths(pdf, table, table.short_columns())
    pdf.set_font(FAMILY, "", 7)
    headings = FontFace(emphasis="BOLD", color=INK, fill_color=(238, 240, 244))
    with pdf.table(col_widths=widths, width=pdf.epw, text_align=align, headings_style=headings, markdown=False,
                   borders_layout="HORIZONTAL_LINES", line_height=pdf.font_size * 1.3, padding=(0.8, PADDING),
                   repeat_headings=1) as grid:
        pdf.set_draw_color(*RULE)
        heading = grid.row()
        for column in table.columns:
            heading.cell(clean(column))
        for values in table.rows:
            row = grid.row()
            for i, value in enumerate(values):
                fill = COMPARISON_FILL.get(value[:1]) if i == table.compare_column else None
                row.cell(clean(value), style=FontFace(fill_color=fill) if fill else None)


def draw_section(pdf: ReportPDF, section: Section) -> None:
    """A section: its heading kept with what follows, paragraphs, table, closing paragraphs."""
    if pdf.get_y() > pdf.page_break_trigger - 30:
        pdf.add_page()
    pdf.paragraph(section.heading, 11, bold=True)
    pdf.ln(1)
    for text in section.before:
        pdf.paragraph(text, 7, colour=MUTED)
    pdf.ln(1)
    if section.table is not None:
        draw_table(pdf, section.table)
        pdf.ln(1.5)
    for text in section.after:
        pdf.paragraph(text, 7, colour=MUTED)
    pdf.ln(4)


def pdf_bytes(report: Report) -> bytes:
    """The report as the bytes of an A4 PDF."""
    pdf = ReportPDF(report.footer, report.lang)
    pdf.set_title(clean(f"{report.title} · {report.data_date}"))
    pdf.set_author(pdf.L("Città metropolitana di Torino · Monitor PSM Asse 5", "Metropolitan City of Turin · PSM Axis 5 monitor"))
    pdf.set_lang(report.lang)
    pdf.add_page()
    draw_heading(pdf, report)
    for section in report.sections:
        draw_section(pdf, section)
    pdf.alias_nb_pages(PAGE_ALIAS)   # every data text is written: only the footers carry the alias
    return bytes(pdf.output())
