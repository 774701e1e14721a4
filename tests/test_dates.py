"""Dates that tell the truth: «caricato il» is when a figure entered this warehouse, the producer's date is apart."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import responses
from streamlit.testing.v1 import AppTest

from etl import sources
from etl.refresh_cli import refresh_source
from monitor import i18n, phrases
from tests.page_text import card_texts
from tests.sources.fake_servers import add_min_salute

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def fetch_all(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def built_at(db: Path) -> datetime:
    """build_info.built_at as a naive UTC time, as the load table keeps times."""
    text = fetch_all(db, "select value from build_info where key = 'built_at'")[0][0]
    return datetime.fromisoformat(text).replace(tzinfo=None)


def test_bundled_loads_are_loaded_at_the_build_time(warehouse):
    loads = fetch_all(warehouse, "select source_code, created_at, released_on from load where kind = 'bundled'")
    assert {code for code, *_ in loads} == {"istat_geopop", "psm_asse5", "cmt_zone_provisional", "mef", "istat_elenco_comuni"}
    assert all(created == built_at(warehouse) for _, created, _ in loads)
    assert all(released is None for *_, released in loads)  # no release date is known for them (sources.toml)


def test_home_cards_read_the_build_date_not_a_package_or_file_date(warehouse):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    texts = card_texts(at)
    assert f"caricato il {built_at(warehouse):%d/%m/%Y}" in texts
    assert "caricato il 01/07/2023" not in texts


@pytest.fixture
def italian():
    """The phrases in Italian outside a Streamlit run."""
    with i18n.speaking("it"):
        yield


def test_provenance_shows_the_release_date_apart_from_the_load_date(italian):
    line = phrases.provenance("Ministero della Salute", 2026, datetime(2026, 12, 4, 9, 30), "etl", "python -m etl refresh",
                         released_on=date(2026, 11, 1))
    assert line == "Fonte: Ministero della Salute, 2026 · pubblicato il 01/11/2026 · caricato il 04/12/2026"
    assert phrases.provenance("Istat", 2023, datetime(2026, 12, 4), "bundled", "bundled", released_on=None) == \
        "Fonte: Istat, 2023 · caricato il 04/12/2026"


def test_a_download_keeps_the_release_date_its_file_states(tmp_path):
    with responses.RequestsMock() as mock:
        add_min_salute(mock)
        outcome = refresh_source("min_salute", tmp_path, sleep=lambda s: None)
    batch = sources.batch_from(sources.connector("min_salute"), outcome.run.staged())
    assert batch.released_on == date(2026, 11, 1)                      # FRM_FARMA_5_20261101.csv
    assert batch.created_at == outcome.run.staged().retrieved_at.replace(tzinfo=None)  # loaded when downloaded
