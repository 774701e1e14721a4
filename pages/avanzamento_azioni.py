"""Avanzamento azioni: strategy → action → zone, with status, percent, funds, text, actors, indicators and the
plan's priority zones."""
import pandas as pd
import streamlit as st

from core.progress_status import label as status_label
from core.bilingual import localized, localized_column
from monitor import charts, data, fmt, i18n, maps, notices, phrases, plain, priority, replay, url_state
from monitor.i18n import L


@replay.section
def introduction(version: str, lang: str) -> None:
    """Title and purpose of the page."""
    notices.page_intro(
        L("Avanzamento delle azioni", "Action progress"),
        L("Le 5 strategie e le 20 azioni dell'Asse 5: testo del piano, attori, progetti in corso, indicatori "
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
                 "loaded_by", "loaded_at"]].assign(status=[status_label(s, lang) for s in grid["status"]],
                                                   loaded_by=[phrases.uploaded_by(n) for n in grid["loaded_by"]])


def priority_source(rows: pd.DataFrame) -> str:
    """Where the priority zones shown come from: the plan's maps, loaded by whom and when (the latest load)."""
    latest = priority.latest_load(rows)
    return L("Zone prioritarie: mappe del piano. ", "Priority zones: the plan's maps. ") + phrases.provenance(
        latest["producer"], None, latest["loaded_at"], latest["load_kind"], latest["loaded_by"])


def heat_grid(version: str, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Percent complete by zone (whole CM first) and action, and the priority cells in the same shape."""
    zones, codes = data.get("zones"), list(data.get("plan")["code"])
    rows = [L("Intera CM", "Whole CM"), *zones["name"]]
    if data.get("action_progress").empty:
        heat = pd.DataFrame(float("nan"), index=rows, columns=codes)
    else:
        heat = progress_table(version, lang).pivot_table(index="zone", columns="action_code", values="percent",
                                                         aggfunc="first").reindex(index=rows, columns=codes)
    cells = priority.priority_cells(data.get("priority_zones"), data.get("plan"))
    return heat, priority.heatmap_marks(cells, [None, *zones["zone_id"]], codes).set_axis(rows)


@replay.section
def progress_overview(version: str, lang: str) -> None:
    """Zone × action heatmap of percent complete with the priority cells marked, who loaded the last update and
    when; or how progress gets in."""
    progress, priorities = data.get("action_progress"), data.get("priority_zones")
    if progress.empty:
        st.info(L("Nessun avanzamento caricato finora. Gli uffici lo caricano dalla pagina «Carica dati» con il modello "
                  "«Avanzamento azioni» (azione, zona o intera CM, data, stato, percentuale, fondi stanziati e spesi, "
                  "nota). Sotto, il catalogo completo delle azioni.",
                  "No progress loaded yet. Officials load it from the «Upload data» page with the «Action progress» "
                  "template (action, zone or whole CM, date, status, percent, funds allocated and spent, note). "
                  "Below, the full catalogue of actions."), icon=":material/upload_file:")
        if priorities.empty:
            return
    heat, marks = heat_grid(version, lang)
    st.subheader(L("Percentuale di avanzamento per zona e azione", "Percent complete by zone and action")
                 if priorities.empty else L("Avanzamento e zone prioritarie per zona e azione",
                                            "Progress and priority zones by zone and action"))
    mark_label = L("zona prioritaria dell'azione o della sua strategia", "priority zone of the action or its strategy")
    st.plotly_chart(charts.progress_heatmap(heat, lang, marks, mark_label), config={"displayModeBar": False})
    lines = []
    if not progress.empty:
        latest = progress.sort_values("loaded_at").iloc[-1]
        by = phrases.uploaded_by(latest["loaded_by"])
        lines.append(L(f"Fonte: uffici CMT · ultimo aggiornamento caricato da {by} il "
                       f"{phrases.loaded_on(latest['loaded_at'])}. Celle vuote: nessun aggiornamento.",
                       f"Source: CMT offices · last update loaded by {by} on "
                       f"{phrases.loaded_on(latest['loaded_at'])}. Empty cells: no update."))
    if not priorities.empty:
        lines.append(f"{charts.PRIORITY_MARK} " + L("e bordo arancione: ", "and orange border: ") + mark_label + ". "
                     + priority_source(priorities))
    st.caption("  \n".join(plain.markdown(line) for line in lines))


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
    priority_zones_of(version, lang, strategy_code)
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


def priority_zones_of(version: str, lang: str, strategy_code: str) -> None:
    """The strategy's priority zones: a small map and the same in words, with their source; or that the plan's maps
    are not loaded yet. Zone names and notes come from files: escaped (plain) where shown."""
    loaded = data.get("priority_zones")
    if loaded.empty:
        st.info(L("Le mappe delle zone prioritarie del piano non sono ancora caricate: nel documento del piano sono "
                  "immagini, non testo. Gli uffici le caricano dalla pagina «Carica dati» con il modello «Zone "
                  "prioritarie del piano» (strategia o azione, zona, nota).",
                  "The plan's priority-zone maps are not loaded yet: in the plan document they are images, not text. "
                  "Officials load them from the «Upload data» page with the «Priority zones of the plan» template "
                  "(strategy or action, zone, note)."), icon=":material/map:")
        return
    rows = loaded[loaded["strategy_code"] == strategy_code]
    st.markdown("#### " + L("Zone prioritarie", "Priority zones"))
    if rows.empty:
        st.caption(L("Nessuna zona prioritaria caricata per questa strategia o le sue azioni.",
                     "No priority zone loaded for this strategy or its actions."))
        return
    shown = priority.strategy_zones(rows, data.get("zones"), strategy_code)
    marks = dict(zip(shown["zone_id"], shown["mark"]))
    texts = {r["zone_id"]: priority.zone_text(r, strategy_code, lang) for r in shown.to_dict("records")}
    collection = maps.priority_zone_collection(data.get("geometry"), marks, texts)
    map_column, list_column = st.columns([3, 2])
    map_column.pydeck_chart(maps.priority_deck(collection, maps.zone_labels(data.get("municipalities"))), height=340)
    list_column.markdown(priority.listed_markdown(shown, lang) + "\n\n" + phrases.small(priority_source(rows)),
                         unsafe_allow_html=True)


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
        by, on = phrases.uploaded_by(r["loaded_by"]), phrases.loaded_on(r["loaded_at"])
        details = (L("Fondi stanziati ", "Funds allocated ") + fmt.value(r["funds_allocated"], "eur", 0, lang)
                   + L(" · spesi ", " · spent ") + fmt.value(r["funds_spent"], "eur", 0, lang)
                   + L(f" · caricato da {by} il {on}", f" · loaded by {by} on {on}")
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
