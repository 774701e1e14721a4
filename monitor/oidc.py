"""Officials' sign-in through the organisation's identity provider (st.login, OpenID Connect): which provider is
configured, whether it answers, and which page each browser goes back to after the provider's callback."""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

PROBE_TIMEOUT = 3.0   # seconds for the provider's metadata to answer
PROBE_TTL = 30.0      # seconds an answer (yes or no) is kept
RETURN_TTL = 600.0    # seconds a sign-in may take, provider included, and still come back to its page
MAX_PENDING = 1000    # pending returns kept at most (the oldest go first)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Provider:
    """The provider st.login uses: its section name (None = the [auth] section itself) and its metadata URL."""

    name: str | None
    metadata_url: str


def configured_provider(auth_section: Mapping | None) -> Provider | None:
    """The provider of the secrets' [auth] section: its own client_id, else the first [auth.NAME] that has one."""
    if not auth_section:
        return None
    if "client_id" in auth_section:
        return Provider(None, str(auth_section.get("server_metadata_url", "")))
    for name, section in auth_section.items():
        if isinstance(section, Mapping) and "client_id" in section:
            return Provider(str(name), str(section.get("server_metadata_url", "")))
    return None


def fetch_metadata(url: str) -> Mapping:
    """The provider's OpenID configuration (raises on a network error, an HTTP error or a non-JSON answer)."""
    response = requests.get(url, timeout=PROBE_TIMEOUT, headers={"Accept": "application/json"})
    response.raise_for_status()
    return response.json()


class MetadataProbe:
    """Whether a provider answers with a usable OpenID configuration; each answer is kept for PROBE_TTL seconds."""

    def __init__(self, fetch: Callable[[str], Mapping] = fetch_metadata, clock: Callable[[], float] = time.monotonic):
        self._fetch, self._clock = fetch, clock
        self._answers: dict[str, tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def answers(self, url: str, fresh: bool = False) -> bool:
        """True when the metadata URL gives an authorization and a token endpoint; a failure is logged with its cause."""
        now = self._clock()
        with self._lock:
            kept = self._answers.get(url)
        if kept and not fresh and now - kept[0] < PROBE_TTL:
            return kept[1]
        try:
            metadata = self._fetch(url)
            ok = isinstance(metadata, Mapping) and all(metadata.get(k) for k in ("authorization_endpoint", "token_endpoint"))
            if not ok:
                _log.warning("identity provider %s: the metadata lack the authorization or token endpoint", url)
        except (requests.RequestException, ValueError) as exc:
            _log.warning("identity provider %s does not answer: %s", url, exc)
            ok = False
        with self._lock:
            self._answers[url] = (now, ok)
        return ok


def browser_key(xsrf_cookie: str | None) -> str | None:
    """A digest of the secret token in Streamlit's XSRF cookie, the same for one browser before and after the
    provider's round trip (None without a readable cookie)."""
    # NOTE: the cookie is "2|mask|masked token|timestamp" (Tornado's version 2, kept by Streamlit's Starlette server):
    # the server masks the same token anew each time it sets the cookie, so only the unmasked token is stable.
    parts = (xsrf_cookie or "").strip("\"'").split("|")
    if len(parts) != 4 or parts[0] != "2":
        return None
    try:
        mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        return None
    if not mask or not masked:
        return None
    token = bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked))
    return hashlib.sha256(b"psm-return|" + token).hexdigest()


@dataclass(frozen=True)
class Return:
    """A page of the app (its url_path, '' = home) and its query, to reopen after sign-in."""

    url_path: str
    query: dict[str, str]


class PendingReturns:
    """Where each browser started a sign-in from, kept in memory for RETURN_TTL seconds and taken once."""

    def __init__(self):
        self._pending: dict[str, tuple[float, Return]] = {}
        self._lock = threading.Lock()

    def remember(self, key: str, target: Return, now: float) -> None:
        with self._lock:
            self._pending = {k: v for k, v in self._pending.items() if now - v[0] < RETURN_TTL}
            self._pending[key] = (now, target)
            for oldest in sorted(self._pending, key=lambda k: self._pending[k][0])[:-MAX_PENDING]:
                del self._pending[oldest]

    def take(self, key: str, now: float) -> Return | None:
        """The page this browser asked for, if it did within RETURN_TTL seconds; forgotten once taken."""
        with self._lock:
            kept = self._pending.pop(key, None)
        return kept[1] if kept and now - kept[0] < RETURN_TTL else None


def url_path_of(url: str | None, base_path: str = "") -> str:
    """The page part of the app's URL ('carica' for https://host/base/carica?lang=en; '' for the home page)."""
    path = urlsplit(url or "").path.strip("/")
    base = base_path.strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].strip("/")
    return path
