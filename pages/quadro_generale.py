"""Quadro generale: the headline indicators of Axis 5 with value, year and source."""
import streamlit as st

from monitor import data, fmt, ui
from monitor.ui import L

lang = ui.lang()
st.title(L("Quadro generale dell'Asse 5", "Axis 5 overview"))
st.write(L("Torino metropoli più attrattiva, giusta ed eguale: gli indicatori di sintesi del piano, "
           "con l'ultimo valore disponibile per la Città metropolitana, l'anno e la fonte.",
           "A more attractive, fair and equal Torino metropolis: the plan's headline indicators, "
           "with the latest value for the Metropolitan City, its year and its source."))

headline = data.get("headline")
columns = st.columns(3)
for i, row in enumerate(headline.to_dict("records")):
    with columns[i % 3].container(border=True):
        name = row["name_en"] if lang == "en" else row["name_it"]
        if fmt.is_missing(row["value"]):
            st.metric(name, fmt.MISSING[lang])
            st.caption(L("Nessun dato caricato: ", "No data loaded: ") + (row["fill_en"] if lang == "en" else row["fill_it"]))
            continue
        st.metric(name, fmt.value(row["value"], row["unit"], row["decimals"], lang))
        st.caption(ui.provenance(row["producer"], row["period"], row["loaded_at"], row["load_kind"], row["loaded_by"]))
