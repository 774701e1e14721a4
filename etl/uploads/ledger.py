"""The ledger of uploads: files stored unchanged under their sha256, each with its accepted rows typed beside it
(Parquet), and an append-only JSON-lines log.

A ledger line written and fsynced is the commit point of an upload or a revert. A line cut short by a killed
process has no final newline: it is ignored when read and cut off before the next line is appended. The typed rows
are what validation accepted from the file; builds read them instead of validating the file again.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
from filelock import FileLock

LEDGER_NAME = "ledger.jsonl"


class LedgerError(Exception):
    """The ledger or a stored file is damaged; nothing is built from it until someone looks."""


def folder(settings) -> Path:
    """data_dir/uploads: the stored files and the ledger."""
    return Path(settings.data_dir) / "uploads"


def ledger_path(settings) -> Path:
    """The append-only JSON-lines log."""
    return folder(settings) / LEDGER_NAME


def file_path(settings, sha256: str) -> Path:
    """Where the bytes of an upload are kept, named by their sha256."""
    return folder(settings) / "files" / sha256


def rows_path(settings, sha256: str) -> Path:
    """Where the typed rows accepted from an upload are kept: beside its file."""
    return folder(settings) / "files" / f"{sha256}.parquet"


def lock(settings) -> FileLock:
    """The lock that serialises commits and reverts."""
    folder(settings).mkdir(parents=True, exist_ok=True)
    return FileLock(str(folder(settings) / "ledger.lock"))


def now() -> str:
    """The current UTC time as ISO text, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_entries(settings) -> list[dict]:
    """Every committed entry in order (a torn last line is not one)."""
    path = ledger_path(settings)
    entries = []
    if path.exists():
        data = path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        for number, line in enumerate(complete.decode("utf-8").splitlines(), start=1):
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise LedgerError(f"{path.name}, riga {number}: riga non leggibile ({exc})") from exc
    return entries


def append_entry(settings, entry: dict) -> None:
    """Append one entry and fsync it: the commit point. A torn last line is cut off first."""
    path = ledger_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    with open(path, "ab+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size:
            handle.seek(0)
            data = handle.read()
            if not data.endswith(b"\n"):
                handle.truncate(data.rfind(b"\n") + 1)
        handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    if created:
        _fsync_dir(path.parent)


def store_file(settings, raw: bytes) -> str:
    """Keep the uploaded bytes unchanged under their sha256 (written, fsynced, then renamed); return the sha256."""
    sha = hashlib.sha256(raw).hexdigest()
    target = file_path(settings, sha)
    if target.exists() and target.stat().st_size == len(raw):
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(sha + ".partial")
    with open(temporary, "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    _fsync_dir(target.parent)
    return sha


def read_file(settings, sha256: str) -> bytes:
    """The stored bytes of an upload, checked against their sha256."""
    path = file_path(settings, sha256)
    if not path.exists():
        raise LedgerError(f"file caricato mancante: {path.name}")
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise LedgerError(f"file caricato alterato: {path.name} non corrisponde al suo sha256")
    return raw


def store_rows(settings, sha256: str, rows: pd.DataFrame) -> None:
    """Keep the typed rows accepted from an upload beside its file (written, fsynced, then renamed)."""
    target = rows_path(settings, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex[:12]}.partial")  # builds may write one at once
    try:
        with open(temporary, "xb") as handle:
            rows.to_parquet(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def read_rows(settings, sha256: str) -> pd.DataFrame | None:
    """The typed rows kept beside an upload's file; None when there are none (an upload committed before they were
    kept) or they cannot be read."""
    path = rows_path(settings, sha256)
    try:
        return pd.read_parquet(path)
    except (OSError, pa.ArrowInvalid):
        return None


def next_id(entries: list[dict], event: str) -> str:
    """upload-00001, revert-00002 …: one sequence for the whole ledger."""
    return f"{'upload' if event == 'commit' else 'revert'}-{len(entries) + 1:05d}"


def statuses(entries: list[dict]) -> dict[str, str]:
    """Status of each entry: an upload is 'active' until a revert names it, then 'reverted'; reverts are 'active'."""
    result = {e["id"]: "active" for e in entries}
    for entry in entries:
        if entry["event"] == "revert":
            result[entry["reverts"]] = "reverted"
    return result
