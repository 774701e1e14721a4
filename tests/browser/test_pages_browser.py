"""Every council page in a real browser at desktop and phone width: no error element, map drawn, deep links."""
import pytest

from tests.browser.conftest import wait_for_app

PAGES = {"": "-14,5 p.p.", "divari-genere": "Divari di genere", "servizi": "Servizi sul territorio",
         "azioni": "Avanzamento delle azioni", "profilo": "Profilo territoriale",
         "citta-metropolitane": "Città metropolitane a confronto", "novita": "Novità nei dati",
         "dati-fonti": "Dati e fonti"}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path, text", list(PAGES.items()))
def test_page_renders_without_error(app_url, browser, path, text, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/{path}")
    wait_for_app(page, text)
    assert page.locator(ERRORS).count() == 0
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"horizontal overflow of {overflow}px at {width}px"
    context.close()


def test_map_canvas_is_drawn(app_url, page):
    page.goto(f"{app_url}/servizi?indicatore=share_age_65_plus&anno=2023&sesso=T")
    wait_for_app(page, "Quota di popolazione con 65 anni e più · 2023")
    page.locator("canvas").first.wait_for(timeout=30000)
    # deck.gl sizes its canvas after the first layout: wait for a drawn map, not the 300×150 default canvas.
    page.wait_for_function("""() => [...document.querySelectorAll('canvas')].some(c => {
        const box = c.getBoundingClientRect();
        return box.width > 200 && box.height > 200 && c.width > 0 && c.height > 0;
    })""", timeout=30000)


def test_deep_link_opens_zone_in_english(app_url, page):
    page.goto(f"{app_url}/profilo?zona=5&lang=en")
    wait_for_app(page, "Homogeneous zone 5 · Pinerolese")
    assert page.get_by_text("Area profile").count() >= 1
    assert "zona=5" in page.url and "lang=en" in page.url
