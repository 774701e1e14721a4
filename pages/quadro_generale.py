"""Quadro generale: the headline indicators of Axis 5 with value, year, source, change, target and a reading."""
import streamlit as st

from monitor import data, fmt, ui
from monitor.ui import L

lang = ui.lang()
st.title(L("Quadro generale dell'Asse 5", "Axis 5 overview"))
st.write(L("Torino metropoli più attrattiva, giusta ed eguale: gli indicatori di sintesi del piano per la "
           "Città metropolitana, con l'ultimo valore disponibile, l'anno, la fonte e la data di caricamento.",
           "A more attractive, fair and equal Torino metropolis: the plan's headline indicators for the "
           "Metropolitan City, with the latest value, its year, its source and when it was loaded."))
st.caption(L("Divari di genere calcolati come valore delle donne meno valore degli uomini (F − M).",
             "Gender gaps are the value for women minus the value for men (F − M)."))

headline = data.get("headline")
if headline.empty:
    st.warning(L("Il warehouse non contiene indicatori di sintesi.", "The warehouse holds no headline indicators."))
rows = headline.to_dict("records")
for i, row in enumerate(rows):
    if i % 3 == 0:  # one st.columns per row of cards keeps the reading order when they stack on a phone
        columns = st.columns(3)
    unit, decimals = row["unit"], int(row["decimals"])
    with columns[i % 3].container(border=True):
        st.markdown(f"**{ui.indicator_name(row)}**")
        if fmt.is_missing(row["value"]):
            st.metric(ui.indicator_name(row), fmt.MISSING[lang], label_visibility="collapsed")
            ui.no_data(row)
            continue
        delta = None
        if not fmt.is_missing(row["previous_value"]):
            delta = (fmt.value(row["value"] - row["previous_value"], "pp" if unit == "pct" else unit, decimals, lang,
                               signed=True) + L(f" dal {int(row['previous_period'])}", f" since {int(row['previous_period'])}"))
        st.metric(ui.indicator_name(row), fmt.value(row["value"], unit, decimals, lang), delta=delta,
                  delta_color="off", label_visibility="collapsed")
        st.write(fmt.reading(row["reading_en"] if lang == "en" else row["reading_it"], row["value"], unit, decimals,
                             row["period"], lang))
        if not fmt.is_missing(row["target_value"]):
            st.write(ui.target_status(row))
        else:
            st.caption(L("Nessun obiettivo fissato dal piano per questo indicatore.",
                         "The plan sets no target for this indicator."))
        st.caption(ui.provenance(row["producer"], row["period"], row["loaded_at"], row["load_kind"], row["loaded_by"]))
        page, params = ui.detail_page(row)
        st.page_link(page, label=L("Dettaglio", "Details"), icon=":material/arrow_forward:",
                     query_params={**params, "lang": lang})

table = headline[["code", "name_it", "name_en", "unit", "period", "value", "previous_period", "previous_value",
                  "target_period", "target_value", "producer", "loaded_at"]]
ui.download(table, "quadro_generale_asse5.csv", key="download_headline")
