"""Avanzamento azioni: strategy → action → zone, with status, percent, funds, text, actors and indicators."""
import streamlit as st

from monitor import charts, data, fmt, ui
from monitor.progress_status import label as status_label
from monitor.ui import L

lang = ui.lang()
st.title(L("Avanzamento delle azioni", "Action progress"))
st.write(L("Le 5 strategie e le 20 azioni dell'Asse 5: testo del piano, attori, progetti in corso, indicatori "
           "collegati e stato di avanzamento per zona omogenea.",
           "The 5 strategies and 20 actions of Axis 5: the plan's text, actors, ongoing projects, related "
           "indicators and progress by homogeneous zone."))

plan = data.get("plan")
ui.stop_if_empty(plan)
progress = data.get("action_progress")
zones = data.get("zones")
registry = data.get("indicators")
strategies = list(dict.fromkeys(plan["strategy_code"]))
titles = dict(zip(plan["strategy_code"], plan["strategy_title_en" if lang == "en" else "strategy_title_it"]))
strategy = ui.url_select(L("Strategia", "Strategy"), strategies, "strategia", None, lambda s: f"{s} · {titles[s]}",
                         placeholder=L("Tutte le strategie", "All strategies"))
ui.provisional_zones_notice(data.get("build_info").get("zone_list_status", "provisional"))
shown_plan = plan if strategy is None else plan[plan["strategy_code"] == strategy]
zone_filter = st.session_state.get("zona")

if progress.empty:
    st.info(L("Nessun avanzamento caricato finora. Gli uffici lo caricano dalla pagina «Carica dati» con il modello "
              "«Avanzamento azioni» (azione, zona o intera CM, data, stato, percentuale, fondi stanziati e spesi, nota). "
              "Sotto, il catalogo completo delle azioni.",
              "No progress loaded yet. Officials load it from the «Upload data» page with the «Action progress» "
              "template (action, zone or whole CM, date, status, percent, funds allocated and spent, note). "
              "Below, the full catalogue of actions."), icon=":material/upload_file:")
else:
    zone_names = dict(zip(zones["zone_id"], zones["name"]))
    grid = progress[progress["action_code"].isin(shown_plan["code"])].assign(
        zone=lambda p: p["zone_id"].map(lambda z: L("Intera CM", "Whole CM") if fmt.is_missing(z) else zone_names.get(z, z)))
    rows = [L("Intera CM", "Whole CM"), *zones["name"]]
    heat = grid.pivot_table(index="zone", columns="action_code", values="percent", aggfunc="first") \
        .reindex(index=rows, columns=list(shown_plan["code"]))
    st.subheader(L("Percentuale di avanzamento per zona e azione", "Percent complete by zone and action"))
    st.plotly_chart(charts.progress_heatmap(heat, lang), config={"displayModeBar": False})
    latest = progress.sort_values("loaded_at").iloc[-1]
    st.caption(L(f"Fonte: uffici CMT · ultimo aggiornamento caricato da {latest['loaded_by']} il {ui.loaded_on(latest['loaded_at'])}. "
                 "Celle vuote: nessun aggiornamento.",
                 f"Source: CMT offices · last update loaded by {latest['loaded_by']} on {ui.loaded_on(latest['loaded_at'])}. "
                 "Empty cells: no update."))
    with st.expander(L("Tabella dell'avanzamento", "Progress table")):
        table = grid[["action_code", "zone", "as_of", "status", "percent", "funds_allocated", "funds_spent", "note",
                      "loaded_by", "loaded_at"]].assign(status=grid["status"].map(lambda s: status_label(s, lang)))
        st.dataframe(table, hide_index=True)
        ui.download(table, "avanzamento_azioni.csv", key="download_progress")

for strategy_code, actions in shown_plan.groupby("strategy_code", sort=True):
    first = actions.iloc[0]
    st.header(f"{strategy_code} · {titles[strategy_code]}")
    st.write(first["strategy_description_it"])
    if lang == "en":
        st.caption("The plan's text is in Italian.")
    left, right = st.columns(2)
    left.markdown(L("**Principali attori.** ", "**Principal actors.** ") + first["actors_it"])
    right.markdown(L("**Progetti in corso / sinergie attivabili**", "**Ongoing projects / synergies**") + "\n\n"
                   + "\n".join(f"- {p}" for p in first["projects_it"]))
    measured = registry[registry["strategy_code"] == strategy_code]
    st.markdown(L("**Indicatori collegati:** ", "**Related indicators:** ") + "; ".join(
        ui.indicator_name(r) + ("" if r["observations"] else " (n.d.)") for r in measured.to_dict("records")))
    for action in actions.to_dict("records"):
        title = action["short_title_en"] if lang == "en" else action["short_title_it"]
        rows = progress[progress["action_code"] == action["code"]]
        if zone_filter is not None:
            rows = rows[rows["zone_id"].isna() | (rows["zone_id"] == zone_filter)]
        badge = L("nessun aggiornamento", "no update") if rows.empty else \
            ", ".join(sorted({status_label(s, lang) for s in rows["status"]}))
        with st.expander(f"{action['code']} · {title} — {badge}"):
            st.markdown(action["text_it"])
            if rows.empty:
                st.caption(L("Nessun avanzamento caricato per questa azione.", "No progress loaded for this action."))
            else:
                for r in rows.to_dict("records"):
                    where = L("Intera CM", "Whole CM") if fmt.is_missing(r["zone_id"]) else r["zone_name"]
                    st.write(f"**{where}** · {status_label(r['status'], lang)} · {fmt.value(r['percent'], 'pct', 0, lang)}"
                             + L(f" al {ui.loaded_on(r['as_of'])}", f" as of {ui.loaded_on(r['as_of'])}"))
                    st.caption(L("Fondi stanziati ", "Funds allocated ") + fmt.value(r["funds_allocated"], "eur", 0, lang)
                               + L(" · spesi ", " · spent ") + fmt.value(r["funds_spent"], "eur", 0, lang)
                               + L(f" · caricato da {r['loaded_by']} il {ui.loaded_on(r['loaded_at'])}",
                                   f" · loaded by {r['loaded_by']} on {ui.loaded_on(r['loaded_at'])}")
                               + (f" · {r['note']}" if isinstance(r["note"], str) and r["note"] else ""))
st.caption(L("Le zone prioritarie per ciascuna strategia sono indicate da una mappa nel documento del piano e non "
             "compaiono nel testo disponibile: non sono riportate qui.",
             "The priority zones of each strategy are shown on a map in the plan document and are not in the "
             "available text: they are not reported here."))
