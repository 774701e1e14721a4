"""Quadro generale: the headline indicators of Axis 5 with value, year, source, change, target and a reading; the
Metropolitan City's report as a PDF."""
import streamlit as st

from core.bilingual import localized
from core.settings import load_settings
from core.territory import CM_CODE
from monitor import cards, data, fmt, i18n, notices, phrases, replay, report
from monitor.i18n import L


@replay.section
def headline_cards(version: str, lang: str, zone: int | None, embedded: bool) -> None:
    """Title, purpose and one card per headline indicator in the plan's order."""
    notices.page_intro(
        L("Quadro generale dell'Asse 5", "Axis 5 overview"),
        L("Torino metropoli più attrattiva, giusta ed eguale: gli indicatori di sintesi del piano per la "
          "Città metropolitana, con l'ultimo valore disponibile, l'anno, la fonte e la data di caricamento.",
          "A more attractive, fair and equal Torino metropolis: the plan's headline indicators for the "
          "Metropolitan City, with the latest value, its year, its source and when it was loaded.") + "\n\n"
        + phrases.small(L("Divari di genere calcolati come valore delle donne meno valore degli uomini (F − M).",
                          "Gender gaps are the value for women minus the value for men (F − M).")))
    headline = data.get("headline")
    if headline.empty:
        st.warning(L("Il warehouse non contiene indicatori di sintesi.", "The warehouse holds no headline indicators."))
        return
    # One HTML element for the seven cards: every element is a message on every rerun (bench/RESULTS.md).
    st.html(cards.cards_html([card(row, lang, zone, embedded) for row in headline.to_dict("records")],
                             L("Indicatori di sintesi", "Headline indicators")))


def detail_page(row) -> tuple[str, dict]:
    """URL path (as app.py names it) and query parameters of the page detailing an indicator: gaps → gender
    page, others → services map."""
    if row.get("aggregation") == "gap" or str(row["code"]).startswith("gap_"):
        return "divari-genere", {"indicatore": str(row["code"])}
    return "servizi", {"indicatore": str(row["code"])}


def card(row: dict, lang: str, zone: int | None, embedded: bool) -> cards.Card:
    """One headline indicator: value, change, reading, target, provenance and a link to its detail page."""
    unit, decimals = row["unit"], int(row["decimals"])
    path, params = detail_page(row)
    link = dict(link_label=L("Dettaglio", "Details"), link_path=path,
                link_params=(*params.items(), ("lang", lang), ("zona", zone), ("embed", "true" if embedded else None)))
    if fmt.is_missing(row["value"]):
        return cards.Card(phrases.indicator_name(row), fmt.MISSING.in_(lang), note=phrases.no_data_text(row), **link)
    change = ""
    if not fmt.is_missing(row["previous_value"]):
        change = (fmt.value(row["value"] - row["previous_value"], "pp" if unit == "pct" else unit, decimals, lang,
                            signed=True) + L(f" dal {int(row['previous_period'])}", f" since {int(row['previous_period'])}"))
    has_target = not fmt.is_missing(row["target_value"])
    return cards.Card(
        phrases.indicator_name(row), fmt.value(row["value"], unit, decimals, lang), change,
        reading=fmt.reading(localized(row, "reading", lang), row["value"], unit, decimals, row["period"], lang),
        target=phrases.target_status(row) if has_target else "",
        benchmark=benchmark_line(row, lang),
        note="" if has_target else L("Nessun obiettivo fissato dal piano per questo indicatore.",
                                     "The plan sets no target for this indicator."),
        provenance=phrases.provenance(row["producer"], row["period"], row["loaded_at"], row["load_kind"], row["loaded_by"],
                                 row.get("released_on")),
        **link)


def benchmark_line(row: dict, lang: str) -> str:
    """'Piemonte 12,3% · Italia 11,0% (2021)' where the bundled national data give the figure, else ''."""
    region = localized(row, "region_name", lang)
    found = [(row["region_value"], region), (row["italy_value"], L("Italia", "Italy"))]
    found = [(value, name) for value, name in found if not fmt.is_missing(value)]
    if not found:
        return ""
    return phrases.references_line(found, row["unit"], int(row["decimals"])) + f" ({int(row['period'])})"


def headline_table():
    """The cards' figures as one table, for the download."""
    return data.get("headline")[["code", "name_it", "name_en", "unit", "period", "value", "previous_period",
                                 "previous_value", "target_period", "target_value", "region_value", "italy_value",
                                 "producer", "loaded_at"]]


def cm_report_offer(lang: str) -> None:
    """The Metropolitan City's report as a PDF, built when clicked (a zone's or a comune's: «Profilo territoriale»)."""
    whole, db = report.Territory("cm", CM_CODE), load_settings().served_warehouse
    st.download_button(L("Report della Città metropolitana (PDF)", "Metropolitan City report (PDF)"),
                       lambda: report.territory_pdf(db, whole, lang), file_name=report.file_name(whole, lang),
                       mime="application/pdf", key="download_report_cm", icon=":material/picture_as_pdf:")


headline_cards(data.version(), i18n.lang(), st.session_state.get("zona"), st.context.is_embedded)
with st.container(horizontal=True):
    notices.download(headline_table, "quadro_generale_asse5.csv", key="download_headline")
    cm_report_offer(i18n.lang())
