"""Streamlit elements every page shares: the title with the page's purpose, the provisional-zones notice, the no-data message, the stop when the
warehouse lacks a page's rows, and the CSV download of the rows shown."""
from __future__ import annotations

import streamlit as st

from monitor import data, downloads, i18n, plain, phrases, replay
from monitor.i18n import L


def page_intro(title: str, text: str) -> None:
    """The page's title and what the page shows, as one element (one message a rerun instead of two).

    Both are the page's own Markdown, never data."""
    st.markdown(f"# {title}\n\n{text}")


def provisional_zones_notice(status: str) -> None:
    """Say that the zone composition is provisional, wherever zones are used."""
    if status != "official":
        st.info(L("Composizione delle zone omogenee **provvisoria**: in attesa dell'elenco ufficiale CMT.",
                  "Zone composition is **provisional**, pending the official CMT list."), icon="ℹ️")


@replay.section
def zone_list_notice(version: str, lang: str) -> None:
    """provisional_zones_notice() for the served warehouse's zone list."""
    provisional_zones_notice(data.get("build_info").get("zone_list_status", "provisional"))


@replay.section
def no_data_for(version: str, lang: str, indicator: str) -> None:
    """Say that an indicator of the registry has no data yet and what would fill it."""
    st.info(plain.markdown(phrases.no_data_text(data.indicator(indicator))), icon=":material/hourglass_empty:")


def stop_if_empty(frame) -> None:
    """Stop the page with a clear message when the warehouse holds none of the rows it needs."""
    if frame is None or len(frame) == 0:
        st.warning(L("Il warehouse non contiene ancora questi dati: eseguire `python -m etl build`.",
                     "The warehouse holds none of these data yet: run `python -m etl build`."))
        st.stop()


def download(rows, file_name: str, key: str) -> None:
    """A CSV download of exactly the rows shown (formula-like cells neutralised), written only when clicked.

    rows is the DataFrame, or a function returning it (so a rerun does not even build the table it would write).
    """
    view_lang = i18n.lang()

    def write() -> bytes:
        # Runs when clicked, in a server thread with no session: texts take the language of the run that drew it.
        with i18n.speaking(view_lang):
            return downloads.csv_bytes(rows() if callable(rows) else rows)

    st.download_button(L("Scarica i dati (CSV)", "Download data (CSV)"), write, file_name=file_name, mime="text/csv",
                       key=key)
