"""Queries the pages run: pure functions of the warehouse path (and filters) returning DataFrames."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitor.warehouse import query


def headline(db: Path) -> pd.DataFrame:
    """Headline indicators of Axis 5 with latest and previous CM values, source, load and target."""
    return query(db, "headline")


def build_info(db: Path) -> dict[str, str]:
    """Build facts as a dict: built_at, zone_list_status, zone_list_load."""
    rows = query(db, "build_info")
    return dict(zip(rows["key"], rows["value"]))


def zones(db: Path) -> pd.DataFrame:
    """The 11 zone omogenee with comuni, population and the status of the zone list."""
    return query(db, "zones")


def loads(db: Path) -> pd.DataFrame:
    """Every load the warehouse was built from, newest first: kind, when, who, file, rows, status."""
    return query(db, "loads")


# Every query a page runs, with example arguments, for the benchmarks (bench/) and the query tests.
# A new page query is added here too.
PAGE_QUERIES: dict[str, tuple] = {
    "headline": (),
    "build_info": (),
    "zones": (),
    "loads": (),
}
