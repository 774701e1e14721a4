"""Warehouse build on the bundled data: figures, plan, checks, atomicity, determinism."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.build import build, temp_path
from core.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def scalar(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


def table_dump(db: Path) -> dict:
    """Every table but build_info; the bundled loads' load time (the build time, checked in test_dates.py) left out."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        dump = {t: con.execute(f"select * from {t} order by all").fetchall()
                for t in tables if t not in ("build_info", "load")}
        dump["load"] = con.execute("select * replace (case when kind = 'bundled' then null else created_at end "
                                   "as created_at) from load order by all").fetchall()
        return dump
    finally:
        con.close()


def test_territory_has_312_comuni_in_11_zones(warehouse):
    assert scalar(warehouse, "select count(*) from municipality") == 312
    assert scalar(warehouse, "select count(distinct zone_id) from municipality") == 11
    assert scalar(warehouse, "select count(*) from zone") == 11
    assert scalar(warehouse, "select min(length(istat_code)) = 6 and max(length(istat_code)) = 6 from municipality")
    assert scalar(warehouse, "select name from municipality where istat_code = '001168'") == "None"


@pytest.mark.parametrize("level, code, year, expected", [
    ("cm", "001", 2023, 2_198_237),
    ("comune", "001272", 2023, 841_600),
    ("cm", "001", 2022, 2_208_370),
    ("zona", "8", 2023, 80_324),
])
def test_population_figures(warehouse, level, code, year, expected):
    sql = ("select value from observation where indicator_code = 'population' and level = ? "
           "and territory_code = ? and period = ? and sex = 'T'")
    assert scalar(warehouse, sql, [level, code, year]) == expected


def test_zone_populations_sum_to_cm(warehouse):
    zones = scalar(warehouse, "select sum(population) from zone")
    assert zones == 2_198_237
    assert scalar(warehouse, "select list_status from zone limit 1") == "provisional"


def test_zone_rates_are_ratios_of_sums_not_averages(warehouse):
    derived = scalar(warehouse, "select value from observation where indicator_code = 'share_age_65_plus' "
                                "and level = 'zona' and territory_code = '5' and period = 2023 and sex = 'T'")
    num, den = duckdb.connect(str(warehouse), read_only=True).execute(
        "select sum(numerator), sum(denominator) from observation o join municipality m on m.istat_code = o.territory_code "
        "where indicator_code = 'share_age_65_plus' and level = 'comune' and m.zone_id = 5 and period = 2023 and sex = 'T'"
    ).fetchone()
    assert derived == pytest.approx(100 * num / den)


@pytest.mark.parametrize("code, year, value", [
    ("gap_employment_rate", 2022, -14.5),
    ("gap_mean_pay_employees", 2022, -9151.19),
    ("share_comuni_nido", 2021, 42.6),
    ("share_comuni_home_care_elderly", 2020, 100.0),
    ("share_comuni_home_care_families", 2020, 82.1),
    ("share_comuni_home_care_disabled", 2020, 74.7),
    ("shops_vicinato_per_10k", 2018, 147.9),
])
def test_seed_headline_figures_exact(warehouse, code, year, value):
    row = duckdb.connect(str(warehouse), read_only=True).execute(
        "select value, source_code, level from observation where indicator_code = ? and period = ?", [code, year]).fetchall()
    assert len(row) == 1
    assert row[0][0] == value and row[0][2] == "cm"


def test_plan_has_20_actions_under_5_strategies(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    counts = dict(con.execute("select strategy_code, count(*) from action group by 1").fetchall())
    assert counts == {"5.1": 5, "5.2": 2, "5.3": 5, "5.4": 5, "5.5": 3}
    codes = [r[0] for r in con.execute("select code from action order by code").fetchall()]
    assert codes[0] == "5.1.1" and codes[-1] == "5.5.3"
    assert con.execute("select count(*) from strategy").fetchone()[0] == 5


def test_registry_lists_indicators_waiting_for_connectors(warehouse):
    waiting = scalar(warehouse, "select count(*) from indicator i where not exists "
                                "(select 1 from observation o where o.indicator_code = i.code)")
    assert waiting >= 8


def test_every_observation_is_traceable(warehouse):
    assert scalar(warehouse, "select count(*) from observation where load_id is null or source_code is null") == 0
    orphans = scalar(warehouse, "select count(*) from observation o where not exists "
                                "(select 1 from load l where l.load_id = split_part(o.load_id, '+', 1))")
    assert orphans == 0


def test_two_builds_give_identical_tables(project_env):
    settings = load_settings()
    first = table_dump(settings.warehouse)
    build(settings, progress=lambda *a: None)
    assert table_dump(settings.warehouse) == first


def test_build_leaves_no_temporary_or_wal_file(project_env):
    settings = load_settings()
    build(settings, progress=lambda *a: None)
    assert not temp_path(settings.warehouse).exists()
    assert not Path(str(settings.warehouse) + ".wal").exists()


def test_killed_build_leaves_old_warehouse_serving(project_env):
    settings = load_settings()
    before = table_dump(settings.warehouse)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "etl", "build"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:  # kill it once it is writing the new file
        if line.startswith("[5/"):
            break
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not Path(str(settings.warehouse) + ".wal").exists()
    assert table_dump(settings.warehouse) == before
    build(settings, progress=lambda *a: None)  # the next build clears the leftover and succeeds
    assert not temp_path(settings.warehouse).exists()


def test_concurrent_builds_are_serialised(project_env):
    env = {**os.environ}
    procs = [subprocess.Popen([sys.executable, "-m", "etl", "build"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    warehouse = load_settings().warehouse
    assert scalar(warehouse, "select count(*) from municipality") == 312


def test_without_national_rows_nothing_is_staged_for_the_benchmark_levels():
    # `[build] national = false`, only for bench/build_time.py: no national population read, no MEF national rows.
    from etl import build as builder

    staged = builder._staged_national(None, [], [2023], {"load_id": "x"}, with_national=False)
    assert staged.empty and list(staged.columns) == builder.NATIONAL_COLUMNS
