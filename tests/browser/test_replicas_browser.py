"""The public replicas behind nginx in a real browser: the app renders through the proxy and its websocket."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from tests.browser.conftest import ROOT, wait_for_app
from tests.test_deploy import nginx_or_skip


@pytest.fixture
def nginx_url(project_env):
    """Address of nginx in front of 2 public replicas (deploy/run_replicas.py --keep), stopped afterwards."""
    from etl.publish import publish
    from core.settings import load_settings

    nginx_or_skip()
    publish(load_settings())
    proc = subprocess.Popen([sys.executable, str(ROOT / "deploy" / "run_replicas.py"), "--keep"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        report = ""
        for line in proc.stdout:  # ends when the script exits
            report += line
            if line.startswith(("OK:", "FAILED:")):
                break
        assert report.splitlines()[-1:] == ["OK: 2 of 2 replicas answering through nginx"], report
        yield re.search(r"nginx (http://\S+/)", report).group(1)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def test_app_renders_through_nginx(nginx_url, page):
    response = page.goto(nginx_url + "?lang=en&zona=5")
    assert "frame-ancestors 'self' https://www.cittametropolitana.torino.it" in response.headers["content-security-policy"]
    wait_for_app(page, "-€9,151.19")
    zone_box = page.locator('[data-testid="stSelectbox"]').first
    assert "Pinerolese" in zone_box.inner_text() + zone_box.locator("input").first.input_value()
    assert page.locator('[data-testid="stException"]').count() == 0
