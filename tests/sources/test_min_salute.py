"""Ministero della Salute pharmacies: both header variants and encodings, active pharmacies only, zeros, no flag."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import responses

from etl.refresh_cli import refresh_source
from etl.sources import min_salute
from etl.sources.common import FormatError
from tests.sources.fake_servers import FIXTURES, add_min_salute

NEW = FIXTURES / "min_salute" / "FRM_FARMA_5_20261101.csv"
OLD = FIXTURES / "min_salute" / "FRM_FARMA_5_20190901.csv"


def counts(obs, indicator="pharmacies"):
    return obs[obs.indicator_code == indicator].set_index("territory_code")["value"]


def test_current_header_utf8_counts_active_pharmacies_per_comune():
    parsed = min_salute.read(NEW.read_bytes(), NEW.name)
    pharmacies = counts(parsed.observations)
    assert len(pharmacies) == 312 and parsed.observations.period.unique().tolist() == [2026]
    assert pharmacies["001272"] == 3       # two ordinary + one branch; the closed one is not counted
    assert pharmacies["001265"] == 1       # listed twice, counted once
    assert pharmacies["001236"] == 0       # a dispensary only
    assert pharmacies["001002"] == 0       # absent from the complete national list
    assert parsed.skipped == {"righe disallineate (codice comune non di 6 cifre)": 1,
                              "farmacie cessate (data di fine validità)": 1,
                              "dispensari (tipologia 3–4), non farmacie": 1}


def test_counts_only_for_every_comune_the_flag_is_the_warehouse_s():
    obs = min_salute.parse_min_salute(NEW.read_bytes(), NEW.name)
    pharmacies = counts(obs)
    assert len(pharmacies) == 312 and (pharmacies > 0).sum() == 8 and pharmacies["001236"] == 0
    assert set(obs.indicator_code) == {"pharmacies"}   # share_comuni_pharmacy is made in marts/observation.sql


def test_older_header_in_latin1():
    raw = OLD.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert min_salute.detect_min_salute(raw) and min_salute.detect_min_salute(NEW.read_bytes())
    obs = min_salute.parse_min_salute(raw, OLD.name)
    assert obs.period.unique().tolist() == [2019]
    assert counts(obs)["001001"] == 1 and counts(obs)["001272"] == 3


def test_release_date_must_stay_in_the_file_name():
    with pytest.raises(FormatError, match="FRM_FARMA_5_AAAAMMGG"):
        min_salute.parse_min_salute(NEW.read_bytes(), "farmacie.csv")


def test_file_without_the_province_is_refused():
    lines = NEW.read_text(encoding="utf-8").splitlines()
    other = [lines[0]] + [line for line in lines[1:] if ";001;TO;" not in line and "VIA CERNAIA" not in line]
    with pytest.raises(FormatError, match="nessuna farmacia della Città metropolitana"):
        min_salute.parse_min_salute("\n".join(other).encode(), NEW.name)


def test_refresh_finds_the_newest_link_on_the_dataset_page(tmp_path):
    with responses.RequestsMock() as mock:
        add_min_salute(mock)
        outcome = refresh_source("min_salute", tmp_path, sleep=lambda s: None)
    assert outcome.ok, outcome.message
    assert [e["name"] for e in outcome.run.entries] == ["dataset_page", "FRM_FARMA_5_20261101"]


@pytest.mark.parametrize("separator", [",", "\t"])
def test_the_same_list_with_another_separator_gives_the_same_counts(separator):
    rows = list(csv.reader(io.StringIO(NEW.read_text(encoding="utf-8")), delimiter=";"))
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)  # quotes the '45,0703' cells
    parsed = min_salute.read(out.getvalue().encode("utf-8"), NEW.name)
    expected = min_salute.read(NEW.read_bytes(), NEW.name)
    assert parsed.observations.equals(expected.observations) and parsed.skipped == expected.skipped


def test_release_date_in_the_file_name_is_the_load_s_release_date():
    assert min_salute.read(NEW.read_bytes(), NEW.name).released_on == date(2026, 11, 1)
