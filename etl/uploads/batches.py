"""One ledger entry → one LoadBatch: the stored file is read again and parsed by the same code that validated it."""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from etl.inputs import OBSERVATION_COLUMNS, PROGRESS_COLUMNS, TARGET_COLUMNS, LoadBatch
from etl.reference import Problem, ReferenceDataError
from etl.uploads import ledger
from etl.uploads.registry import current_registry
from etl.uploads.templates import TEMPLATES
from etl.uploads.validate import validate_file

UPLOAD_SOURCE = "cmt"  # the load-level source of template uploads; each observation keeps its own source


def created_at(entry: dict) -> datetime:
    """The entry's time as naive UTC, like every load time in the warehouse."""
    return datetime.fromisoformat(entry["at"]).astimezone(timezone.utc).replace(tzinfo=None)


def kind_label(kind: str) -> str:
    """'Osservazioni degli indicatori', or 'formato nativo mef'."""
    return TEMPLATES[kind].title_it if kind in TEMPLATES else "formato nativo " + kind.split(":", 1)[-1]


def batch_of(entry: dict, status: str, settings) -> LoadBatch:
    """The LoadBatch of a ledger entry; an active upload brings the rows of its stored file."""
    if entry["event"] == "revert":
        note = f"annulla {entry['reverts']}" + (f": {entry['reason']}" if entry.get("reason") else "")
        return LoadBatch(entry["id"], "revert", None, created_at(entry), entry["by"], entry.get("file_name"),
                         note=note)
    batch = LoadBatch(entry["id"], "upload", entry.get("source_code") or UPLOAD_SOURCE, created_at(entry),
                      entry["by"], entry["file_name"], entry["sha256"], status=status, note=kind_label(entry["kind"]))
    if status != "active":
        return batch
    raw = ledger.read_file(settings, entry["sha256"])
    registry = current_registry(settings)
    report = validate_file(raw, entry["file_name"], entry["kind"], registry=registry)
    if not report.ok:
        where = f"{entry['id']} ({entry['file_name']})"
        raise ReferenceDataError([Problem(where, None if pd.isna(p.row) else int(p.row), p.column, p.value, p.message)
                                  for p in report.problems.itertuples(index=False)])
    _attach(batch, report, entry["kind"], registry.indicators["source_code"])
    return batch


def _attach(batch: LoadBatch, report, kind: str, indicator_sources: pd.Series) -> None:
    rows = report.parsed.reset_index(drop=True)
    if kind == "progress":
        batch.action_progress = rows[PROGRESS_COLUMNS]
    elif kind == "targets":
        batch.targets = rows[TARGET_COLUMNS]
    elif kind == "zones":
        batch.zones = rows[["codice_istat", "comune", "zona_id", "zona_nome"]]
    else:
        registry_source = rows["indicator_code"].map(indicator_sources)
        given = rows["source_code"] if "source_code" in rows else pd.Series(None, index=rows.index)
        default = report.source_code or registry_source
        batch.observations = rows.reindex(columns=OBSERVATION_COLUMNS).assign(source_code=given.fillna(default))
