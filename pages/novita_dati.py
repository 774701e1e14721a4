"""Novità nei dati: every published load, newest first, with what it changed; per indicator the last and next update."""
from datetime import date

import streamlit as st

from core.settings import load_settings
from monitor import changes, data, i18n, notices, phrases, plain, replay
from monitor.i18n import L

SHOWN = 50   # newest updates listed on the page; the CSV holds them all


def entry(row: dict) -> str:
    """One update as a Markdown list item, every text from data escaped."""
    first = f"**{plain.markdown(row['date'])}** · {plain.markdown(row['kind'])} · {plain.markdown(row['by'])}"
    facts = [L("Fonte: ", "Source: ") + row["source"] if row["source"] else "",
             L("periodo ", "period ") + row["period"] if row["period"] else "",
             L(f"righe {row['rows']} · aggiunte {row['added']} · modificate {row['changed']} · tolte {row['removed']}",
               f"rows {row['rows']} · added {row['added']} · changed {row['changed']} · removed {row['removed']}")]
    lines = [first, plain.markdown(" · ".join(f for f in facts if f))]
    if row["touches"]:
        lines.append(plain.markdown(L("Riguarda: ", "Touches: ") + row["touches"]))
    later = " · ".join(t for t in (row["status"], row["note"]) if t)
    if later:
        lines.append(phrases.small(later))
    return "- " + "  \n  ".join(lines)


@replay.section
def updates(version: str, lang: str, public: bool) -> None:
    """Title, and the downloads, uploads and reverts, newest first."""
    notices.page_intro(
        L("Novità nei dati", "What's new in the data"),
        L(
          "Ogni aggiornamento dei dati pubblicati, dal più recente: da dove viene, quale periodo copre, quante righe ha "
          "aggiunto, modificato o tolto e quali indicatori riguarda; sotto, per ogni indicatore, l'ultimo aggiornamento "
          "e il prossimo annunciato dal produttore.",
          "Every update of the published data, newest first: where it comes from, which period it covers, how many "
          "rows it added, changed or removed and which indicators it touches; below, for each indicator, the last "
          "update and the next one its producer announced."))
    log = log_rows(version, lang, public)
    shown = log[log["_kind"].isin(changes.UPDATES)].head(SHOWN)
    if shown.empty:
        st.info(L("Nessun aggiornamento oltre ai dati inclusi nel progetto.",
                  "No update beyond the data bundled with the project."))
    else:
        st.markdown("\n".join(entry(row) for row in shown.to_dict("records")))
    bundled = log[log["_kind"] == "bundled"]
    if len(bundled):
        st.markdown(L("#### Dati inclusi nel progetto", "#### Data bundled with the project") + "\n\n" + phrases.small(L(
            "Caricati a ogni costruzione del warehouse (l'ultima il ", "Loaded at each build of the warehouse (the "
            "last on ") + bundled["date"].iloc[0] + L("): cambiano solo con una nuova versione del monitor.",
                                                      "): they change only with a new version of the monitor.")))
        st.markdown("\n".join(
            "- " + plain.markdown(" · ".join(p for p in (row["data"] or row["source"], row["period"], row["touches"]) if p))
            for row in bundled.to_dict("records")))


@replay.memo
def log_rows(version: str, lang: str, public: bool):
    """Every load as shown and downloaded (who is the offices in public mode)."""
    return changes.changes_log(load_settings().served_warehouse, lang, public)


@replay.section
def per_indicator(version: str, lang: str, today: date) -> None:
    """Per indicator: last update, next announced one and the producer's stated schedule."""
    st.subheader(L("Per indicatore: ultimo aggiornamento e prossimo previsto",
                   "By indicator: last update and next expected"))
    st.markdown(phrases.small(L(
        "Il prossimo aggiornamento è la data annunciata dal produttore nel suo calendario; «non previsto» quando non "
        "ne ha annunciata una: nessuna data è calcolata dal monitor.",
        "The next update is the date the producer announced in its calendar; «not scheduled» when it announced "
        "none: the monitor works out no date.")))
    table = changes.indicator_updates(load_settings().served_warehouse, lang, today)
    st.dataframe(table, hide_index=True, column_order=["indicator", "next_update", "last_update", "source", "schedule",
                                                       "schedule_url"], column_config={
        "indicator": st.column_config.TextColumn(L("Indicatore", "Indicator"), width="medium"),
        "source": L("Fonte", "Source"),
        "last_update": L("Ultimo aggiornamento", "Last update"), "next_update": L("Prossimo", "Next"),
        "schedule": L("Calendario dichiarato", "Stated schedule"),
        "schedule_url": st.column_config.LinkColumn(L("Dove è dichiarato", "Where it is stated"))})


lang, version, public = i18n.lang(), data.version(), load_settings().is_public
updates(version, lang, public)
notices.download(lambda: log_rows(version, lang, public).drop(columns=["_kind"]), "novita_dati.csv",
            key="download_changes")
per_indicator(version, lang, date.today())
