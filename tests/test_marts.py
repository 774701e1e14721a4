"""The marts as given rows → expected rows: the latest load wins, derived rows and the loads they came from, the
benchmark levels from national comune rows."""
from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from etl import build
from etl.inputs import COVERAGE_COLUMNS, OBSERVATION_COLUMNS, PRIORITY_COLUMNS, PROGRESS_COLUMNS, TARGET_COLUMNS

# Three comuni in two zones; a count with its flag, an additive rate by sex with its F − M gap, a plain figure.
TERRITORY = """
insert into zone by name select * from (values (1, 'Uno', 1), (2, 'Due', 2)) t(zone_id, name, comuni),
    (select 'provisional' as list_status, 'z' as load_id);
insert into municipality by name
select istat_code, 'Comune ' || istat_code as name, zone_id, 1.0 as area_km2, 7.0 as centroid_lon,
       45.0 as centroid_lat, '{}' as geometry_geojson, 'z' as load_id
from (values ('001001', 1), ('001002', 2), ('001003', 2)) t(istat_code, zone_id);
insert into indicator by name
select code, code as name_it, code as name_en, 'n' as unit, 1 as decimals, 'neutral' as polarity,
       '5.1' as strategy_code, 'test' as source_code, aggregation, scale, gap_of, flag_of, by_sex, comune_kind,
       '' as fill_it, '' as fill_en
from (values ('pharmacies', 'sum', 1, null, null, false, 'value'),
             ('share_comuni_pharmacy', 'ratio', 100, null, 'pharmacies', false, 'flag'),
             ('employment_rate', 'ratio', 100, null, null, true, 'value'),
             ('gap_employment_rate', 'gap', 1, 'employment_rate', null, false, 'value'),
             ('plain', 'none', 1, null, null, false, 'value'))
     t(code, aggregation, scale, gap_of, flag_of, by_sex, comune_kind);
"""
STAGED = ["load_id", "batch_seq", "row_seq"]


def table(text: str) -> pd.DataFrame:
    """A small CSV text as a frame (codes stay text, empty cells are missing)."""
    return pd.read_csv(io.StringIO(text.strip()), dtype={"territory_code": str, "load_id": str, "zone_id": "Int64"})


def staged(text: str, columns: list[str]) -> pd.DataFrame:
    """Staging rows from CSV text: the columns not given are missing (source_code 'test' for observations)."""
    rows = table(text) if text.strip() else pd.DataFrame(columns=columns + STAGED)
    for column in columns:
        if column not in rows.columns:
            rows[column] = "test" if column == "source_code" else None
    return rows[columns + STAGED]


# Two provinces of region 01 (001 a città metropolitana), one of region 02; the benchmark territories they make.
NATIONAL_AREA = pd.DataFrame({"province_code": ["001", "002", "007"], "region_code": ["01", "01", "02"],
                              "cm_code": ["201", None, None], "list_load_id": "list"})
BENCHMARK_TERRITORY = """
insert into benchmark_territory by name
select * from (values ('italia', 'IT', null, 5), ('regione', '01', '01', 4), ('regione', '02', '02', 1),
                      ('citta_metropolitana', '201', '01', 3)) t(level, territory_code, region_code, comuni),
    (select 'n' as name_it, 'n' as name_en);
"""


def marts(observations: str = "", progress: str = "", targets: str = "", national: str = "",
          priority: str = "") -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with TERRITORY, filled by the marts from the given staging rows."""
    con = duckdb.connect()
    con.execute(build.read_sql("schema.sql"))
    con.execute(TERRITORY)
    con.execute(BENCHMARK_TERRITORY)
    build.run_marts(con, {"stg_observation": staged(observations, OBSERVATION_COLUMNS + ["source_code"]),
                          "stg_national": staged(national, OBSERVATION_COLUMNS + ["source_code"]),
                          "national_area": NATIONAL_AREA,
                          "stg_action_progress": staged(progress, PROGRESS_COLUMNS),
                          "stg_indicator_target": staged(targets, TARGET_COLUMNS),
                          "stg_priority_zone": staged(priority, PRIORITY_COLUMNS),
                          "stg_load_coverage": pd.DataFrame(columns=["load_id", *COVERAGE_COLUMNS])})
    return con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    """The rows of a query, numbers rounded to 6 decimals."""
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in con.execute(sql).fetchall()]


def observations(con) -> list[tuple]:
    """observation as (key…, value, derived, load_id, loads from observation_load), in key order."""
    return rows(con, """select o.indicator_code, o.level, o.territory_code, o.period, o.sex, o.value, o.derived,
                               o.load_id, list(l.load_id order by l.load_id)
                        from observation o join observation_load l using (indicator_code, level, territory_code, period, sex)
                        group by all order by all""")


def test_the_latest_load_wins_on_each_key_and_its_last_row_within_a_load():
    con = marts(observations="""
indicator_code,level,territory_code,period,sex,value,load_id,batch_seq,row_seq
plain,cm,001,2020,T,1,a,2,0
plain,cm,001,2020,T,2,b,3,0
plain,cm,001,2021,T,5,b,3,1
plain,cm,001,2021,T,6,b,3,2
plain,cm,001,2022,T,7,c,4,0
plain,cm,001,2022,T,8,a,2,1
""")
    assert observations(con) == [
        ("plain", "cm", "001", 2020, "T", 2.0, False, "b", ["b"]),
        ("plain", "cm", "001", 2021, "T", 6.0, False, "b", ["b"]),
        ("plain", "cm", "001", 2022, "T", 7.0, False, "c", ["c"]),
    ]


def test_derived_rows_link_every_load_they_came_from_and_show_the_latest():
    con = marts(observations="""
indicator_code,level,territory_code,period,sex,value,numerator,load_id,batch_seq,row_seq
pharmacies,comune,001001,2020,T,0,0,a,2,0
pharmacies,comune,001002,2020,T,3,3,a,2,1
pharmacies,comune,001003,2020,T,2,2,b,3,0
""")
    assert observations(con) == [
        ("pharmacies", "cm", "001", 2020, "T", 5.0, True, "b", ["a", "b"]),
        ("pharmacies", "comune", "001001", 2020, "T", 0.0, False, "a", ["a"]),
        ("pharmacies", "comune", "001002", 2020, "T", 3.0, False, "a", ["a"]),
        ("pharmacies", "comune", "001003", 2020, "T", 2.0, False, "b", ["b"]),
        ("pharmacies", "zona", "1", 2020, "T", 0.0, True, "a", ["a"]),
        ("pharmacies", "zona", "2", 2020, "T", 5.0, True, "b", ["a", "b"]),
        ("share_comuni_pharmacy", "cm", "001", 2020, "T", 66.666667, True, "b", ["a", "b"]),
        ("share_comuni_pharmacy", "comune", "001001", 2020, "T", 0.0, True, "a", ["a"]),
        ("share_comuni_pharmacy", "comune", "001002", 2020, "T", 100.0, True, "a", ["a"]),
        ("share_comuni_pharmacy", "comune", "001003", 2020, "T", 100.0, True, "b", ["b"]),
        ("share_comuni_pharmacy", "zona", "1", 2020, "T", 0.0, True, "a", ["a"]),
        ("share_comuni_pharmacy", "zona", "2", 2020, "T", 100.0, True, "b", ["a", "b"]),
    ]


def test_a_gap_links_the_loads_of_its_f_and_m_rows():
    con = marts(observations="""
indicator_code,level,territory_code,period,sex,value,load_id,batch_seq,row_seq
employment_rate,cm,001,2021,F,60,b,3,0
employment_rate,cm,001,2021,M,70,a,2,0
""")
    assert observations(con)[0] == ("employment_rate", "cm", "001", 2021, "F", 60.0, False, "b", ["b"])
    assert observations(con)[-1] == ("gap_employment_rate", "cm", "001", 2021, "T", -10.0, True, "b", ["a", "b"])


def test_a_row_a_load_gives_is_never_replaced_by_a_derived_one():
    con = marts(observations="""
indicator_code,level,territory_code,period,sex,value,numerator,denominator,load_id,batch_seq,row_seq
pharmacies,comune,001001,2020,T,1,1,,a,2,0
pharmacies,comune,001002,2020,T,1,1,,a,2,1
pharmacies,comune,001003,2020,T,1,1,,a,2,2
pharmacies,zona,2,2020,T,9,9,,u,3,0
share_comuni_pharmacy,comune,001001,2020,T,0,0,1,u,3,1
gap_employment_rate,cm,001,2020,T,-3,,,u,3,2
employment_rate,cm,001,2020,F,60,,,a,2,3
employment_rate,cm,001,2020,M,70,,,a,2,4
""")
    found = {row[:5]: row[5:] for row in observations(con)}
    assert found[("pharmacies", "zona", "2", 2020, "T")] == (9.0, False, "u", ["u"])
    assert found[("share_comuni_pharmacy", "comune", "001001", 2020, "T")] == (0.0, False, "u", ["u"])
    assert found[("share_comuni_pharmacy", "zona", "1", 2020, "T")] == (0.0, True, "u", ["u"])
    assert found[("gap_employment_rate", "cm", "001", 2020, "T")] == (-3.0, False, "u", ["u"])


def test_benchmark_levels_add_up_every_national_comune_row_and_the_latest_load_wins():
    con = marts(national="""
indicator_code,level,territory_code,period,sex,value,numerator,denominator,load_id,batch_seq,row_seq
employment_rate,comune,001001,2021,T,50,5,10,a,2,0
employment_rate,comune,001002,2021,T,50,10,20,a,2,1
employment_rate,comune,001002,2021,T,60,12,20,b,3,0
employment_rate,comune,002001,2021,T,25,1,4,a,2,2
employment_rate,comune,007001,2021,T,100,6,6,a,2,3
pharmacies,comune,001001,2021,T,3,3,,a,2,4
pharmacies,comune,007001,2021,T,1,1,,a,2,5
""")
    assert observations(con) == [
        ("employment_rate", "citta_metropolitana", "201", 2021, "T", 56.666667, True, "b", ["a", "b", "list"]),
        ("employment_rate", "italia", "IT", 2021, "T", 60.0, True, "b", ["a", "b"]),
        ("employment_rate", "regione", "01", 2021, "T", 52.941176, True, "b", ["a", "b", "list"]),
        ("employment_rate", "regione", "02", 2021, "T", 100.0, True, "a", ["a", "list"]),
        ("pharmacies", "citta_metropolitana", "201", 2021, "T", 3.0, True, "a", ["a", "list"]),
        ("pharmacies", "italia", "IT", 2021, "T", 4.0, True, "a", ["a"]),
        ("pharmacies", "regione", "01", 2021, "T", 3.0, True, "a", ["a", "list"]),
        ("pharmacies", "regione", "02", 2021, "T", 1.0, True, "a", ["a", "list"]),
    ]
    assert rows(con, "select count(*) from observation where level = 'comune'") == [(0,)]  # national rows not kept
    for check in ("benchmark_sums_consistent", "sex_f_plus_m_equals_t"):
        assert rows(con, build.read_sql(f"checks/{check}.sql")) == []


def test_the_benchmark_check_finds_a_lost_comune_row():
    con = marts(national="indicator_code,level,territory_code,period,sex,value,numerator,load_id,batch_seq,row_seq\n"
                         "pharmacies,comune,001001,2021,T,3,3,a,2,0\npharmacies,comune,007001,2021,T,1,1,a,2,1\n")
    con.execute("update observation set numerator = 5 where level = 'italia'")
    assert rows(con, build.read_sql("checks/benchmark_sums_consistent.sql"))[0][-1] == "Italia ≠ somma delle regioni"


def test_the_latest_load_wins_on_progress_and_targets():
    con = marts(progress="""
action_code,zone_id,as_of,status,percent,load_id,batch_seq,row_seq
5.1.1,,2026-01-31,avviata,10,u1,2,0
5.1.1,3,2026-01-31,avviata,5,u1,2,1
5.1.1,3,2026-02-28,in_corso,15,u1,2,2
5.1.1,,2026-01-31,in_corso,20,u2,3,0
""", targets="""
indicator_code,level,territory_code,sex,target_period,target_value,load_id,batch_seq,row_seq
plain,cm,001,T,2030,50,u1,2,0
plain,cm,001,T,2030,60,u2,3,0
plain,zona,4,T,2030,40,u1,2,1
""")
    assert rows(con, "select action_code, zone_id, as_of::varchar, status, percent, load_id from action_progress "
                     "order by all") == [
        ("5.1.1", 3, "2026-01-31", "avviata", 5.0, "u1"),
        ("5.1.1", 3, "2026-02-28", "in_corso", 15.0, "u1"),
        ("5.1.1", None, "2026-01-31", "in_corso", 20.0, "u2"),
    ]
    assert rows(con, "select indicator_code, level, territory_code, target_value, load_id from indicator_target "
                     "order by all") == [("plain", "cm", "001", 60.0, "u2"), ("plain", "zona", "4", 40.0, "u1")]


def test_load_coverage_lists_what_each_load_brings_even_rows_later_loads_replace():
    con = marts(observations="""
indicator_code,level,territory_code,period,sex,value,load_id,batch_seq,row_seq
plain,comune,001001,2021,T,1,a,2,0
plain,comune,001001,2023,T,2,a,2,1
plain,comune,001001,2023,T,3,b,3,0
""", progress="""
action_code,zone_id,as_of,status,percent,load_id,batch_seq,row_seq
5.1.1,,2025-12-31,avviata,10,b,3,1
5.1.1,3,2026-01-31,avviata,5,b,3,2
""", targets="""
indicator_code,level,territory_code,sex,baseline_period,target_period,target_value,load_id,batch_seq,row_seq
plain,cm,001,T,2020,2030,50,c,4,0
""")
    assert rows(con, "select * from load_coverage order by all") == [
        ("a", "indicator", "plain", 2, 2021, 2023), ("b", "action", "5.1.1", 2, 2025, 2026),
        ("b", "indicator", "plain", 1, 2023, 2023), ("c", "target", "plain", 1, 2020, 2030)]


def test_a_code_takes_the_priority_zones_of_the_latest_load_that_lists_it():
    con = marts(priority="""
plan_code,zone_id,note,load_id,batch_seq,row_seq
5.3,1,montagna,u1,2,0
5.3,2,,u1,2,1
5.1.1,2,,u1,2,2
5.3,2,di nuovo,u2,3,0
5.2,1,,u2,3,1
""")
    # u2 gives 5.3 the zone 2 alone (zone 1 is no longer a priority of it); 5.1.1 keeps u1's zone
    assert rows(con, "select plan_code, zone_id, note, load_id from priority_zone order by all") == [
        ("5.1.1", 2, None, "u1"), ("5.2", 1, None, "u2"), ("5.3", 2, "di nuovo", "u2")]


@pytest.mark.parametrize("break_link, problems", [
    ("update observation_load set load_id = 'x'", {"caricamento sconosciuto", "load_id non tra i suoi caricamenti"}),
    ("delete from observation_load", {"load_id non tra i suoi caricamenti"}),
    ("insert into observation_load values ('plain', 'cm', '001', 1999, 'T', 'a')",
     {"caricamento di un'osservazione assente"}),
])
def test_the_load_link_check_names_a_broken_link(break_link, problems):
    con = marts(observations="indicator_code,level,territory_code,period,sex,value,load_id,batch_seq,row_seq\n"
                             "plain,cm,001,2020,T,1,a,2,0\n")
    con.execute("insert into load by name select 'a' as load_id, 'etl' as kind, timestamp '2026-01-01' as created_at, "
                "'t' as created_by, 1 as rows, 'active' as status")
    check = (build.SQL_DIR / "checks" / "observation_load_known.sql").read_text(encoding="utf-8")
    assert con.execute(check).fetchall() == []
    con.execute(break_link)
    assert {row[-1] for row in con.execute(check).fetchall()} == problems


def test_load_coverage_lists_the_plan_codes_a_priority_zones_load_brings():
    con = marts(priority="""
plan_code,zone_id,note,load_id,batch_seq,row_seq
5.3,1,,u1,2,0
5.3,2,,u1,2,1
5.1.1,2,,u1,2,2
""")
    assert rows(con, "select * from load_coverage where subject = 'priority' order by all") == [
        ("u1", "priority", "5.1.1", 1, None, None), ("u1", "priority", "5.3", 2, None, None)]
