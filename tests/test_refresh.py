"""`python -m etl refresh` end to end with the recorded sources: warehouse rows by comune, zone and CM with their
source; failures (no network, changed format, unreadable raw file) leave the last good data serving."""
from __future__ import annotations

import contextlib
import io
from datetime import date
from pathlib import Path

import duckdb
import pytest
import responses
from streamlit.testing.v1 import AppTest

from etl import build_cli, cli, refresh_cli, sources
from etl.sources import raw
from tests.sources.fake_servers import FIXTURES, add_all
from tests.page_text import card_texts, card_values

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ZONE_4 = ["001028", "001063", "001130", "001236", "001249", "001265", "001314", "001316"]


def rows(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def value(db: Path, indicator: str, level: str, territory: str, period: int, sex: str = "T") -> tuple:
    """(value, source_code, derived) of one observation."""
    found = rows(db, "select value, source_code, derived from observation where indicator_code = ? and level = ? "
                     "and territory_code = ? and period = ? and sex = ?", [indicator, level, territory, period, sex])
    assert len(found) == 1, (indicator, level, territory, period, sex, found)
    return found[0]


def run_refresh(*argv: str, register=add_all) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock, \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        register(mock)
        code = cli.main(["refresh", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """A project folder after `python -m etl refresh` against the recorded sources (no network)."""
    folder = tmp_path_factory.mktemp("refreshed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PSM_WAREHOUSE", str(folder / "warehouse.duckdb"))
        mp.setenv("PSM_DATA_DIR", str(folder / "data"))
        mp.setattr(refresh_cli, "_sleep", lambda seconds: None)
        code, out, err = run_refresh()
    return folder, code, out, err


def test_refresh_exits_0_with_a_summary_per_source(refreshed):
    _, code, out, _ = refreshed
    assert code == 0
    for name in ("istat", "inps", "min_salute", "post_offices", "mef"):
        assert f"  {name}" in out
    assert "min_salute    ok" in out and "farmacie cessate (data di fine validità): 1" in out


def test_raw_files_and_manifests_are_in_data_raw(refreshed):
    folder, *_ = refreshed
    for name in sources.CONNECTORS[:-1]:
        raw_set = raw.latest(folder / "data" / "raw", name)
        assert raw_set is not None and all(e["sha256"] and e["url"].startswith("https://") for e in raw_set.entries)


@pytest.mark.parametrize("indicator, level, territory, period, expected, source", [
    ("pharmacies", "comune", "001272", 2026, 3, "min_salute"),
    ("pharmacies", "zona", "1", 2026, 3, "min_salute"),
    ("pharmacies", "cm", "001", 2026, 10, "min_salute"),
    ("share_comuni_pharmacy", "zona", "4", 2026, 87.5, "min_salute"),
    ("post_offices", "cm", "001", 2026, 4, "osm"),
    ("share_comuni_home_care_families", "zona", "4", 2020, 75.0, "istat"),
    ("share_comuni_nido", "zona", "4", 2022, 100.0, "istat"),
    ("income_per_taxpayer", "comune", "001272", 2023, 24_050, "mef"),
    ("mean_pay_employees", "cm", "001", 2023, 27_002.77, "inps"),
    ("employment_rate_lfs", "cm", "001", 2022, 69.2, "istat"),
])
def test_new_indicators_by_comune_zone_and_cm_with_their_source(refreshed, indicator, level, territory, period,
                                                                expected, source):
    folder, *_ = refreshed
    got, got_source, _ = value(folder / "warehouse.duckdb", indicator, level, territory, period)
    assert got == pytest.approx(expected) and got_source == source


def test_zone_rates_are_ratios_of_the_comuni_sums(refreshed):
    folder, *_ = refreshed
    db = folder / "warehouse.duckdb"
    num, den = rows(db, "select sum(numerator), sum(denominator) from observation where indicator_code = 'employment_rate' "
                        "and level = 'comune' and period = 2022 and sex = 'F' and territory_code in (select unnest(?))",
                    [ZONE_4])[0]
    got, _, derived = value(db, "employment_rate", "zona", "4", 2022, "F")
    assert derived and got == pytest.approx(100 * num / den)


def test_gaps_are_computed_from_f_and_m(refreshed):
    folder, *_ = refreshed
    db = folder / "warehouse.duckdb"
    f, m = (value(db, "employment_rate", "comune", "001272", 2022, s)[0] for s in ("F", "M"))
    assert value(db, "gap_employment_rate", "comune", "001272", 2022)[0] == pytest.approx(f - m)
    assert value(db, "gap_mean_pay_employees", "cm", "001", 2023)[0] == pytest.approx(22_104.90 - 31_322.18)
    assert value(db, "gap_employment_rate_lfs", "cm", "001", 2021)[0] == pytest.approx(64.1 - 71.9)


def test_zones_with_missing_comuni_get_no_derived_figure(refreshed):
    folder, *_ = refreshed
    assert rows(folder / "warehouse.duckdb", "select count(*) from observation where indicator_code = 'share_comuni_nido' "
                                            "and level = 'zona' and territory_code = '8'")[0][0] == 0


def test_loads_carry_retrieval_time_checksum_and_source(refreshed):
    folder, *_ = refreshed
    db = folder / "warehouse.duckdb"
    raw_set = raw.latest(folder / "data" / "raw", "min_salute")
    load = rows(db, "select kind, source_code, created_by, file_sha256, created_at, file_name, released_on from load "
                    "where load_id = ?", [f"etl-min_salute-{raw_set.sha256[:12]}"])[0]
    assert load[:4] == ("etl", "min_salute", "python -m etl refresh", raw_set.sha256)
    assert load[4] == raw_set.retrieved_at.replace(tzinfo=None) and load[5] == f"raw/{raw_set.label}"
    assert load[6] == date(2026, 11, 1)  # the release date in the Ministero's file name
    licence = rows(db, "select licence from source where source_code = 'min_salute'")[0][0]
    assert licence == "IODL 2.0"


def test_home_page_runs_and_shows_the_newer_inps_figure_with_its_source(refreshed, monkeypatch):
    folder, *_ = refreshed
    monkeypatch.setenv("PSM_WAREHOUSE", str(folder / "warehouse.duckdb"))
    monkeypatch.setenv("PSM_DATA_DIR", str(folder / "data"))
    monkeypatch.delenv("PSM_MODE", raising=False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "-9.217,28 €" in card_values(at)
    assert "Fonte: Inps, 2023" in card_texts(at)


def test_no_network_fails_fast_and_leaves_the_warehouse_unchanged(project_env):
    live = project_env / "warehouse.duckdb"
    before = (live.stat().st_mtime_ns, live.stat().st_size)
    code, out, err = run_refresh(register=lambda mock: None)  # every request: connection refused
    assert code != 0
    assert "istat: rete non raggiungibile" in out and "Nessuna fonte aggiornata" in err
    assert (live.stat().st_mtime_ns, live.stat().st_size) == before
    assert not list((project_env / "data" / "raw").glob("*/*/manifest.json"))


def test_changed_format_of_one_source_keeps_the_others(project_env, monkeypatch):
    monkeypatch.setattr(refresh_cli, "_sleep", lambda seconds: None)
    broken = (FIXTURES / "min_salute" / "FRM_FARMA_5_20261101.csv").read_bytes().replace(b"cod_comune", b"comune_cod")

    def register(mock):
        add_all(mock)
        mock.replace(responses.GET, "https://www.dati.salute.gov.it/sites/default/files/opendata/FRM_FARMA_5_20261101.csv",
                     body=broken)
    code, out, err = run_refresh("min_salute", "mef", register=register)
    assert code == 1
    assert "min_salute: formato dei dati non riconosciuto" in out and "mef           ok" in out
    assert raw.latest(project_env / "data" / "raw", "min_salute") is None
    db = project_env / "warehouse.duckdb"
    assert rows(db, "select count(*) from observation where source_code = 'mef'")[0][0] > 0
    assert rows(db, "select count(*) from observation where source_code = 'min_salute'")[0][0] == 0


def test_unreadable_raw_file_stops_the_build_naming_the_source(project_env, monkeypatch, capsys):
    monkeypatch.setattr(refresh_cli, "_sleep", lambda seconds: None)
    assert run_refresh("mef", register=add_all)[0] == 0
    live = project_env / "warehouse.duckdb"
    before = live.stat().st_mtime_ns
    raw_set = raw.latest(project_env / "data" / "raw", "mef")
    (raw_set.folder / raw_set.entries[0]["file"]).write_bytes(b"PK damaged")
    assert cli.main(["build"]) == 4
    assert "fonte mef, data/raw/mef/" in capsys.readouterr().err
    assert live.stat().st_mtime_ns == before


def test_failed_build_rolls_back_the_new_download(project_env, monkeypatch):
    monkeypatch.setattr(refresh_cli, "_sleep", lambda seconds: None)
    monkeypatch.setattr(build_cli, "run", lambda args: 3)
    code, _, err = run_refresh("mef", register=add_all)
    assert code == 3 and "non sono usati" in err
    assert raw.latest(project_env / "data" / "raw", "mef") is None


def test_refresh_mef_reads_the_national_release_as_published(project_env, monkeypatch):
    """The yearly ZIP as the MEF ships it (the real 2021 national CSV inside, catch-all row included) is loaded, the
    «Mancante/errata» row counted as skipped; its rows win over the bundled copy at every level."""
    import gzip
    import re
    import zipfile

    from etl.sources import mef

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(mef.META["bundled"]["name"], gzip.decompress(mef.BUNDLED_FILE.read_bytes()))

    def register(mock):
        mock.add_callback(responses.GET, re.compile(r"https://www1\.finanze\.gov\.it/.*_CSV_\d{4}\.zip"),
                          callback=lambda request: (200, {}, archive.getvalue()) if "_CSV_2021." in request.url
                          else (404, {}, "Not Found"))
    monkeypatch.setattr(refresh_cli, "_sleep", lambda seconds: None)
    code, out, _ = run_refresh("mef", register=register)
    assert code == 0 and "contribuenti con comune mancante o errato" in out and "righe  15808" in out
    db = project_env / "warehouse.duckdb"
    for level, code_ in (("comune", "001272"), ("cm", "001"), ("italia", "IT"), ("regione", "01")):
        load = rows(db, "select load_id from observation where indicator_code = 'income_per_taxpayer' and level = ? "
                        "and territory_code = ? and period = 2021", [level, code_])[0][0]
        assert load.startswith("etl-mef-"), (level, load)
    assert round(value(db, "income_per_taxpayer", "comune", "001272", 2021)[0], 2) == 24_427.31


def test_unknown_and_upload_only_sources_are_explained(project_env):
    code, _, err = run_refresh("regione_piemonte", register=lambda mock: None)
    assert code == 2 and "caricare il file dalla pagina Carica dati" in err


def test_each_native_format_is_recognised_by_its_own_detector_only():
    samples = {
        "istat": FIXTURES / "istat" / "employment_lfs-data.csv",
        "inps": FIXTURES / "inps" / "dati_512.json",
        "min_salute": FIXTURES / "min_salute" / "FRM_FARMA_5_20190901.csv",
        "osm_post_offices": FIXTURES / "post_offices" / "overpass_post_offices.json",
        "post_offices_csv": FIXTURES / "post_offices" / "uffici_postali_2026.csv",
        "regione_piemonte": FIXTURES / "regione_piemonte" / "esercizi_vicinato_2024.csv",
        "mef": FIXTURES / "mef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2023.csv",
        "cmt_zones": FIXTURES / "cmt_zones" / "elenco_comuni_zone_omogenee.csv",
    }
    assert set(samples) == set(sources.NATIVE_FORMATS)
    for name, path in samples.items():
        content = path.read_bytes()
        recognised = [n for n, (detect, _, _) in sources.NATIVE_FORMATS.items() if detect(content)]
        assert recognised == [name], (path.name, recognised)
        parse, code = sources.NATIVE_FORMATS[name][1:]
        assert len(parse(content, path.name)) > 0 and code in sources.source_metadata()


def test_every_connector_setting_file_has_the_source_metadata():
    for code, meta in sources.source_metadata().items():
        assert {"producer", "title_it", "title_en", "url", "licence", "citation"} <= set(meta), code
