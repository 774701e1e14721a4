"""Shared HTTP client and raw store: rate limit, retries, fast failure without network, cache, manifest, rollback."""
from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
import requests
import responses

from etl.sources import raw
from etl.sources.http import Downloader, RateLimiter, SourceError

URL = "https://example.org/data.csv"
DAY = date(2026, 11, 25)


class FakeClock:
    def __init__(self):
        self.now, self.slept = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def downloader(tmp_path, force=False, **kwargs) -> Downloader:
    return Downloader("demo", raw.RawRun(tmp_path, "demo", DAY, force), sleep=lambda s: None, **kwargs)


def test_rate_limiter_spaces_requests_evenly():
    clock = FakeClock()
    limiter = RateLimiter(5, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        limiter.wait()
        clock.now += 1.0  # each request takes a second
    assert clock.slept == [11.0, 11.0, 11.0]


@responses.activate
def test_downloader_waits_for_the_limiter_before_each_request(tmp_path):
    clock = FakeClock()
    responses.add(responses.GET, URL, body=b"a")
    responses.add(responses.GET, URL + "?b=1", body=b"b")
    d = downloader(tmp_path, limiter=RateLimiter(5, clock=clock, sleep=clock.sleep))
    d.get("a", URL)
    d.get("b", URL, params={"b": 1})
    assert clock.slept == [12.0] and d.requests_made == 2


@responses.activate
def test_server_errors_are_retried_then_succeed(tmp_path):
    responses.add(responses.GET, URL, status=503)
    responses.add(responses.GET, URL, status=429)
    responses.add(responses.GET, URL, body=b"ok")
    d = downloader(tmp_path)
    assert d.get("data", URL, ext="csv") == b"ok"
    assert d.requests_made == 3


@responses.activate
def test_persistent_server_error_names_source_and_status(tmp_path):
    responses.add(responses.GET, URL, status=502)
    with pytest.raises(SourceError, match=r"demo: risposta HTTP 502 dopo 3 tentativi"):
        downloader(tmp_path).get("data", URL)


@responses.activate
def test_client_error_is_not_retried(tmp_path):
    responses.add(responses.GET, URL, status=403)
    d = downloader(tmp_path)
    with pytest.raises(SourceError, match="risposta HTTP 403"):
        d.get("data", URL)
    assert d.requests_made == 1


@responses.activate
def test_connection_error_fails_at_once_without_retry(tmp_path):
    responses.add(responses.GET, URL, body=requests.ConnectionError("Failed to resolve 'example.org'"))
    d = downloader(tmp_path)
    with pytest.raises(SourceError, match=r"demo: rete non raggiungibile .*example\.org.*DNS"):
        d.get("data", URL)
    assert d.requests_made == 1


@responses.activate
def test_missing_ok_turns_404_into_none_and_stores_nothing(tmp_path):
    responses.add(responses.GET, URL, status=404)
    d = downloader(tmp_path)
    assert d.get("data", URL, missing_ok=True) is None
    assert d.run.entries == []


@responses.activate
def test_response_is_stored_unchanged_with_manifest(tmp_path):
    body = "codice;valore\r\n001272;1,5\r\n".encode("cp1252")
    responses.add(responses.GET, URL, body=body)
    d = downloader(tmp_path)
    d.get("data", URL, ext="csv")
    d.run.facts["checked"] = True
    d.run.commit()
    manifest = json.loads((tmp_path / "demo" / "2026-11-25" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"][0]
    assert entry["url"] == URL and entry["size"] == len(body)
    assert entry["sha256"] == hashlib.sha256(body).hexdigest() and entry["retrieved_at"]
    assert (tmp_path / "demo" / "2026-11-25" / entry["file"]).read_bytes() == body
    assert manifest["facts"] == {"checked": True}


@responses.activate
def test_same_day_rerun_uses_the_stored_copy_unless_forced(tmp_path):
    responses.add(responses.GET, URL, body=b"first")
    first = downloader(tmp_path)
    first.get("data", URL)
    first.run.commit()
    again = downloader(tmp_path)
    assert again.get("data", URL) == b"first" and again.requests_made == 0
    responses.replace(responses.GET, URL, body=b"second")
    forced = downloader(tmp_path, force=True)
    assert forced.get("data", URL) == b"second" and forced.requests_made == 1


@responses.activate
def test_interrupted_run_is_not_read_by_the_build_but_its_files_are_reused(tmp_path):
    responses.add(responses.GET, URL, body=b"part one")
    downloader(tmp_path).get("one", URL)  # no commit: the run stopped here
    assert raw.latest(tmp_path, "demo") is None
    resumed = downloader(tmp_path)
    assert resumed.get("one", URL) == b"part one" and resumed.requests_made == 0


@responses.activate
def test_latest_is_the_newest_complete_set_and_rollback_restores_it(tmp_path):
    responses.add(responses.GET, URL, body=b"old")
    old = Downloader("demo", raw.RawRun(tmp_path, "demo", date(2026, 11, 1)), sleep=lambda s: None)
    old.get("data", URL)
    old.run.commit()
    responses.replace(responses.GET, URL, body=b"new")
    new = downloader(tmp_path)
    new.get("data", URL)
    new.run.commit()
    latest = raw.latest(tmp_path, "demo")
    assert latest.label == "demo/2026-11-25" and latest.read(latest.entries[0]) == b"new"
    new.run.rollback()
    latest = raw.latest(tmp_path, "demo")
    assert latest.label == "demo/2026-11-01" and latest.read(latest.entries[0]) == b"old"


@responses.activate
def test_altered_raw_file_is_refused(tmp_path):
    responses.add(responses.GET, URL, body=b"original")
    d = downloader(tmp_path)
    d.get("data", URL)
    raw_set = d.run.commit()
    (raw_set.folder / raw_set.entries[0]["file"]).write_bytes(b"tampered")
    with pytest.raises(ValueError, match="non corrisponde al suo sha256"):
        raw_set.read(raw_set.entries[0])
