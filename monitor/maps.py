"""Maps of the comuni (pydeck): geometry in a static file the browser fetches once; colours and outlines per rerun.

The tooltip is text, never HTML: deck.gl writes it with innerText, so no name can build an element in it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pydeck as pdk

from core import warehouse
from core.settings import load_settings
from monitor import fmt, plain, queries

STATIC_URL = "app/static"
# Viridis in 5 classes (colour-blind safe, ordered light to dark is not needed: the legend names each class).
SEQUENTIAL = [[253, 231, 37], [94, 201, 98], [33, 145, 140], [59, 82, 139], [68, 1, 84]]
FLAG_COLORS = {True: [0, 114, 178], False: [230, 159, 0]}   # Okabe-Ito blue = yes, orange = no
MISSING_COLOR = [200, 200, 200]
VIEW = pdk.ViewState(latitude=45.13, longitude=7.45, zoom=7.9, min_zoom=6, max_zoom=13)
TOOLTIP_STYLE = {"fontSize": "13px", "maxWidth": "26rem", "whiteSpace": "pre-wrap", "overflowWrap": "anywhere"}


def template_literal(text) -> str:
    """Text for a tooltip template or a property it shows: a word joiner after each '{', so that no '{name}'
    in it is taken for a placeholder (the tooltip fills {name} with the comune's property of that name)."""
    return "" if text is None else str(text).replace("{", "{" + plain.WORD_JOINER)


def combo_key(indicator: str, period: int, sex: str) -> str:
    """Suffix of the properties holding one indicator × period × sex: r_<k> raw value, v_<k> formatted text."""
    return hashlib.sha1(f"{indicator}|{period}|{sex}".encode()).hexdigest()[:8]


def value_properties(indicator: pd.Series, values: pd.DataFrame, lang: str) -> dict[str, dict]:
    """Per comune, the raw and formatted value of each observation of one indicator, keyed r_<k> and v_<k>."""
    code, unit, decimals = indicator["code"], indicator["unit"], indicator["decimals"]
    flag = indicator["comune_kind"] == "flag"
    keys = {combo: combo_key(code, *combo) for combo in set(zip(values["period"], values["sex"]))}
    props: dict[str, dict] = {}
    for territory, period, sex, value in zip(values["territory_code"], values["period"], values["sex"],
                                             values["value"]):
        key = keys[(period, sex)]
        entry = props.setdefault(territory, {})
        entry["v_" + key] = fmt.flag(value, lang) if flag else fmt.value(value, unit, decimals, lang)
        if not fmt.is_missing(value):
            entry["r_" + key] = round(float(value), 6)
    return props


def comuni_shapes(geometry: pd.DataFrame) -> list[tuple[str, str, object, dict]]:
    """(code, name, zone id, parsed GeoJSON geometry) of each comune, in code order."""
    comuni = geometry[geometry["level"] == "comune"].sort_values("code")
    return [(row.code, row.name, row.zone_id, json.loads(row.geojson)) for row in comuni.itertuples(index=False)]


def feature_collection(geometry: pd.DataFrame | list, zone_names: dict, values: dict[str, dict]) -> dict:
    """GeoJSON of the comuni with code (c), name (n), zone (z) and the values given as properties; geometry is the
    geometry query's rows or their comuni_shapes()."""
    shapes = comuni_shapes(geometry) if isinstance(geometry, pd.DataFrame) else geometry
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": shape,
         "properties": {"c": code, "n": template_literal(name), "z": template_literal(zone_names.get(zone_id, "")),
                        **values.get(code, {})}}
        for code, name, zone_id, shape in shapes]}


def zone_outline_collection(geometry: pd.DataFrame) -> dict:
    """GeoJSON of the zone outlines."""
    zones = geometry[geometry["level"] == "zona"]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(g), "properties": {"name": n}}
        for g, n in zip(zones["geojson"], zones["name"]) if isinstance(g, str)]}


def static_url(collection: dict, stem: str) -> str:
    """Write a GeoJSON once under static/geo/ (name = content hash) and return its relative URL."""
    body = json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    name = f"{stem}-{hashlib.sha256(body).hexdigest()[:16]}.json"
    target = load_settings().static_dir / "geo" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(body)
        os.replace(tmp, target)
    return f"{STATIC_URL}/geo/{name}"


def class_breaks(values: pd.Series, classes: int = 5) -> list[float]:
    """Quantile class limits (unique, ascending) for a sequential legend."""
    clean = values.dropna()
    if clean.empty:
        return []
    return sorted(set(clean.quantile([k / classes for k in range(1, classes)]).round(10)))


def fill_expression(key: str, breaks: list[float], flag: bool) -> str:
    """deck.gl expression colouring each comune from its r_<key> property (grey when missing)."""
    prop = "properties.r_" + key
    expr = json.dumps(MISSING_COLOR)
    if flag:
        return f"{prop} == null ? {expr} : {prop} > 0 ? {json.dumps(FLAG_COLORS[True])} : {json.dumps(FLAG_COLORS[False])}"
    chain = json.dumps(SEQUENTIAL[len(breaks)])
    for k in range(len(breaks) - 1, -1, -1):
        chain = f"{prop} <= {breaks[k]!r} ? {json.dumps(SEQUENTIAL[k])} : {chain}"
    return f"{prop} == null ? {expr} : {chain}"


def view_of(centroids: pd.DataFrame | None) -> pdk.ViewState:
    """The whole CM, or the comuni given (centroid_lon, centroid_lat) at a closer zoom."""
    if centroids is None or centroids.empty:
        return VIEW
    return pdk.ViewState(latitude=float(centroids["centroid_lat"].mean()), longitude=float(centroids["centroid_lon"].mean()),
                         zoom=9.2, min_zoom=6, max_zoom=13)


def tooltip_text(zone_label: str, indicator_name: str, key: str, source: str) -> str:
    """The comune's tooltip as a text template: its name, its zone, the indicator's value for combo_key `key`
    and the source line; every text given is kept literal."""
    return "\n".join(["{n}", template_literal(zone_label) + ": {z}",
                      template_literal(indicator_name) + ": {v_" + key + "}", template_literal(source)])


def deck(comuni_url: str, zones_url: str, fill: str, tooltip: str, view: pdk.ViewState = VIEW) -> pdk.Deck:
    """Choropleth of the comuni with the zone outlines on top; both geometries are static files fetched once.

    tooltip is a text template (tooltip_text): deck.gl shows it with innerText, so nothing in it is HTML."""
    comuni = pdk.Layer("GeoJsonLayer", data=comuni_url, id="comuni", pickable=True, stroked=True, filled=True,
                       get_fill_color=fill, get_line_color=[255, 255, 255], line_width_min_pixels=0.4, opacity=0.85,
                       update_triggers={"getFillColor": fill})
    outlines = pdk.Layer("GeoJsonLayer", data=zones_url, id="zone", stroked=True, filled=False,
                         get_line_color=[20, 20, 20], line_width_min_pixels=1.6, pickable=False)
    return pdk.Deck(layers=[comuni, outlines], initial_view_state=view, map_style=None,
                    tooltip={"text": tooltip, "style": TOOLTIP_STYLE})


def legend(breaks: list[float], unit: str, decimals: int, lang: str, flag: bool) -> pd.DataFrame:
    """Legend rows (colour as hex, class label) in the map's order."""
    def hex_of(rgb):
        return "#%02x%02x%02x" % tuple(rgb)
    if flag:
        rows = [(hex_of(FLAG_COLORS[True]), fmt.flag(100, lang)), (hex_of(FLAG_COLORS[False]), fmt.flag(0, lang))]
    else:
        limits = [None, *breaks, None]
        rows = []
        for k in range(len(limits) - 1):
            low, high = limits[k], limits[k + 1]
            label = ("≤ " + fmt.value(high, unit, decimals, lang)) if low is None else \
                    ("> " + fmt.value(low, unit, decimals, lang)) if high is None else \
                    f"{fmt.value(low, unit, decimals, lang)} – {fmt.value(high, unit, decimals, lang)}"
            rows.append((hex_of(SEQUENTIAL[k]), label))
    rows.append((hex_of(MISSING_COLOR), fmt.MISSING.in_(lang)))
    return pd.DataFrame(rows, columns=["colour", "label"])


@lru_cache(maxsize=4)
def _geometry_of(db: str, version: str) -> tuple[list, dict, dict]:
    """The comuni's parsed shapes, the zone names and the zone outlines of one warehouse version: parsing 312
    boundaries took most of the time of a map file, and every indicator and language shares them (read only)."""
    geometry, zones = queries.geometry(Path(db)), queries.zones(Path(db))
    return comuni_shapes(geometry), dict(zip(zones["zone_id"], zones["name"])), zone_outline_collection(geometry)


def write_static_files(db: Path, lang: str, indicator: str) -> tuple[str, str]:
    """Write the comuni GeoJSON (with one indicator's values) and the zone GeoJSON for one language; return their URLs."""
    shapes, zone_names, outlines = _geometry_of(str(db), warehouse.version(db))
    zones_url = static_url(outlines, "zone")
    registry_row, values = queries.indicator(db, indicator), queries.comune_values(db, indicator)
    labels = value_properties(registry_row.iloc[0], values, lang) if len(registry_row) else {}
    stem = "comuni-" + re.sub(r"[^A-Za-z0-9_]", "_", indicator) + "-" + lang
    return static_url(feature_collection(shapes, zone_names, labels), stem), zones_url


# The plan's priority zones: the strategy's own zones dark, the zones of some of its actions light (the map also
# outlines them heavily and numbers every zone; the list beside it says the same in words).
PRIORITY_FILL = {"strategy": [0, 114, 178, 210], "actions": [86, 180, 233, 150], None: [235, 235, 235, 160]}
PRIORITY_LINE = {"strategy": 3.0, "actions": 3.0, None: 1.0}
PRIORITY_VIEW = pdk.ViewState(latitude=45.12, longitude=7.36, zoom=7.2, min_zoom=6, max_zoom=11)   # the whole CM at 390 px


def priority_zone_collection(outlines: pd.DataFrame, marks: dict, texts: dict) -> dict:
    """GeoJSON of the zone outlines (geometry rows of level zona) with their fill (f), outline width (w) and tooltip
    text (t) from the zone's mark (priority.STRATEGY, priority.ACTIONS or None); texts are kept literal."""
    zones = outlines[(outlines["level"] == "zona") & outlines["geojson"].map(lambda g: isinstance(g, str))]
    mark_of = {zone: mark if mark in PRIORITY_FILL else None for zone, mark in marks.items()}   # none: "" or None
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(row.geojson),
         "properties": {"f": PRIORITY_FILL[mark_of.get(row.zone_id)], "w": PRIORITY_LINE[mark_of.get(row.zone_id)],
                        "t": template_literal(texts.get(row.zone_id, ""))}}
        for row in zones.itertuples(index=False)]}


def zone_labels(municipalities: pd.DataFrame) -> list[dict]:
    """Each zone's number at the mean of its comuni's centroids (a label inside the zone)."""
    centres = municipalities.groupby("zone_id")[["centroid_lon", "centroid_lat"]].mean()
    return [{"position": [round(float(lon), 5), round(float(lat), 5)], "text": str(int(zone))}
            for zone, lon, lat in centres.itertuples()]


def priority_deck(collection: dict, labels: list[dict], view: pdk.ViewState = PRIORITY_VIEW) -> pdk.Deck:
    """The zones filled by priority, heavily outlined where they are one, each numbered; the tooltip is the zone's
    text (t), shown by deck.gl with innerText."""
    zones = pdk.Layer("GeoJsonLayer", data=collection, id="priority_zones", pickable=True, stroked=True, filled=True,
                      get_fill_color="properties.f", get_line_color=[30, 30, 30], get_line_width="properties.w",
                      line_width_units='"pixels"')  # pydeck reads a bare string as an expression: quoted
    numbers = pdk.Layer("TextLayer", data=labels, id="zone_numbers", get_position="position", get_text="text",
                        get_size=14, get_color=[20, 20, 20], font_weight=700, background=True,
                        get_background_color=[255, 255, 255, 230], background_padding=[4, 2], pickable=False)
    return pdk.Deck(layers=[zones, numbers], initial_view_state=view, map_style=None,
                    tooltip={"text": "{t}", "style": TOOLTIP_STYLE})
