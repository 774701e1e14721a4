"""Post offices: Overpass JSON and an official CSV, points assigned to comuni by point-in-polygon."""
from __future__ import annotations

import json

import pytest

from etl.sources import post_offices
from etl.sources.common import FormatError
from tests.sources.fake_servers import FIXTURES

OVERPASS = FIXTURES / "post_offices" / "overpass_post_offices.json"
OFFICIAL = FIXTURES / "post_offices" / "uffici_postali_2026.csv"


def by_comune(obs, indicator="post_offices"):
    return obs[obs.indicator_code == indicator].set_index("territory_code")["value"]


def test_overpass_points_and_way_centres_fall_in_their_comuni():
    parsed = post_offices.read_overpass(OVERPASS.read_bytes(), OVERPASS.name)
    offices = by_comune(parsed.observations)
    assert len(offices) == 312 and offices.sum() == 4
    assert offices["001272"] == 2 and offices["001265"] == 1 and offices["001063"] == 1 and offices["001249"] == 0
    assert parsed.observations.period.unique().tolist() == [2026]
    assert parsed.skipped == {"elementi senza coordinate o non amenity=post_office": 1,
                              "uffici fuori dalla Città metropolitana (o senza comune riconoscibile)": 1}
    assert (offices > 0).sum() == 3 and set(parsed.observations.indicator_code) == {"post_offices"}  # flag: marts


def test_official_csv_with_codes_gives_the_same_indicators():
    raw = OFFICIAL.read_bytes()
    assert post_offices.detect_post_offices_csv(raw) and not post_offices.detect_osm_post_offices(raw)
    offices = by_comune(post_offices.parse_post_offices_csv(raw, OFFICIAL.name))
    assert offices["001272"] == 3 and offices["001316"] == 1 and offices.sum() == 6


def test_official_csv_with_coordinates_only():
    point = json.loads(OVERPASS.read_text(encoding="utf-8"))["elements"][0]
    raw = f"Denominazione ufficio;Latitudine;Longitudine;Anno\nTorino 1;{point['lat']};{point['lon']};2025\n".encode()
    offices = by_comune(post_offices.parse_post_offices_csv(raw, "uffici.csv"))
    assert offices["001272"] == 1 and offices.sum() == 1


def test_empty_overpass_answer_is_refused():
    raw = json.dumps({"version": 0.6, "generator": "Overpass API", "osm3s": {"timestamp_osm_base": "2026-11-20T00:00:00Z"},
                      "elements": []}).encode()
    with pytest.raises(FormatError, match="nessun ufficio postale"):
        post_offices.parse_osm_post_offices(raw, "overpass.json")
