"""Commit and revert: keep the file and its typed rows, build a trial warehouse with the new ledger entry, append the
entry (the commit point), swap the trial warehouse in. A failure before the ledger line changes nothing."""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
from filelock import FileLock

from etl.build import BuildCheckError, build
from etl.build import print_progress as print_build_steps
from etl.reference import ReferenceDataError
from etl.uploads import ledger
from etl.uploads.batches import ledger_batches
from etl.uploads.diff import Preview, counts, diff_warehouses, preview_against_published, preview_of, published
from etl.uploads.problems import too_large
from etl.uploads.report import how_many
from core.warehouse import version

if TYPE_CHECKING:
    from etl.uploads.validate import ValidationReport


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
        try:
            build(replace(settings, warehouse=trial), progress=progress,
                  uploads=ledger_batches(settings, pending=(entry,)))
        except (ReferenceDataError, BuildCheckError, ledger.LedgerError) as exc:
            _remove(trial)
            raise UploadRefused(f"il warehouse di prova non supera i controlli, nulla è cambiato:\n{exc}") from exc
        except BaseException:
            _remove(trial)
            raise
        if summarise and live.exists():
            entry["summary"] = counts(diff_warehouses(live, trial))
            _record_counts(trial, entry)
        ledger.append_entry(settings, entry)
        progress(0, 0, f"Registro aggiornato: {entry['id']}")
        os.replace(trial, live)
        ledger._fsync_dir(live.parent)
    progress(0, 0, f"Pubblicato: {entry['id']}")


def _record_counts(trial: Path, entry: dict) -> None:
    """Write the counts found by comparing the trial warehouse with the live one into the trial's load row, as a
    build from the ledger with this entry writes them."""
    con = duckdb.connect(str(trial))
    try:
        con.execute("update load set rows_added = ?, rows_changed = ?, rows_removed = ? where load_id = ?",
                    [entry["summary"]["added"], entry["summary"]["changed"], entry["summary"]["removed"], entry["id"]])
        con.execute("checkpoint")
    finally:
        con.close()
    with open(trial, "rb") as handle:
        os.fsync(handle.fileno())


def refuse_unread(raw_bytes: bytes, by: str, settings) -> None:
    """UploadRefused for a file too large to be read or an upload without a name."""
    if len(raw_bytes) > settings.upload_max_bytes:
        raise UploadRefused(too_large(len(raw_bytes), settings.upload_max_bytes))
    if not by or not by.strip():
        raise UploadRefused("manca il nome di chi carica il file")


def _refuse_checked(raw_bytes: bytes, report: ValidationReport) -> None:
    """UploadRefused for a file with problems, with an example row, or other than the one its report is about."""
    if not report.ok:
        raise UploadRefused(f"il file ha {how_many(len(report.problems))}: nulla è stato caricato", report.problems)
    if report.has_example_rows:
        raise UploadRefused("il file contiene ancora la riga di esempio del modello: sostituiscila con i dati reali")
    if hashlib.sha256(raw_bytes).hexdigest() != report.sha256:
        raise UploadRefused("il file non è quello verificato: verificalo di nuovo prima di pubblicarlo")


def commit_upload(raw_bytes: bytes, report: ValidationReport, by: str, settings, *, preview: Preview | None = None,
                  account: str | None = None, progress=print_progress) -> dict:
    """Keep the file and the rows its report accepted, publish them with a ledger entry; return the entry or raise
    UploadRefused. Nothing is validated again: the report (and the preview) are the ones the official was shown; the
    change counts are made again from the accepted rows only if the warehouse changed since the preview."""
    refuse_unread(raw_bytes, by, settings)
    _refuse_checked(raw_bytes, report)
    with ledger.lock(settings):
        entries = ledger.read_entries(settings)
        if preview is None or preview.warehouse_version != version(Path(settings.warehouse)):
            preview = preview_against_published(report.parsed, settings.warehouse)
        entry = {"id": ledger.next_id(entries, "commit"), "event": "commit", "at": ledger.now(), "by": by.strip(),
                 "account": account, "file_name": report.file_name, "sha256": report.sha256, "size": len(raw_bytes),
                 "kind": report.kind, "source_code": report.source_code, "rows": report.rows,
                 "dialect": report.dialect, "summary": preview.counts}
        ledger.store_file(settings, raw_bytes)
        ledger.store_rows(settings, report.sha256, report.parsed)
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


def preview_revert(upload_id: str, settings) -> Preview:
    """What reverting an upload would change, from a throw-away trial build; nothing is written to the ledger."""
    entries = ledger.read_entries(settings)
    target = _revertible(entries, upload_id)
    live = Path(settings.warehouse)
    seen = version(live)
    trial = live.with_name(f"{live.name}.preview-{uuid.uuid4().hex[:12]}")
    entry = {"id": ledger.next_id(entries, "revert"), "event": "revert", "at": ledger.now(), "by": "anteprima",
             "reverts": upload_id, "file_name": target["file_name"], "kind": target["kind"]}
    try:
        build(replace(settings, warehouse=trial), progress=lambda *a: None,
              uploads=ledger_batches(settings, pending=(entry,)))
        return preview_of(diff_warehouses(live, trial), seen)
    finally:
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


def rebuild(settings, progress=print_build_steps) -> dict:
    """Build the warehouse from everything, the ledger's uploads included, serialised with commits and reverts;
    return the build's summary."""
    with ledger.lock(settings):
        return build(settings, progress=progress, uploads=ledger_batches(settings))


def ensure_current(settings, progress=print_progress) -> bool:
    """Rebuild when the warehouse is behind the ledger; True when it did."""
    if not warehouse_is_behind(settings):
        return False
    with ledger.lock(settings):
        _remove(pending_path(Path(settings.warehouse)))  # left by a commit killed before its ledger line
        if not warehouse_is_behind(settings):
            return False
        build(settings, progress=progress, uploads=ledger_batches(settings))
    return True
