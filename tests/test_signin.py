"""The sign-in page through AppTest: the lockout outlives the session, the provider's answer decides its button, and
identity texts are shown as written (st.text, never Markdown)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import auth, lockout

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
    assert at.sidebar.caption[0].value == "Connesso come"
    assert at.sidebar.text[0].value == HOSTILE_NAME + " (arossi) · editor"  # st.text: no Markdown at all
    assert not lockout.lockout_file(accounts).read_text(encoding="utf-8").count("account:arossi")


def test_refusal_names_no_account_in_markdown(accounts):
    at = sign_in(session(), "v[x](y)", "segreta")
    assert at.error[0].value.startswith("Il tuo account (vedi la barra laterale) non ha il ruolo «editor»")
    assert at.sidebar.text[0].value == "Vera (v[x](y)) · viewer"


SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                    "cmt": {"client_id": "id", "client_secret": "s",
                            "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}}}


@pytest.fixture
def provider(monkeypatch):
    """The identity provider's answers to the probe (no network), and the st.login calls."""
    state = {"answers": True, "logins": []}
    monkeypatch.setattr("monitor.signin.PROBE.answers", lambda url, fresh=False: state["answers"])
    monkeypatch.setattr("streamlit.login", lambda provider=None: state["logins"].append(provider))
    return state


@pytest.mark.parametrize("lang_code, expected", [
    ("it", "Il servizio di accesso dell'ente non risponde in questo momento: riprova tra qualche minuto. "
           "Intanto puoi entrare con un account locale."),
    ("en", "The organisation's sign-in service is not answering right now: try again in a few minutes. "
           "Meanwhile you can sign in with a local account."),
])
def test_provider_down_is_said_in_the_view_language_and_local_accounts_stay(accounts, provider, lang_code, expected):
    provider["answers"] = False
    at = AppTest.from_file(str(ROOT / "pages" / "carica_dati.py"), default_timeout=180)
    at.user, at.secrets, at.session_state["lang"] = {}, SECRETS, lang_code
    at.run()
    assert at.warning[0].value == expected
    assert not [b for b in at.button if b.key == "oidc_sign_in"] and len(at.text_input) == 2


def test_provider_button_checks_again_before_handing_over(accounts, provider):
    at = AppTest.from_file(str(ROOT / "pages" / "carica_dati.py"), default_timeout=180)
    at.user, at.secrets = {}, SECRETS
    at.run()
    provider["answers"] = False  # the provider goes down between the page and the click
    at.button(key="oidc_sign_in").click().run()
    assert provider["logins"] == [] and "non risponde" in at.warning[0].value
    provider["answers"] = True
    at.run()
    at.button(key="oidc_sign_in").click().run()
    assert provider["logins"] == ["cmt"]


def test_identity_claims_are_plain_text(accounts):
    auth.save_access(accounts, auth.Access(roles={"a_b@example.org": "viewer"}))
    at = AppTest.from_file(str(ROOT / "pages" / "carica_dati.py"), default_timeout=180)
    at.user = {"is_logged_in": True, "email": "A_B@example.org", "name": "![x](https://example.org/x.png)\n# h"}
    at.run()
    assert at.sidebar.text[0].value == "![x](https://example.org/x.png) # h (a_b@example.org) · viewer"
    assert "a_b@example.org" not in at.error[0].value and not at.sidebar.markdown
