"""Servizi sul territorio: map, zone chart and table of any indicator measured per comune."""
import pandas as pd
import streamlit as st

from monitor import charts, comparisons, data, fmt, i18n, maps, notices, phrases, plain, replay, url_state
from monitor.i18n import L


@replay.section
def introduction(version: str, lang: str) -> None:
    """Title and purpose of the page."""
    notices.page_intro(
        L("Servizi sul territorio", "Local services"),
        L("Ogni indicatore misurato per comune: la mappa dei comuni con i confini delle zone omogenee, "
          "il confronto tra zone e la tabella dei valori.",
          "Every indicator measured by municipality: a map of the comuni with the zone outlines, "
          "a comparison of zones and the table of values."))


# The map opens on a service or on income when one has comune data, on a demographic share only without them.
DEFAULT_ORDER = ("share_comuni_pharmacy", "share_comuni_post_office", "income_per_taxpayer",
                 "share_taxpayers_under_10k", "share_age_65_plus")


@replay.memo
def indicator_choices(version: str, lang: str) -> tuple[list, dict, str | None]:
    """Indicators that aggregate to zones (codes), their labels (n.d. when no comune has data), the default one."""
    registry = data.get("indicators")
    mappable = registry[registry["aggregation"] != "none"].set_index("code")
    labels = {c: phrases.indicator_name(r) + ("" if r["has_comuni"] else " · n.d.") for c, r in mappable.iterrows()}
    with_data = [c for c in DEFAULT_ORDER if c in labels and mappable.at[c, "has_comuni"]]
    return list(labels), labels, with_data[0] if with_data else next(iter(labels), None)


@replay.memo
def comune_periods(version: str, code: str) -> tuple[list, list]:
    """Years (newest first) and sexes (T, F, M order) with comune values of the indicator."""
    rows = data.get("observation_periods", code, "comune")
    return sorted(map(int, rows["period"].unique()), reverse=True), [s for s in ("T", "F", "M") if s in set(rows["sex"])]


def comune_rows(version: str, code: str, year: int, sex: str) -> pd.DataFrame:
    """The comuni's values of one year and sex, with names, zone, population, centroid and load."""
    return data.get("comune_observations", code, year, sex)


def source_line(version: str, lang: str, code: str, year: int, sex: str) -> str:
    """Provenance of the comune values shown."""
    first = comune_rows(version, code, year, sex).iloc[0]
    return phrases.provenance(first["producer"], year, first["loaded_at"], first["load_kind"], first["loaded_by"],
                         first.get("released_on"))


def title(code: str, year: int, sex: str) -> str:
    """Indicator · year (· sex when not the total), as Markdown."""
    return plain.markdown(f"{phrases.indicator_name(data.indicator(code))} · {year}"
                          + ("" if sex == "T" else f" · {phrases.sex_label(sex)}"))


@replay.section
def map_of_comuni(version: str, lang: str, code: str, year: int, sex: str, zone: int | None) -> None:
    """Choropleth of the comuni (zone outlines on top, zoomed on the chosen zone) and its legend."""
    meta, shown = data.indicator(code), comune_rows(version, code, year, sex)
    flag = meta["comune_kind"] == "flag"
    st.subheader(title(code, year, sex))
    comuni_url, zones_url = data.map_geometry_urls(lang, code)
    breaks = [] if flag else maps.class_breaks(shown["value"])
    key = maps.combo_key(code, year, sex)
    tooltip = maps.tooltip_text(L("Zona", "Zone"), phrases.indicator_name(meta), key,
                                source_line(version, lang, code, year, sex))
    in_zone = shown if zone is None else shown[shown["zone_id"] == zone]
    view = maps.view_of(None if zone is None else in_zone[["centroid_lon", "centroid_lat"]])
    st.pydeck_chart(maps.deck(comuni_url, zones_url, maps.fill_expression(key, breaks, flag), tooltip, view), height=520)
    legend = maps.legend(breaks, meta["unit"], int(meta["decimals"]), lang, flag)
    references = "" if flag else phrases.references_line(comparisons.reference_values(code, year, sex), meta["unit"],
                                                     int(meta["decimals"]))
    st.markdown("  \n".join(f'<span style="display:inline-block;width:1.6em;height:0.9em;background:{colour};'
                            f'border:1px solid #999;margin-right:0.5em"></span>{plain.html(label)}'
                            for colour, label in zip(legend["colour"], legend["label"]))
                + (f"\n\n{plain.markdown(L('Riferimenti', 'Benchmarks'))}: {plain.markdown(references)}"
                   if references else "")
                + "\n\n" + phrases.small(source_line(version, lang, code, year, sex)), unsafe_allow_html=True)


def zone_table(version: str, lang: str, code: str, year: int, sex: str) -> pd.DataFrame:
    """Per zone: residents and comuni without the service (yes/no indicators), or the zone values."""
    if data.indicator(code)["comune_kind"] == "flag":
        return data.get("service_gaps_by_zone", code, year)[[
            "zone_name", "comuni", "comuni_without", "share_comuni_without", "residents_without", "share_residents_without"]]
    zone_rows = data.get("observations", code, "zona")
    zone_rows = zone_rows[(zone_rows["period"] == year) & (zone_rows["sex"] == sex)]
    references = pd.DataFrame(comparisons.reference_values(code, year, sex), columns=["value", "territory_name", "level"])
    return pd.concat([zone_rows[["territory_name", "value", "numerator", "denominator"]],
                      references.drop(columns=["level"])], ignore_index=True)


@replay.section
def zones_compared(version: str, lang: str, code: str, year: int, sex: str) -> None:
    """Zones ranked: share of residents without the service, or the zone values beside the CM's."""
    meta = data.indicator(code)
    st.subheader(title(code, year, sex))
    if meta["comune_kind"] == "flag":
        gaps = data.get("service_gaps_by_zone", code, year)
        st.plotly_chart(charts.ranked_bars(gaps, "share_residents_without", "zone_name", "pct", 1, lang),
                        config={"displayModeBar": False})
        st.caption(plain.markdown(L("Quota di residenti che vivono in un comune senza il servizio.",
                                    "Share of residents living in a municipality without the service.") + " "
                                  + source_line(version, lang, code, year, sex)))
    else:
        zone_rows = data.get("observations", code, "zona")
        zone_rows = zone_rows[(zone_rows["period"] == year) & (zone_rows["sex"] == sex)]
        # A total (residents, counts) of the CM or Italia is no yardstick for a zone's: lines only for rates.
        lines = [] if meta["aggregation"] == "sum" else comparisons.reference_values(code, year, sex)
        st.plotly_chart(charts.ranked_bars(zone_rows, "value", "territory_name", meta["unit"], int(meta["decimals"]),
                                           lang, lines), config={"displayModeBar": False})
        st.caption(plain.markdown((L("Linee: Città metropolitana, Piemonte e Italia (dove ci sono i dati). ",
                                     "Lines: Metropolitan City, Piemonte and Italy (where there are data). ")
                                   if lines else "") + source_line(version, lang, code, year, sex)))
    st.dataframe(zone_table(version, lang, code, year, sex), hide_index=True, column_config={
        "territory_name": L("Territorio", "Area"), "zone_name": L("Zona", "Zone"), "value": L("Valore", "Value"),
        "numerator": L("Numeratore", "Numerator"), "denominator": L("Denominatore", "Denominator"),
        "comuni": L("Comuni", "Municipalities"), "comuni_without": L("Comuni senza", "Municipalities without"),
        "share_comuni_without": L("% comuni senza", "% municipalities without"),
        "residents_without": L("Residenti senza", "Residents without"),
        "share_residents_without": L("% residenti senza", "% residents without")})


def comuni_table(version: str, lang: str, code: str, year: int, sex: str, zone: int | None) -> pd.DataFrame:
    """The comuni shown (those of the chosen zone, if any) with the value also as Italian or English text."""
    meta, shown = data.indicator(code), comune_rows(version, code, year, sex)
    in_zone = shown if zone is None else shown[shown["zone_id"] == zone]
    flag, unit, decimals = meta["comune_kind"] == "flag", meta["unit"], int(meta["decimals"])
    return in_zone[["territory_code", "territory_name", "zone_name", "value", "numerator", "denominator"]].assign(
        label=[fmt.flag(v, lang) if flag else fmt.value(v, unit, decimals, lang) for v in in_zone["value"]])


@replay.section
def comuni_listed(version: str, lang: str, code: str, year: int, sex: str, zone: int | None) -> None:
    """Every comune's value in a table."""
    st.subheader(title(code, year, sex))
    if zone is not None:
        st.caption(L("Comuni della zona scelta nel menu laterale.", "Municipalities of the zone chosen in the sidebar."))
    st.dataframe(comuni_table(version, lang, code, year, sex, zone), hide_index=True, column_config={
        "territory_code": L("Codice Istat", "Istat code"), "territory_name": L("Comune", "Municipality"),
        "zone_name": L("Zona", "Zone"), "value": L("Valore", "Value"), "label": L("Valore (testo)", "Value (text)"),
        "numerator": L("Numeratore", "Numerator"), "denominator": L("Denominatore", "Denominator")})
    st.caption(plain.markdown(source_line(version, lang, code, year, sex)))


lang, version = i18n.lang(), data.version()
introduction(version, lang)
notices.stop_if_empty(data.get("indicators"))
codes, labels, default = indicator_choices(version, lang)
code = url_state.url_select(L("Indicatore", "Indicator"), codes, "indicatore", default, labels.get)
if code is None:
    st.stop()
years, sexes = comune_periods(version, code)
if not years:
    notices.no_data_for(version, lang, code)
    st.stop()
filters = st.container(horizontal=True)  # one block, where st.columns would send three messages every rerun
year = url_state.url_select(L("Anno", "Year"), years, "anno", years[0], container=filters, width=130)
sex = url_state.url_select(L("Sesso", "Sex"), sexes, "sesso", "T", phrases.sex_label, container=filters, width=130)
notices.zone_list_notice(version, lang)
zone = st.session_state.get("zona")

# Only the open tab is drawn: switching tabs reruns the page (a replay), hidden tabs cost nothing.
tab_map, tab_zones, tab_table = st.tabs([L("Mappa", "Map"), L("Per zona", "By zone"), L("Tabella", "Table")],
                                        key=f"services_tab_{lang}", on_change="rerun")
if tab_map.open:
    with tab_map:
        map_of_comuni(version, lang, code, year, sex, zone)
if tab_zones.open:
    with tab_zones:
        zones_compared(version, lang, code, year, sex)
        notices.download(lambda: zone_table(version, lang, code, year, sex), f"{code}_{year}_{sex}_zone.csv",
                    key="download_zones")
if tab_table.open:
    with tab_table:
        comuni_listed(version, lang, code, year, sex, zone)
        notices.download(lambda: comuni_table(version, lang, code, year, sex, zone), f"{code}_{year}_{sex}_comuni.csv",
                    key="download_comuni")
