"""Servizi sul territorio: map, zone chart and table of any indicator measured per comune."""
import streamlit as st

from monitor import charts, data, fmt, maps, ui
from monitor.ui import L

lang = ui.lang()
st.title(L("Servizi sul territorio", "Local services"))
st.write(L("Ogni indicatore misurato per comune: la mappa dei comuni con i confini delle zone omogenee, "
           "il confronto tra zone e la tabella dei valori.",
           "Every indicator measured by municipality: a map of the comuni with the zone outlines, "
           "a comparison of zones and the table of values."))

registry = data.get("indicators")
ui.stop_if_empty(registry)
mappable = registry[registry["aggregation"] != "none"].set_index("code")
codes = list(mappable.index)
preferred = [c for c in ("share_comuni_pharmacy", "share_age_65_plus") if c in codes and mappable.at[c, "has_comuni"]]
default = preferred[0] if preferred else (codes[0] if codes else None)
left, middle, right = st.columns([3, 1, 1])
code = ui.url_select(L("Indicatore", "Indicator"), codes, "indicatore", default,
                     lambda c: ui.indicator_name(mappable.loc[c]) + ("" if mappable.at[c, "has_comuni"] else " · n.d."),
                     container=left)
if code is None:
    st.stop()
meta = mappable.loc[code]
comune_periods = data.get("observation_periods", code, "comune")
if comune_periods.empty:
    ui.no_data(meta)
    st.stop()
years = sorted(comune_periods["period"].unique(), reverse=True)
year = ui.url_select(L("Anno", "Year"), years, "anno", years[0], container=middle)
sexes = [s for s in ("T", "F", "M") if s in set(comune_periods["sex"])]
sex = ui.url_select(L("Sesso", "Sex"), sexes, "sesso", "T", ui.sex_label, container=right)
ui.provisional_zones_notice(data.get("build_info").get("zone_list_status", "provisional"))

shown = data.get("comune_observations", code, year, sex)
zone = st.session_state.get("zona")
in_zone = shown if zone is None else shown[shown["zone_id"] == zone]
flag = meta["comune_kind"] == "flag"
unit, decimals = meta["unit"], int(meta["decimals"])
first = shown.iloc[0]
source_line = ui.provenance(first["producer"], year, first["loaded_at"], first["load_kind"], first["loaded_by"])
title = f"{ui.indicator_name(meta)} · {year}" + ("" if sex == "T" else f" · {ui.sex_label(sex)}")

tab_map, tab_zones, tab_table = st.tabs([L("Mappa", "Map"), L("Per zona", "By zone"), L("Tabella", "Table")])
with tab_map:
    st.subheader(title)
    comuni_url, zones_url = data.map_geometry_urls(lang, code)
    breaks = [] if flag else maps.class_breaks(shown["value"])
    key = maps.combo_key(code, year, sex)
    tooltip = ("<b>{n}</b><br/>" + L("Zona", "Zone") + ": {z}<br/>" + ui.indicator_name(meta) + ": {v_" + key + "}<br/>"
               + source_line)
    view = maps.view_of(None if zone is None else in_zone[["centroid_lon", "centroid_lat"]])
    st.pydeck_chart(maps.deck(comuni_url, zones_url, maps.fill_expression(key, breaks, flag), tooltip, view), height=520)
    legend = maps.legend(breaks, unit, decimals, lang, flag)
    st.dataframe(legend.style.apply(lambda col: [f"background-color: {c}" for c in col], subset=["colour"])
                 .format(lambda c: "", subset=["colour"]),
                 hide_index=True, column_config={"colour": L("Colore", "Colour"), "label": L("Classe", "Class")})
    st.caption(source_line)

with tab_zones:
    st.subheader(title)
    if flag:
        gaps = data.get("service_gaps_by_zone", code, year)
        st.plotly_chart(charts.ranked_bars(gaps, "share_residents_without", "zone_name", "pct", 1, lang),
                        config={"displayModeBar": False})
        st.caption(L("Quota di residenti che vivono in un comune senza il servizio.",
                     "Share of residents living in a municipality without the service.") + " " + source_line)
        table = gaps[["zone_name", "comuni", "comuni_without", "share_comuni_without", "residents_without",
                      "share_residents_without"]]
    else:
        zone_rows = data.get("observations", code, "zona")
        cm_rows = data.get("observations", code, "cm")
        zone_rows = zone_rows[(zone_rows["period"] == year) & (zone_rows["sex"] == sex)]
        cm_value = cm_rows[(cm_rows["period"] == year) & (cm_rows["sex"] == sex)]["value"]
        cm_value = cm_value.iloc[0] if len(cm_value) else None
        st.plotly_chart(charts.ranked_bars(zone_rows, "value", "territory_name", unit, decimals, lang, cm_value,
                                           L("Città metropolitana", "Metropolitan City")),
                        config={"displayModeBar": False})
        st.caption(source_line)
        table = zone_rows[["territory_name", "value", "numerator", "denominator"]]
    st.dataframe(table, hide_index=True)
    ui.download(table, f"{code}_{year}_{sex}_zone.csv", key="download_zones")

with tab_table:
    st.subheader(title)
    if zone is not None:
        st.caption(L("Comuni della zona scelta nel menu laterale.", "Municipalities of the zone chosen in the sidebar."))
    table = in_zone[["territory_code", "territory_name", "zone_name", "value", "numerator", "denominator"]].assign(
        label=[fmt.flag(v, lang) if flag else fmt.value(v, unit, decimals, lang) for v in in_zone["value"]])
    st.dataframe(table, hide_index=True, column_config={
        "territory_code": L("Codice Istat", "Istat code"), "territory_name": L("Comune", "Municipality"),
        "zone_name": L("Zona", "Zone"), "value": L("Valore", "Value"), "label": L("Valore (testo)", "Value (text)"),
        "numerator": L("Numeratore", "Numerator"), "denominator": L("Denominatore", "Denominator")})
    st.caption(source_line)
    ui.download(table, f"{code}_{year}_{sex}_comuni.csv", key="download_comuni")
