"""Profilo territoriale: one zone or one comune against its zone and the Metropolitan City, indicator by indicator."""
import streamlit as st

from monitor import data, fmt, ui
from monitor.ui import L

lang = ui.lang()
st.title(L("Profilo territoriale", "Area profile"))
st.write(L("Tutti gli indicatori dell'Asse 5 per una zona omogenea o per un comune, accanto ai valori della zona e "
           "della Città metropolitana.",
           "Every Axis 5 indicator for one homogeneous zone or one municipality, beside the values of its zone "
           "and of the Metropolitan City."))

comuni = data.get("municipalities")
ui.stop_if_empty(comuni)
zones = data.get("zones")
names = dict(zip(comuni["istat_code"], comuni["name"]))
zone_names = dict(zip(zones["zone_id"], zones["name"]))
code = ui.url_select(L("Cerca il tuo comune (scrivi il nome)", "Find your municipality (type its name)"),
                     list(comuni["istat_code"]), "comune", None, lambda c: f"{names[c]} ({c})",
                     placeholder=L("Nessun comune scelto: profilo della zona", "No municipality chosen: zone profile"))
ui.provisional_zones_notice(data.get("build_info").get("zone_list_status", "provisional"))

if code is not None:
    place = comuni.set_index("istat_code").loc[code]
    zone_id, level, territory = int(place["zone_id"]), "comune", code
    st.header(f"{place['name']}")
    st.write(L(f"Zona omogenea {zone_id} · {place['zone_name']} · {fmt.number(place['population'], 0, lang)} residenti "
               f"({int(place['population_year'])}) · {fmt.number(place['area_km2'], 1, lang)} km²",
               f"Homogeneous zone {zone_id} · {place['zone_name']} · {fmt.number(place['population'], 0, lang)} residents "
               f"({int(place['population_year'])}) · {fmt.number(place['area_km2'], 1, lang)} km²"))
    if place["zone_confidence"] == "medium":
        st.warning(L("L'assegnazione di questo comune alla zona è incerta nell'elenco provvisorio.",
                     "This municipality's zone assignment is uncertain in the provisional list."))
else:
    zone_id = st.session_state.get("zona") or 1
    level, territory = "zona", str(zone_id)
    row = zones.set_index("zone_id").loc[zone_id]
    st.header(L(f"Zona omogenea {zone_id} · {row['name']}", f"Homogeneous zone {zone_id} · {row['name']}"))
    st.write(L(f"{int(row['comuni'])} comuni · {fmt.number(row['population'], 0, lang)} residenti · "
               f"{fmt.number(row['area_km2'], 0, lang)} km². Scegli un'altra zona nel menu laterale.",
               f"{int(row['comuni'])} municipalities · {fmt.number(row['population'], 0, lang)} residents · "
               f"{fmt.number(row['area_km2'], 0, lang)} km². Choose another zone in the sidebar."))

profile = data.get("profile", level, territory, zone_id)
table = ui.profile_table(profile, level)
if table.empty:
    st.info(L("Nessun indicatore disponibile per questo territorio.", "No indicator available for this area."))
else:
    shown = table.drop(columns=["_code"])
    st.dataframe(shown.style.apply(ui.comparison_style, subset=[L("Rispetto alla CM", "Against the CM")]),
                 hide_index=True, height=min(36 * (len(table) + 1) + 4, 900))
    st.caption(L("Confronto con la CM: ▲ migliore, ▼ peggiore, = uguale, ○ nessuna polarità (indicatore descrittivo). "
                 "Le zone e la CM sono calcolate dai numeratori e denominatori dei comuni.",
                 "Against the CM: ▲ better, ▼ worse, = equal, ○ no polarity (descriptive indicator). "
                 "Zones and the CM are computed from the comuni's numerators and denominators."))
    ui.download(table.drop(columns=["_code"]), f"profilo_{territory}.csv", key="download_profile")

missing = data.get("indicators")
missing = missing[missing["observations"] == 0]
if len(missing):
    with st.expander(L(f"Indicatori senza dati ({len(missing)})", f"Indicators with no data ({len(missing)})")):
        for row in missing.to_dict("records"):
            st.markdown(f"- **{ui.indicator_name(row)}** — " + (row["fill_en"] if lang == "en" else row["fill_it"]))

st.subheader(L("Azioni prioritarie in questo territorio", "Actions prioritised here"))
st.write(L("Il testo disponibile del piano non elenca le zone prioritarie per strategia (nel documento sono una "
           "mappa): tutte le 20 azioni si applicano all'intera Città metropolitana. Vedi «Avanzamento azioni».",
           "The available text of the plan does not list the priority zones of each strategy (they are a map in the "
           "document): all 20 actions apply to the whole Metropolitan City. See «Action progress»."))
st.page_link("pages/avanzamento_azioni.py", label=L("Avanzamento azioni", "Action progress"),
             icon=":material/task_alt:", query_params={"lang": lang, **({"zona": zone_id} if zone_id else {})})
