"""The territory report in a real browser: the PDF downloads when clicked; the print view is the report alone."""
import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import wait_for_app
from tests.browser.test_pages_browser import ERRORS


def test_the_pdf_report_downloads_from_the_profile_page(app_url, page):
    page.goto(f"{app_url}/profilo?zona=5&lang=en")
    wait_for_app(page, "Homogeneous zone 5 · Pinerolese")
    with page.expect_download(timeout=60000) as download:
        page.get_by_role("button", name="Area report (PDF)").click()
    assert download.value.suggested_filename == "profilo_zona_5_en.pdf"
    content = download.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert content.startswith(b"%PDF") and "Homogeneous zone 5 · Pinerolese" in text and "Gender gaps" in text


@pytest.mark.parametrize("width", [1280, 390])
def test_the_print_view_shows_the_report_without_the_app_chrome(app_url, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/profilo?comune=001272&stampa=1")
    wait_for_app(page, "Fonti e licenze")
    assert page.locator(ERRORS).count() == 0
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('header[data-testid="stHeader"]').is_visible()
    image = page.locator(".psm-report figure img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"horizontal overflow of {overflow}px at {width}px"
    page.emulate_media(media="print")
    assert not page.get_by_text("Ctrl+P").is_visible()   # the on-screen links are not printed
    assert page.get_by_role("heading", name="Torino").is_visible()
    context.close()
