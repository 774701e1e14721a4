"""The ledger as LoadBatches for a build: an active upload brings the typed rows accepted when it was committed."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

import pandas as pd

from etl import reference
from etl.inputs import (COVERAGE_COLUMNS, OBSERVATION_COLUMNS, PRIORITY_COLUMNS, PROGRESS_COLUMNS, TARGET_COLUMNS,
                        LoadBatch)
from etl.reference import Problem, ReferenceDataError
from etl.uploads import ledger
from etl.uploads.templates import TEMPLATES

UPLOAD_SOURCE = "cmt"  # the load-level source of template uploads; each observation keeps its own source


def created_at(entry: dict) -> datetime:
    """The entry's time as naive UTC, like every load time in the warehouse."""
    return datetime.fromisoformat(entry["at"]).astimezone(timezone.utc).replace(tzinfo=None)


def kind_label(kind: str) -> str:
    """'Osservazioni degli indicatori', or 'formato nativo mef'."""
    return TEMPLATES[kind].title.it if kind in TEMPLATES else "formato nativo " + kind.split(":", 1)[-1]


def ledger_batches(settings, pending: Sequence[dict] = ()) -> list[LoadBatch]:
    """The LoadBatches of the ledger in commit order, then of the pending entries (a commit or revert being tried);
    reverted uploads bring no rows."""
    entries = [*ledger.read_entries(settings), *pending]
    status = ledger.statuses(entries)
    sources = reference.load_indicators().set_index("code")["source_code"] if entries else pd.Series(dtype=object)
    by_id = {entry["id"]: entry for entry in entries}
    return [batch_of(entry, status[entry["id"]], settings, sources, by_id.get(entry.get("reverts"))) for entry in entries]


def batch_of(entry: dict, status: str, settings, indicator_sources: pd.Series, reverted: dict | None = None) -> LoadBatch:
    """The LoadBatch of a ledger entry with the change counts recorded in it; an active upload brings its typed
    rows, a reverted one and a revert what the upload brought (load_coverage)."""
    changes = entry.get("summary") or None
    if entry["event"] == "revert":
        note = f"annulla {entry['reverts']}" + (f": {entry['reason']}" if entry.get("reason") else "")
        source = (reverted.get("source_code") or UPLOAD_SOURCE) if reverted else None   # the reverted upload's
        return LoadBatch(entry["id"], "revert", source, created_at(entry), entry["by"], entry.get("file_name"),
                         note=note, changes=changes,
                         coverage=stored_coverage(settings, reverted) if reverted else None)
    batch = LoadBatch(entry["id"], "upload", entry.get("source_code") or UPLOAD_SOURCE, created_at(entry),
                      entry["by"], entry["file_name"], entry["sha256"], status=status, note=kind_label(entry["kind"]),
                      changes=changes)
    if status != "active":
        batch.coverage = stored_coverage(settings, entry)
        return batch
    rows = ledger.read_rows(settings, entry["sha256"])
    if rows is None:
        rows = typed_rows_again(entry, settings)
    _attach(batch, rows, entry, indicator_sources)
    return batch


def stored_coverage(settings, entry: dict) -> pd.DataFrame | None:
    """What an upload brought (COVERAGE_COLUMNS), from the typed rows kept beside its file; None without them."""
    rows = ledger.read_rows(settings, entry["sha256"])
    return None if rows is None else coverage_of(entry["kind"], rows)


def coverage_of(kind: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The indicators (observations or targets), actions or zone list of an upload's rows, with rows and periods."""
    if kind == "zones":
        return pd.DataFrame([("zone_list", "zone_omogenee", len(rows), None, None)], columns=COVERAGE_COLUMNS)
    if kind == "priority_zones":
        counts = rows.groupby("plan_code").size()
        return pd.DataFrame({"subject": "priority", "code": counts.index, "rows": counts.values,
                             "first_period": None, "last_period": None})[COVERAGE_COLUMNS]
    if kind == "progress":
        years = pd.to_datetime(rows["as_of"]).dt.year
        frame = rows.assign(code=rows["action_code"], first=years, last=years)
        subject = "action"
    elif kind == "targets":
        periods = rows["target_period"].fillna(rows["baseline_period"])
        frame = rows.assign(code=rows["indicator_code"], first=rows["baseline_period"].fillna(periods), last=periods)
        subject = "target"
    else:
        frame = rows.assign(code=rows["indicator_code"], first=rows["period"], last=rows["period"])
        subject = "indicator"
    grouped = frame.groupby("code").agg(rows=("code", "size"), first_period=("first", "min"),
                                        last_period=("last", "max")).reset_index()
    return grouped.assign(subject=subject)[COVERAGE_COLUMNS]


def typed_rows_again(entry: dict, settings) -> pd.DataFrame:
    """The typed rows of an upload committed before they were kept beside its file (or whose copy is unreadable):
    its stored file validated once more, against today's registry, and the rows kept for the next builds."""
    from etl.uploads import validate
    from etl.uploads.registry import current_registry

    raw = ledger.read_file(settings, entry["sha256"])
    report = validate.validate_file(raw, entry["file_name"], entry["kind"], registry=current_registry(settings))
    if not report.ok:
        where = f"{entry['id']} ({entry['file_name']})"
        raise ReferenceDataError([Problem(where, None if pd.isna(p.row) else int(p.row), p.column, p.value, p.message)
                                  for p in report.problems.itertuples(index=False)])
    ledger.store_rows(settings, entry["sha256"], report.parsed)
    return report.parsed


def _attach(batch: LoadBatch, rows: pd.DataFrame, entry: dict, indicator_sources: pd.Series) -> None:
    rows = rows.reset_index(drop=True)
    kind = entry["kind"]
    if kind == "progress":
        batch.action_progress = rows[PROGRESS_COLUMNS]
    elif kind == "targets":
        batch.targets = rows[TARGET_COLUMNS]
    elif kind == "zones":
        batch.zones = rows[["codice_istat", "comune", "zona_id", "zona_nome"]]
    elif kind == "priority_zones":
        batch.priority_zones = rows[PRIORITY_COLUMNS]
    else:
        registry_source = rows["indicator_code"].map(indicator_sources)
        given = rows["source_code"] if "source_code" in rows else pd.Series(None, index=rows.index)
        default = entry.get("source_code") or registry_source
        batch.observations = rows.reindex(columns=OBSERVATION_COLUMNS).assign(source_code=given.fillna(default))
