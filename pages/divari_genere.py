"""Divari di genere: women's and men's values side by side, and the F − M gap, by zone and for the CM."""
import pandas as pd
import streamlit as st

from monitor import charts, data, fmt, ui
from monitor.ui import L

lang = ui.lang()
st.title(L("Divari di genere", "Gender gaps"))
st.write(L("Per ogni indicatore misurato per sesso: il valore delle donne e quello degli uomini, per zona omogenea "
           "e per la Città metropolitana, e il divario.",
           "For every indicator measured by sex: the value for women and for men, by homogeneous zone and for the "
           "Metropolitan City, and the gap."))
st.info(L("Convenzione: divario = valore delle donne − valore degli uomini (F − M). Un divario negativo indica "
          "un valore più basso per le donne.",
          "Convention: gap = value for women − value for men (F − M). A negative gap means a lower value for women."),
        icon=":material/info:")

registry = data.get("indicators").set_index("code")
ui.stop_if_empty(registry)
gaps = registry[registry["aggregation"] == "gap"]
metric_columns = st.columns(max(len(gaps), 1))
for column, (code, row) in zip(metric_columns, gaps.iterrows()):
    cm = data.get("observations", code, "cm")
    with column.container(border=True):
        st.markdown(f"**{ui.indicator_name(row)}**")
        if cm.empty:
            ui.no_data(row)
            continue
        last = cm.sort_values("period").iloc[-1]
        st.metric(ui.indicator_name(row), fmt.value(last["value"], row["unit"], int(row["decimals"]), lang),
                  label_visibility="collapsed")
        st.caption(ui.provenance(last["producer"], last["period"], last["loaded_at"], last["load_kind"], last["loaded_by"]))

by_sex = registry[registry["by_sex"] & registry["aggregation"].isin(["ratio", "none"])]
options = list(by_sex.index)
gap_of = {code: row["gap_of"] for code, row in gaps.iterrows()}
ui.url_param("indicatore", lambda raw: gap_of.get(raw, raw) if gap_of.get(raw, raw) in options else None)
code = ui.url_select(L("Indicatore", "Indicator"), options, "indicatore", "share_age_18_35",
                     lambda c: ui.indicator_name(by_sex.loc[c]) + ("" if by_sex.at[c, "observations"] else " · n.d."))
meta = by_sex.loc[code]
unit, decimals = meta["unit"], int(meta["decimals"])
zone_pairs = data.get("gender_pairs", code, "zona")
cm_pairs = data.get("gender_pairs", code, "cm")
if zone_pairs.empty and cm_pairs.empty:
    ui.no_data(meta)
    st.stop()
years = sorted(set(zone_pairs["period"]) | set(cm_pairs["period"]), reverse=True)
year = ui.url_select(L("Anno", "Year"), years, "anno", years[0])
ui.provisional_zones_notice(data.get("build_info").get("zone_list_status", "provisional"))

shown = zone_pairs[zone_pairs["period"] == year]
cm_row = cm_pairs[cm_pairs["period"] == year]
pairs = shown
if not cm_row.empty:
    pairs = pd.concat([pairs, cm_row.assign(territory_name=L("Città metropolitana", "Metropolitan City"))])
source_line = ui.provenance(pairs["producer"].iloc[0], year, pairs["loaded_at"].iloc[0])
labels = {"F": ui.sex_label("F"), "M": ui.sex_label("M"), "T": ui.sex_label("T")}

st.subheader(f"{ui.indicator_name(meta)} · {year}")
if len(shown):
    best, worst = shown.loc[shown["gap"].abs().idxmin()], shown.loc[shown["gap"].abs().idxmax()]
    a, b, c = st.columns(3)
    a.metric(L("Divario più contenuto", "Smallest gap"), fmt.value(best["gap"], "pp" if unit == "pct" else unit, decimals, lang))
    a.caption(best["territory_name"])
    b.metric(L("Divario più ampio", "Largest gap"), fmt.value(worst["gap"], "pp" if unit == "pct" else unit, decimals, lang))
    b.caption(worst["territory_name"])
    c.metric(L("Distanza tra le zone", "Spread between zones"),
             fmt.value(shown["gap"].max() - shown["gap"].min(), "pp" if unit == "pct" else unit, decimals, lang))
tab_chart, tab_trend, tab_table = st.tabs([L("Donne e uomini per zona", "Women and men by zone"),
                                           L("Nel tempo", "Over time"), L("Tabella", "Table")])
with tab_chart:
    st.plotly_chart(charts.gap_dumbbell(pairs, unit, decimals, lang, labels), config={"displayModeBar": False})
    st.caption(L("Cerchio = donne, quadrato = uomini; in alto il divario più negativo. ",
                 "Circle = women, square = men; the most negative gap at the top. ") + source_line)
with tab_trend:
    cm_series = data.get("observations", code, "cm")
    if cm_series["period"].nunique() < 2:
        st.info(L("Un solo anno disponibile: la serie storica apparirà con i prossimi caricamenti.",
                  "Only one year available: the time series will appear with the next loads."))
    st.plotly_chart(charts.trend(cm_series, unit, decimals, lang, labels), config={"displayModeBar": False})
    st.caption(L("Città metropolitana. ", "Metropolitan City. ") + source_line)
    series = cm_series[["period", "sex", "value", "numerator", "denominator"]]
    st.dataframe(series, hide_index=True, column_config={"period": st.column_config.NumberColumn(L("Anno", "Year"), format="%d")})
    ui.download(series, f"serie_{code}.csv", key="download_series")
with tab_table:
    table = pairs[["territory_name", "period", "F", "M", "gap"]].sort_values("gap")
    st.dataframe(table, hide_index=True, column_config={
        "territory_name": L("Territorio", "Area"), "period": st.column_config.NumberColumn(L("Anno", "Year"), format="%d"),
        "F": labels["F"], "M": labels["M"], "gap": L("Divario F − M", "Gap F − M")})
    st.caption(source_line)
    ui.download(table, f"divari_{code}_{year}.csv", key="download_gaps")
