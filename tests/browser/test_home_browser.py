"""The home page in a real browser: headline figures in Italian, and a deep link in English."""
from tests.browser.conftest import wait_for_app


def test_home_shows_headline_figure(app_url, page):
    page.goto(app_url + "/")
    wait_for_app(page, "-14,5 p.p.")
    assert page.get_by_text("-9.151,19 €").count() >= 1
    assert page.get_by_text("Fonte: Istat, 2022", exact=False).count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0


def test_deep_link_in_english(app_url, page):
    page.goto(app_url + "/?lang=en&zona=5")
    wait_for_app(page, "-€9,151.19")
    assert page.get_by_text("Axis 5 overview").count() == 1
    zone_box = page.locator('[data-testid="stSelectbox"]').first
    assert "Pinerolese" in zone_box.inner_text() + (zone_box.locator("input").first.input_value() or "")
    assert "zona=5" in page.url and "lang=en" in page.url
