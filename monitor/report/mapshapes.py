"""The small map of a report: the warehouse's comune and zone boundaries projected into a box, by role."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from monitor import queries
from monitor.report.territory import Territory

BOX_HEIGHT = 100.0   # map units: the box is BOX_HEIGHT high and as wide as the territory's shape asks
PADDING = {"comune": 0.3, "zona": 0.04, "cm": 0.04}   # share of the framed extent added on each side
ROLE_ORDER = ("other", "zone", "territory")   # drawing order: the territory last, on top


@dataclass(frozen=True)
class MapShapes:
    """Polygons in map units (x to the east, y downwards, within width × BOX_HEIGHT): fills by role and outlines."""

    width: float
    fills: list[tuple[str, list[tuple[float, float]]]]   # (role, exterior ring); roles in ROLE_ORDER
    outlines: list[list[tuple[float, float]]]           # zone outlines, drawn as lines

    @property
    def height(self) -> float:
        return BOX_HEIGHT


def _polygons(geojson: str | None) -> list:
    """The polygons (lists of rings) of a GeoJSON Polygon or MultiPolygon; none for anything else or nothing."""
    if not geojson:
        return []
    shape = json.loads(geojson)
    return shape["coordinates"] if shape["type"] == "MultiPolygon" else \
        [shape["coordinates"]] if shape["type"] == "Polygon" else []


def _points(ring) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y, *_ in ring]


def rings(geojson: str | None) -> list[list[tuple[float, float]]]:
    """Every ring (lon, lat) of a GeoJSON Polygon or MultiPolygon; exteriors and holes alike."""
    return [_points(ring) for polygon in _polygons(geojson) for ring in polygon]


def exteriors(geojson: str | None) -> list[list[tuple[float, float]]]:
    """The exterior ring of each polygon of a GeoJSON Polygon or MultiPolygon."""
    return [_points(polygon[0]) for polygon in _polygons(geojson) if polygon]


def extent(all_rings: list[list[tuple[float, float]]], padding: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the rings, padded by a share of their width and height on each side."""
    xs = [x for ring in all_rings for x, _ in ring]
    ys = [y for ring in all_rings for _, y in ring]
    pad_x, pad_y = (max(xs) - min(xs)) * padding, (max(ys) - min(ys)) * padding
    return min(xs) - pad_x, min(ys) - pad_y, max(xs) + pad_x, max(ys) + pad_y


def projector(box: tuple[float, float, float, float]):
    """A function (lon, lat) → (x, y) in map units for the box (equirectangular at the box's middle latitude)."""
    west, south, east, north = box
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = BOX_HEIGHT / max(north - south, 1e-9)
    return (lambda lon, lat: (round((lon - west) * squeeze * scale, 2), round((north - lat) * scale, 2))), \
        (east - west) * squeeze * scale


def role_of(code: str, zone_id: int, territory: Territory) -> str:
    """'territory' for the report's own comuni, 'zone' for the rest of a comune's zone (all comuni for the CM)."""
    if territory.level == "cm":
        return "zone"
    if territory.level == "zona":
        return "territory" if zone_id == territory.zone_id else "other"
    return "territory" if code == territory.code else "zone" if zone_id == territory.zone_id else "other"


def map_shapes(db: Path, territory: Territory) -> MapShapes:
    """The map of a territory: the whole CM for a zone or the CM, the comune's zone and around it for a comune."""
    geometry = queries.geometry(db)
    comuni, zones = geometry[geometry["level"] == "comune"], geometry[geometry["level"] == "zona"]
    framed = comuni[comuni["zone_id"] == territory.zone_id] if territory.level == "comune" else comuni
    box = extent([ring for g in framed["geojson"] for ring in exteriors(g)], PADDING[territory.level])
    project, width = projector(box)

    def inside(ring) -> bool:   # a ring whose bounds meet the box (what lies outside is clipped when drawn)
        xs, ys = [x for x, _ in ring], [y for _, y in ring]
        return min(xs) <= box[2] and max(xs) >= box[0] and min(ys) <= box[3] and max(ys) >= box[1]

    fills = [(role_of(c, int(z), territory), [project(x, y) for x, y in ring])
             for c, z, g in zip(comuni["code"], comuni["zone_id"], comuni["geojson"])
             for ring in exteriors(g) if inside(ring)]
    fills.sort(key=lambda item: ROLE_ORDER.index(item[0]))
    outlines = [[project(x, y) for x, y in ring] for g in zones["geojson"] for ring in rings(g) if inside(ring)]
    return MapShapes(round(width, 2), fills, outlines)
