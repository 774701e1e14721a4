"""Profilo territoriale: one zone or one comune against its zone, the Metropolitan City, Piemonte and Italia;
its report as a PDF or a print view (?stampa=1)."""
import streamlit as st
from core.bilingual import localized

from core.settings import load_settings
from core.territory import CM_CODE
from monitor import comparisons, data, embed, fmt, i18n, notices, phrases, plain, replay, report, url_state
from monitor.i18n import L
from monitor.report import html as report_html, sections as report_sections


@replay.section
def introduction(version: str, lang: str) -> None:
    """Title and purpose of the page."""
    notices.page_intro(
        L("Profilo territoriale", "Area profile"),
        L("Tutti gli indicatori dell'Asse 5 per una zona omogenea o per un comune, accanto ai valori della zona, "
          "della Città metropolitana, del Piemonte e dell'Italia.",
          "Every Axis 5 indicator for one homogeneous zone or one municipality, beside the values of its zone, "
          "of the Metropolitan City, of Piemonte and of Italy."))


@replay.memo
def comune_choices(version: str) -> tuple[list, dict, dict]:
    """Istat codes of the comuni, their 'Name (code)' labels and their zones."""
    comuni = data.get("municipalities")
    codes = list(comuni["istat_code"])
    labels = {c: f"{n} ({c})" for c, n in zip(codes, comuni["name"])}
    return codes, labels, {c: int(z) for c, z in zip(codes, comuni["zone_id"])}


def comune_header(lang: str, code: str) -> None:
    """The comune's name, zone, residents and area, and a warning when its zone is uncertain."""
    place = data.get("municipalities").set_index("istat_code").loc[code]
    facts = (f" · {place['zone_name']} · {fmt.number(place['population'], 0, lang)} ",
             f" ({int(place['population_year'])}) · {fmt.number(place['area_km2'], 1, lang)} km²")
    st.header(plain.markdown(place["name"]), anchor=False)  # no anchor: its link would be made from the name
    st.markdown(plain.markdown(L(f"Zona omogenea {int(place['zone_id'])}{facts[0]}residenti{facts[1]}",
                                 f"Homogeneous zone {int(place['zone_id'])}{facts[0]}residents{facts[1]}"))
                + "\n\n" + phrases.small(comparison_legend()))
    if place["zone_confidence"] == "medium":
        st.warning(L("L'assegnazione di questo comune alla zona è incerta nell'elenco provvisorio.",
                     "This municipality's zone assignment is uncertain in the provisional list."))


def zone_header(lang: str, zone_id: int) -> None:
    """The zone's name, comuni, residents and area."""
    row = data.get("zones").set_index("zone_id").loc[zone_id]
    name = L(f"Zona omogenea {zone_id} · {row['name']}", f"Homogeneous zone {zone_id} · {row['name']}")
    st.header(plain.markdown(name), anchor=False)  # no anchor: its link would be made from the zone's name
    st.markdown(L(f"{int(row['comuni'])} comuni · {fmt.number(row['population'], 0, lang)} residenti · "
                  f"{fmt.number(row['area_km2'], 0, lang)} km². Scegli un'altra zona nel menu laterale.",
                  f"{int(row['comuni'])} municipalities · {fmt.number(row['population'], 0, lang)} residents · "
                  f"{fmt.number(row['area_km2'], 0, lang)} km². Choose another zone in the sidebar.")
                + "\n\n" + phrases.small(comparison_legend()))


def comparison_legend() -> str:
    """How to read the comparison column, and how zones and the CM are computed (the report's own words)."""
    return report_sections.comparison_legend(L)


def profile_rows(lang: str, level: str, territory: str):
    """Every indicator of the territory as text columns (indicator, sex, year, value, zone, CM, comparison, source)."""
    return comparisons.profile_table(data.get("profile", level, territory), level)


@replay.section
def profile(version: str, lang: str, level: str, territory: str, zone_id: int) -> None:
    """The zone-list notice, the territory's header and its profile table with the comparison against the CM."""
    notices.provisional_zones_notice(data.get("build_info").get("zone_list_status", "provisional"))
    if level == "comune":
        comune_header(lang, territory)
    else:
        zone_header(lang, zone_id)
    table = profile_rows(lang, level, territory)
    if table.empty:
        st.info(L("Nessun indicatore disponibile per questo territorio.", "No indicator available for this area."))
    else:
        # On screen without the strategy code (the CSV keeps it), narrow sex and year columns and the indicator
        # pinned: the Piemonte and Italia columns fit beside the CM's on a laptop, and scroll with their names on a phone.
        compared = L("Rispetto alla CM", "Against the CM")
        shown, labels, colours = comparisons.comparison_labels(table.drop(columns=["_code"]), compared)
        columns = {L("Sesso", "Sex"): st.column_config.TextColumn(width=64),
                   L("Anno", "Year"): st.column_config.TextColumn(width=54), L("Strategia", "Strategy"): None,
                   L("Indicatore", "Indicator"): st.column_config.TextColumn(width="medium", pinned=True),
                   compared: st.column_config.MultiselectColumn(options=labels, color=colours)}
        st.dataframe(shown, hide_index=True, height=min(36 * (len(table) + 1) + 4, 900), column_config=columns)


@replay.section
def without_data_and_priorities(version: str, lang: str) -> None:
    """Indicators with no data (and what would fill them); why priority zones are not listed (the same for every
    territory: a new comune draws nothing here again)."""
    missing = data.get("indicators")
    missing = missing[missing["observations"] == 0]
    if len(missing):
        with st.expander(L(f"Indicatori senza dati ({len(missing)})", f"Indicators with no data ({len(missing)})")):
            st.markdown("\n".join(f"- **{plain.markdown(phrases.indicator_name(row))}** — "
                                  + plain.markdown(localized(row, "fill", lang))
                                  for row in missing.to_dict("records")))
    st.markdown(L("### Azioni prioritarie in questo territorio", "### Actions prioritised here") + "\n\n" + L(
        "Il testo disponibile del piano non elenca le zone prioritarie per strategia (nel documento sono una "
        "mappa): tutte le 20 azioni si applicano all'intera Città metropolitana. Vedi «Avanzamento azioni».",
        "The available text of the plan does not list the priority zones of each strategy (they are a map in the "
        "document): all 20 actions apply to the whole Metropolitan City. See «Action progress»."))


def link_to_actions(lang: str, zone_id: int) -> None:
    """The action progress page, for the territory's zone."""
    st.page_link("pages/avanzamento_azioni.py", label=L("Avanzamento azioni", "Action progress"),
                 icon=":material/task_alt:", query_params={"lang": lang, "zona": zone_id})


def print_url(lang: str, params: dict) -> str:
    """Address of the print view of a territory (this page with stampa=1), in the view's language."""
    return embed.full_page_url(st.context.url or "profilo", {"lang": lang, **params, "stampa": "1"})


@replay.section
def print_view(version: str, lang: str, level: str, code: str, zone_id: int | None) -> None:
    """The report alone, as the PDF has it, for the browser's print (sidebar and header hidden)."""
    territory = report.Territory(level, code, zone_id)
    back = {"comune": code} if level == "comune" else {"zona": zone_id} if level == "zona" else {}
    back_url = embed.full_page_url(st.context.url or "profilo", {"lang": lang, **back})
    st.html(report_html.report_html(report.build(load_settings().served_warehouse, territory, lang),
                                    [(L("← Profilo territoriale", "← Area profile"), back_url)],
                                    L("Per stampare o salvare in PDF: Ctrl+P (⌘P su Mac).",
                                      "To print or save as PDF: Ctrl+P (⌘P on a Mac).")))


def downloads_and_report(version: str, lang: str, level: str, territory: str, zone_id: int) -> None:
    """In one row: the table as CSV, the territory's report as a PDF (both written when clicked) and its print view.
    The CM's report is on the overview."""
    here = report.Territory(level, territory, zone_id)
    db = load_settings().served_warehouse
    with st.container(horizontal=True):
        notices.download(lambda: profile_rows(lang, level, territory).drop(columns=["_code"]),
                         f"profilo_{territory}.csv", key="download_profile")
        st.download_button(L("Report del territorio (PDF)", "Area report (PDF)"),
                           lambda: report.territory_pdf(db, here, lang), file_name=report.file_name(here, lang),
                           mime="application/pdf", key="download_report", icon=":material/picture_as_pdf:")
        st.link_button(L("Versione stampabile", "Print view"),
                       print_url(lang, {"comune": territory} if level == "comune" else {"zona": zone_id}),
                       icon=":material/print:")


lang, version = i18n.lang(), data.version()
url_state.url_param("stampa", lambda raw: "1" if raw == "1" else None)
if st.session_state.get("stampa"):  # the print view: the comune, else the zone, else the whole CM of the URL
    notices.stop_if_empty(data.get("municipalities"))
    comune = st.query_params.get("comune")
    codes, _, zone_of = comune_choices(version)
    if comune in zone_of:
        url_state.url_param("comune", url_state.choice(codes))
        print_view(version, lang, "comune", comune, zone_of[comune])
    elif st.session_state.get("zona"):
        print_view(version, lang, "zona", str(st.session_state["zona"]), st.session_state["zona"])
    else:
        print_view(version, lang, "cm", CM_CODE, None)
    st.stop()
introduction(version, lang)
notices.stop_if_empty(data.get("municipalities"))
codes, labels, zone_of = comune_choices(version)
code = url_state.url_select(L("Cerca il tuo comune (scrivi il nome)", "Find your municipality (type its name)"),
                     codes, "comune", None, labels.get,
                     placeholder=L("Nessun comune scelto: profilo della zona", "No municipality chosen: zone profile"))
if code is not None:
    zone_id, level, territory = zone_of[code], "comune", code
else:
    zone_id = st.session_state.get("zona") or 1
    level, territory = "zona", str(zone_id)
profile(version, lang, level, territory, zone_id)
downloads_and_report(version, lang, level, territory, zone_id)
without_data_and_priorities(version, lang)
link_to_actions(lang, zone_id)
