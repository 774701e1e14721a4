"""Quadro generale: the headline indicators of Axis 5 with value, year, source, change, target and a reading."""
import streamlit as st

from monitor import data, fmt, ui
from monitor.ui import L


@ui.section
def cards(version: str, lang: str) -> None:
    """Title, purpose and one card per headline indicator, three to a row, in the plan's order."""
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
    for i, row in enumerate(headline.to_dict("records")):
        if i % 3 == 0:  # one st.columns per row of cards keeps the reading order when they stack on a phone
            columns = st.columns(3)
        with columns[i % 3].container(border=True):
            card(row, lang)


def card(row: dict, lang: str) -> None:
    """One headline indicator: value, change, reading, target, provenance and a link to its detail page.

    Four elements per card: each element is a message on every rerun, and the page has seven cards.
    """
    unit, decimals = row["unit"], int(row["decimals"])
    if fmt.is_missing(row["value"]):
        st.metric(f"**{ui.indicator_name(row)}**", fmt.MISSING[lang])
        ui.no_data(row)
        return
    delta = None
    if not fmt.is_missing(row["previous_value"]):
        delta = (fmt.value(row["value"] - row["previous_value"], "pp" if unit == "pct" else unit, decimals, lang,
                           signed=True) + L(f" dal {int(row['previous_period'])}", f" since {int(row['previous_period'])}"))
    st.metric(f"**{ui.indicator_name(row)}**", fmt.value(row["value"], unit, decimals, lang), delta=delta,
              delta_color="off")
    reading = fmt.reading(row["reading_en"] if lang == "en" else row["reading_it"], row["value"], unit, decimals,
                          row["period"], lang)
    provenance = ui.provenance(row["producer"], row["period"], row["loaded_at"], row["load_kind"], row["loaded_by"])
    if fmt.is_missing(row["target_value"]):
        st.markdown(reading)
        st.caption(L("Nessun obiettivo fissato dal piano per questo indicatore.",
                     "The plan sets no target for this indicator.") + "  \n" + provenance)
    else:
        st.markdown(reading + "\n\n" + ui.target_status(row))
        st.caption(provenance)
    page, params = ui.detail_page(row)
    st.page_link(page, label=L("Dettaglio", "Details"), icon=":material/arrow_forward:",
                 query_params={**params, "lang": lang})


def headline_table():
    """The cards' figures as one table, for the download."""
    return data.get("headline")[["code", "name_it", "name_en", "unit", "period", "value", "previous_period",
                                 "previous_value", "target_period", "target_value", "producer", "loaded_at"]]


cards(data.version(), ui.lang())
ui.download(headline_table, "quadro_generale_asse5.csv", key="download_headline")
