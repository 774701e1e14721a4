"""The map's tooltip: a text template whose names and source line stay literal, whatever they hold."""
import re

import pandas as pd
import pytest
from streamlit.elements.deck_gl_json_chart import _get_pydeck_tooltip

from monitor import maps, plain

ZONE = "<script>window.__pwned=1</script> {n} {v_x} ]] :red[x] Zoë"
NAME = '<img src=x onerror="window.__pwned=1"> {z} [a](javascript:f())'


def shown_by_deck_gl(template: str, properties: dict) -> str:
    """The text tooltip as Streamlit's deck.gl chart fills it: each {key} found in the template, in order, is replaced
    (first occurrence) by the property's text; unknown keys stay as written."""
    for placeholder in re.findall(r"{(.*?)}", template):
        if placeholder in properties:
            template = template.replace("{" + placeholder + "}", str(properties[placeholder]), 1)
    return template


def comune_properties(zone_name: str, comune_name: str = "Pinerolo") -> dict:
    geometry = pd.DataFrame({"level": ["comune"], "code": ["001191"], "name": [comune_name], "zone_id": [5],
                             "geojson": ['{"type": "Point", "coordinates": [7.3, 44.9]}']})
    values = {"001191": {"v_x": "12,5%", "r_x": 12.5}}
    return maps.feature_collection(geometry, {5: zone_name}, values)["features"][0]["properties"]


def test_the_tooltip_is_text_never_html():
    deck = maps.deck("a.json", "b.json", "[0, 0, 0]", maps.tooltip_text("Zona", "Indicatore", "x", "Fonte"))
    tooltip = _get_pydeck_tooltip(deck)   # what st.pydeck_chart sends to the browser
    assert set(tooltip) == {"text", "style"} and tooltip["text"] == "{n}\nZona: {z}\nIndicatore: {v_x}\nFonte"


@pytest.mark.parametrize("zone, comune, indicator, source", [
    (ZONE, "Pinerolo", "Quota <b>x</b> {c}", f"Fonte: Istat · caricato il 01/11/2026 ({NAME})"),
    ("Pinerolese", NAME, "Indicatore", "Fonte: uffici {v_x}"),
    ("{n}{z}{c}", "{z}", "{v_x}", "{n}"),
])
def test_names_and_source_show_as_written(zone, comune, indicator, source):
    properties = comune_properties(zone, comune)
    shown = shown_by_deck_gl(maps.tooltip_text("Zona", indicator, "x", source), properties)
    assert shown.replace(plain.WORD_JOINER, "").split("\n") == [comune, f"Zona: {zone}", f"{indicator}: 12,5%", source]


def test_properties_hold_names_as_text():
    properties = comune_properties(ZONE, NAME)
    assert properties["z"].replace(plain.WORD_JOINER, "") == ZONE and "&lt;" not in properties["z"]
    assert properties["n"].replace(plain.WORD_JOINER, "") == NAME
    assert not re.search(r"{\w", properties["z"] + properties["n"])   # no placeholder can form in them


def test_priority_zone_map_fills_by_mark_and_keeps_its_tooltip_literal():
    outline = '{"type": "Polygon", "coordinates": [[[7.0, 45.0], [7.1, 45.0], [7.1, 45.1], [7.0, 45.0]]]}'
    geometry = pd.DataFrame({"level": ["comune", "zona", "zona", "zona"], "code": ["001191", "1", "2", "3"],
                             "name": ["Pinerolo", "Uno", "Due", "Tre"], "zone_id": [5, 1, 2, 3],
                             "geojson": ["{}", outline, outline, outline]})
    collection = maps.priority_zone_collection(geometry, {1: "strategy", 2: "actions", 3: ""}, {1: f"Nota {ZONE}"})
    properties = [f["properties"] for f in collection["features"]]
    assert [p["f"] for p in properties] == [maps.PRIORITY_FILL["strategy"], maps.PRIORITY_FILL["actions"],
                                            maps.PRIORITY_FILL[None]]
    assert properties[0]["w"] > properties[2]["w"]                     # a priority zone is also outlined heavily
    deck = maps.priority_deck(collection, [{"position": [7.0, 45.0], "text": "1"}])
    tooltip = _get_pydeck_tooltip(deck)
    assert set(tooltip) == {"text", "style"} and tooltip["text"] == "{t}"
    assert shown_by_deck_gl(tooltip["text"], properties[0]).replace(plain.WORD_JOINER, "") == f"Nota {ZONE}"
