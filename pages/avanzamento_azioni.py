"""Avanzamento azioni: strategy → action → zone, with status, percent, funds, text, actors and indicators."""
import pandas as pd
import streamlit as st

from core.progress_status import label as status_label
from core.bilingual import localized, localized_column
from monitor import charts, data, fmt, i18n, notices, phrases, plain, replay, url_state
from monitor.i18n import L


@replay.section
def introduction(version: str, lang: str) -> None:
    """Title and purpose of the page."""
    st.title(L("Avanzamento delle azioni", "Action progress"))
    st.write(L("Le 5 strategie e le 20 azioni dell'Asse 5: testo del piano, attori, progetti in corso, indicatori "
               "collegati e stato di avanzamento per zona omogenea.",
               "The 5 strategies and 20 actions of Axis 5: the plan's text, actors, ongoing projects, related "
               "indicators and progress by homogeneous zone."))


@replay.memo
def strategy_titles(version: str, lang: str) -> dict:
    """Strategy code → title, in the plan's order."""
    plan = data.get("plan")
    return dict(zip(plan["strategy_code"], plan[localized_column("strategy_title", lang)]))


def progress_table(version: str, lang: str) -> pd.DataFrame:
    """Latest progress of every action per zone (or whole CM), as shown and downloaded."""
    progress, zones = data.get("action_progress"), data.get("zones")
    zone_names = dict(zip(zones["zone_id"], zones["name"]))
    grid = progress.assign(zone=[L("Intera CM", "Whole CM") if fmt.is_missing(z) else zone_names.get(z, z)
                                 for z in progress["zone_id"]])
    return grid[["action_code", "zone", "as_of", "status", "percent", "funds_allocated", "funds_spent", "note",
                 "loaded_by", "loaded_at"]].assign(status=[status_label(s, lang) for s in grid["status"]])


@replay.section
def progress_overview(version: str, lang: str) -> None:
    """Zone × action heatmap of percent complete, who loaded the last update and when; or how progress gets in."""
    progress = data.get("action_progress")
    if progress.empty:
        st.info(L("Nessun avanzamento caricato finora. Gli uffici lo caricano dalla pagina «Carica dati» con il modello "
                  "«Avanzamento azioni» (azione, zona o intera CM, data, stato, percentuale, fondi stanziati e spesi, "
                  "nota). Sotto, il catalogo completo delle azioni.",
                  "No progress loaded yet. Officials load it from the «Upload data» page with the «Action progress» "
                  "template (action, zone or whole CM, date, status, percent, funds allocated and spent, note). "
                  "Below, the full catalogue of actions."), icon=":material/upload_file:")
        return
    table = progress_table(version, lang)
    rows = [L("Intera CM", "Whole CM"), *data.get("zones")["name"]]
    heat = table.pivot_table(index="zone", columns="action_code", values="percent", aggfunc="first") \
        .reindex(index=rows, columns=list(data.get("plan")["code"]))
    st.subheader(L("Percentuale di avanzamento per zona e azione", "Percent complete by zone and action"))
    st.plotly_chart(charts.progress_heatmap(heat, lang), config={"displayModeBar": False})
    latest = progress.sort_values("loaded_at").iloc[-1]
    st.caption(plain.markdown(L(f"Fonte: uffici CMT · ultimo aggiornamento caricato da {latest['loaded_by']} il "
                                f"{phrases.loaded_on(latest['loaded_at'])}. Celle vuote: nessun aggiornamento.",
                                f"Source: CMT offices · last update loaded by {latest['loaded_by']} on "
                                f"{phrases.loaded_on(latest['loaded_at'])}. Empty cells: no update.")))


@replay.section
def progress_listed(version: str, lang: str) -> None:
    """Every progress row."""
    st.dataframe(progress_table(version, lang), hide_index=True)


@replay.section
def strategy_catalogue(version: str, lang: str, strategy_code: str, zone: int | None) -> None:
    """A strategy's text, actors, projects and indicators, then each action with its text and progress."""
    plan, progress, registry = data.get("plan"), data.get("action_progress"), data.get("indicators")
    actions = plan[plan["strategy_code"] == strategy_code]
    first = actions.iloc[0]
    measured = registry[registry["strategy_code"] == strategy_code]
    st.markdown("\n\n".join([
        "### " + plain.markdown(f"{strategy_code} · {strategy_titles(version, lang)[strategy_code]}"),
        plain.markdown_keeping_bold(first["strategy_description_it"])
        + L("", "  \n" + phrases.small("The plan's text is in Italian.")),
        L("**Principali attori.** ", "**Principal actors.** ") + plain.markdown(first["actors_it"]),
        L("**Progetti in corso / sinergie attivabili**", "**Ongoing projects / synergies**") + "\n\n"
        + "\n".join(f"- {plain.markdown(p)}" for p in first["projects_it"]),
        L("**Indicatori collegati:** ", "**Related indicators:** ") + plain.markdown("; ".join(
            phrases.indicator_name(r) + ("" if r["observations"] else " (n.d.)") for r in measured.to_dict("records")))]))
    paragraphs = []
    for action in actions.to_dict("records"):
        title = localized(action, "short_title", lang)
        rows = progress[progress["action_code"] == action["code"]]
        if zone is not None:
            rows = rows[rows["zone_id"].isna() | (rows["zone_id"] == zone)]
        badge = L("nessun aggiornamento", "no update") if rows.empty else \
            ", ".join(sorted({status_label(s, lang) for s in rows["status"]}))
        paragraphs += [f"**{plain.markdown(action['code'] + ' · ' + title)}** — {plain.markdown(badge)}",
                       plain.markdown_keeping_bold(action["text_it"]), *action_progress_lines(rows, lang), "---"]
    with st.container(border=True):  # the actions of the strategy, one Markdown element (one message a rerun)
        st.markdown("\n\n".join(paragraphs[:-1]))
    st.caption(L("Le zone prioritarie per ciascuna strategia sono indicate da una mappa nel documento del piano e non "
                 "compaiono nel testo disponibile: non sono riportate qui.",
                 "The priority zones of each strategy are shown on a map in the plan document and are not in the "
                 "available text: they are not reported here."))


def action_progress_lines(rows: pd.DataFrame, lang: str) -> list[str]:
    """One Markdown paragraph per progress row (zone, status, percent, date, funds, who loaded it, note), or 'none'.

    Zone names, names and notes come from uploads: every text goes through plain.markdown."""
    if rows.empty:
        return [phrases.small(L("Nessun avanzamento caricato per questa azione.", "No progress loaded for this action."))]
    lines = []
    for r in rows.to_dict("records"):
        where = L("Intera CM", "Whole CM") if fmt.is_missing(r["zone_id"]) else r["zone_name"]
        headline = (f"{status_label(r['status'], lang)} · {fmt.value(r['percent'], 'pct', 0, lang)}"
                    + L(f" al {phrases.loaded_on(r['as_of'])}", f" as of {phrases.loaded_on(r['as_of'])}"))
        details = (L("Fondi stanziati ", "Funds allocated ") + fmt.value(r["funds_allocated"], "eur", 0, lang)
                   + L(" · spesi ", " · spent ") + fmt.value(r["funds_spent"], "eur", 0, lang)
                   + L(f" · caricato da {r['loaded_by']} il {phrases.loaded_on(r['loaded_at'])}",
                       f" · loaded by {r['loaded_by']} on {phrases.loaded_on(r['loaded_at'])}")
                   + (f" · {r['note']}" if isinstance(r["note"], str) and r["note"] else ""))
        lines.append(f"**{plain.markdown(where)}** · {plain.markdown(headline)}  \n{phrases.small(details)}")
    return lines


lang, version = i18n.lang(), data.version()
introduction(version, lang)
notices.stop_if_empty(data.get("plan"))
titles = strategy_titles(version, lang)
notices.zone_list_notice(version, lang)

progress_overview(version, lang)
if not data.get("action_progress").empty:
    with st.expander(L("Tabella dell'avanzamento", "Progress table")):
        progress_listed(version, lang)
        notices.download(lambda: progress_table(version, lang), "avanzamento_azioni.csv", key="download_progress")

# The catalogue shows one strategy at a time: its text and actions are most of the page.
url_state.url_param("strategia", url_state.choice(titles), default=next(iter(titles)))
strategy = st.segmented_control(L("Strategia", "Strategy"), list(titles), key="strategia", required=True)
strategy_catalogue(version, lang, strategy, st.session_state.get("zona"))
