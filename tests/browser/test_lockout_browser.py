"""Sign-in lockout in a real browser: six wrong passwords lock the account for a second session and across a restart."""
from __future__ import annotations

import json
import os
import re
import time

import pytest

from core import auth, lockout
from tests.browser.conftest import free_port, start_streamlit, wait_for_app
from tests.conftest import private_paths

WAIT_TEXT = re.compile(r"^Troppi tentativi: riprova alle \d\d:\d\d \(tra \d+ minut[oi]\)\.$")


@pytest.fixture
def locked_server(built_dir, tmp_path):
    """Start/stop a server on the fixture warehouse with a local editor in a private access file."""
    accounts = tmp_path / "accessi.toml"
    auth.save_access(accounts, auth.Access(accounts={"arossi": {
        "name": "Anna Rossi", "role": "editor", "password_hash": auth.hash_password("segreta")}}))
    env = {**os.environ, **private_paths(built_dir),
           "PSM_ACCOUNTS_FILE": str(accounts)}
    env.pop("PSM_MODE", None)
    running = []

    def start() -> str:
        port = free_port()
        running.append(start_streamlit(env, port))
        return f"http://127.0.0.1:{port}"

    def stop() -> None:
        proc = running.pop()
        proc.terminate()
        proc.wait(timeout=20)

    yield start, stop, lockout.lockout_file(accounts)
    while running:
        stop()


def sign_in_page(browser, url: str):
    """A new browser context (a new session) on the sign-in form of «Carica dati»."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(url + "/")
    wait_for_app(pg, "Quadro generale")
    pg.get_by_role("link", name="Carica dati").click()
    wait_for_app(pg, "Accesso riservato")
    return context, pg


def attempt(pg, password: str) -> None:
    pg.get_by_label("Nome utente").fill("arossi")
    pg.get_by_role("textbox", name="Password").fill(password)
    pg.get_by_role("button", name="Accedi").click()


def counted(path) -> int:
    """Failures recorded for arossi in the lockout file (0 before the first)."""
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("account:arossi", {}).get("failures", 0)
    except (FileNotFoundError, ValueError):
        return 0


def wait_counted(path, failures: int) -> None:
    """Wait until the server has recorded that many failures (each attempt is counted before it is checked)."""
    deadline = time.monotonic() + 60
    while counted(path) < failures:
        assert time.monotonic() < deadline, f"attempt {failures} never reached the server"
        time.sleep(0.1)


def test_lockout_holds_across_sessions_and_a_restart(locked_server, browser):
    # NOTE: the lock lasts lockout.FIRST_WAIT (5 minutes) from the fifth failure; the test takes well under that.
    start, stop, lockout_path = locked_server
    url = start()
    first, pg = sign_in_page(browser, url)
    for n in range(1, 6):
        attempt(pg, f"sbagliata{n}")
        wait_counted(lockout_path, n)
        wait_for_app(pg, "non validi")
    attempt(pg, "sbagliata6")  # the sixth wrong password: refused without being checked
    pg.get_by_text(WAIT_TEXT).wait_for(timeout=30000)
    assert counted(lockout_path) == 5
    first.close()

    second, pg = sign_in_page(browser, url)  # another session, the right password: told to wait
    attempt(pg, "segreta")
    pg.get_by_text(WAIT_TEXT).wait_for(timeout=30000)
    assert pg.locator('input[type="file"]').count() == 0
    second.close()

    stop()
    url = start()
    third, pg = sign_in_page(browser, url)  # after a restart: still locked
    attempt(pg, "segreta")
    pg.get_by_text(WAIT_TEXT).wait_for(timeout=30000)
    assert pg.locator('input[type="file"]').count() == 0 and pg.get_by_text("Anna Rossi").count() == 0
    third.close()
