"""The frame of the PSM Asse 5 monitor: mode, navigation, language, shared filters, footer."""
from __future__ import annotations

import os

import streamlit as st

from monitor import data, embed, phrases, signin, sockets, upload_gate, url_state
from core.settings import load_settings
from monitor.i18n import LANGUAGES, L

st.set_page_config(page_title="PSM Asse 5 · Monitor", page_icon=":material/monitoring:", layout="wide")
sockets.disable_nagle()  # once per server process: small websocket messages are not held for delayed ACKs
settings = load_settings()


def ensure_warehouse() -> None:
    """Build the warehouse on first start, or rebuild it when the uploads ledger is ahead of it (a commit
    interrupted before its swap); in public mode say what is missing."""
    if settings.is_public:
        if settings.served_warehouse.exists():
            return
        st.error("Copia pubblicata del warehouse assente: eseguire `python -m etl publish`. "
                 "/ Published warehouse copy missing: run `python -m etl publish`.")
        st.stop()
    from etl.uploads.service import ensure_current, needs_rebuild

    if settings.served_warehouse.exists() and not needs_rebuild(settings):
        return
    label = ("Primo avvio: costruzione del warehouse dai dati inclusi… / First start: building the warehouse…"
             if not settings.served_warehouse.exists() else
             "Aggiornamento del warehouse con i caricamenti registrati… / Updating the warehouse with recorded uploads…")
    with st.status(label, expanded=True) as status:
        ensure_current(settings, progress=lambda step, total, message: status.write(f"{step}/{total} · {message}"))
        status.update(label="Warehouse pronto / Warehouse ready", state="complete", expanded=False)


ensure_warehouse()
data.begin_run()   # one settings read and one warehouse version for the whole run

url_state.url_param("lang", url_state.choice(LANGUAGES), default=settings.default_language)
with st.sidebar:
    st.segmented_control("Lingua / Language", options=list(LANGUAGES), format_func=LANGUAGES.get,
                         key="lang", required=True)

pages = [
    st.Page("pages/quadro_generale.py", title=L("Quadro generale", "Overview"), icon=":material/dashboard:",
            url_path="quadro-generale", default=True),   # served at the app's root URL (Streamlit's default page)
    st.Page("pages/divari_genere.py", title=L("Divari di genere", "Gender gaps"), icon=":material/balance:", url_path="divari-genere"),
    st.Page("pages/servizi_territorio.py", title=L("Servizi sul territorio", "Local services"), icon=":material/map:",
            url_path="servizi"),
    st.Page("pages/avanzamento_azioni.py", title=L("Avanzamento azioni", "Action progress"), icon=":material/task_alt:",
            url_path="azioni"),
    st.Page("pages/profilo_territoriale.py", title=L("Profilo territoriale", "Area profile"), icon=":material/location_on:",
            url_path="profilo"),
    st.Page("pages/citta_metropolitane.py", title=L("Città metropolitane", "Metropolitan cities"),
            icon=":material/leaderboard:", url_path="citta-metropolitane"),
    st.Page("pages/novita_dati.py", title=L("Novità nei dati", "What's new in the data"), icon=":material/update:",
            url_path="novita"),
    st.Page("pages/dati_fonti.py", title=L("Dati e fonti", "Data and sources"), icon=":material/menu_book:", url_path="dati-fonti"),
]
navigation = {L("Monitor Asse 5", "Axis 5 monitor"): pages}
if not settings.is_public:
    navigation[L("Uffici", "Officials")] = [
        st.Page("pages/carica_dati.py", title=L("Carica dati", "Upload data"), icon=":material/upload_file:", url_path="carica"),
        st.Page("pages/storico_ripristino.py", title=L("Storico e ripristino", "History and undo"), icon=":material/history:",
                url_path="storico"),
    ]
if os.environ.get("PSM_BENCH_BARE") == "1":  # benchmarks only: the frame around an empty page (bench/)
    navigation["Bench"] = [st.Page("bench/bare_page.py", title="Bench", url_path="bench-bare")]
page = st.navigation(navigation)

zones = data.get("zones")
zone_names = dict(zip(zones["zone_id"], zones["name"]))
url_state.url_param("zona", url_state.choice(zones["zone_id"]))
with st.sidebar:
    st.selectbox(L("Zona omogenea", "Homogeneous zone"), options=list(zones["zone_id"]), index=None,
                 format_func=lambda z: f"{z} · {zone_names[z]}",
                 placeholder=L("Tutta la Città metropolitana", "Whole Metropolitan City"),
                 key="zona")
signin.show_signed_in(navigation)  # who is signed in, on every page; back to the page a sign-in started from

full_page_link = embed.link_slot()
upload_gate.close_for_this_session()   # only the upload page, after its role check, opens it again
try:
    page.run()
finally:
    url_state.write_url(defaults={"lang": settings.default_language})
embed.show_full_page_link(full_page_link)

info = data.get("build_info")
st.divider()
st.caption(L(
    "Monitor del Piano Strategico Metropolitano, Asse 5 · Città metropolitana di Torino. "
    "Fonti e licenze in «Dati e fonti» (Istat CC BY 4.0, Inps, Ministero della Salute IODL 2.0, OpenStreetMap ODbL, "
    f"MEF, Regione Piemonte). Dati aggiornati al {phrases.loaded_on(info.get('built_at'))}.",
    "Monitor of the Metropolitan Strategic Plan, Axis 5 · Metropolitan City of Turin. "
    "Sources and licences under «Data and sources» (Istat CC BY 4.0, Inps, Ministry of Health IODL 2.0, "
    f"OpenStreetMap ODbL, MEF, Regione Piemonte). Data as of {phrases.loaded_on(info.get('built_at'))}."))
