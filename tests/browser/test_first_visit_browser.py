"""The first visit of a fresh server is a deep link (every embed and shared link): right page, inside the frame.

Each case starts its own server and opens its deep link as that server's very first request, with no warm-up:
no «Page not found», only the app's own navigation (never the raw files of `pages/`), the frame's language and
zone controls present, and the first click on the language switch taking effect.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import free_port, launch, wait_for_app, wait_healthy

# url path -> (title in Italian, title in English) of what the page shows to an anonymous visitor
PUBLIC_PAGES = {
    "": ("Quadro generale dell'Asse 5", "Axis 5 overview"),
    "divari-genere": ("Divari di genere", "Gender gaps"),
    "servizi": ("Servizi sul territorio", "Local services"),
    "azioni": ("Avanzamento delle azioni", "Action progress"),
    "profilo": ("Profilo territoriale", "Area profile"),
    "citta-metropolitane": ("Città metropolitane a confronto", "Metropolitan cities compared"),
    "novita": ("Novità nei dati", "What's new in the data"),
    "dati-fonti": ("Dati e fonti", "Data and sources"),
}
OFFICIALS_PAGES = {"carica": ("Accesso riservato agli uffici", "Officials only"),
                   "storico": ("Accesso riservato agli uffici", "Officials only")}
NAVIGATION = {
    "it": ["Quadro generale", "Divari di genere", "Servizi sul territorio", "Avanzamento azioni",
           "Profilo territoriale", "Città metropolitane", "Novità nei dati", "Dati e fonti"],
    "en": ["Overview", "Gender gaps", "Local services", "Action progress", "Area profile", "Metropolitan cities",
           "What's new in the data", "Data and sources"],
}
OFFICIALS_NAVIGATION = {"it": ["Carica dati", "Storico e ripristino"], "en": ["Upload data", "History and undo"]}
PAGE_FILES = ["app", "carica_dati", "storico_ripristino", "quadro_generale", "servizi_territorio"]
CASES = [(mode, path, lang) for mode, pages in (("public", PUBLIC_PAGES), ("internal", {**PUBLIC_PAGES, **OFFICIALS_PAGES}))
         for path in pages for lang in ("it", "en")]
OTHER = {"it": "en", "en": "it"}


@pytest.fixture(scope="module")
def published(built_dir, tmp_path_factory):
    """Environment variables of a published copy of the fixture warehouse (map files written by publish)."""
    from etl.publish import publish
    from core.settings import load_settings

    folder = tmp_path_factory.mktemp("first-visit")
    shutil.copy(built_dir / "warehouse.duckdb", folder / "warehouse.duckdb")
    env = {"PSM_WAREHOUSE": str(folder / "warehouse.duckdb"), "PSM_DATA_DIR": str(folder / "data"),
           "PSM_PUBLIC_WAREHOUSE": str(folder / "public" / "warehouse.duckdb"),
           "PSM_ACCOUNTS_FILE": str(folder / "accounts.toml"), "PSM_STATIC_DIR": str(folder / "static")}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        publish(load_settings())
    return env


@pytest.fixture(scope="module")
def fresh_servers(published):
    """One fresh server per case, all started at once; none has been visited when its test opens it."""
    servers, procs = {}, []
    for mode, path, lang in CASES:
        env = {**os.environ, **published, "PSM_MODE": mode}
        port = free_port()
        procs.append((launch(env, port), port))
        servers[(mode, path, lang)] = f"http://127.0.0.1:{port}"
    try:
        for proc, port in procs:
            wait_healthy(proc, port, "a fresh server did not start")
        yield servers
    finally:
        stop([proc for proc, _ in procs])


def stop(procs) -> None:
    """Terminate the servers; kill the ones still running after 30 s."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for_title(page, title: str) -> None:
    """Wait until the run has drawn the page's own title (a navigation link may carry the same words)."""
    page.locator("h1").filter(has_text=title).first.wait_for(timeout=30000)
    wait_for_app(page)


def navigation_titles(page) -> list[str]:
    """The titles of the sidebar's navigation links, icons left out."""
    return [link.inner_text().split("\n")[-1].strip()
            for link in page.locator('[data-testid="stSidebarNav"] a').all()]


@pytest.mark.parametrize("mode, path, lang", CASES)
def test_a_deep_link_as_first_request_renders_its_page_in_the_frame(fresh_servers, browser, mode, path, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{fresh_servers[(mode, path, lang)]}/{path}?lang={lang}")
    titles = {**PUBLIC_PAGES, **OFFICIALS_PAGES}[path]
    wait_for_title(page, titles[0 if lang == "it" else 1])
    assert page.get_by_text("Page not found").count() == 0 and page.locator('[role="dialog"]').count() == 0
    expected = NAVIGATION[lang] + (OFFICIALS_NAVIGATION[lang] if mode == "internal" else [])
    assert navigation_titles(page) == expected
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Lingua / Language")).to_have_count(1)
    expect(sidebar.get_by_text("Zona omogenea" if lang == "it" else "Homogeneous zone", exact=True)).to_have_count(1)

    page.get_by_role("radio", name="English" if lang == "it" else "Italiano").click()
    other = OTHER[lang]
    page.wait_for_function("(first) => ![...document.querySelectorAll('[data-testid=\"stSidebarNav\"] a')]"
                           ".some(a => a.innerText.includes(first))", arg=NAVIGATION[lang][0], timeout=30000)
    wait_for_title(page, titles[0 if other == "it" else 1])
    assert navigation_titles(page) == NAVIGATION[other] + (OFFICIALS_NAVIGATION[other] if mode == "internal" else [])
    context.close()


@pytest.mark.parametrize("mode", ["public", "internal"])
def test_a_file_name_of_pages_as_url_never_runs_that_file_alone(published, browser, mode):
    """On a fresh server, the URLs Streamlit's old file-based pages would have had run nothing outside the frame."""
    port = free_port()
    proc = wait_healthy(launch({**os.environ, **published, "PSM_MODE": mode}, port), port, "server did not start")
    try:
        for name in PAGE_FILES:
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/{name}")
            wait_for_title(page, "Quadro generale dell'Asse 5")
            expect(page.locator('[data-testid="stSidebar"]').get_by_text("Lingua / Language")).to_have_count(1)
            expect(page.locator('[data-testid="stFileUploader"], input[type="password"]')).to_have_count(0)
            assert navigation_titles(page) == NAVIGATION["it"] + (OFFICIALS_NAVIGATION["it"] if mode == "internal" else [])
            context.close()
    finally:
        stop([proc])
