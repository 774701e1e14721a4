"""A territory report as one HTML element for the print view: every text escaped, the map as an SVG image."""
from __future__ import annotations

import base64

from monitor import plain
from monitor.report.mapshapes import MapShapes
from monitor.report.model import Report, Section, Table
from monitor.report.pdf import COMPARISON_FILL, ROLE_FILL

# The print view is the report alone: Streamlit's header, toolbar and sidebar are hidden, on screen and on paper.
STYLE = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"], [data-testid="stDecoration"]
  {display:none !important}
[data-testid="stMainBlockContainer"]{padding-top:2rem !important}
.psm-report{color:#262730;max-width:60rem;margin:0 auto;font-size:0.9rem;line-height:1.4;
  -webkit-print-color-adjust:exact;print-color-adjust:exact}
.psm-report .psm-top{display:flex;flex-wrap:wrap;gap:1rem 2rem;justify-content:space-between;align-items:flex-start}
.psm-report .psm-top>div{flex:1 1 18rem}
.psm-report .psm-kicker,.psm-report .psm-note,.psm-report figcaption{color:rgba(49,51,63,0.7);font-size:0.8rem}
.psm-report h1{font-size:1.8rem;margin:0.1rem 0 0.4rem;padding:0}
.psm-report h2{font-size:1.2rem;margin:1.4rem 0 0.3rem;padding:0;break-after:avoid}
.psm-report p{margin:0 0 0.4rem}
.psm-report figure{margin:0;flex:0 0 15rem;max-width:15rem}
.psm-report figure img{width:100%;height:auto;border:1px solid #c8cad0;display:block}
.psm-report .psm-scroll{overflow-x:auto}
.psm-report table{border-collapse:collapse;width:100%;font-size:0.8rem}
.psm-report th{background:#eef0f4;text-align:left;vertical-align:bottom}
.psm-report th,.psm-report td{padding:0.2rem 0.35rem;border-bottom:1px solid #c8cad0}
.psm-report td:first-child{min-width:11rem}
.psm-report td.psm-num,.psm-report th.psm-num{text-align:right;white-space:nowrap}
.psm-report td.psm-compare{text-align:center;white-space:nowrap}
.psm-report td.psm-short{white-space:nowrap}
.psm-report .psm-actions{display:flex;gap:1.5rem;margin-bottom:1rem}
.psm-report .psm-actions a{color:#1b5e8c;font-weight:600}
@media print{
  @page{size:A4;margin:12mm}
  [data-testid="stMainBlockContainer"]{padding:0 !important;max-width:none !important}
  .psm-report{max-width:none;font-size:9pt}
  .psm-report .psm-actions{display:none}
  .psm-report tr{break-inside:avoid}
  .psm-report thead{display:table-header-group}
  .psm-report .psm-scroll{overflow:visible}
}
</style>"""
ROLE_COLOUR = {role: "#%02x%02x%02x" % rgb for role, rgb in ROLE_FILL.items()}
NUMERIC, SHORT = ' class="psm-num"', ' class="psm-short"'
COMPARISON_COLOUR = {symbol: "#%02x%02x%02x" % rgb for symbol, rgb in COMPARISON_FILL.items()}


def map_svg(shapes: MapShapes) -> str:
    """The map's polygons as an SVG document of filled paths (by role) and zone outlines."""
    def path(ring) -> str:
        return "M" + "L".join(f"{x:g},{y:g}" for x, y in ring) + "Z"

    fills = "".join(f'<path d="{path(ring)}" fill="{ROLE_COLOUR[role]}" stroke="#fff" stroke-width="0.15"/>'
                    for role, ring in shapes.fills)
    outlines = "".join(f'<path d="{path(ring)}"/>' for ring in shapes.outlines)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {shapes.width:g} {shapes.height:g}" '
            f'width="{shapes.width * 3:g}" height="{shapes.height * 3:g}"><g>{fills}</g>'
            f'<g fill="none" stroke="#646670" stroke-width="0.45">{outlines}</g></svg>')


def map_image(shapes: MapShapes, label: str) -> str:
    """The map as an image of its SVG (Streamlit's HTML sanitiser drops inline SVG, keeps a data: image)."""
    encoded = base64.b64encode(map_svg(shapes).encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{encoded}" alt="{plain.html(label)}">'


def table_html(table: Table) -> str:
    """The table, figures right-aligned and unbroken, ▲/▼ cells on the page's blue and orange."""
    numeric, short = table.figure_columns(), table.short_columns()

    def cell(i: int, text: str) -> str:
        if i == table.compare_column:
            colour = COMPARISON_COLOUR.get(text[:1])
            style = f' style="background:{colour}"' if colour else ""
            return f'<td class="psm-compare"{style}>{plain.html(text)}</td>'
        return f'<td{NUMERIC if i in numeric else SHORT if i in short else ""}>{plain.html(text)}</td>'

    head = "".join(f'<th{NUMERIC if i in numeric else ""}>{plain.html(c)}</th>'
                   for i, c in enumerate(table.columns))
    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in table.rows)
    return f'<div class="psm-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def section_html(section: Section) -> str:
    """A section's heading, notes, table and closing notes."""
    return (f"<section><h2>{plain.html(section.heading)}</h2>"
            + "".join(f'<p class="psm-note">{plain.html(t)}</p>' for t in section.before)
            + (table_html(section.table) if section.table is not None else "")
            + "".join(f'<p class="psm-note">{plain.html(t)}</p>' for t in section.after) + "</section>")


def report_html(report: Report, actions: list[tuple[str, str]], hint: str = "") -> str:
    """The whole report; actions are (label, address) links and hint a line, on screen only (not on paper)."""
    links = "".join(f'<a href="{plain.html(url)}">{plain.html(label)}</a>' for label, url in actions)
    top = (f'<div><p class="psm-kicker">{plain.html(report.kicker)}</p><h1>{plain.html(report.title)}</h1>'
           f"<p>{plain.html(report.facts)}</p>"
           + "".join(f'<p class="psm-note">{plain.html(n)}</p>' for n in report.notices)
           + f"<p><strong>{plain.html(report.data_date)}</strong></p></div>"
           f"<figure>{map_image(report.shapes, report.map_caption)}<figcaption>{plain.html(report.map_caption)}"
           "</figcaption></figure>")
    return (STYLE + f'<div class="psm-report"><nav class="psm-actions">{links}<span>{plain.html(hint)}</span></nav>'
            f'<div class="psm-top">{top}</div>' + "".join(section_html(s) for s in report.sections)
            + f'<p class="psm-note">{plain.html(report.footer)}</p></div>')
