"""The upload service: what the pages, app.py and `python -m etl upload` do with uploads, and all they import of them.

Verbs: validate_upload → preview_upload → commit_upload (given the report and preview the official was shown: a file
is validated once), commit_file (validate and commit, for the command line), revert_upload and preview_revert,
upload_history, the templates; ensure_current, needs_rebuild and rebuild keep the warehouse in step with the ledger.
Data: ValidationReport and Preview (dataclasses), ledger entries (dicts, as the ledger holds them), tables (DataFrames).
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd

from etl.uploads import ledger
from etl.uploads.batches import kind_label
from etl.uploads.commit import (UploadRefused, commit_upload, ensure_current, needs_rebuild, preview_revert,
                                print_progress, rebuild, refuse_unread, revert_upload)
from etl.uploads.diff import Preview, preview_against_published
from etl.uploads.problems import too_large
from etl.uploads.registry import current_registry
from etl.uploads.report import (entry_text, history_display, history_text, how_many, preview_dict, preview_table,
                                problems_table, records, refused_text, report_text, summary_text)
from etl.uploads.templates import KINDS, TEMPLATES, meanings, template_bytes, template_text

if TYPE_CHECKING:
    from etl.uploads.validate import ValidationReport

LOCAL_TIME = ZoneInfo("Europe/Rome")
# The file types the upload page offers (the file's bytes, not its name, say how it is read).
UPLOAD_TYPES = ["xlsx", "ods", "csv", "txt", "tsv"]
HISTORY_COLUMNS = ["id", "event", "at", "by", "file_name", "kind", "rows", "summary", "status", "reverts", "reason",
                   "sha256"]

__all__ = [
    "Preview", "UploadRefused",
    "validate_upload", "preview_upload", "commit_upload", "commit_file", "revert_upload", "preview_revert",
    "upload_history", "revertible", "ensure_current", "needs_rebuild", "rebuild",
    "KINDS", "TEMPLATES", "UPLOAD_TYPES", "upload_kinds", "meanings", "template_bytes", "template_text",
    "too_large", "refused", "how_many", "problems_table", "preview_table", "history_display",
    "report_text", "preview_dict", "refused_text", "entry_text", "history_text", "records",
]


def validate_upload(raw_bytes: bytes, file_name: str, settings, kind: str | None = None) -> ValidationReport:
    """Every problem of an uploaded file, or its typed rows: kind one of KINDS, a native format, or None to recognise
    it; a file over the size limit is refused unread."""
    # NOTE: imported here, so that pandera and the models load with the first validation, not with every command.
    from etl.uploads.validate import validate_file

    return validate_file(raw_bytes, file_name, kind, registry=current_registry(settings),
                         max_bytes=settings.upload_max_bytes)


def refused(file_name: str, size: int, message: str) -> ValidationReport:
    """The report of a file refused as a whole before it is read (missing, too large)."""
    from etl.uploads import validate  # as in validate_upload

    return validate.refused(file_name, size, message)


def preview_upload(report: ValidationReport, settings) -> Preview:
    """What a valid upload would change in the published warehouse (added, changed old → new), largest first."""
    return preview_against_published(report.parsed, settings.warehouse)


def commit_file(raw_bytes: bytes, file_name: str, by: str, settings, *, kind: str | None = None,
                account: str | None = None, progress=print_progress) -> dict:
    """Validate once and commit a file no one was shown (the command line); return the entry or raise UploadRefused."""
    refuse_unread(raw_bytes, by, settings)
    report = validate_upload(raw_bytes, file_name, settings, kind)
    return commit_upload(raw_bytes, report, by, settings, account=account, progress=progress)


def upload_history(settings) -> pd.DataFrame:
    """One row per ledger entry, newest first: who, when (local time), what, rows, change summary, status."""
    entries = ledger.read_entries(settings)
    status = ledger.statuses(entries)
    rows = [{"id": e["id"], "event": e["event"],
             "at": pd.Timestamp(e["at"]).tz_convert(LOCAL_TIME).tz_localize(None),
             "by": e["by"], "file_name": e.get("file_name"), "kind": kind_label(e.get("kind", "")),
             "rows": e.get("rows", 0), "summary": summary_text(e.get("summary")), "status": status[e["id"]],
             "reverts": e.get("reverts"), "reason": e.get("reason"), "sha256": e.get("sha256")}
            for e in entries]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS).iloc[::-1].reset_index(drop=True)


def revertible(table: pd.DataFrame) -> pd.DataFrame:
    """The uploads of a history table that can still be reverted."""
    return table[(table["event"] == "commit") & (table["status"] == "active")]


def upload_kinds() -> list[str | None]:
    """What the official may say a file is: None (recognise it), a template, or a native format of a connector."""
    from etl.uploads import native

    return [None, *KINDS, *(native.PREFIX + name for name in native.formats())]
