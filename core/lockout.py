"""Sign-in lockout that survives reloads and restarts: attempts counted per account and per client address, a growing
wait, kept in a small JSON file beside the access file (written atomically under a file lock).

Every attempt is counted before the password is checked, so parallel tries cannot slip past the limit; a success
clears the account's counter and takes that one attempt back from the address's. Unknown user names are counted like
known ones: the lockout says nothing about which accounts exist.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from filelock import FileLock

FAILURES_BEFORE_WAIT = {"account": 5, "address": 20}  # a shared office address gets more room than one account
FIRST_WAIT, LONGEST_WAIT = 300.0, 3600.0  # seconds: 5 minutes, doubling at each further failure, at most one hour
FORGET_AFTER = 86400.0  # a counter untouched for a day starts again from zero
MAX_COUNTERS = 5000  # the oldest counters are dropped past this (unknown names are counted too)

_log = logging.getLogger(__name__)


def wait_after(failures: int, allowed: int) -> float:
    """Seconds to wait after `failures` failed attempts in a row: none before `allowed`, then doubling."""
    if failures < allowed:
        return 0.0
    return min(FIRST_WAIT * 2 ** (failures - allowed), LONGEST_WAIT)


def counter_keys(username: str, address: str | None) -> list[str]:
    """The counters an attempt touches: the account (as typed, case-folded) and the client address when known."""
    keys = ["account:" + (username or "").strip().casefold()]
    if address:
        keys.append("address:" + address)
    return keys


def lockout_file(accounts_file: Path) -> Path:
    """The lockout file beside the access file: accessi.toml → accessi.lockout.json."""
    accounts_file = Path(accounts_file)
    return accounts_file.with_name(accounts_file.stem + ".lockout.json")


def _until(counter: dict, key: str) -> float:
    """When the counter's wait ends (its last attempt + the wait its failures earn)."""
    return counter["last"] + wait_after(counter["failures"], FAILURES_BEFORE_WAIT[key.split(":", 1)[0]])


def _well_formed(key, counter) -> bool:
    """A counter as this module writes it: a known kind of key, a whole number of failures, a time."""
    return (isinstance(key, str) and key.split(":", 1)[0] in FAILURES_BEFORE_WAIT and isinstance(counter, dict)
            and isinstance(counter.get("failures"), int) and isinstance(counter.get("last"), (int, float)))


class Lockout:
    """The counters of one lockout file; every change is read, modified and replaced under the file lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)

    def retry_at(self, keys: list[str], now: float) -> float | None:
        """When the next attempt on these counters is allowed, or None when it is allowed now."""
        counters = self._read(now)
        until = max((_until(counters[k], k) for k in keys if k in counters), default=0.0)
        return until if until > now else None

    def begin(self, keys: list[str], now: float) -> float | None:
        """Count an attempt as failed before its password is checked; if a wait is running, count nothing and
        return when it ends."""
        with self._lock:
            counters = self._read(now)
            until = max((_until(counters[k], k) for k in keys if k in counters), default=0.0)
            if until > now:
                return until
            for key in keys:
                counters[key] = {"failures": counters.get(key, {}).get("failures", 0) + 1, "last": now}
            self._write(counters)
        return None

    def succeeded(self, keys: list[str], now: float) -> None:
        """The attempt begun on these counters was right: clear the account's, take it back from the others."""
        with self._lock:
            counters = self._read(now)
            counters.pop(keys[0], None)
            for key in keys[1:]:
                if key in counters:
                    counters[key]["failures"] -= 1
                    if counters[key]["failures"] <= 0:
                        del counters[key]
            self._write(counters)

    def clear(self, key: str, now: float) -> None:
        """Forget one counter (an administrator set the account's password again)."""
        with self._lock:
            counters = self._read(now)
            if counters.pop(key, None) is not None:
                self._write(counters)

    def _read(self, now: float) -> dict[str, dict]:
        """The live counters (stale ones dropped); an unreadable file is logged and counts as empty."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            _log.warning("lockout file %s unreadable, starting again: %s", self.path, exc)
            return {}
        counters = {k: v for k, v in raw.items() if _well_formed(k, v)
                    and (now - v["last"] < FORGET_AFTER or _until(v, k) > now)} if isinstance(raw, dict) else {}
        return counters

    def _write(self, counters: dict[str, dict]) -> None:
        """Keep the newest counters and replace the file atomically (temporary file, fsync, os.replace), readable only
        by its owner."""
        newest = sorted(counters, key=lambda k: counters[k]["last"], reverse=True)[:MAX_COUNTERS]
        counters = {k: counters[k] for k in sorted(newest)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(counters, out, ensure_ascii=False, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        temporary.chmod(0o600)
        os.replace(temporary, self.path)
