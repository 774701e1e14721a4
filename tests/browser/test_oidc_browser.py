"""Officials' sign-in through a real OpenID Connect provider (oidc-provider-mock, run locally) in Chromium: back on the
page and language they started from, role refusals, sign-out, a provider that does not answer, hostile claims."""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
import requests

from etl.cli import main
from core import auth
from tests.browser.conftest import ROOT, free_port, start_streamlit, wait_for_app
from tests.conftest import private_paths

HOSTILE_NAME = ("**Grassetto** [link](https://example.org/phish) ![img](https://example.org/pixel.png) :red[rosso] "
                "<img src=x onerror=\"window.pwned=1\"> <b>html</b> javascript:alert(1) ]]")
USERS = [  # sub, e-mail, name, role in the access file
    ("mario", "mario.rossi@example.org", "Mario Rossi", "editor"),
    ("vera", "vera.bianchi@example.org", "Vera Bianchi", "viewer"),
    ("nino", "nino.nessuno@example.org", "Nino Nessuno", None),
    ("ostile", "ostile@example.org", HOSTILE_NAME, "editor"),
]
OFFICIALS_ONLY = "Officials only"


def provider_python() -> str | None:
    """A Python >= 3.12 with oidc-provider-mock: $PSM_OIDC_PYTHON, else the checkout's .venv-oidc (built by .ci/run)."""
    for candidate in (os.environ.get("PSM_OIDC_PYTHON"), str(ROOT / ".venv-oidc" / "bin" / "python")):
        if candidate and Path(candidate).exists() and subprocess.run(
                [candidate, "-c", "import oidc_provider_mock"], capture_output=True).returncode == 0:
            return candidate
    return None


def readme_auth_keys() -> set[str]:
    """The keys of the [auth] example in README's «Caricamento dati / Uploads» section."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Caricamento dati / Uploads", 1)[1]
    block = next(b for b in re.findall(r"```toml\n(.*?)```", section, re.S) if b.lstrip().startswith("[auth]"))
    return set(tomllib.loads(block)["auth"])


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def identity_provider():
    """oidc-provider-mock on a free port with the four officials as predefined users; yields (metadata URL, stop)."""
    python = provider_python()
    if python is None:
        reason = "no Python >= 3.12 with oidc-provider-mock: `bash .ci/run` builds .venv-oidc (or set PSM_OIDC_PYTHON)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    port = free_port()
    claims = [json.dumps({"sub": sub, "email": email, "name": name}) for sub, email, name, _ in USERS]
    proc = subprocess.Popen([python, "-m", "oidc_provider_mock", "--port", str(port),
                             *[a for c in claims for a in ("--user-claims", c)]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    metadata_url = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    deadline = time.monotonic() + 60
    while not _answers(metadata_url):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("oidc-provider-mock did not start")
        time.sleep(0.3)
    yield metadata_url, proc
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def oidc_app(identity_provider, built_dir, tmp_path_factory):
    """The app signing officials in through the provider: secrets in a temporary file (STREAMLIT_SECRETS_FILES),
    roles given with `etl account role`, one local account."""
    metadata_url, _ = identity_provider
    folder = tmp_path_factory.mktemp("oidc")
    port = free_port()
    auth_section = {"redirect_uri": f"http://127.0.0.1:{port}/oauth2callback", "cookie_secret": secrets.token_urlsafe(32),
                    "client_id": "psm-monitor", "client_secret": secrets.token_urlsafe(16),
                    "server_metadata_url": metadata_url}
    assert set(auth_section) == readme_auth_keys()  # the README's configuration is the one tested here
    (folder / "secrets.toml").write_text("[auth]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in auth_section.items()))
    accounts = folder / "accessi.toml"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PSM_ACCOUNTS_FILE", str(accounts))
        for _, email, _, role in USERS:
            if role:
                assert main(["account", "role", email, role]) == 0
    access = auth.load_access(accounts)
    auth.save_access(accounts, auth.Access(access.roles, {"arossi": {
        "name": "Anna Rossi", "role": "editor", "password_hash": auth.hash_password("segreta")}}))
    env = {**os.environ, **private_paths(built_dir),
           "PSM_ACCOUNTS_FILE": str(accounts), "STREAMLIT_SECRETS_FILES": str(folder / "secrets.toml")}
    env.pop("PSM_MODE", None)
    proc = start_streamlit(env, port)
    yield f"http://127.0.0.1:{port}"  # no warm-up: the editor's deep link is the server's first visit
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots of each step go ($PSM_TEST_SCREENSHOTS to keep them and look at them)."""
    folder = Path(os.environ.get("PSM_TEST_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Official:
    """One browser (its own cookies) recording every request, dialog and page error it sees."""

    def __init__(self, browser, shots: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.requests, self.dialogs, self.shots, self.base = [], [], shots, ""
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str, text: str) -> None:
        self.base = re.match(r"https?://[^/]+", url).group()
        self.page.goto(url)
        wait_for_app(self.page, text)

    def sign_in_as(self, sub: str, then: str) -> None:
        """Press the provider's button, choose the predefined user on the provider's form, wait for `then` (a CSS
        selector or a text) back in the app."""
        self.page.get_by_role("button", name=re.compile("Sign in with your organisation account|Accedi con l'account")).click()
        self.page.get_by_role("button", name=sub, exact=True).wait_for(timeout=30000)
        self.shot(f"provider-form-{sub}")
        self.page.get_by_role("button", name=sub, exact=True).click()
        self.page.wait_for_url(re.compile(re.escape(self.base) + "/(?!oauth2callback)"), timeout=30000)
        target = self.page.locator(then) if then.startswith("[") else self.page.get_by_text(then)
        target.first.wait_for(timeout=60000)
        wait_for_app(self.page)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def sidebar_text(self) -> str:
        return " ".join(self.page.locator('[data-testid="stSidebar"]').inner_text().split())


def test_officials_sign_in_through_the_provider(oidc_app, browser, shots):
    editor = Official(browser, shots)
    editor.open(oidc_app + "/carica?lang=en&zona=5", OFFICIALS_ONLY)
    editor.page.get_by_role("button", name="Sign in with your organisation account").wait_for(timeout=30000)
    editor.shot("1-sign-in-page-en")
    editor.sign_in_as("mario", then='[data-testid="stFileUploader"]')
    editor.page.wait_for_url(re.compile(r"/carica\?(lang=en&zona=5|zona=5&lang=en)$"))
    assert editor.page.locator('input[type="file"]').count() == 1
    assert "Signed in as Mario Rossi (mario.rossi@example.org) · editor" in editor.sidebar_text()
    editor.shot("2-editor-back-on-carica-en")
    editor.page.get_by_role("link", name="Overview").click()                 # signed in on every page of the frame
    wait_for_app(editor.page, "Axis 5 overview")
    assert "Signed in as Mario Rossi (mario.rossi@example.org) · editor" in editor.sidebar_text()
    editor.shot("3-editor-on-overview")
    editor.page.get_by_role("button", name="Sign out").click()
    editor.page.get_by_role("button", name="End session").click()            # the provider's own sign-out form
    wait_for_app(editor.page, "Quadro generale")
    editor.open(oidc_app + "/carica?lang=en", OFFICIALS_ONLY)
    assert "Signed in as" not in editor.sidebar_text()
    editor.shot("4-after-sign-out")
    editor.context.close()

    for sub, badge in [("vera", "Vera Bianchi (vera.bianchi@example.org) · viewer"),
                       ("nino", "Nino Nessuno (nino.nessuno@example.org) · no role")]:
        refused = Official(browser, shots)
        refused.open(oidc_app + "/carica?lang=en", OFFICIALS_ONLY)
        refused.sign_in_as(sub, then="lacks the «editor» role")
        assert refused.page.get_by_text("Your account (see the sidebar) lacks the «editor» role this page needs").count() == 1
        assert badge in refused.sidebar_text() and refused.page.locator('input[type="file"]').count() == 0
        refused.shot(f"5-refused-{sub}")
        refused.context.close()


def test_name_claim_with_markdown_and_html_is_shown_as_text(oidc_app, browser, shots):
    hostile = Official(browser, shots)
    hostile.open(oidc_app + "/carica", "Accesso riservato")
    hostile.sign_in_as("ostile", then='[data-testid="stFileUploader"]')
    assert f"Connesso come {HOSTILE_NAME} (ostile@example.org) · editor" in hostile.sidebar_text()
    sidebar = hostile.page.locator('[data-testid="stSidebar"]')
    made = sidebar.locator('a[href*="example.org"], a[href^="mailto:"], a[href^="javascript:"], img, b, strong')
    assert made.count() == 0, [made.nth(i).evaluate("e => e.outerHTML") for i in range(made.count())]
    assert not [u for u in hostile.requests if "example.org" in u or u.endswith("/x")]
    assert hostile.dialogs == [] and hostile.page.evaluate("window.pwned") is None
    hostile.shot("6-hostile-name-as-text")
    hostile.context.close()


def test_provider_down_is_said_and_local_accounts_stay(oidc_app, identity_provider, browser, shots):
    _, provider = identity_provider
    provider.terminate()
    provider.wait(timeout=20)
    official = Official(browser, shots)
    official.open(oidc_app + "/carica?lang=en", OFFICIALS_ONLY)
    button = official.page.get_by_role("button", name="Sign in with your organisation account")
    message = official.page.get_by_text("The organisation's sign-in service is not answering right now")
    button.or_(message).first.wait_for(timeout=30000)
    if button.count():  # the server's last answer from the provider (kept 30 s) was yes: the click checks again
        official.shot("7-provider-down-button-still-shown")
        button.click()
    message.wait_for(timeout=30000)
    assert "Meanwhile you can sign in with a local account." in message.inner_text()
    assert official.page.get_by_label("User name").count() == 1 and "/carica" in official.page.url
    official.shot("8-provider-down-en")
    official.context.close()
