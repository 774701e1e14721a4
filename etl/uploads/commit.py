"""Commit and revert: store the file, build a trial warehouse with the new ledger entry, append the entry
(the commit point), swap the trial warehouse in. A failure before the ledger line changes nothing."""
from __future__ import annotations

import os
import uuid
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
from filelock import FileLock

from etl.build import BuildCheckError, build
from etl.reference import ReferenceDataError
from etl.uploads import ledger
from etl.uploads.diff import counts, diff_against_published, diff_warehouses, published
from etl.uploads.registry import current_registry
from etl.uploads.report import how_many
from etl.uploads.validate import too_large, validate_file
from monitor.warehouse import version


class UploadRefused(Exception):
    """The upload or revert was refused; nothing was changed. `problems` holds the rows to show, if any."""

    def __init__(self, message: str, problems: pd.DataFrame | None = None):
        super().__init__(message)
        self.problems = problems


def print_progress(step: int, total: int, message: str) -> None:
    """Progress on the command line: build steps numbered, commit steps as plain lines."""
    print(f"[{step}/{total}] {message}" if total else message, flush=True)


def pending_path(warehouse: Path) -> Path:
    """The trial warehouse a commit builds before it becomes the live one."""
    return warehouse.with_name(warehouse.name + ".pending")


def _remove(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)


def _publish(settings, entry: dict, progress, summarise: bool) -> None:
    """Trial build with the entry pending; append the entry (commit point); swap the trial warehouse in."""
    live = Path(settings.warehouse)
    trial = pending_path(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(live) + ".lock"):  # the same lock as `python -m etl build`
        _remove(trial)
        token = ledger.PENDING.set((entry,))
        try:
            build(replace(settings, warehouse=trial), progress=progress)
        except (ReferenceDataError, BuildCheckError, ledger.LedgerError) as exc:
            _remove(trial)
            raise UploadRefused(f"il warehouse di prova non supera i controlli, nulla è cambiato:\n{exc}") from exc
        except BaseException:
            _remove(trial)
            raise
        finally:
            ledger.PENDING.reset(token)
        if summarise and live.exists():
            entry["summary"] = counts(diff_warehouses(live, trial))
        ledger.append_entry(settings, entry)
        progress(0, 0, f"Registro aggiornato: {entry['id']}")
        os.replace(trial, live)
        ledger._fsync_dir(live.parent)
    progress(0, 0, f"Pubblicato: {entry['id']}")


def commit_file(raw_bytes: bytes, file_name: str, by: str, settings, *, kind: str | None = None,
                account: str | None = None, progress=print_progress) -> dict:
    """Validate, keep the file unchanged, publish it with a ledger entry; return the entry or raise UploadRefused."""
    if len(raw_bytes) > settings.upload_max_bytes:
        raise UploadRefused(too_large(len(raw_bytes), settings.upload_max_bytes))
    if not by or not by.strip():
        raise UploadRefused("manca il nome di chi carica il file")
    with ledger.lock(settings):
        report = validate_file(raw_bytes, file_name, kind, registry=current_registry(settings))
        if not report.ok:
            raise UploadRefused(f"il file ha {how_many(len(report.problems))}: nulla è stato caricato", report.problems)
        if report.has_example_rows:
            raise UploadRefused("il file contiene ancora la riga di esempio del modello: sostituiscila con i dati reali")
        entries = ledger.read_entries(settings)
        preview = diff_against_published(report.parsed, settings.warehouse)
        entry = {"id": ledger.next_id(entries, "commit"), "event": "commit", "at": ledger.now(), "by": by.strip(),
                 "account": account, "file_name": file_name, "sha256": report.sha256, "size": len(raw_bytes),
                 "kind": report.kind, "source_code": report.source_code, "rows": report.rows,
                 "dialect": report.dialect, "summary": counts(preview)}
        ledger.store_file(settings, raw_bytes)
        progress(0, 0, f"File salvato: {report.sha256[:12]}")
        _publish(settings, entry, progress, summarise=False)
    return entry


def revert_upload(upload_id: str, by: str, settings, *, reason: str | None = None, account: str | None = None,
                  progress=print_progress) -> dict:
    """Revert an active upload with a new ledger entry (nothing is deleted) and rebuild; return the entry."""
    if not by or not by.strip():
        raise UploadRefused("manca il nome di chi annulla il caricamento")
    with ledger.lock(settings):
        entries = ledger.read_entries(settings)
        target = _revertible(entries, upload_id)
        entry = {"id": ledger.next_id(entries, "revert"), "event": "revert", "at": ledger.now(), "by": by.strip(),
                 "account": account, "reverts": upload_id, "file_name": target["file_name"],
                 "kind": target["kind"], "reason": reason or None, "rows": 0, "summary": {}}
        _publish(settings, entry, progress, summarise=True)
    return entry


def _revertible(entries: list[dict], upload_id: str) -> dict:
    target = next((e for e in entries if e["id"] == upload_id), None)
    if target is None:
        raise UploadRefused(f"caricamento sconosciuto: {upload_id}")
    if target["event"] != "commit":
        raise UploadRefused(f"{upload_id} è un ripristino: si possono annullare solo i caricamenti")
    if ledger.statuses(entries)[upload_id] == "reverted":
        raise UploadRefused(f"{upload_id} è già stato annullato")
    return target


def preview_revert(upload_id: str, settings) -> pd.DataFrame:
    """What reverting an upload would change, from a throw-away trial build; nothing is written to the ledger."""
    entries = ledger.read_entries(settings)
    target = _revertible(entries, upload_id)
    live = Path(settings.warehouse)
    trial = live.with_name(f"{live.name}.preview-{uuid.uuid4().hex[:12]}")
    entry = {"id": ledger.next_id(entries, "revert"), "event": "revert", "at": ledger.now(), "by": "anteprima",
             "reverts": upload_id, "file_name": target["file_name"], "kind": target["kind"]}
    token = ledger.PENDING.set((entry,))
    try:
        build(replace(settings, warehouse=trial), progress=lambda *a: None)
        return diff_warehouses(live, trial)
    finally:
        ledger.PENDING.reset(token)
        _remove(trial)
        Path(str(trial) + ".lock").unlink(missing_ok=True)


def warehouse_is_behind(settings) -> bool:
    """True when the warehouse was not built from the ledger as it is (e.g. a commit killed before its swap)."""
    live = Path(settings.warehouse)
    entries = ledger.read_entries(settings)
    if not live.exists():
        return True
    try:
        loads = published(live, "ledger_loads")
    except duckdb.Error:
        return True
    built = dict(zip(loads["load_id"], loads["status"]))
    expected = ledger.statuses(entries)
    if set(built) != set(expected):
        return True
    return any((built[i] == "reverted") != (status == "reverted") for i, status in expected.items())


def ledger_signature(settings) -> str:
    """Identity of the ledger file (size, mtime): changes whenever an entry is appended."""
    path = ledger.ledger_path(settings)
    return f"{path.stat().st_size}-{path.stat().st_mtime_ns}" if path.exists() else "none"


@lru_cache(maxsize=16)
def _behind(warehouse: str, data_dir: str, ledger_sig: str, warehouse_sig: str) -> bool:
    return warehouse_is_behind(SimpleNamespace(warehouse=Path(warehouse), data_dir=Path(data_dir)))


def needs_rebuild(settings) -> bool:
    """warehouse_is_behind, remembered until the ledger or the warehouse file changes (cheap on every page run)."""
    return _behind(str(settings.warehouse), str(settings.data_dir), ledger_signature(settings),
                   version(Path(settings.warehouse)))


def ensure_current(settings, progress=print_progress) -> bool:
    """Rebuild when the warehouse is behind the ledger; True when it did."""
    if not warehouse_is_behind(settings):
        return False
    with ledger.lock(settings):
        _remove(pending_path(Path(settings.warehouse)))  # left by a commit killed before its ledger line
        if not warehouse_is_behind(settings):
            return False
        build(settings, progress=progress)
    return True
