"""Istat SDMX: structure reading, code discovery, keys, SDMX-CSV → observations, through the recorded service."""
from __future__ import annotations

import pytest
import responses

from etl.sources import istat, istat_sdmx
from etl.sources.common import FormatError
from etl.refresh_cli import refresh_source
from tests.sources.fake_servers import FIXTURES, add_istat

STRUCTURE = (FIXTURES / "istat" / "employment_census-structure.xml").read_bytes()


def census_dims(**changes) -> dict:
    dims = {k: dict(v) for k, v in istat.FLOWS["employment_census"]["dims"].items()}
    dims.update(changes)
    return dims


def test_structure_gives_dimensions_in_key_order_and_code_names():
    structure = istat_sdmx.parse_structure(STRUCTURE)
    assert structure.dimensions == ["FREQ", "REF_AREA", "INDICATOR", "GENDER", "AGE_NOCLASS", "CITIZENSHIP",
                                    "EDU_ATTAIN", "CUR_ACT_STAT", "LOC_DEST", "REAS_COMMUTING"]
    assert structure.codes["CUR_ACT_STAT"]["1"] == "occupato"
    assert structure.codes["AGE_NOCLASS"]["Y_GE15"] == "15 anni e più"


def test_configured_codes_are_checked_and_totals_found_by_name():
    resolved = istat_sdmx.resolve(istat_sdmx.parse_structure(STRUCTURE), census_dims())
    assert resolved["roles"]["CUR_ACT_STAT"] == {"employed": "1", "total": "99"}
    assert resolved["names"]["AGE_NOCLASS"] == {"Y_GE15": "15 anni e più"}
    assert resolved["totals"] == {"CITIZENSHIP": "TOTAL", "EDU_ATTAIN": "ALL", "LOC_DEST": "ALL", "REAS_COMMUTING": "ALL"}


def test_a_code_missing_from_the_structure_is_found_by_its_name():
    dims = census_dims(AGE_NOCLASS={"roles": {"age": "Y_GE15_OLD"}, "names": {"age": "15 anni e pi"}})
    resolved = istat_sdmx.resolve(istat_sdmx.parse_structure(STRUCTURE), dims)
    assert resolved["roles"]["AGE_NOCLASS"] == {"age": "Y_GE15"}


def test_a_code_that_cannot_be_found_stops_with_the_dimension_named():
    dims = census_dims(CUR_ACT_STAT={"roles": {"employed": "OCC"}, "names": {"employed": "^lavoratore"}})
    with pytest.raises(istat_sdmx.ResolveError, match="CUR_ACT_STAT: codice per 'employed' non trovato"):
        istat_sdmx.resolve(istat_sdmx.parse_structure(STRUCTURE), dims)


def test_keys_split_the_comuni_in_blocks_under_the_length_limit():
    structure = istat_sdmx.parse_structure(STRUCTURE)
    resolved = istat_sdmx.resolve(structure, census_dims())
    areas = [f"001{i:03d}" for i in range(1, 313)]
    keys = istat_sdmx.keys(structure, resolved, areas, 240)
    assert len(keys) > 1 and all(len(k) <= 240 for k in keys)
    assert keys[0].startswith("A.001001+001002+") and keys[0].endswith("..F+M+T.Y_GE15.TOTAL.ALL.1+99.ALL.ALL")
    assert sum(k.split(".")[1].count("+") + 1 for k in keys) == 312


def test_split_dimension_gives_one_key_per_code():
    structure = istat_sdmx.parse_structure((FIXTURES / "istat" / "nursery-structure.xml").read_bytes())
    flow = istat.FLOWS["nursery"]
    keys = istat_sdmx.keys(structure, istat_sdmx.resolve(structure, flow["dims"]), [""], 240, flow["split"])
    assert keys == ["A..AUTP.ALL.ALL.9", "A..P_100CH_Y0_2.ALL.ALL.9", "A..EXPMUN.ALL.ALL.9"]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """One Istat refresh against the recorded service; the loaded observations."""
    root = tmp_path_factory.mktemp("raw")
    with responses.RequestsMock() as mock:
        add_istat(mock)
        outcome = refresh_source("istat", root, sleep=lambda s: None)
    assert outcome.ok, outcome.message
    return outcome, istat.load(outcome.run.staged()).observations


def test_refresh_asks_structures_then_blocks_of_comuni(refreshed):
    outcome, _ = refreshed
    names = [e["name"] for e in outcome.run.entries]
    assert names[0] == "employment_census-structure" and "employment_lfs-00" in names
    assert outcome.run.facts["social"]["roles"]["CATEGORY_OF_SERVICE"] == {"homecare": "HOMECARE", "all": "ALL"}


def test_employment_rate_per_comune_with_numerator_and_denominator(refreshed):
    _, obs = refreshed
    row = obs[(obs.indicator_code == "employment_rate") & (obs.territory_code == "001272") & (obs.period == 2022)
              & (obs.sex == "F")].iloc[0]
    assert row.denominator == 398_114 and row.numerator == round(398_114 * 0.435)
    assert row.value == pytest.approx(100 * row.numerator / row.denominator)
    assert set(obs[obs.indicator_code == "employment_rate"].sex) == {"F", "M", "T"}


def test_nursery_flags_and_places_per_100(refreshed):
    _, obs = refreshed
    flags = obs[(obs.indicator_code == "share_comuni_nido") & (obs.period == 2021)].set_index("territory_code")
    assert len(flags) == 10 and flags.at["001001", "value"] == 0 and flags.at["001236", "value"] == 100
    assert flags.at["001272", "numerator"] == 1 and flags.at["001272", "denominator"] == 1
    places = obs[(obs.indicator_code == "nido_places_per_100_children") & (obs.territory_code == "001272")]
    assert places.set_index("period").at[2021, "value"] == round(100 * 6_912 / 17_245, 1)
    assert places.denominator.isna().all()  # Istat gives no child count: no zone total is derived from it


def test_home_care_flags_per_area(refreshed):
    _, obs = refreshed
    shares = obs[obs.period == 2020].groupby("indicator_code")["numerator"].sum()
    assert shares["share_comuni_home_care_elderly"] == 10
    assert shares["share_comuni_home_care_families"] == 7
    assert shares["share_comuni_home_care_disabled"] == 6


def test_lfs_rate_for_the_province_only(refreshed):
    _, obs = refreshed
    lfs = obs[obs.indicator_code == "employment_rate_lfs"].set_index(["period", "sex"])["value"]
    assert lfs[(2022, "F")] == 65.3 and lfs[(2022, "M")] == 73.2 and len(lfs) == 6
    assert set(obs[obs.indicator_code == "employment_rate_lfs"].level) == {"cm"}


def test_totals_that_are_not_f_plus_m_are_left_out():
    text = (FIXTURES / "istat" / "employment_census-data.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if ",001272,RESPOP_AV,T,Y_GE15,TOTAL,ALL,99,ALL,ALL,2021," in line)
    fields = lines[target].split(",")
    fields[12] = str(int(fields[12]) + 5)
    lines[target] = ",".join(fields)
    parsed = istat.read(("\n".join(lines) + "\n").encode(), "census.csv")
    rows = parsed.observations
    torino = rows[(rows.territory_code == "001272") & (rows.period == 2021)]
    assert set(torino.sex) == {"F", "M"}
    assert parsed.skipped["totali diversi da femmine + maschi (T non caricato)"] == 1


def test_hand_downloaded_sdmx_csv_goes_through_the_same_parser():
    raw = (FIXTURES / "istat" / "employment_lfs-data.csv").read_bytes()
    assert istat.detect_istat(raw)
    obs = istat.parse_istat(raw, "150_915_DF_DCCV_TAXOCCU1_5.csv")
    assert list(obs.columns)[:5] == ["indicator_code", "level", "territory_code", "period", "sex"]
    assert len(obs) == 6 and set(obs.territory_code) == {"001"}


def test_unknown_dataflow_or_changed_file_is_a_format_error():
    assert not istat.detect_istat(b"DATAFLOW,FREQ\nIT1:99_999_DF_OTHER(1.0),A\n")
    with pytest.raises(FormatError, match="non è un SDMX-CSV né un CSV di IstatData di un dataflow Istat previsto"):
        istat.parse_istat(b"codice;valore\n001272;3\n", "altro.csv")


@responses.activate
def test_service_error_stops_the_istat_refresh_with_a_clear_message(tmp_path):
    responses.add(responses.GET, istat.structure_url("DF_DCSS_ISTR_LAV_PEN_2_TV_3"), status=500)
    outcome = refresh_source("istat", tmp_path, sleep=lambda s: None)
    assert not outcome.ok and outcome.message.startswith("istat: risposta HTTP 500 dopo 3 tentativi")
    assert not list(tmp_path.glob("istat/*/manifest.json"))
