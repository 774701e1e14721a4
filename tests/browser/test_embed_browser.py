"""The public instance embedded in an iframe of a page on another site, as on the CMT site."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import ROOT, free_port, wait_healthy

FRAME_ID = "psm-monitor"


def start_public(env: dict, port: int) -> subprocess.Popen:
    """Start the public instance with its own start command and wait for its health check."""
    proc = subprocess.Popen([str(ROOT / "deploy" / "start_public.sh"), str(port), "127.0.0.1"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_healthy(proc, port, "the public instance did not start")


def host_page_server(iframe_src: str) -> ThreadingHTTPServer:
    """A stand-in for the CMT site: one HTML page that embeds iframe_src, served from a thread."""
    html = (f'<!doctype html><html lang="en"><head><title>CMT</title></head><body><h1>Città metropolitana</h1>'
            f'<iframe id="{FRAME_ID}" src="{iframe_src}" title="Monitor PSM Asse 5" width="1100" height="850" '
            f'style="border:0" loading="lazy"></iframe></body></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def public_instance(built_dir, tmp_path_factory):
    """Base URL of the public instance on a published copy; the live warehouse path does not even exist."""
    from etl.publish import publish
    from core.settings import load_settings

    folder = tmp_path_factory.mktemp("public")
    env = {**os.environ, "PSM_WAREHOUSE": str(built_dir / "warehouse.duckdb"),
           "PSM_PUBLIC_WAREHOUSE": str(folder / "warehouse.duckdb"), "PSM_DATA_DIR": str(folder / "data")}
    with pytest.MonkeyPatch.context() as mp:
        for key in ("PSM_WAREHOUSE", "PSM_PUBLIC_WAREHOUSE", "PSM_DATA_DIR"):
            mp.setenv(key, env[key])
        publish(load_settings())
    env.update(PSM_WAREHOUSE=str(folder / "absent.duckdb"), PYTHON=sys.executable)
    port = free_port()
    proc = start_public(env, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def cmt_page(public_instance):
    """Address of the host page, on another site (localhost vs 127.0.0.1), embedding a deep link in English."""
    server = host_page_server(public_instance + "/?embed=true&lang=en&zona=5")
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_embedded_public_instance_on_another_site(cmt_page, page):
    page.goto(cmt_page)
    frame = page.frame_locator(f"#{FRAME_ID}")
    frame.get_by_text("-€9,151.19").first.wait_for(timeout=60000)
    assert frame.get_by_text("Axis 5 overview").count() == 1
    assert frame.get_by_text("42.6%").count() >= 1
    zone_box = frame.locator('[data-testid="stSelectbox"]').first
    assert "Pinerolese" in zone_box.inner_text() + zone_box.locator("input").first.input_value()
    # Nothing to upload or sign in with, and nothing of Streamlit's own chrome.
    for text in ("Carica dati", "Upload data", "Storico e ripristino", "History and undo", "Log in", "Sign in", "Accedi"):
        assert frame.get_by_text(text).count() == 0, text
    for test_id in ("stFileUploader", "stToolbar", "stMainMenu"):
        assert frame.locator(f'[data-testid="{test_id}"]').count() == 0, test_id
    assert frame.locator('[data-testid="stException"]').count() == 0


def test_full_page_link_opens_the_same_view_in_a_new_tab(cmt_page, public_instance, page):
    page.goto(cmt_page)
    frame = page.frame_locator(f"#{FRAME_ID}")
    link = frame.get_by_role("link", name="Open the full page")
    link.wait_for(timeout=60000)
    href = link.get_attribute("href")
    assert href.startswith(public_instance) and "embed" not in href
    assert parse_qs(urlparse(href).query) == {"lang": ["en"], "zona": ["5"]}
    assert link.get_attribute("target") == "_blank"


def test_no_cookie_is_needed_inside_a_third_party_frame(cmt_page, public_instance, page):
    page.goto(cmt_page)
    page.frame_locator(f"#{FRAME_ID}").get_by_text("-€9,151.19").first.wait_for(timeout=60000)
    # Chromium refuses SameSite=Lax cookies set from a frame of another site (Streamlit's XSRF cookie is one):
    # the view works with none stored.
    assert [c["name"] for c in page.context.cookies()] == []
    # The same app opened as a page of its own does store that cookie: the frame really ran without it.
    page.goto(public_instance + "/?lang=en")
    page.get_by_text("-€9,151.19").first.wait_for(timeout=60000)
    assert [c["name"] for c in page.context.cookies()] == ["_streamlit_xsrf"]


def test_public_map_uses_the_files_written_by_publish(public_instance, page):
    page.goto(public_instance + "/")  # first session: Streamlit learns the pages
    page.get_by_text("Quadro generale").first.wait_for(timeout=60000)
    map_files = []
    page.on("response", lambda r: map_files.append(r) if "/app/static/geo/" in r.url else None)
    page.goto(public_instance + "/servizi?indicatore=share_age_65_plus")
    page.locator("canvas").first.wait_for(timeout=60000)
    page.wait_for_timeout(1500)
    assert map_files and all(r.status == 200 for r in map_files)
    assert page.locator('[data-testid="stException"]').count() == 0
