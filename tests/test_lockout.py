"""Sign-in lockout: counters per account and client address, a growing wait, kept in a file (the clock is injected)."""
from __future__ import annotations

import io
import json

import pytest

from etl.cli import main
from core import auth, lockout
from monitor.signin import retry_text

T0 = 1_800_000_000.0  # any fixed moment: no test reads the real clock
ANNA = lockout.counter_keys("arossi", "203.0.113.7")


@pytest.fixture
def counters(tmp_path) -> lockout.Lockout:
    return lockout.Lockout(lockout.lockout_file(tmp_path / "accessi.toml"))


def fail(counters: lockout.Lockout, keys: list[str], times: int, now: float = T0) -> None:
    """`times` attempts begun and never confirmed (wrong passwords)."""
    for _ in range(times):
        assert counters.begin(keys, now) is None


@pytest.mark.parametrize("failures, allowed, wait", [
    (0, 5, 0), (4, 5, 0), (5, 5, 300), (6, 5, 600), (7, 5, 1200), (8, 5, 2400), (9, 5, 3600), (40, 5, 3600),
    (19, 20, 0), (20, 20, 300),
])
def test_wait_grows_after_the_allowed_failures(failures, allowed, wait):
    assert lockout.wait_after(failures, allowed) == wait


def test_file_sits_beside_the_access_file(tmp_path):
    assert lockout.lockout_file(tmp_path / "accessi.toml") == tmp_path / "accessi.lockout.json"


def test_keys_are_the_account_as_typed_and_the_address_when_known():
    assert lockout.counter_keys("  ARossi ", None) == ["account:arossi"]
    assert lockout.counter_keys("arossi", "203.0.113.7") == ["account:arossi", "address:203.0.113.7"]


def test_fifth_failure_starts_a_wait_and_attempts_during_it_are_not_counted(counters):
    fail(counters, ANNA, 4)
    assert counters.retry_at(ANNA, T0) is None
    fail(counters, ANNA, 1)
    assert counters.retry_at(ANNA, T0) == T0 + 300
    assert counters.begin(ANNA, T0 + 299) == T0 + 300           # refused, not counted
    assert json.loads(counters.path.read_text())["account:arossi"]["failures"] == 5
    fail(counters, ANNA, 1, now=T0 + 300)                       # the wait is over: one more try, wrong again
    assert counters.retry_at(ANNA, T0 + 300) == T0 + 300 + 600  # the wait doubles


def test_lockout_survives_a_new_reader_of_the_same_file(counters):
    fail(counters, ANNA, 5)
    restarted = lockout.Lockout(counters.path)
    assert restarted.begin(ANNA, T0 + 10) == T0 + 300


def test_success_clears_the_account_and_gives_the_attempt_back_to_the_address(counters):
    fail(counters, ANNA, 4)
    assert counters.begin(ANNA, T0) is None
    counters.succeeded(ANNA, T0)
    stored = json.loads(counters.path.read_text())
    assert "account:arossi" not in stored and stored["address:203.0.113.7"]["failures"] == 4
    fail(counters, ANNA, 4)
    assert counters.retry_at(ANNA, T0) is None                  # the account starts from zero


def test_unknown_names_are_counted_like_real_ones_and_one_address_is_limited(counters):
    for n in range(20):
        assert counters.begin(lockout.counter_keys(f"nessuno{n}", "198.51.100.9"), T0) is None
    assert counters.begin(lockout.counter_keys("arossi", "198.51.100.9"), T0) == T0 + 300  # the address waits
    assert counters.begin(lockout.counter_keys("arossi", "203.0.113.7"), T0) is None       # another does not
    assert counters.begin(lockout.counter_keys("arossi", None), T0) is None


def test_counters_are_forgotten_after_a_day_and_capped(counters, monkeypatch):
    fail(counters, ANNA, 3)
    fail(counters, ANNA, 2, now=T0 + lockout.FORGET_AFTER + 1)
    assert json.loads(counters.path.read_text())["account:arossi"]["failures"] == 2
    monkeypatch.setattr(lockout, "MAX_COUNTERS", 3)
    for n in range(5):
        fail(counters, lockout.counter_keys(f"u{n}", None), 1, now=T0 + lockout.FORGET_AFTER + 10 + n)
    assert sorted(json.loads(counters.path.read_text())) == ["account:u2", "account:u3", "account:u4"]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"account:x": {"failures": "many"}, "other:y": {}}'])
def test_an_unreadable_file_counts_as_empty_and_is_replaced(counters, content, caplog):
    counters.path.write_text(content, encoding="utf-8")
    fail(counters, ANNA, 1)
    assert json.loads(counters.path.read_text()) == {k: {"failures": 1, "last": T0} for k in ANNA}


def test_the_file_is_private_and_holds_no_password(counters):
    fail(counters, lockout.counter_keys("arossi", None), 1)
    assert counters.path.stat().st_mode & 0o077 == 0
    assert not list(counters.path.parent.glob("*.tmp"))


@pytest.mark.parametrize("lang_code, time_zone, expected", [
    ("it", "Europe/Rome", "Troppi tentativi: riprova alle 09:05 (tra 5 minuti)."),
    ("en", "Europe/Rome", "Too many attempts: try again at 09:05 (in 5 minutes)."),
    ("en", "Asia/Tokyo", "Too many attempts: try again at 17:05 (in 5 minutes)."),
    ("it", None, "Troppi tentativi: riprova alle 09:05 (tra 5 minuti)."),            # Rome when the browser says none
    ("it", "../../etc/passwd", "Troppi tentativi: riprova alle 09:05 (tra 5 minuti)."),
])
def test_retry_text_says_when_in_the_view_language_and_time_zone(lang_code, time_zone, expected):
    now = 1_767_225_600.0 + 8 * 3600  # 2026-01-01 08:00 UTC = 09:00 in Rome
    assert retry_text(now + 300, now, lang_code, time_zone) == expected
    assert "1 minuto)" in retry_text(now + 30, now, "it", None)


def test_account_add_makes_a_viewer_and_lifts_the_lockout(tmp_path, monkeypatch):
    path = tmp_path / "accessi.toml"
    monkeypatch.setenv("PSM_ACCOUNTS_FILE", str(path))
    counters = lockout.Lockout(lockout.lockout_file(path))
    fail(counters, lockout.counter_keys("mrossi", None), 5, now=1e12)  # far ahead: still locked at the real time
    monkeypatch.setattr("sys.stdin", io.StringIO("nuova password\n"))
    assert main(["account", "add", "mrossi"]) == 0
    assert auth.load_access(path).accounts["mrossi"]["role"] == "viewer"
    assert counters.retry_at(lockout.counter_keys("mrossi", None), 1e12) is None
