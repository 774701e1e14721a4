"""What a connector's new download changes in the warehouse, counted at refresh time as an upload's preview is."""
from __future__ import annotations

from pathlib import Path

import duckdb

from core.warehouse import connect
from etl.uploads.diff import SQL_DIR, counts, diff_against_published

KEY = ["indicator_code", "level", "territory_code", "period", "sex"]


def download_changes(parsed, warehouse: Path, source: str) -> dict[str, int] | None:
    """Rows of the CM's territory the download adds and changes against the live warehouse, and the rows the
    source's previous download gave that it lacks (removed); None without observations or a warehouse to compare."""
    if parsed.observations is None or not len(parsed.observations) or not Path(warehouse).exists():
        return None
    rows = parsed.observations.copy()
    rows.attrs["kind"] = "indicators"
    try:
        changes = counts(diff_against_published(rows, warehouse))
        changes["removed"] = removed_rows(rows, warehouse, source)
    except duckdb.Error:   # a warehouse that does not open (mid-swap, damaged): the counts are not recorded
        return None
    return changes


def removed_rows(rows, warehouse: Path, source: str) -> int:
    """How many rows the source's previous download gave that the new rows lack."""
    con = connect(Path(warehouse))
    try:
        previous = con.execute((SQL_DIR / "previous_download_rows.sql").read_text(encoding="utf-8"),
                               {"source": source}).df()
    finally:
        con.close()
    new_keys = set(rows[KEY].astype(str).itertuples(index=False, name=None))
    return sum(key not in new_keys for key in previous[KEY].astype(str).itertuples(index=False, name=None))
