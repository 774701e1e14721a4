"""Hostile names and notes, committed through the CLI and published, on every public page: shown as text, never run.

The uploader's name (--by; the public instance names the offices instead, and the test checks that the name is
nowhere), the notes of indicator, progress and priority-zone rows, a zone's name (zones upload) and the file's name
hold HTML, <script>, an <img onerror>, Markdown links and images, javascript: addresses, ]], Streamlit
directives, long unbroken and unicode text. On the public instance no script runs, no link or image is made from
them, they read as written where they are shown, and the main block keeps its width.
"""
from __future__ import annotations

import csv
import io
import math
import os
import subprocess
import sys

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitor import charts, maps, plain
from tests.browser.conftest import ROOT, free_port, start_streamlit, wait_for_app
from tests.conftest import private_paths

NAME = "<img src=x onerror=window.__pwned=1> [Mario](javascript:window.__pwned=1) ]] :red[x] Zoë Ångström 東京 🚀"
ZONE = "<script>window.__pwned=1</script> ![z](https://evil.example/z.png) [z](https://evil.example/z) ]] {n}"
NOTE = ("<b>nota</b> <img src=x onerror=window.__pwned=1> [link](https://evil.example/n) "
        "![img](https://evil.example/n.png) https://evil.example/raw www.evil.example $x^2$ :material/warning: "
        ":streamlit: :red[x] ]] -> " + "ininterrotto" * 30)
FORMULA_NOTE = '=HYPERLINK("https://evil.example/f","clic")'
FILE_NAME = "<img src=x onerror=window.__pwned=1>.csv"
HOSTILE_ZONE_ID = 5
SERVICES = f"/servizi?indicatore=share_comuni_nido&zona={HOSTILE_ZONE_ID}"

FOOTER = "Monitor del Piano Strategico Metropolitano"   # drawn by the frame after the page: the run is over
SIDEBAR_ZONE = f"{HOSTILE_ZONE_ID} · {ZONE}"
# (path, texts that must read as written: in the page, its chart labels or the sidebar's zone choice)
OFFICES = "Uffici della Città metropolitana di Torino"   # who uploaded, as the public instance names them
PAGES = [
    ("/", [OFFICES]),
    ("/divari-genere", []),
    (SERVICES, [OFFICES, SIDEBAR_ZONE]),
    ("/azioni", [OFFICES, NOTE, ZONE]),
    (f"/profilo?zona={HOSTILE_ZONE_ID}", [f"Zona omogenea {HOSTILE_ZONE_ID} · {ZONE}", SIDEBAR_ZONE]),
    ("/citta-metropolitane", []),
    ("/novita", []),
    ("/dati-fonti", []),
]
# What a page shows as text: its HTML, its chart labels (SVG) and the values of its inputs, word joiners left out.
SHOWN_TEXT = """() => [document.body.innerText,
  ...Array.from(document.querySelectorAll('svg text'), t => t.textContent),
  ...Array.from(document.querySelectorAll('input'), i => i.value)].join('\\n').replaceAll('\\u2060', '')"""
# Every attribute that loads or links an address, any inline handler, any script made from the hostile texts.
FROM_HOSTILE_TEXT = """() => {
  const hostile = /evil\\.example|javascript:|__pwned/i, linking = ['href', 'src', 'srcset', 'xlink:href', 'action',
    'formaction', 'data', 'poster', 'background'];
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if ((linking.includes(name) && (hostile.test(attr.value) || attr.value === 'x'))
          || (name.startsWith('on') && hostile.test(attr.value))) found.push(`${el.tagName} ${name}=${attr.value}`);
    }
    if (el.tagName === 'SCRIPT' && hostile.test(el.textContent)) found.push('SCRIPT ' + el.textContent);
  }
  return found;
}"""
OVERFLOW = """() => ['stMain', 'stMainBlockContainer'].map(id => {
  const el = document.querySelector(`[data-testid="${id}"]`);
  return el.scrollWidth - el.clientWidth;
})"""


def cli(env: dict, *args: str) -> str:
    """Run `python -m etl ARGS` from the checkout; return its output, failing the test with it on error."""
    done = subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def csv_file(path, rows: list[list[str]]) -> str:
    """Write rows as a ';' CSV (quoted where needed), the way a spreadsheet exports them."""
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")
    return str(path)


def commit_hostile_uploads(env: dict, folder) -> None:
    """A zone list renaming one zone, comune values of a headline indicator, action progress and priority zones (of
    strategy 5.1, the one /azioni opens on), all by NAME."""
    template = [line.split(";") for line in cli(env, "upload", "template", "zones").splitlines()
                if line and not line.startswith("#")]
    zones = [template[0]] + [row[:3] + [ZONE if row[2] == str(HOSTILE_ZONE_ID) else row[3]] for row in template[1:]]
    cli(env, "upload", "commit", csv_file(folder / "zone.csv", zones), "--kind", "zones", "--by", NAME)
    values = [["indicator_code", "level", "territory_code", "period", "sex", "value", "numerator", "denominator",
               "note"]] + [["share_comuni_nido", "comune", row[0], "2023", "T", *(("100", "1") if k % 3 else ("0", "0")),
                            "1", NOTE] for k, row in enumerate(template[1:])]   # every comune: zones and CM derived
    cli(env, "upload", "commit", csv_file(folder / FILE_NAME, values), "--by", NAME)
    progress = [["action_code", "zone_id", "as_of", "status", "percent", "funds_allocated", "funds_spent", "note"],
                ["5.1.1", str(HOSTILE_ZONE_ID), "31/10/2025", "in_corso", "40", "1000", "500", NOTE],
                ["5.1.2", "", "30/09/2025", "avviata", "10", "", "", FORMULA_NOTE]]
    cli(env, "upload", "commit", csv_file(folder / "avanzamento.csv", progress), "--by", NAME)
    priorities = [["plan_code", "zone_id", "note"], ["5.1", str(HOSTILE_ZONE_ID), NOTE], ["5.1.2", "3", ""]]
    cli(env, "upload", "commit", csv_file(folder / "zone_prioritarie.csv", priorities), "--by", NAME)


@pytest.fixture(scope="module")
def hostile_public(tmp_path_factory):
    """The public instance (PSM_MODE=public) on a published warehouse holding the hostile uploads; every file in a
    temporary folder. No warm-up visit: each test's first request is a deep link."""
    folder = tmp_path_factory.mktemp("hostile")
    env = {**os.environ, **private_paths(folder)}
    env.pop("PSM_MODE", None)
    commit_hostile_uploads(env, folder)
    cli(env, "publish")
    port = free_port()
    proc = start_streamlit({**env, "PSM_MODE": "public"}, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def hostile_page(page):
    """The browser page; a JavaScript dialog (none may open) is dismissed and its message kept in page.dialogs."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    return page


def visit(page, url: str, wanted: list[str]) -> None:
    """Open a page, wait for the end of its run, then for the texts it must show (their absence fails the test)."""
    page.goto(url)
    wait_for_app(page, FOOTER)
    try:
        page.wait_for_function(f"wanted => wanted.every(w => ({SHOWN_TEXT})().includes(w))", arg=wanted)
    except PlaywrightTimeout:
        pass  # the assertion below says which text is missing
    text = page.evaluate(SHOWN_TEXT)
    assert [w for w in wanted if w not in text] == []


def assert_inert(page) -> None:
    """No script ran, no dialog opened, nothing links or loads from the hostile texts, the main block fits."""
    assert page.evaluate("() => typeof window.__pwned") == "undefined" and page.dialogs == []
    assert page.evaluate(FROM_HOSTILE_TEXT) == []
    assert all(extra <= 1 for extra in page.evaluate(OVERFLOW)), page.evaluate(OVERFLOW)
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("path, shown", PAGES, ids=[p[0] for p in PAGES])
def test_public_pages_show_hostile_text_as_text(hostile_public, hostile_page, path, shown):
    visit(hostile_page, hostile_public + path, shown)
    assert "Zoë Ångström" not in hostile_page.evaluate(SHOWN_TEXT)   # the uploader: the offices, never a person
    assert_inert(hostile_page)


def test_whats_new_names_the_offices_never_the_uploader(hostile_public, hostile_page):
    visit(hostile_page, hostile_public + "/novita", ["Uffici della Città metropolitana di Torino"])
    text = hostile_page.evaluate(SHOWN_TEXT)
    assert "Zoë Ångström" not in text and "onerror" not in text and ".csv" not in text.split("Dati inclusi")[0]
    assert_inert(hostile_page)


def test_charts_show_hostile_zone_names_as_text(hostile_public, hostile_page):
    short_name = ZONE[:charts.TICK_CHARACTERS - 1] + "…"   # on the axis; whole in the hover text
    visit(hostile_page, hostile_public + "/azioni", [short_name])
    ticks = hostile_page.evaluate("() => Array.from(document.querySelectorAll('.ytick text'), t => t.textContent)")
    assert short_name in ticks
    assert hostile_page.locator(".js-plotly-plot a").count() == 0   # Plotly makes <a> of <a href> in its text
    assert_inert(hostile_page)


def hover_until_tooltip(page, box: dict, wanted: str) -> str:
    """Move the mouse over the map around its centre until deck.gl's tooltip shows `wanted`; return its text."""
    shown = ""
    for step in range(40):   # the comuni file loads after the first frames: hover again until it is picked
        x = box["x"] + box["width"] / 2 + (step % 5 - 2) * 12
        y = box["y"] + box["height"] / 2 + (step // 5 % 5 - 2) * 12
        page.mouse.move(x, y)
        tooltip = page.locator(".deck-tooltip")
        try:
            tooltip.wait_for(state="visible", timeout=1000)
        except PlaywrightTimeout:  # nothing picked here (yet): next point
            continue
        shown = tooltip.inner_text().replace(plain.WORD_JOINER, "")
        if wanted in shown:
            return shown
    return shown


def test_map_tooltip_shows_hostile_names_as_text(hostile_public, hostile_page):
    with hostile_page.expect_response(lambda response: "/app/static/geo/comuni-" in response.url):
        visit(hostile_page, hostile_public + SERVICES, [OFFICES])
    canvas = hostile_page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for()
    shown = hover_until_tooltip(hostile_page, canvas.bounding_box(), ZONE)
    assert f"Zona: {ZONE}" in shown and f"({OFFICES})" in shown and "Zoë Ångström" not in shown
    tooltip = hostile_page.locator(".deck-tooltip")
    assert tooltip.evaluate("t => Array.from(t.querySelectorAll('*')).map(e => e.tagName)") == ["BR"] * 3
    assert_inert(hostile_page)


def test_priority_zone_map_tooltip_shows_hostile_names_as_text(hostile_public, hostile_page):
    visit(hostile_page, hostile_public + "/azioni", [f"{HOSTILE_ZONE_ID} {ZONE} · 5.1: {NOTE}"])
    canvas = hostile_page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.scroll_into_view_if_needed()             # below the heatmap and the strategy's text
    box, view = canvas.bounding_box(), maps.PRIORITY_VIEW
    # Pinerolo (zone 5) on the map: deck.gl's Web Mercator, 512 pixels around the world at zoom 0.
    scale, mercator = 512 * 2 ** view.zoom, lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    x = box["x"] + box["width"] / 2 + (7.3319 - view.longitude) / 360 * scale
    y = box["y"] + box["height"] / 2 - (mercator(44.8848) - mercator(view.latitude)) / (2 * math.pi) * scale
    shown = hover_until_tooltip(hostile_page, {"x": x - 1, "y": y - 1, "width": 2, "height": 2}, ZONE)
    assert shown.split("\n")[:3] == [f"{HOSTILE_ZONE_ID} · {ZONE}", "Zona prioritaria della strategia 5.1",
                                      f"Nota 5.1: {NOTE}"]
    tooltip = hostile_page.locator(".deck-tooltip")
    assert set(tooltip.evaluate("t => Array.from(t.querySelectorAll('*')).map(e => e.tagName)")) <= {"BR"}
    assert_inert(hostile_page)


def test_progress_table_exports_only_through_the_neutralising_button(hostile_public, hostile_page):
    visit(hostile_page, hostile_public + "/azioni", [])
    hostile_page.get_by_text("Tabella dell'avanzamento").click()
    table = hostile_page.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    table.hover()
    toolbar = hostile_page.locator('[data-testid="stElementToolbar"]').first
    toolbar.get_by_role("button").first.wait_for()
    labels = toolbar.get_by_role("button").evaluate_all("buttons => buttons.map(b => b.getAttribute('aria-label'))")
    assert "Search" in labels and "Download as CSV" not in labels, labels
    with hostile_page.expect_download(timeout=120_000) as download:  # the CSV is written when clicked
        hostile_page.get_by_role("button", name="Scarica i dati (CSV)").click()
    cells = [cell for row in csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))) for cell in row]
    assert "'" + FORMULA_NOTE in cells and not any(cell.startswith(("=", "+", "@")) for cell in cells)
