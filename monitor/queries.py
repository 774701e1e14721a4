"""Queries the pages run: pure functions of the warehouse path (and filters) returning DataFrames."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from core.warehouse import connect

SQL_DIR = Path(__file__).resolve().parent / "sql"


@lru_cache(maxsize=None)
def read_sql(name: str) -> str:
    """Text of a query file under monitor/sql/."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query(path: Path, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run monitor/sql/<name>.sql with bound parameters and return a DataFrame; the connection is closed."""
    con = connect(path)
    try:
        return con.execute(read_sql(name), params or {}).df()
    finally:
        con.close()


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


def indicators(db: Path) -> pd.DataFrame:
    """The indicator registry with the levels, periods and source of the data each indicator has."""
    return query(db, "indicators")


def observations(db: Path, indicator: str, level: str) -> pd.DataFrame:
    """All observations of one indicator at one level (pages use zona and cm), named and traced to their load."""
    return query(db, "observations", {"indicator": indicator, "level": level})


def comune_observations(db: Path, indicator: str, period: int, sex: str) -> pd.DataFrame:
    """The comuni of one indicator in one period and sex, with the columns of observations()."""
    return query(db, "comune_observations", {"indicator": indicator, "period": int(period), "sex": sex})


def observation_periods(db: Path, indicator: str, level: str) -> pd.DataFrame:
    """The distinct (period, sex) pairs one indicator has at one level, newest period first."""
    return query(db, "observation_periods", {"indicator": indicator, "level": level})


def municipalities(db: Path) -> pd.DataFrame:
    """The comuni with zone, population, area and centroid."""
    return query(db, "municipalities")


def geometry(db: Path) -> pd.DataFrame:
    """Simplified GeoJSON of every comune and zone outline."""
    return query(db, "geometry")


def plan(db: Path) -> pd.DataFrame:
    """The 20 actions with their strategy's text, actors and projects."""
    return query(db, "plan")


def action_progress(db: Path) -> pd.DataFrame:
    """Latest progress per action and zone (zone null = whole CM), with who loaded it and when."""
    return query(db, "action_progress")


def priority_zones(db: Path) -> pd.DataFrame:
    """The plan's priority zones of each strategy or action, with the strategy, zone name, note and load."""
    return query(db, "priority_zones")


def profile(db: Path, level: str, code: str) -> pd.DataFrame:
    """Every indicator's latest value for one comune, zone or the CM, beside its zone, the CM, Piemonte and Italia."""
    return query(db, "profile", {"level": level, "code": code})


def sources(db: Path) -> pd.DataFrame:
    """Sources with licence, periods covered and last load."""
    return query(db, "sources")


def loads(db: Path) -> pd.DataFrame:
    """Every load, newest first."""
    return query(db, "loads")


def gender_pairs(db: Path, base_indicator: str, level: str) -> pd.DataFrame:
    """F and M values side by side per territory and period, with the F − M gap."""
    rows = observations(db, base_indicator, level)
    if rows.empty:
        return pd.DataFrame(columns=["territory_code", "territory_name", "period", "F", "M", "gap", "producer", "loaded_at"])
    wide = rows[rows["sex"].isin(["F", "M"])].pivot_table(
        index=["territory_code", "territory_name", "period"], columns="sex", values="value", aggfunc="first")
    wide = wide.reindex(columns=["F", "M"]).reset_index()
    wide["gap"] = wide["F"] - wide["M"]
    meta = rows.drop_duplicates(["territory_code", "period"])[["territory_code", "period", "producer", "loaded_at"]]
    return wide.merge(meta, on=["territory_code", "period"], how="left").dropna(subset=["gap"])


def benchmarks(db: Path, indicator: str) -> pd.DataFrame:
    """One indicator's values for Italia, the CM's region (Piemonte) and the 14 città metropolitane (is_home: the
    CM), every period and sex, named (it/en), with composition notes and provenance."""
    return query(db, "benchmarks", {"indicator": indicator})


def benchmark_territories(db: Path) -> pd.DataFrame:
    """Italia, the regions and the 14 città metropolitane with their comuni and notes on their composition."""
    return query(db, "benchmark_territories")


def benchmark_gender_pairs(db: Path, base_indicator: str) -> pd.DataFrame:
    """F and M side by side, with the F − M gap, for the CM's region and Italia, per period (region first)."""
    rows = benchmarks(db, base_indicator)
    rows = rows[rows["level"].isin(["regione", "italia"]) & rows["sex"].isin(["F", "M"])]
    columns = ["level", "territory_code", "name_it", "name_en", "period", "F", "M", "gap"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    wide = rows.pivot_table(index=["level", "territory_code", "name_it", "name_en", "period"], columns="sex",
                            values="value", aggfunc="first").reindex(columns=["F", "M"]).reset_index()
    wide["gap"] = wide["F"] - wide["M"]
    return wide.dropna(subset=["gap"]).sort_values(["period", "level"], ascending=[True, False])[columns]


def service_gaps_by_zone(db: Path, indicator: str, period: int) -> pd.DataFrame:
    """Per zone, for a yes/no service indicator: comuni and residents without the service, and their shares."""
    return query(db, "service_gaps_by_zone", {"indicator": indicator, "period": int(period)})


def comune_values(db: Path, indicator: str) -> pd.DataFrame:
    """One indicator's comune values (every period and sex): territory_code, period, sex, value, for its map file."""
    return query(db, "comune_values", {"indicator": indicator})


def indicator(db: Path, code: str) -> pd.DataFrame:
    """The registry row of one indicator (empty when unknown)."""
    return query(db, "indicator", {"indicator": code})


def open_data_indicators(db: Path) -> pd.DataFrame:
    """Every indicator with observations: names, unit, source, periods and levels covered, rows, the licences of its
    rows and its newest load time (the datasets of the open-data catalogue)."""
    return query(db, "open_data_indicators")


def data_changes(db: Path, public: bool) -> pd.DataFrame:
    """Every load, newest first, with what it changed, the periods and indicators it touches; who loaded it, the
    file and the note only when public is False."""
    return query(db, "data_changes", {"public": bool(public)})


def indicator_updates(db: Path) -> pd.DataFrame:
    """Every indicator with the time of its newest load and its source's release calendar."""
    return query(db, "indicator_updates")


# Every query a page runs, with example arguments, for the benchmarks (bench/) and the query tests.
# A new page query is added here too.
PAGE_QUERIES: dict[str, tuple] = {
    "headline": (),
    "build_info": (),
    "zones": (),
    "indicators": (),
    "observations": ("share_age_65_plus", "zona"),
    "observation_periods": ("share_comuni_pharmacy", "comune"),
    "comune_observations": ("share_comuni_pharmacy", 2024, "T"),
    "municipalities": (),
    "geometry": (),
    "plan": (),
    "action_progress": (),
    "priority_zones": (),
    "profile": ("comune", "001272"),
    "sources": (),
    "loads": (),
    "gender_pairs": ("share_age_18_35", "zona"),
    "service_gaps_by_zone": ("share_comuni_pharmacy", 2024),
    "benchmarks": ("income_per_taxpayer",),
    "benchmark_territories": (),
    "benchmark_gender_pairs": ("share_age_18_35",),
    "comune_values": ("share_comuni_pharmacy",),
    "indicator": ("share_comuni_pharmacy",),
    "data_changes": (True,),
    "indicator_updates": (),
}
