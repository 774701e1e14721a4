"""Post offices per comune: OpenStreetMap (Overpass JSON) or an official CSV, points assigned by point-in-polygon."""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

import pandas as pd
import shapely

from etl.sources.common import (FormatError, Parsed, cm_comuni, cm_shapes, comune_code, decimal_mark, decode_text,
                                find_column, load_meta, norm_label, observations, read_delimited, read_numbers,
                                year_from_name)

SOURCE = "post_offices"
META = load_meta(__file__)
ALIASES = META["aliases"]


def fetch(downloader, today: date) -> None:
    """One Overpass query: every amenity=post_office (nodes, ways with their centre) in the province."""
    cfg = META["fetch"]
    downloader.get("overpass_post_offices", cfg["overpass_url"], params={"data": cfg["query"]}, ext="json")


@lru_cache(maxsize=1)
def _boundaries() -> tuple[list[str], shapely.STRtree]:
    """Istat codes and a spatial index of the comuni boundaries."""
    shapes = cm_shapes()
    codes = sorted(shapes)
    return codes, shapely.STRtree([shapes[c] for c in codes])


def comuni_of_points(lons: list[float], lats: list[float]) -> list[str | None]:
    """The comune (Istat code) each WGS84 point falls in, None outside the CM."""
    codes, tree = _boundaries()
    found: list[str | None] = [None] * len(lons)
    point_index, shape_index = tree.query(shapely.points(lons, lats), predicate="intersects")
    for p, s in zip(point_index, shape_index):
        found[p] = found[p] or codes[s]
    return found


def _counts(comuni: list[str | None], period: int, note: str, parsed: Parsed) -> Parsed:
    """post_offices for every comune of the CM (0 where none: the source covers the whole province)."""
    parsed.skip("uffici fuori dalla Città metropolitana (o senza comune riconoscibile)", sum(c is None for c in comuni))
    counted = pd.Series([c for c in comuni if c]).value_counts().to_dict()
    everyone = cm_comuni()
    rows = [{"indicator_code": "post_offices", "level": "comune", "territory_code": code, "period": period, "sex": "T",
             "value": float(counted.get(code, 0)), "numerator": float(counted.get(code, 0)), "note": note}
            for code in sorted(everyone)]
    parsed.observations = observations(rows)
    return parsed


def detect_osm_post_offices(raw: bytes) -> bool:
    """True for an Overpass API JSON answer."""
    try:
        data = json.loads(raw)
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("elements"), list) and \
        ("osm3s" in data or str(data.get("generator", "")).startswith("Overpass"))


def read_overpass(raw: bytes, file_name: str) -> Parsed:
    """Overpass JSON (nodes with lat/lon, ways and relations with 'center') → post offices per comune."""
    if not detect_osm_post_offices(raw):
        raise FormatError(f"{file_name}: non è una risposta JSON dell'API Overpass")
    data, parsed = json.loads(raw), Parsed()
    points = []
    for element in data["elements"]:
        where = element if "lat" in element else element.get("center") or {}
        if element.get("tags", {}).get("amenity") != "post_office" or "lat" not in where:
            parsed.skip("elementi senza coordinate o non amenity=post_office")
            continue
        points.append((float(where["lon"]), float(where["lat"])))
    stamp = str(data.get("osm3s", {}).get("timestamp_osm_base", ""))
    period = int(stamp[:4]) if stamp[:4].isdigit() else year_from_name(file_name)
    if period is None:
        raise FormatError(f"{file_name}: data dei dati OpenStreetMap assente (osm3s.timestamp_osm_base)")
    if not points:
        raise FormatError(f"{file_name}: nessun ufficio postale nella risposta (area della provincia non trovata?)")
    comuni = comuni_of_points([p[0] for p in points], [p[1] for p in points])
    return _counts(comuni, period, f"uffici postali in OpenStreetMap al {stamp[:10] or period}", parsed)


def detect_post_offices_csv(raw: bytes) -> bool:
    """True for a CSV listing post offices (a column naming the office and a comune code or coordinates)."""
    header = norm_label(decode_text(raw[:2000]).splitlines()[0]) if raw else ""
    where = any(norm_label(a) in header for a in ALIASES["comune"] + ALIASES["latitude"])
    return where and ("ufficio" in header or "frazionario" in header)


def read_official_csv(raw: bytes, file_name: str, period: int | None = None) -> Parsed:
    """An official list of post offices (one row each, comune code or coordinates) → post offices per comune."""
    table, parsed = read_delimited(raw, file_name), Parsed()
    code_column = find_column(table, ALIASES["comune"], file_name, required=False)
    year_column = find_column(table, ALIASES["year"], file_name, required=False)
    coordinates = [find_column(table, ALIASES[axis], file_name, required=False) for axis in ("longitude", "latitude")]
    decimal = decimal_mark(table, [column for column in (year_column, *coordinates) if column])
    if year_column:
        years = {int(y) for y in read_numbers(table[year_column], decimal).dropna()}
        period = max(years) if years else period
    period = period or year_from_name(file_name)
    if period is None:
        raise FormatError(f"{file_name}: anno di riferimento assente (colonna 'anno' o anno nel nome del file)")
    if code_column:
        comuni = [c if c in cm_comuni() else None for c in table[code_column].map(comune_code)]
    else:
        lat = find_column(table, ALIASES["latitude"], file_name)
        lon = find_column(table, ALIASES["longitude"], file_name)
        coords = pd.DataFrame({"lon": read_numbers(table[lon], decimal), "lat": read_numbers(table[lat], decimal)})
        if coords.isna().any().any():
            raise FormatError(f"{file_name}: coordinate mancanti o non numeriche")
        comuni = comuni_of_points(coords["lon"].tolist(), coords["lat"].tolist())
    return _counts(comuni, period, "uffici postali dell'elenco ufficiale", parsed)


def parse_osm_post_offices(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from an Overpass JSON answer."""
    return read_overpass(raw_bytes, file_name).observations


def parse_post_offices_csv(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from an official CSV of post offices (the complete list for the province)."""
    return read_official_csv(raw_bytes, file_name).observations


def load(raw_set) -> Parsed:
    """The downloaded Overpass answer → observations."""
    entry = raw_set.named("overpass_post_offices")[-1]
    return read_overpass(raw_set.read(entry), entry["file"])
