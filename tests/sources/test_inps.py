"""Inps observatories: table found in the navigation tree, compact request, Italian numbers, anonymisation."""
from __future__ import annotations

import json

import pytest
import responses

from etl.refresh_cli import refresh_source
from etl.sources import inps
from etl.sources.common import FormatError
from etl.sources.http import SourceError
from tests.sources.fake_servers import FIXTURES, add_inps

FOLDER = FIXTURES / "inps"


def test_newest_observatory_of_the_table_is_chosen():
    tree = json.loads((FOLDER / "albero.json").read_text(encoding="utf-8"))
    year, obs_id, name = inps.find_table(tree)
    assert (year, obs_id) == (2023, "512") and name.startswith("Anno 2023")


def test_missing_table_is_a_source_error():
    with pytest.raises(SourceError, match="inps: tavola .* non trovata"):
        inps.find_table([{"descrizione": "Pensioni", "elencoOsservatoriArea": []}])


def test_request_rows_are_sex_columns_years_filtered_on_torino():
    structure = json.loads((FOLDER / "struttura_512.json").read_text(encoding="utf-8"))
    body = inps.request_body(structure, "512")["selections"]
    assert body["rows"][0]["id"] == "Sesso-" and body["cols"][0]["id"] == "Anno-"
    assert body["filters"] == [{"id": "provincia_lav", "label": "Provincia di lavoro", "values": ["Torino"]}]
    assert body["measures"][0]["id"] == "retr_media" and body["measures"][0]["statistic"] == "MEAN"


def test_mean_pay_by_sex_and_year_in_italian_number_format():
    obs = inps.parse_inps((FOLDER / "dati_512.json").read_bytes(), "dati_512.json").set_index(["period", "sex"])
    assert obs.at[(2022, "F"), "value"] == 21_400.21 and obs.at[(2022, "M"), "value"] == 30_551.40
    assert obs.at[(2023, "T"), "value"] == 27_002.77 and len(obs) == 9
    assert set(obs["level"]) == {"cm"} and set(obs["territory_code"]) == {"001"}


def test_anonymised_table_is_refused_with_the_reason():
    raw = (FOLDER / "anonimizzazione.json").read_bytes()
    assert inps.detect_inps(raw)
    with pytest.raises(FormatError, match="anonimizzazione"):
        inps.parse_inps(raw, "anonimizzazione.json")


def test_refresh_posts_compact_json_and_records_the_province(tmp_path):
    with responses.RequestsMock() as mock:
        add_inps(mock)
        outcome = refresh_source("inps", tmp_path, sleep=lambda s: None)
    assert outcome.ok, outcome.message
    assert outcome.requests == 3 and outcome.rows == 9
    assert outcome.run.facts == {"observatory": "512", "observatory_name": outcome.run.facts["observatory_name"],
                                 "province": "Torino"}


def test_detect_rejects_other_json():
    assert not inps.detect_inps(b'{"elements": []}')
    assert not inps.detect_inps(b"not json")
