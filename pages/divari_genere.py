"""Divari di genere: women's and men's values side by side, and the F − M gap, by zone and for the CM."""
import pandas as pd
import streamlit as st
from core.bilingual import localized_column

from monitor import cards, charts, data, fmt, i18n, notices, phrases, plain, replay, url_state
from monitor.i18n import L


@replay.section
def introduction(version: str, lang: str) -> None:
    """Title, purpose, the gap convention and one card per gap indicator with its latest CM value."""
    notices.page_intro(
        L("Divari di genere", "Gender gaps"),
        L("Per ogni indicatore misurato per sesso: il valore delle donne e quello degli uomini, per zona omogenea "
          "e per la Città metropolitana, e il divario.",
          "For every indicator measured by sex: the value for women and for men, by homogeneous zone and for the "
          "Metropolitan City, and the gap."))
    st.info(L("Convenzione: divario = valore delle donne − valore degli uomini (F − M). Un divario negativo indica "
              "un valore più basso per le donne.",
              "Convention: gap = value for women − value for men (F − M). A negative gap means a lower value for women."),
            icon=":material/info:")
    registry = data.get("indicators").set_index("code")
    st.html(cards.cards_html([gap_card(code, row, lang) for code, row in
                              registry[registry["aggregation"] == "gap"].iterrows()],
                             L("Divari di genere della Città metropolitana", "Gender gaps of the Metropolitan City")))


def gap_card(code: str, row, lang: str) -> cards.Card:
    """The latest CM value of a gap indicator, or what would fill it."""
    cm = data.get("observations", code, "cm")
    if cm.empty:
        return cards.Card(phrases.indicator_name(row), fmt.MISSING.in_(lang), note=phrases.no_data_text(row))
    last = cm.sort_values("period").iloc[-1]
    return cards.Card(phrases.indicator_name(row), fmt.value(last["value"], row["unit"], int(row["decimals"]), lang),
                      provenance=phrases.provenance(last["producer"], last["period"], last["loaded_at"], last["load_kind"],
                                               last["loaded_by"], last.get("released_on")))


@replay.memo
def indicator_choices(version: str, lang: str) -> tuple[list, dict, dict]:
    """By-sex indicators (codes), their labels, and gap indicator → the indicator it is the gap of."""
    registry = data.get("indicators").set_index("code")
    by_sex = registry[registry["by_sex"] & registry["aggregation"].isin(["ratio", "none"])]
    labels = {c: phrases.indicator_name(r) + ("" if r["observations"] else " · n.d.") for c, r in by_sex.iterrows()}
    gap_of = dict(registry.loc[registry["aggregation"] == "gap", "gap_of"])
    return list(by_sex.index), labels, gap_of


@replay.memo
def years_of(version: str, code: str) -> list[int]:
    """Years with an F − M pair for the indicator, newest first."""
    periods = set(data.get("gender_pairs", code, "zona")["period"]) | set(data.get("gender_pairs", code, "cm")["period"])
    return sorted(periods, reverse=True)


@replay.memo
def pairs_of(version: str, lang: str, code: str, year: int) -> pd.DataFrame:
    """F, M and gap of every zone and of the CM in one year (the CM last, named)."""
    zone_pairs, cm_pairs = data.get("gender_pairs", code, "zona"), data.get("gender_pairs", code, "cm")
    shown, cm_row = zone_pairs[zone_pairs["period"] == year], cm_pairs[cm_pairs["period"] == year]
    if cm_row.empty:
        return shown
    return pd.concat([shown, cm_row.assign(territory_name=L("Città metropolitana", "Metropolitan City"))])


@replay.memo
def reference_pairs(version: str, lang: str, code: str, year: int) -> pd.DataFrame:
    """F, M and gap of Piemonte and Italia in one year, named in the view's language (empty when none)."""
    rows = data.get("benchmark_gender_pairs", code)
    rows = rows[rows["period"] == year]
    return rows.assign(territory_name=rows[localized_column("name", lang)])


def source_of(pairs: pd.DataFrame, year: int) -> str:
    """Provenance line of a year's pairs."""
    return phrases.provenance(pairs["producer"].iloc[0], year, pairs["loaded_at"].iloc[0])


@replay.section
def gap_summary(version: str, lang: str, code: str, year: int) -> None:
    """Heading, and the smallest gap, the largest gap and the spread between zones."""
    meta = data.indicator(code)
    unit, decimals = meta["unit"], int(meta["decimals"])
    gap_unit = "pp" if unit == "pct" else unit
    shown = data.get("gender_pairs", code, "zona")
    shown = shown[shown["period"] == year]
    st.subheader(plain.markdown(f"{phrases.indicator_name(meta)} · {year}"))
    if len(shown):
        best, worst = shown.loc[shown["gap"].abs().idxmin()], shown.loc[shown["gap"].abs().idxmax()]
        figures = ((L("Divario più contenuto", "Smallest gap"), best["gap"], best["territory_name"]),
                   (L("Divario più ampio", "Largest gap"), worst["gap"], worst["territory_name"]),
                   (L("Distanza tra le zone", "Spread between zones"), shown["gap"].max() - shown["gap"].min(), ""))
        st.html(cards.cards_html([cards.Card(label, fmt.value(gap, gap_unit, decimals, lang), change=where)
                                  for label, gap, where in figures],
                                 L("Divari tra le zone", "Gaps between zones")))


@replay.section
def dumbbell(version: str, lang: str, code: str, year: int) -> None:
    """Women (circle) and men (square) of every zone and the CM, most negative gap at the top."""
    meta = data.indicator(code)
    pairs, references = pairs_of(version, lang, code, year), reference_pairs(version, lang, code, year)
    labels = {s: phrases.sex_label(s) for s in ("F", "M", "T")}
    st.plotly_chart(charts.gap_dumbbell(pairs, meta["unit"], int(meta["decimals"]), lang, labels, references,
                                        L("riferimento", "benchmark")), config={"displayModeBar": False})
    st.caption(plain.markdown(L("Cerchio = donne, quadrato = uomini; in alto il divario più negativo. ",
                                "Circle = women, square = men; the most negative gap at the top. ")
                              + (L("In basso, con simboli vuoti, Piemonte e Italia per riferimento. ",
                                   "At the bottom, hollow symbols: Piemonte and Italy as benchmarks. ")
                                 if len(references) else "")
                              + source_of(pairs, year)))


@replay.section
def trend(version: str, lang: str, code: str, year: int) -> None:
    """The CM's values over the years by sex, chart and table."""
    meta = data.indicator(code)
    cm_series = data.get("observations", code, "cm")
    if cm_series["period"].nunique() < 2:
        st.info(L("Un solo anno disponibile: la serie storica apparirà con i prossimi caricamenti.",
                  "Only one year available: the time series will appear with the next loads."))
    labels = {s: phrases.sex_label(s) for s in ("F", "M", "T")}
    st.plotly_chart(charts.trend(cm_series, meta["unit"], int(meta["decimals"]), lang, labels),
                    config={"displayModeBar": False})
    st.caption(plain.markdown(L("Città metropolitana. ", "Metropolitan City. ")
                              + source_of(pairs_of(version, lang, code, year), year)))
    st.dataframe(series_table(version, code), hide_index=True,
                 column_config={"period": st.column_config.NumberColumn(L("Anno", "Year"), format="%d")})


def series_table(version: str, code: str) -> pd.DataFrame:
    """The CM's series as shown and downloaded."""
    return data.get("observations", code, "cm")[["period", "sex", "value", "numerator", "denominator"]]


def gap_table(version: str, lang: str, code: str, year: int) -> pd.DataFrame:
    """F, M and gap per territory (zones and the CM by gap, then Piemonte and Italia), as shown and downloaded."""
    columns = ["territory_name", "period", "F", "M", "gap"]
    return pd.concat([pairs_of(version, lang, code, year)[columns].sort_values("gap"),
                      reference_pairs(version, lang, code, year)[columns]], ignore_index=True)


@replay.section
def table(version: str, lang: str, code: str, year: int) -> None:
    """F, M and gap per territory in a table."""
    st.dataframe(gap_table(version, lang, code, year), hide_index=True, column_config={
        "territory_name": L("Territorio", "Area"), "period": st.column_config.NumberColumn(L("Anno", "Year"), format="%d"),
        "F": phrases.sex_label("F"), "M": phrases.sex_label("M"), "gap": L("Divario F − M", "Gap F − M")})
    st.caption(plain.markdown(source_of(pairs_of(version, lang, code, year), year)))


lang, version = i18n.lang(), data.version()
notices.stop_if_empty(data.get("indicators"))
introduction(version, lang)

options, labels, gap_of = indicator_choices(version, lang)
url_state.url_param("indicatore", lambda raw: gap_of.get(raw, raw) if gap_of.get(raw, raw) in options else None)
code = url_state.url_select(L("Indicatore", "Indicator"), options, "indicatore", "share_age_18_35", labels.get)
years = years_of(version, code)
if not years:
    notices.no_data_for(version, lang, code)
    st.stop()
year = url_state.url_select(L("Anno", "Year"), years, "anno", years[0])
notices.zone_list_notice(version, lang)

gap_summary(version, lang, code, year)
# Only the open tab is drawn: switching tabs reruns the page (a replay), hidden tabs cost nothing.
tab_chart, tab_trend, tab_table = st.tabs([L("Donne e uomini per zona", "Women and men by zone"),
                                           L("Nel tempo", "Over time"), L("Tabella", "Table")],
                                          key=f"gender_tab_{lang}", on_change="rerun")
if tab_chart.open:
    with tab_chart:
        dumbbell(version, lang, code, year)
if tab_trend.open:
    with tab_trend:
        trend(version, lang, code, year)
        notices.download(lambda: series_table(version, code), f"serie_{code}.csv", key="download_series")
if tab_table.open:
    with tab_table:
        table(version, lang, code, year)
        notices.download(lambda: gap_table(version, lang, code, year), f"divari_{code}_{year}.csv", key="download_gaps")
