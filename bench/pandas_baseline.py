"""The pandas baseline of the query benchmark: page query answers from CSV exports, read with pandas and filtered."""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

# Codes are text in the warehouse; pandas would otherwise read '001272' as the number 1272.
TEXT_COLUMNS = {"territory_code", "istat_code", "cadastral_code", "load_id", "key"}


class CsvTables:
    """CSV exports of the warehouse tables, each read once with pandas.read_csv; read seconds kept per table."""

    def __init__(self, paths: dict[str, Path]):
        """Tables by name -> CSV path; nothing is read yet."""
        self.paths = paths
        self.frames: dict[str, pd.DataFrame] = {}
        self.read_seconds: dict[str, float] = {}
        self.used: set[str] = set()

    def get(self, table: str) -> pd.DataFrame:
        """The table as a DataFrame (read on first use, with the pyarrow engine)."""
        self.used.add(table)
        if table not in self.frames:
            started = time.perf_counter()
            columns = pd.read_csv(self.paths[table], nrows=0).columns
            text = {c: "string" for c in columns if c in TEXT_COLUMNS or table == "build_info"}
            self.frames[table] = pd.read_csv(self.paths[table], engine="pyarrow", dtype=text or None)
            self.read_seconds[table] = time.perf_counter() - started
        return self.frames[table]


def headline(t: CsvTables) -> pd.DataFrame:
    """Latest and previous CM value (T) of each headline indicator, with source, load and target."""
    indicator = t.get("indicator")
    indicator = indicator[indicator["headline_order"].notna()]
    observation = t.get("observation")
    cm = observation[(observation["level"] == "cm") & (observation["sex"] == "T")
                     & observation["indicator_code"].isin(indicator["code"])]
    cm = cm.sort_values(["indicator_code", "period"], ascending=[True, False])
    cm = cm.assign(recency=cm.groupby("indicator_code").cumcount() + 1)
    current = cm[cm["recency"] == 1][["indicator_code", "period", "value", "derived", "source_code", "load_id"]]
    previous = cm[cm["recency"] == 2][["indicator_code", "period", "value"]].rename(
        columns={"period": "previous_period", "value": "previous_value"})
    rows = (indicator.merge(current, left_on="code", right_on="indicator_code", how="left", suffixes=("_i", ""))
            .merge(previous, left_on="code", right_on="indicator_code", how="left", suffixes=("", "_p")))
    rows["source_code"] = rows["source_code"].fillna(rows["source_code_i"])
    source = t.get("source")[["source_code", "producer", "citation", "licence", "url"]]
    load = t.get("load")[["load_id", "created_at", "kind", "created_by"]].rename(columns={
        "created_at": "loaded_at", "kind": "load_kind", "created_by": "loaded_by"})
    target = t.get("indicator_target")
    target = target[(target["level"] == "cm") & (target["sex"] == "T")][
        ["indicator_code", "target_period", "target_value", "baseline_period", "baseline_value"]]
    rows = (rows.merge(source, on="source_code", how="left").merge(load, on="load_id", how="left")
            .merge(target.rename(columns={"indicator_code": "code"}), on="code", how="left"))
    return rows.sort_values("headline_order", ignore_index=True)


def build_info(t: CsvTables) -> dict[str, str]:
    """Build facts as a dict."""
    rows = t.get("build_info")
    return dict(zip(rows["key"], rows["value"]))


def zones(t: CsvTables) -> pd.DataFrame:
    """The zones with comuni, population and list status."""
    columns = ["zone_id", "name", "comuni", "population", "population_year", "area_km2", "list_status"]
    return t.get("zone")[columns].sort_values("zone_id", ignore_index=True)


# Page query name -> its pandas equivalent (same answer), called with the tables and the query's arguments.
# Queries not listed get the generic baseline: reading the equivalent CSV (observation) and nothing more.
EQUIVALENTS = {"headline": headline, "build_info": build_info, "zones": zones}


def same_answer(expected, got) -> bool:
    """Whether two answers agree: dicts equal, or the columns both frames share hold the same values by row."""
    if isinstance(expected, dict) or isinstance(got, dict):
        return expected == got
    if len(expected) != len(got):
        return False
    shared = [c for c in expected.columns if c in got.columns]

    def text(frame: pd.DataFrame) -> pd.DataFrame:
        """The shared columns as comparable text."""
        return frame[shared].reset_index(drop=True).map(_text)

    return text(expected).equals(text(got))


def _text(value) -> str:
    """A cell as comparable text: numbers rounded, every kind of missing value alike."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{float(value):.6g}"
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)
