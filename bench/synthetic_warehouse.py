"""A synthetic warehouse at national scale (all Italian comuni × years × indicators × sexes), for query benchmarks."""
from __future__ import annotations

from pathlib import Path

import duckdb

from bench import server

SCHEMA = server.ROOT / "etl" / "sql" / "schema.sql"
# Tables copied as they are from a warehouse built from the bundled data (observation is generated instead;
# observation_load stays empty: no page query reads it).
COPIED = ("source", "load", "zone", "municipality", "population_age", "indicator", "strategy", "action",
          "action_progress", "indicator_target", "build_info", "benchmark_territory")

SYNTHETIC_COMUNI = """
insert into municipality by name
with model as (select *, row_number() over (order by istat_code) - 1 as k from municipality)
select printf('%03d%03d', 2 + r.i // 999, r.i % 999 + 1) as istat_code, 'Comune sintetico ' || r.i as name,
       1 + r.i % $zones as zone_id, 'synthetic' as zone_confidence, 'synthetic' as zone_basis,
       m.population, m.population_year, m.area_km2, m.centroid_lon, m.centroid_lat, m.geometry_geojson, m.load_id
from range($extra) r(i) join model m on m.k = r.i % $models
"""

SYNTHETIC_INDICATORS = """
insert into indicator by name
select 'synthetic_' || lpad((r.i + 1)::varchar, 2, '0') as code, 'Indicatore sintetico ' || (r.i + 1) as name_it,
       'Synthetic indicator ' || (r.i + 1) as name_en, t.unit, t.decimals, t.polarity, t.strategy_code, t.source_code,
       'ratio' as aggregation, t.scale, null as gap_of, true as by_sex, 'value' as comune_kind,
       null as headline_order, t.fill_it, t.fill_en
from range($extra) r(i), (select * from indicator where aggregation = 'ratio' order by code limit 1) t
"""

# Every comune × indicator × year × sex, plus zone and CM rows from the same numbers, and the benchmark rows
# (Italia, region 01, the 14 città metropolitane, each comune in one of them), in the build's order.
SYNTHETIC_OBSERVATIONS = """
insert into observation
with comune as (
    select i.code as indicator_code, 'comune' as level, m.istat_code as territory_code, y.period, s.sex,
           (hash(i.code, m.istat_code, y.period, s.sex) % 10000) / 100.0 as value,
           (hash(i.code, m.istat_code, y.period, s.sex) % 10000) / 10.0 as numerator, 1000.0 as denominator,
           false as derived, i.source_code, $load_id as load_id, null::varchar as note, m.zone_id
    from indicator i, municipality m, range($first_year, $last_year + 1) y(period), (values ('F'), ('M'), ('T')) s(sex)
),
peers as (
    select territory_code as cm_code, row_number() over (order by territory_code) - 1 as k
    from benchmark_territory where level = 'citta_metropolitana'
),
aggregated as (
    select indicator_code, 'zona' as level, zone_id::varchar as territory_code, period, sex,
           100 * sum(numerator) / sum(denominator) / 10 as value, sum(numerator) as numerator,
           sum(denominator) as denominator, true as derived, any_value(source_code) as source_code,
           $load_id as load_id, null::varchar as note
    from comune group by indicator_code, zone_id, period, sex
    union all
    select indicator_code, 'cm', '001', period, sex, 100 * sum(numerator) / sum(denominator) / 10,
           sum(numerator), sum(denominator), true, any_value(source_code), $load_id, null
    from comune group by indicator_code, period, sex
    union all
    select indicator_code, b.level, b.code, period, sex, 100 * sum(numerator) / sum(denominator) / 10,
           sum(numerator), sum(denominator), true, any_value(source_code), $load_id, null
    from comune, (values ('italia', 'IT'), ('regione', '01')) b(level, code) group by all
    union all
    select c.indicator_code, 'citta_metropolitana', p.cm_code, c.period, c.sex,
           100 * sum(c.numerator) / sum(c.denominator) / 10, sum(c.numerator), sum(c.denominator), true,
           any_value(c.source_code), $load_id, null
    from comune c join peers p on p.k = hash(c.territory_code) % 14 group by all
)
select * from (select * exclude (zone_id) from comune union all select * from aggregated)
order by indicator_code, level, territory_code, period, sex
"""


def _copy_tables(source: Path, con: duckdb.DuckDBPyConnection) -> None:
    """Copy the COPIED tables from the bundled-data warehouse into the new one."""
    real = duckdb.connect(str(source), read_only=True)
    try:
        for table in COPIED:
            frame = real.table(table).arrow()
            con.register("frame", frame)
            con.execute(f"insert into {table} by name select * from frame")  # table names are constants
            con.unregister("frame")
    finally:
        real.close()


def generate(folder: Path, comuni: int = 7_900, years: int = 20, indicators: int = 30,
             first_year: int = 2005) -> Path:
    """Write folder/synthetic.duckdb with the warehouse schema; return its path. The bundled comuni come first."""
    folder.mkdir(parents=True, exist_ok=True)
    real = server.build_warehouse(folder / "bundled")
    path = folder / "synthetic.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        _copy_tables(real, con)
        models = con.execute("select count(*) from municipality").fetchone()[0]
        zones = con.execute("select count(*) from zone").fetchone()[0]
        con.execute(SYNTHETIC_COMUNI, {"extra": max(0, comuni - models), "models": models, "zones": zones})
        known = con.execute("select count(*) from indicator").fetchone()[0]
        con.execute(SYNTHETIC_INDICATORS, {"extra": max(0, indicators - known)})
        load_id = con.execute("select load_id from load where kind = 'bundled' order by load_id limit 1").fetchone()[0]
        con.execute(SYNTHETIC_OBSERVATIONS, {"load_id": load_id, "first_year": first_year,
                                             "last_year": first_year + years - 1})
        con.execute("""update zone set comuni = (select count(*) from municipality m where m.zone_id = zone.zone_id),
                       population = (select sum(population) from municipality m where m.zone_id = zone.zone_id)""")
        con.execute("checkpoint")
    finally:
        con.close()
    return path


def export_csv(warehouse: Path, folder: Path) -> dict[str, Path]:
    """Each table of the warehouse as folder/<table>.csv (header, empty = null); table -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [row[0] for row in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        paths = {table: folder / f"{table}.csv" for table in tables}
        for table, path in paths.items():
            con.table(table).write_csv(str(path), header=True)
    finally:
        con.close()
    return paths
