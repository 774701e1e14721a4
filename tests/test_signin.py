"""The sign-in page through AppTest: the lockout outlives the session, and identity texts are shown as written."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitor import auth, lockout

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_NAME = "Anna **[link](https://example.org)** ![x](https://example.org/x.png) :red[rossa] <b>b</b>"


@pytest.fixture
def accounts(project_env, monkeypatch) -> Path:
    """A local editor with a hostile display name, and a viewer, in a private access file."""
    path = project_env / "accessi.toml"
    auth.save_access(path, auth.Access(accounts={
        "arossi": {"name": HOSTILE_NAME, "role": "editor", "password_hash": auth.hash_password("segreta")},
        "v[x](y)": {"name": "Vera", "role": "viewer", "password_hash": auth.hash_password("segreta")}}))
    monkeypatch.setenv("PSM_ACCOUNTS_FILE", str(path))
    return path


def session() -> AppTest:
    """A new browser session on the upload page, not signed in."""
    at = AppTest.from_file(str(ROOT / "pages" / "carica_dati.py"), default_timeout=180)
    at.user = {}
    return at.run()


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


@pytest.mark.parametrize("username", ["arossi", "nessuno"])
def test_five_wrong_passwords_lock_the_name_for_every_session(accounts, username):
    at = session()
    for _ in range(4):
        assert sign_in(at, username, "sbagliata").error[0].value == "Nome utente o password non validi."
    fifth = sign_in(at, username, "sbagliata").error[0].value
    assert fifth.startswith("Nome utente o password non validi. Troppi tentativi: riprova alle ")
    refused = sign_in(at, username, "segreta").error[0].value   # the right password waits too
    assert refused.startswith("Troppi tentativi: riprova alle ") and "(tra 5 minuti)" in refused
    assert sign_in(session(), username, "segreta").error[0].value.startswith("Troppi tentativi")  # a new session
    stored = lockout.Lockout(lockout.lockout_file(accounts))
    assert stored.retry_at(lockout.counter_keys(username, None), 0) is not None
    assert not at.file_uploader


def test_success_clears_the_counter_and_identity_texts_are_escaped(accounts):
    at = session()
    for _ in range(4):
        sign_in(at, "arossi", "sbagliata")
    at = sign_in(at, "arossi", "segreta")
    assert at.file_uploader
    caption = at.sidebar.caption[0].value
    assert caption.startswith("Connesso come **Anna \\*\\*\\[link\\]\\(https\\:\\/\\/example\\.org\\)\\*\\*")
    assert "\\:red\\[rossa\\]" in caption and "\\<b\\>" in caption and "** (editor)" in caption
    assert not lockout.lockout_file(accounts).read_text(encoding="utf-8").count("account:arossi")


def test_refusal_shows_the_account_name_escaped(accounts):
    at = sign_in(session(), "v[x](y)", "segreta")
    assert at.error[0].value.startswith("L'account v\\[x\\]\\(y\\) non ha il ruolo «editor»")
