"""The history of uploads and reverts, read from the ledger, for the history page and the CLI."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from etl.uploads import ledger
from etl.uploads.batches import kind_label

LOCAL_TIME = ZoneInfo("Europe/Rome")
HISTORY_COLUMNS = ["id", "event", "at", "by", "file_name", "kind", "rows", "summary", "status", "reverts", "reason",
                   "sha256"]


def summary_text(summary: dict | None) -> str:
    """'1 aggiunte, 2 modificate, 0 tolte' from an entry's counts."""
    if not summary:
        return ""
    return (f"{summary.get('added', 0)} aggiunte, {summary.get('changed', 0)} modificate, "
            f"{summary.get('removed', 0)} tolte")


def history_table(settings) -> pd.DataFrame:
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
    """The uploads that can still be reverted."""
    return table[(table["event"] == "commit") & (table["status"] == "active")]
