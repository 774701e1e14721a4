"""The identity provider's side of sign-in, without network or clock: configuration, probe, return after the callback."""
from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest
import requests
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

from monitor import oidc

ROOT = Path(__file__).resolve().parent.parent

METADATA = {"authorization_endpoint": "https://idp.example.org/authorize", "token_endpoint": "https://idp.example.org/token"}


@pytest.mark.parametrize("section, expected", [
    (None, None),
    ({}, None),
    ({"redirect_uri": "x", "cookie_secret": "y"}, None),
    ({"client_id": "id", "server_metadata_url": "https://idp/.well-known"}, oidc.Provider(None, "https://idp/.well-known")),
    ({"redirect_uri": "x", "cmt": {"client_id": "id", "server_metadata_url": "https://cmt/.well-known"}},
     oidc.Provider("cmt", "https://cmt/.well-known")),
])
def test_configured_provider(section, expected):
    assert oidc.configured_provider(section) == expected


class FakeProvider:
    """A metadata endpoint that answers or fails as told, counting the requests; and a clock moved by hand."""

    def __init__(self):
        self.answer, self.calls, self.now = METADATA, 0, 0.0

    def fetch(self, url):
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_probe_keeps_its_answer_briefly_and_a_fresh_check_asks_again(caplog):
    provider = FakeProvider()
    probe = oidc.MetadataProbe(provider.fetch, clock=lambda: provider.now)
    assert probe.answers("u") and probe.answers("u") and provider.calls == 1
    provider.answer = requests.ConnectionError("connection refused")
    assert probe.answers("u")                                  # still the kept answer
    with caplog.at_level(logging.WARNING, logger="monitor.oidc"):
        assert not probe.answers("u", fresh=True)              # the button's check asks again
    assert "does not answer: connection refused" in caplog.text
    assert not probe.answers("u") and provider.calls == 2      # and its answer is kept too
    provider.answer, provider.now = METADATA, oidc.PROBE_TTL + 1
    assert probe.answers("u") and provider.calls == 3


@pytest.mark.parametrize("answer", [
    requests.Timeout("read timed out"), requests.HTTPError("503 Server Error"), ValueError("not JSON"),
    {"issuer": "x"}, ["not", "a", "mapping"],
])
def test_probe_says_no_to_anything_but_a_usable_configuration(answer):
    provider = FakeProvider()
    provider.answer = answer
    assert not oidc.MetadataProbe(provider.fetch, clock=lambda: 0.0).answers("u")


def test_browser_key_is_the_same_for_every_masking_of_one_token():
    token = bytes(range(16))
    first, second = generate_xsrf_token_string(token, 1700000000), generate_xsrf_token_string(token, 1700000000)
    assert first != second                                     # Streamlit masks the token anew at each response
    assert oidc.browser_key(first) == oidc.browser_key(second) is not None
    assert oidc.browser_key(generate_xsrf_token_string(bytes(16), 1)) != oidc.browser_key(first)


@pytest.mark.parametrize("cookie", [None, "", "abc", "1|00|11|2", "2|zz|11|2", "2||aa|1"])
def test_browser_key_without_a_readable_cookie(cookie):
    assert oidc.browser_key(cookie) is None


def test_pending_return_is_taken_once_and_expires():
    returns = oidc.PendingReturns()
    target = oidc.Return("carica", {"lang": "en", "zona": "5"})
    returns.remember("b1", target, now=100.0)
    assert returns.take("b2", now=101.0) is None
    assert returns.take("b1", now=101.0) == target
    assert returns.take("b1", now=102.0) is None
    returns.remember("b1", target, now=100.0)
    assert returns.take("b1", now=100.0 + oidc.RETURN_TTL) is None


def test_pending_returns_are_capped(monkeypatch):
    monkeypatch.setattr(oidc, "MAX_PENDING", 2)
    returns = oidc.PendingReturns()
    for n in range(4):
        returns.remember(f"b{n}", oidc.Return("carica", {}), now=float(n))
    assert [returns.take(f"b{n}", now=5.0) is not None for n in range(4)] == [False, False, True, True]


@pytest.mark.parametrize("url, base, expected", [
    ("http://127.0.0.1:8501/carica", "", "carica"),
    ("http://127.0.0.1:8501/", "", ""),
    ("https://host/monitor/storico", "monitor", "storico"),
    ("https://host/monitor", "/monitor/", ""),
    (None, "", ""),
])
def test_url_path_of(url, base, expected):
    assert oidc.url_path_of(url, base) == expected


def test_the_secrets_template_has_the_keys_the_readme_documents():
    from tests.browser.test_oidc_browser import readme_auth_keys

    template = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))["auth"]
    assert {k for k, v in template.items() if not isinstance(v, dict)} == readme_auth_keys()
