"""The connectors' HTTP client: browser-like session, timeouts, retries with backoff, rate limit, raw-store cache."""
from __future__ import annotations

import json
import time
from typing import Callable
from urllib.parse import urlencode, urlsplit

import requests
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from etl.sources.raw import RawRun, request_key

USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 "
              "psm-asse5-monitor")
CONNECT_TIMEOUT = 5       # seconds: no network must fail fast
READ_TIMEOUT = 180        # seconds, by default (a connector may set its own: Istat takes minutes at times)
RETRY_STATUS = {429, 500, 502, 503, 504}


class SourceError(Exception):
    """A download that failed: names the source and what happened, in Italian."""

    def __init__(self, source: str, message: str):
        self.source = source
        super().__init__(f"{source}: {message}")


class _Transient(Exception):
    """A response worth retrying (rate limited, server error, read timeout)."""


class RateLimiter:
    """At most `per_minute` requests a minute, spaced evenly (Istat blocks IPs that go faster)."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = 60.0 / per_minute
        self.clock, self.sleep = clock, sleep
        self._last: float | None = None

    def wait(self) -> None:
        """Block until the next request is allowed."""
        if self._last is not None:
            delay = self._last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()


def browser_session() -> requests.Session:
    """A session with a browser-like User-Agent (some portals' firewalls reject bare clients)."""
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept-Language": "it,en;q=0.8"})
    return session


class Downloader:
    """HTTP for one source: each response goes to the raw store; today's copy is reused unless forced."""

    def __init__(self, source: str, run: RawRun, session: requests.Session | None = None,
                 limiter: RateLimiter | None = None, read_timeout: float = READ_TIMEOUT, attempts: int = 3,
                 sleep: Callable[[float], None] = time.sleep, progress: Callable[[str], None] | None = None):
        self.source, self.run = source, run
        self.session = session or browser_session()
        self.limiter, self.read_timeout, self.attempts = limiter, read_timeout, attempts
        self.sleep, self.progress = sleep, progress or (lambda name: None)
        self.requests_made = 0

    def get(self, name: str, url: str, *, params: dict | None = None, headers: dict | None = None,
            ext: str = "bin", missing_ok: bool = False) -> bytes | None:
        """GET a URL into the raw store; None for a 404 when missing_ok (e.g. a year not yet published)."""
        full = url + ("?" + urlencode(params) if params else "")
        return self._fetch(name, "GET", full, None, headers or {}, ext, missing_ok)

    def post_json(self, name: str, url: str, payload: dict, ext: str = "json") -> bytes:
        """POST compact JSON (no spaces: some backends reject them) into the raw store."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return self._fetch(name, "POST", url, body, {"Content-Type": "application/json"}, ext, False)

    def _fetch(self, name, method, url, body, headers, ext, missing_ok) -> bytes | None:
        """Today's stored copy of the request, or a download stored now."""
        key = request_key(method, url, body)
        content = self.run.cached(key)
        if content is None:
            content = self._download(method, url, body, headers, missing_ok)
            if content is None:
                return None
            self.run.store(name, key, url, method, body, content, ext)
        self.progress(name)
        return content

    def _download(self, method, url, body, headers, missing_ok) -> bytes | None:
        """The response body, after retries; a SourceError for anything else."""
        retrying = Retrying(stop=stop_after_attempt(self.attempts), reraise=True, sleep=self.sleep,
                            wait=wait_exponential(multiplier=2, min=2, max=60),
                            retry=retry_if_exception(lambda exc: isinstance(exc, _Transient)))
        try:
            response = retrying(self._once, method, url, body, headers)
        except _Transient as exc:
            raise SourceError(self.source, f"{exc} dopo {self.attempts} tentativi ({_short(url)})") from None
        except requests.ConnectionError as exc:
            # NOTE: no retry here: without a network every source must fail in seconds.
            raise SourceError(self.source, f"rete non raggiungibile o server irraggiungibile "
                                           f"({urlsplit(url).hostname}): {_reason(exc)}") from None
        except requests.RequestException as exc:
            raise SourceError(self.source, f"richiesta non riuscita ({_short(url)}): {_reason(exc)}") from None
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            raise SourceError(self.source, f"risposta HTTP {response.status_code} da {_short(url)}")
        if not response.content:
            raise SourceError(self.source, f"risposta vuota da {_short(url)}")
        return response.content

    def _once(self, method, url, body, headers) -> requests.Response:
        """One request within the rate limit; rate-limited, server errors and read timeouts are transient."""
        if self.limiter:
            self.limiter.wait()
        self.requests_made += 1
        try:
            response = self.session.request(method, url, data=body.encode("utf-8") if body else None,
                                            headers=headers, timeout=(CONNECT_TIMEOUT, self.read_timeout))
        except requests.ReadTimeout:
            raise _Transient(f"nessuna risposta entro {self.read_timeout:.0f} s") from None
        if response.status_code in RETRY_STATUS:
            raise _Transient(f"risposta HTTP {response.status_code}")
        return response


def _short(url: str) -> str:
    """A URL without its query, shortened for messages."""
    parts = urlsplit(url)
    path = parts.path if len(parts.path) <= 80 else parts.path[:77] + "…"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _reason(exc: Exception) -> str:
    """The cause of a connection error in a few Italian words."""
    text = str(exc)
    for marker in ("Failed to resolve", "Connection refused", "timed out", "Network is unreachable"):
        if marker in text:
            return {"Failed to resolve": "nome del server non risolto (DNS)", "Connection refused": "connessione rifiutata",
                    "timed out": f"connessione non stabilita entro {CONNECT_TIMEOUT} s",
                    "Network is unreachable": "rete irraggiungibile"}[marker]
    return text[:200]
