"""Real-browser fixtures: a Streamlit server on a free port and Debian's headless Chromium via Playwright."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import private_paths

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(env: dict, port: int) -> subprocess.Popen:
    """Start the app as README does (`python -m monitor.launcher`) on 127.0.0.1:port, without waiting."""
    return subprocess.Popen(
        [sys.executable, "-m", "monitor.launcher", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_streamlit(env: dict, port: int) -> subprocess.Popen:
    """Start the app and return once it answers its health check. Nothing else is requested: the first page a test
    opens is the server's very first visit."""
    return wait_healthy(launch(env, port), port, "Streamlit did not start")


def wait_healthy(proc: subprocess.Popen, port: int, failure: str) -> subprocess.Popen:
    """Return the server process once 127.0.0.1:port answers Streamlit's health check; kill it after 60 s."""
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(failure)


@pytest.fixture(scope="session")
def server(built_dir):
    """Base URL of a Streamlit server reading the fixture warehouse."""
    env = {**os.environ, **private_paths(built_dir)}
    env.pop("PSM_MODE", None)
    port = free_port()
    proc = start_streamlit(env, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; the tests fail (not skip) in CI when it is missing."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI: .ci/run must install it")
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_url(server, browser):
    """Base URL of the shared test server (no warm-up visit: the launcher makes the first visit right)."""
    return server


@pytest.fixture
def page(browser):
    """A fresh page at desktop width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(pg, text: str | None = None, timeout: int = 30000) -> None:
    """Wait for Streamlit to finish the run (and, if given, for a text to appear)."""
    pg.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout)
    if text:
        pg.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
