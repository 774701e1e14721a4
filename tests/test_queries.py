"""Page queries with their filters in SQL give the rows the pages used to filter in pandas; the warehouse's order."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from monitor import maps, queries
from tests.storage_order import observations_out_of_order

FLAG = "share_comuni_pharmacy"   # a yes/no service indicator with no comune data in the bundled build


def same_rows(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    """The two frames hold the same columns and values in the same order (index and dtypes aside)."""
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(expected.reset_index(drop=True), got.reset_index(drop=True), check_dtype=False)


def comune_series(db: Path) -> list[tuple[str, int, str]]:
    """Every (indicator, period, sex) the warehouse has at comune level."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""select distinct indicator_code, period, sex from observation
                              where level = 'comune' order by all""").fetchall()
    finally:
        con.close()


@pytest.fixture
def with_flag_rows(warehouse) -> Path:
    """The fixture warehouse plus a yes/no indicator per comune in 2024 (T): with, without, missing, and a few F rows."""
    con = duckdb.connect(str(warehouse))
    con.execute("""
        insert into observation
        select $flag, 'comune', m.istat_code, 2024, s.sex,
               case when m.istat_code = '001272' then null when hash(m.istat_code) % 3 = 0 then 0 else 100 end,
               null, null, false, i.source_code, (select min(load_id) from load), null
        from municipality m, (values ('T'), ('F')) s(sex), indicator i
        where i.code = $flag and (s.sex = 'T' or m.zone_id = 1)""", {"flag": FLAG})
    con.execute("update municipality set population = null where istat_code in (select istat_code from municipality "
                "where zone_id = 2 order by istat_code limit 2)")
    con.close()
    return warehouse


def pandas_service_gaps(rows: pd.DataFrame, period: int) -> pd.DataFrame:
    """The zone figures as the page computed them in pandas from every comune row of the indicator."""
    rows = rows[(rows["period"] == period) & (rows["sex"] == "T")]
    rows = rows.assign(without=rows["value"] <= 0)
    rows = rows.assign(residents_without=rows["population"].where(rows["without"], 0))
    by_zone = rows.groupby(["zone_id", "zone_name"]).agg(
        comuni=("territory_code", "count"), comuni_without=("without", "sum"),
        residents=("population", "sum"), residents_without=("residents_without", "sum")).reset_index()
    return by_zone.assign(
        share_comuni_without=100 * by_zone["comuni_without"] / by_zone["comuni"],
        share_residents_without=100 * by_zone["residents_without"] / by_zone["residents"])


def test_comune_observations_are_the_comune_rows_of_one_period_and_sex(with_flag_rows):
    series = comune_series(with_flag_rows)
    assert len(series) > 10
    for indicator, period, sex in series:
        every = queries.observations(with_flag_rows, indicator, "comune")
        expected = every[(every["period"] == period) & (every["sex"] == sex)]
        same_rows(expected, queries.comune_observations(with_flag_rows, indicator, period, sex))
    assert queries.comune_observations(with_flag_rows, "old_age_index", 1990, "T").empty


def test_observation_periods_are_the_distinct_periods_and_sexes(with_flag_rows):
    for indicator in {s[0] for s in comune_series(with_flag_rows)}:
        for level in ("comune", "zona", "cm"):
            rows = queries.observations(with_flag_rows, indicator, level)
            expected = (rows[["period", "sex"]].drop_duplicates()
                        .sort_values(["period", "sex"], ascending=[False, True]))
            same_rows(expected, queries.observation_periods(with_flag_rows, indicator, level))
    assert queries.observation_periods(with_flag_rows, "no_such_indicator", "comune").empty


def test_service_gaps_by_zone_in_sql_equal_the_pandas_computation(with_flag_rows):
    got = queries.service_gaps_by_zone(with_flag_rows, FLAG, 2024)
    expected = pandas_service_gaps(queries.observations(with_flag_rows, FLAG, "comune"), 2024)
    same_rows(expected, got)
    assert got["comuni_without"].sum() > 0 and got["comuni"].sum() == 312
    assert queries.service_gaps_by_zone(with_flag_rows, FLAG, 2023).empty


def test_comune_values_hold_one_indicator(warehouse):
    for indicator in {s[0] for s in comune_series(warehouse)}:
        values = queries.comune_values(warehouse, indicator)
        expected = queries.observations(warehouse, indicator, "comune")
        expected = expected.sort_values(["territory_code", "period", "sex"])[list(values.columns)]
        same_rows(expected, values)
    assert queries.indicator(warehouse, "old_age_index").iloc[0]["decimals"] == 1
    assert queries.indicator(warehouse, "no_such_indicator").empty


def test_a_map_file_holds_the_values_of_its_indicator_only(warehouse, tmp_path, monkeypatch):
    indicators = sorted({s[0] for s in comune_series(warehouse)})
    comuni_url, zones_url = maps.write_static_files(warehouse, "it", "old_age_index")
    assert "comuni-old_age_index-it-" in comuni_url
    collection = json.loads((tmp_path / "static" / "geo" / comuni_url.rsplit("/", 1)[1]).read_text(encoding="utf-8"))
    keys = {k[2:] for feature in collection["features"] for k in feature["properties"] if k[:2] in ("r_", "v_")}
    values = queries.comune_values(warehouse, "old_age_index")
    assert keys == {maps.combo_key("old_age_index", p, s) for p, s in zip(values["period"], values["sex"])}
    others = {maps.combo_key(i, p, s) for i, p, s in comune_series(warehouse) if i != "old_age_index"}
    assert len(indicators) > 1 and not keys & others
    torino = next(f["properties"] for f in collection["features"] if f["properties"]["c"] == "001272")
    row = values[(values["territory_code"] == "001272") & (values["period"] == 2023) & (values["sex"] == "T")].iloc[0]
    assert torino["r_" + maps.combo_key("old_age_index", 2023, "T")] == round(float(row["value"]), 6)
    assert maps.write_static_files(warehouse, "it", "population")[1] == zones_url   # one zone file for all


def test_observations_are_stored_in_the_order_the_build_inserts_them(warehouse):
    assert observations_out_of_order(warehouse) == 0


def test_servizi_page_shows_a_service_by_zone_from_sql(with_flag_rows):
    from tests.test_pages import run_page

    at = run_page("pages/servizi_territorio.py", {"indicatore": FLAG, "anno": "2024", "sesso": "T"})
    assert not at.exception, at.exception
    at.session_state["services_tab_it"] = "Per zona"   # only the open tab is drawn
    at.run()
    by_zone = at.dataframe[0].value
    expected = queries.service_gaps_by_zone(with_flag_rows, FLAG, 2024)
    assert list(by_zone["comuni_without"]) == list(expected["comuni_without"])
    at.session_state["services_tab_it"] = "Tabella"
    at.run()
    assert len(at.dataframe[0].value) == 312   # the comuni table: every comune of 2024 (T), Torino without a value


def test_a_profile_sets_each_indicator_beside_its_zone_the_cm_and_italia(warehouse):
    torino, zone_one = queries.profile(warehouse, "comune", "001272"), queries.profile(warehouse, "zona", "1")
    cm = queries.profile(warehouse, "cm", "001")
    assert len(torino) > 10 and len(zone_one) > 10 and len(cm) > 10

    def population(rows, column="value"):
        return rows[(rows["code"] == "population") & (rows["sex"] == "T")].iloc[0][column]

    assert population(torino, "zone_value") == population(zone_one)      # Torino's zone is zone 1
    assert population(zone_one, "zone_value") == population(zone_one)    # a zone's zone is itself
    assert population(torino, "cm_value") == population(cm) and pd.isna(population(cm, "zone_value"))
    assert population(torino, "italy_value") == population(cm, "italy_value")
