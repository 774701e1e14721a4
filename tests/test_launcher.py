"""The launcher's server: uploads only from sessions the upload page let in (none in public mode), static files
from the configured folder, 404 for a name the file system refuses."""
from __future__ import annotations

import os

import pytest
import requests

from monitor import upload_gate
from tests.browser.conftest import free_port, start_streamlit


@pytest.fixture(scope="module", params=["internal", "public"])
def running(request, built_dir, tmp_path_factory):
    """(base URL, static folder, mode) of a launcher-started server reading the fixture warehouse."""
    folder = tmp_path_factory.mktemp("launcher")
    (folder / "static" / "geo").mkdir(parents=True)
    (folder / "static" / "geo" / "probe.json").write_text('{"ok": true}', encoding="utf-8")
    env = {**os.environ, "PSM_WAREHOUSE": str(built_dir / "warehouse.duckdb"),
           "PSM_PUBLIC_WAREHOUSE": str(built_dir / "warehouse.duckdb"), "PSM_DATA_DIR": str(folder / "data"),
           "PSM_STATIC_DIR": str(folder / "static"), "PSM_MODE": request.param}
    port = free_port()
    proc = start_streamlit(env, port)
    yield f"http://127.0.0.1:{port}", request.param
    proc.terminate()
    proc.wait(timeout=30)


def upload(base: str) -> requests.Response:
    """A PUT of a small file to Streamlit's upload route, with a matching XSRF cookie and header."""
    session = requests.Session()
    session.get(base + "/", timeout=10)
    token = session.cookies.get("_streamlit_xsrf", "")
    return session.put(f"{base}/_stcore/upload_file/some-session/some-file", headers={"X-Xsrftoken": token},
                       files={"file": ("a.csv", b"a;b\n1;2\n", "text/csv")}, timeout=10)


def test_uploads_are_refused_for_a_session_the_upload_page_did_not_let_in(running):
    base, mode = running
    response = upload(base)
    assert response.status_code == 403
    assert response.text == ("Uploads are not accepted here." if mode == "public" else "This session may not upload.")


def test_static_files_come_from_the_configured_folder(running):
    base, _ = running
    assert requests.get(base + "/app/static/geo/probe.json", timeout=10).json() == {"ok": True}


def test_a_very_long_static_name_is_not_found_not_a_server_error(running):
    base, _ = running
    assert requests.get(base + "/app/static/" + "a" * 5000, timeout=10).status_code == 404


def test_the_gate_opens_only_for_the_session_that_asked(monkeypatch):
    monkeypatch.setattr(upload_gate, "current_session_id", lambda: "editor-session")
    upload_gate.allow_this_session()
    assert upload_gate.is_allowed("editor-session") and not upload_gate.is_allowed("other-session")
    upload_gate.close_for_this_session()
    assert not upload_gate.is_allowed("editor-session")


def test_settings_read_without_the_lock_are_the_settings_streamlit_reads(monkeypatch):
    from streamlit import config

    from monitor import launcher

    locked = config.get_option
    monkeypatch.setattr(config, "get_option", locked)   # restored after the test
    launcher.read_config_without_lock()
    assert config.get_option is not locked
    keys = list(config.get_config_options())
    assert keys and all(config.get_option(key) == locked(key) for key in keys)
    with pytest.raises(RuntimeError):
        config.get_option("no.suchOption")


def test_the_pages_libraries_are_loaded_and_frozen_before_the_first_visitor():
    import subprocess
    import sys

    from core.settings import PROJECT_ROOT

    code = ("import gc, sys; from monitor import launcher; launcher.freeze_startup_objects(); "
            "print(gc.get_freeze_count(), all(name in sys.modules for name in launcher.PAGE_LIBRARIES))")
    frozen, loaded = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                                    check=True).stdout.split()
    assert int(frozen) > 100_000 and loaded == "True"
