"""Storico e ripristino: every upload and revert with who, when and what; undo an upload (itself recorded)."""
import streamlit as st

from etl.uploads.service import (UploadRefused, history_display, preview_revert, preview_table, revert_upload,
                                 revertible, upload_history)
from core.settings import load_settings
from monitor import data, i18n, notices, plain, signin
from monitor.i18n import L

who = signin.require_role("editor")  # re-checked on the server at every run
settings = load_settings()
lang = i18n.lang()
st.title(L("Storico e ripristino", "History and undo"))
st.write(L("Ogni caricamento degli uffici e ogni annullamento, dal più recente. Annullare un caricamento aggiunge una "
           "voce al registro e ricostruisce il warehouse: nessun file viene cancellato.",
           "Every upload and every undo, newest first. Undoing an upload adds an entry to the ledger and rebuilds "
           "the warehouse: no file is ever deleted."))
if done := st.session_state.pop("revert_done", None):
    st.success(plain.markdown(done))

history = upload_history(settings)
if history.empty:
    st.info(L("Nessun caricamento registrato.", "No upload recorded yet."))
else:
    shown = history_display(history, lang)
    st.dataframe(shown, hide_index=True, key="history_table")
    notices.download(shown, "storico_caricamenti.csv", key="history_download")

active = revertible(history)
if not active.empty:
    st.subheader(L("Annulla un caricamento", "Undo an upload"))
    labels = {r.id: f"{r.id} · {r.file_name} · {r.by} · {r.at:%d/%m/%Y %H:%M}" for r in active.itertuples()}
    target = st.selectbox(L("Caricamento", "Upload"), list(labels), format_func=labels.get, key="revert_target")
    if st.button(L("Anteprima dell'annullamento", "Preview the undo"), key="revert_preview_button"):
        with st.spinner(L("Calcolo dell'anteprima…", "Computing the preview…")):
            st.session_state["revert_preview"] = (target, preview_revert(target, settings))
    preview = st.session_state.get("revert_preview")
    if preview and preview[0] == target:
        total = preview[1].counts
        st.caption(L(f"Righe tolte: {total['removed']} · modificate: {total['changed']} · aggiunte: {total['added']}",
                     f"Rows removed: {total['removed']} · changed: {total['changed']} · added: {total['added']}"))
        st.dataframe(preview_table(preview[1], lang), hide_index=True, key="revert_preview_table")
    reason = st.text_input(L("Motivo (facoltativo)", "Reason (optional)"), key="revert_reason")
    if st.button(L("Annulla il caricamento", "Undo the upload"), type="primary", key="revert_confirm"):
        with st.status(L("Annullamento e ricostruzione del warehouse…", "Undoing and rebuilding…"),
                       expanded=True) as status:
            try:
                entry = revert_upload(target, who.name, settings, reason=reason, account=who.account,
                                      progress=lambda step, steps, message: status.write(message))
            except UploadRefused as exc:
                status.update(label=L("Annullamento rifiutato", "Undo refused"), state="error")
                st.error(plain.markdown(str(exc)))
                st.stop()
        st.session_state.pop("revert_preview", None)
        st.session_state["revert_done"] = L(f"{entry['reverts']} annullato da {entry['by']} ({entry['id']}).",
                                            f"{entry['reverts']} undone by {entry['by']} ({entry['id']}).")
        st.rerun()

st.subheader(L("Tutti i caricamenti del warehouse", "Every load in the warehouse"))
st.write(L("Dati inclusi nel progetto, scaricati dai connettori e caricati dagli uffici, con data, autore e stato.",
           "Bundled data, connector downloads and uploads, with date, author and status."))
loads = data.get("loads")
st.dataframe(loads, hide_index=True, key="loads_table")
notices.download(loads, "caricamenti_warehouse.csv", key="loads_download")
