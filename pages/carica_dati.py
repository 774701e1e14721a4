"""Carica dati: an official uploads a CSV or a workbook, sees every problem or the preview of the change, and
publishes it."""
import pandas as pd
import streamlit as st

from etl.uploads.service import (KINDS, TEMPLATES, UPLOAD_TYPES, UploadRefused, commit_upload, how_many, meanings,
                                 preview_table, preview_upload, problems_table, template_bytes, too_large,
                                 upload_kinds, validate_upload)
from core.settings import load_settings
from monitor import i18n, notices, plain, signin, upload_gate
from monitor.i18n import L

who = signin.require_role("editor")  # re-checked on the server at every run
upload_gate.allow_this_session()     # the server takes files only from a session that got this far
settings = load_settings()
lang = i18n.lang()
st.title(L("Carica dati", "Upload data"))
st.write(L("Carica il file così come lo tieni: una cartella di lavoro Excel (.xlsx), un foglio OpenDocument (.ods), "
           "un CSV o il «Testo Unicode» di Excel (.txt); di una cartella si legge il primo foglio. Il monitor lo "
           "controlla, elenca ogni problema con la riga del foglio oppure mostra l'anteprima della modifica. Nulla "
           "cambia finché non confermi, e ogni caricamento si può annullare da «Storico e ripristino».",
           "Upload the file as you keep it: an Excel workbook (.xlsx), an OpenDocument sheet (.ods), a CSV or Excel's "
           "«Unicode text» (.txt); of a workbook the first sheet is read. The monitor checks it and lists every "
           "problem with its sheet row, or previews the change. Nothing changes until you confirm, and every upload "
           "can be undone from «History»."))
if done := st.session_state.pop("upload_done", None):
    st.success(plain.markdown(done))

with st.expander(L("Modelli da compilare", "Templates to fill in")):
    template_kind = st.selectbox(L("Modello", "Template"), KINDS, key="template_kind",
                                 format_func=lambda k: TEMPLATES[k].title.in_(lang))
    st.dataframe(pd.DataFrame(meanings(template_kind, lang), columns=[
        L("Colonna", "Column"), L("Cosa contiene", "What goes in it"), L("Obbligatoria", "Required")]), hide_index=True)
    st.download_button(L("Scarica il modello (CSV)", "Download the template (CSV)"), template_bytes(template_kind),
                       file_name=f"modello_{template_kind}.csv", mime="text/csv", key="template_download")

def kind_title(k: str | None) -> str:
    """A file kind in words: a template's title, or the native format's name."""
    if k is None:
        return L("Riconosci dal file", "Recognise from the file")
    return TEMPLATES[k].title.in_(lang) if k in TEMPLATES else k


kind = st.selectbox(L("Tipo di file", "File kind"), upload_kinds(), key="upload_kind", format_func=kind_title)
round_number = st.session_state.setdefault("upload_round", 0)
uploaded = st.file_uploader(L("File: Excel (.xlsx), OpenDocument (.ods), CSV o testo (.txt)",
                              "File: Excel (.xlsx), OpenDocument (.ods), CSV or text (.txt)"),
                            type=UPLOAD_TYPES, key=f"upload_file_{round_number}",
                            max_upload_size=settings.upload_max_megabytes)
if uploaded is None:
    st.stop()
if uploaded.size > settings.upload_max_bytes:  # refused before its bytes are read
    st.error(too_large(uploaded.size, settings.upload_max_bytes))
    st.stop()

raw = uploaded.getvalue()
report = validate_upload(raw, uploaded.name, settings, kind)
if report.kind:
    st.caption(plain.markdown(f"{kind_title(report.kind)} · {report.dialect} · "
                              + L(f"{report.rows} righe", f"{report.rows} rows")))
for warning in report.warnings:  # warnings quote the file's cells
    st.warning(plain.markdown(warning))
if not report.ok:
    st.error(L(f"Il file ha {how_many(len(report.problems))}: nulla è stato caricato. Correggi e caricalo di nuovo.",
               f"The file has {how_many(len(report.problems), 'en')}: nothing was loaded. Fix and upload it again."))
    problems = problems_table(report.problems, lang)
    st.dataframe(problems, hide_index=True, key="problems_table")
    notices.download(problems, "problemi.csv", key="problems_download")
    st.stop()

st.subheader(L("Anteprima della modifica", "Preview of the change"))
preview = preview_upload(report, settings)
total = preview.counts
columns = st.columns(4)
for column, (name, it, en) in zip(columns, [("added", "Aggiunte", "Added"), ("changed", "Modificate", "Changed"),
                                            ("removed", "Tolte", "Removed"), ("unchanged", "Invariate", "Unchanged")]):
    column.metric(L(f"Righe {it.lower()}", f"{en} rows"), total[name])
st.dataframe(preview_table(preview, lang), hide_index=True, key="preview_table")
if report.has_example_rows:
    st.stop()

if st.button(L("Conferma e pubblica", "Confirm and publish"), type="primary", key="upload_confirm"):
    with st.status(L("Pubblicazione: controllo e ricostruzione del warehouse…", "Publishing: checks and rebuild…"),
                   expanded=True) as status:
        try:
            entry = commit_upload(raw, report, who.name, settings, preview=preview, account=who.account,
                                  progress=lambda step, steps, message: status.write(message))
        except UploadRefused as exc:
            status.update(label=L("Caricamento rifiutato", "Upload refused"), state="error")
            st.error(plain.markdown(str(exc)))
            st.stop()
    st.session_state["upload_done"] = L(
        f"Caricamento {entry['id']} pubblicato da {entry['by']}: i dati sono già visibili nelle pagine.",
        f"Upload {entry['id']} published by {entry['by']}: the pages already show the new figures.")
    st.session_state["upload_round"] = round_number + 1
    st.rerun()
