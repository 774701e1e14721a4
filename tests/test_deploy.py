"""Deployment: the public start command's Streamlit settings, the nginx configuration and the 2-replica run."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE_CONF = (DEPLOY / "nginx" / "psm-public.conf").read_text(encoding="utf-8")
CMT_DOMAINS = ("https://www.cittametropolitana.torino.it", "https://*.cittametropolitana.torino.it")


def nginx_or_skip() -> str:
    """Debian's nginx; the tests fail (not skip) in CI when it is missing."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not nginx:
        if os.environ.get("CI"):
            pytest.fail("nginx missing in CI: .ci/run must install nginx-light")
        pytest.skip("nginx not installed")
    return nginx


def start_public_flags() -> dict[str, str]:
    """The --section.option value pairs of deploy/start_public.sh (the last value of a repeated flag)."""
    text = (DEPLOY / "start_public.sh").read_text(encoding="utf-8")
    return {name: value.strip("'\"") for name, value in re.findall(r"--([\w.]+) (\S+)", text)}


def test_public_start_command_uses_only_real_streamlit_options():
    from streamlit.web.cli import main_run

    known = {opt.lstrip("-") for param in main_run.params for opt in param.opts}
    assert set(start_public_flags()) - known == set()


def test_public_start_command_has_public_server_settings():
    flags = start_public_flags()
    assert {k: flags[k] for k in ("server.headless", "browser.gatherUsageStats", "server.enableAgentApi",
                                  "server.enableXsrfProtection", "server.fileWatcherType",
                                  "client.showErrorDetails")} == {
        "server.headless": "true", "browser.gatherUsageStats": "false", "server.enableAgentApi": "false",
        "server.enableXsrfProtection": "true", "server.fileWatcherType": "none",
        "client.showErrorDetails": "none"}
    assert "export PSM_MODE=public" in (DEPLOY / "start_public.sh").read_text(encoding="utf-8")


# Every way the app is started, and the text that says how to start it.
STARTERS = ("README.md", "deploy/start_public.sh", "tests/browser/conftest.py", "bench/server.py")


@pytest.mark.parametrize("starter", STARTERS)
def test_every_way_to_start_the_app_goes_through_the_launcher(starter):
    text = (ROOT / starter).read_text(encoding="utf-8")
    assert "monitor.launcher" in text
    assert not re.search(r"^\s*(python3? -m )?streamlit run|\"-m\", \"streamlit\"", text, flags=re.M)


def test_the_launcher_sets_the_server_upload_limit_from_the_settings(monkeypatch):
    from core.settings import load_settings
    from monitor import launcher

    monkeypatch.setenv("PSM_UPLOAD_MAX_BYTES", str(10 * 2**20))
    arguments = launcher.streamlit_arguments(load_settings(), ["--server.port", "9"])
    assert arguments[:4] == ["streamlit", "run", str(ROOT / "app.py"), "--server.port"]
    assert arguments[-4:] == ["--server.maxUploadSize", "10", "--client.disableDataExport", "true"]
    monkeypatch.setenv("PSM_MODE", "public")
    assert launcher.streamlit_arguments(load_settings(), [])[-4:-2] == ["--server.maxUploadSize", "1"]


def test_nginx_site_frames_only_for_the_cmt_and_keeps_sessions_sticky():
    csp = re.search(r'Content-Security-Policy "([^"]+)" always;', SITE_CONF).group(1)
    assert csp == "frame-ancestors 'self' " + " ".join(CMT_DOMAINS)
    assert "hash $remote_addr consistent;" in SITE_CONF
    assert re.search(r"location = /_stcore/stream \{[^}]*proxy_read_timeout", SITE_CONF)
    assert "proxy_set_header Upgrade $http_upgrade;" in SITE_CONF and "gzip_types" in SITE_CONF


def test_loopback_config_replaces_ports_and_paths(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(DEPLOY))
    import run_replicas

    conf = run_replicas.render_config(tmp_path, 3333, [1111, 2222, 4444])
    assert re.findall(r"server 127\.0\.0\.1:(\d+);", conf) == ["1111", "2222", "4444"]
    assert "listen 127.0.0.1:3333;" in conf and "listen 80" not in conf and "/var/log" not in conf
    assert "daemon off;" in conf


def run_script(*args: str, timeout: int) -> subprocess.CompletedProcess:
    """Run deploy/run_replicas.py in its own process group; on a timeout stop that whole group (replicas, nginx)."""
    proc = subprocess.Popen([sys.executable, str(DEPLOY / "run_replicas.py"), *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        pytest.fail("run_replicas.py timed out:\n" + out + err)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture
def published(project_env):
    """The fixture warehouse published to the public path of project_env."""
    from etl.publish import publish
    from core.settings import load_settings

    publish(load_settings())
    return project_env / "public" / "warehouse.duckdb"


def test_two_replicas_behind_nginx_both_answer(published):
    nginx_or_skip()
    result = run_script(timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 2 of 2 replicas answering through nginx" in result.stdout
    replicas = re.findall(r"^replica (127\.0\.0\.1:\d+): page 200, websocket 101; clients", result.stdout, re.M)
    assert len(set(replicas)) == 2
    assert "PROBLEM" not in result.stdout
    assert "gzip" in result.stdout and "/_stcore/upload_file/session/file 403" in result.stdout


def test_run_replicas_says_what_is_missing(project_env):
    result = run_script(timeout=60)
    assert result.returncode == 2
    assert "python -m etl publish" in result.stderr or "nginx" in result.stderr


def test_a_replica_port_taken_meanwhile_is_replaced(published, monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(DEPLOY))
    import run_replicas

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    taken_port = taken.getsockname()[1]
    ports = iter([taken_port])
    real_free_port = run_replicas.free_port
    monkeypatch.setattr(run_replicas, "free_port", lambda: next(ports, None) or real_free_port())
    processes = []
    try:
        started = run_replicas.start_replicas(1, tmp_path, processes)
    finally:
        run_replicas.stop(processes)
        taken.close()
    assert len(processes) == 2  # the first exited on the taken port, the second took its place
    assert len(started) == 1 and started[0] != taken_port
