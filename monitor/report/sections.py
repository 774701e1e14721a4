"""The sections of a territory report: indicators, gender gaps, actions, indicators without data, sources."""
from __future__ import annotations

import pandas as pd

from core.progress_status import label as status_label
from core.bilingual import localized, localized_column
from monitor import comparisons, fmt, i18n, phrases, queries
from monitor.report.model import Section, Table
from monitor.report.territory import Territory


def comparison_legend(L) -> str:  # noqa: N803
    """How to read the comparison column, and how zones and the CM are computed (the profile page's legend)."""
    return L("Confronto con la CM: ▲ migliore, ▼ peggiore, = uguale, ○ nessuna polarità (indicatore descrittivo). ",
             "Against the CM: ▲ better, ▼ worse, = equal, ○ no polarity (descriptive indicator). ") + method_note(L)


def method_note(L) -> str:  # noqa: N803
    """How zones, the CM, Piemonte and Italia are computed."""
    return L("Le zone e la CM sono calcolate dai numeratori e denominatori dei comuni; Piemonte e Italia, nello "
             "stesso anno, da ogni comune delle fonti nazionali incluse (popolazione Istat, redditi MEF), n.d. dove "
             "non ci sono.",
             "Zones and the CM are computed from the comuni's numerators and denominators; Piemonte and Italy, in "
             "the same year, from every municipality of the bundled national sources (Istat population, MEF "
             "incomes), n/a where they give none.")


PROFILE_WEIGHTS = {"indicator": 40, "sex": 10, "year": 8, "source": 34}  # any other column: a value, 15


def profile_section(profile: pd.DataFrame, territory: Territory, L) -> Section:  # noqa: N803
    """Every indicator of the territory: the profile page's table (comparisons.profile_table), its columns as on screen."""
    heading = L("Indicatori", "Indicators")
    if profile.empty:
        return Section(heading, [L("Nessun indicatore disponibile per questo territorio.",
                                   "No indicator available for this area.")])
    table = comparisons.profile_table(profile, territory.level).drop(columns=["_code", L("Strategia", "Strategy")])
    if territory.level == "cm":  # the CM against itself: its zone, CM and comparison columns say nothing
        table = table.drop(columns=[L("Zona", "Zone"), L("Città metropolitana", "Metropolitan City"),
                                    L("Rispetto alla CM", "Against the CM")])
    kinds = {L("Indicatore", "Indicator"): "indicator", L("Sesso", "Sex"): "sex", L("Anno", "Year"): "year",
             L("Fonte", "Source"): "source"}
    columns = list(table.columns)
    compare = L("Rispetto alla CM", "Against the CM")
    legend = comparison_legend(L) if territory.level != "cm" else method_note(L)
    return Section(heading, [legend], Table(columns, table.astype(str).values.tolist(),
                                            [PROFILE_WEIGHTS.get(kinds.get(c, ""), 15) for c in columns],
                                            columns.index(compare) if compare in columns else None))


def gap_rows(profile: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator with F and M values in the profile: F, M and F − M at each level it has."""
    levels = ["value", "zone_value", "cm_value", "region_value", "italy_value"]
    by_sex = profile[profile["sex"].isin(["F", "M"])]
    if by_sex.empty:
        return pd.DataFrame()
    keys = ["code", "name_it", "name_en", "unit", "decimals", "period", "strategy_code"]
    wide = by_sex.pivot_table(index=keys, columns="sex", values=levels, aggfunc="first", dropna=False)
    rows = wide.reset_index()
    out = rows[[(k, "") for k in keys]].droplevel(1, axis=1)
    for level in levels:
        out[f"F_{level}"], out[f"M_{level}"] = rows[(level, "F")].values, rows[(level, "M")].values
        out[f"gap_{level}"] = out[f"F_{level}"] - out[f"M_{level}"]   # the gender page's convention: F − M
    return out.dropna(subset=["gap_value"]).sort_values(["strategy_code", "code"])


def gap_table(profile: pd.DataFrame, registry: pd.DataFrame, territory: Territory, L) -> Table | None:  # noqa: N803
    """Women, men and F − M of the territory, then F − M of its zone, the CM, Piemonte and Italia (same year)."""
    pairs, region = gap_rows(profile), region_name(profile, L)
    levels = [("value", None), ("zone_value", L("Zona", "Zone")), ("cm_value", L("Città metropolitana",
                                                                                  "Metropolitan City")),
              ("region_value", region), ("italy_value", L("Italia", "Italy"))]
    levels = [(lv, name) for lv, name in levels if not (
        (lv == "zone_value" and territory.level != "comune") or (lv == "cm_value" and territory.level == "cm"))]
    rows = []
    for r in pairs.to_dict("records"):
        unit, decimals = r["unit"], int(r["decimals"])
        gap_unit = "pp" if unit == "pct" else unit   # as the gender page: a gap of shares is in points
        rows.append([phrases.indicator_name(r), str(int(r["period"])), fmt.value(r["F_value"], unit, decimals, i18n.lang()),
                     fmt.value(r["M_value"], unit, decimals, i18n.lang())]
                    + [fmt.value(r[f"gap_{lv}"], gap_unit, decimals, i18n.lang()) for lv, _ in levels])
    paired = set(pairs["code"]) if len(pairs) else set()
    given = registry[(registry["aggregation"] == "gap") & ~registry["gap_of"].isin(paired)]
    for r in profile[profile["code"].isin(given["code"]) & (profile["sex"] == "T")].to_dict("records"):
        rows.append([phrases.indicator_name(r), str(int(r["period"])), fmt.MISSING.in_(i18n.lang()), fmt.MISSING.in_(i18n.lang())]
                    + [fmt.value(r[lv], r["unit"], int(r["decimals"]), i18n.lang()) for lv, _ in levels])
    if not rows:
        return None
    columns = [L("Indicatore", "Indicator"), L("Anno", "Year"), phrases.sex_label("F"), phrases.sex_label("M"),
               L("Divario F − M", "Gap F − M")] + [name for _, name in levels[1:]]
    return Table(columns, rows, [40, 8] + [15] * (len(columns) - 2))


def gaps_section(registry: pd.DataFrame, profile: pd.DataFrame, territory: Territory, L) -> Section:  # noqa: N803
    """The gender gaps of the territory beside those of its zone, the CM and the benchmarks."""
    heading = L("Divari di genere", "Gender gaps")
    convention = L("Divario = valore delle donne − valore degli uomini (F − M); un divario negativo indica un valore "
                   "più basso per le donne. Dopo quello del territorio, il divario F − M degli altri territori nello "
                   "stesso anno.",
                   "Gap = value for women − value for men (F − M); a negative gap means a lower value for women. "
                   "After the area's own, the F − M gap of the other areas in the same year.")
    table = gap_table(profile, registry, territory, L)
    if table is None:
        return Section(heading, [L("Nessun indicatore per sesso disponibile per questo territorio.",
                                   "No indicator by sex available for this area.")])
    return Section(heading, [convention], table)


def region_name(profile: pd.DataFrame, L) -> str:  # noqa: N803
    """The CM's region as the profile names it (Piemonte), or 'Regione'."""
    names = profile[["region_name_it", "region_name_en"]].dropna() if len(profile) else pd.DataFrame()
    return L(*names.iloc[0]) if len(names) else L("Regione", "Region")


def action_rows(db, territory: Territory) -> pd.DataFrame:
    """The latest progress of every action in the territory: its zone's rows and the whole CM's (all for the CM)."""
    progress = queries.action_progress(db)
    if territory.level != "cm":
        progress = progress[progress["zone_id"].isna() | (progress["zone_id"] == territory.zone_id)]
    return progress


def actions_section(db, territory: Territory, lang: str, L) -> Section:  # noqa: N803
    """Each action's latest status, percent, date and funds in the territory (who loaded it is left out)."""
    heading = L("Avanzamento delle azioni", "Action progress")
    priority = L("Il testo disponibile del piano non elenca le zone prioritarie per strategia (nel documento sono una "
                 "mappa): tutte le 20 azioni si applicano all'intera Città metropolitana.",
                 "The available text of the plan does not list the priority zones of each strategy (they are a map "
                 "in the document): all 20 actions apply to the whole Metropolitan City.")
    progress = action_rows(db, territory)
    if progress.empty:
        return Section(heading, [L("Nessun avanzamento caricato finora per questo territorio: gli uffici lo caricano "
                                   "con il modello «Avanzamento azioni».",
                                   "No progress loaded yet for this area: officials load it with the «Action "
                                   "progress» template."), priority])
    plan = queries.plan(db).set_index("code")
    rows = []
    for r in progress.to_dict("records"):
        title = plan.at[r["action_code"], localized_column("short_title", lang)] \
            if r["action_code"] in plan.index else ""
        rows.append([f"{r['action_code']} · {title}",
                     L("Intera CM", "Whole CM") if fmt.is_missing(r["zone_id"]) else str(r["zone_name"]),
                     status_label(r["status"], lang), fmt.value(r["percent"], "pct", 0, lang), phrases.loaded_on(r["as_of"]),
                     fmt.value(r["funds_allocated"], "eur", 0, lang), fmt.value(r["funds_spent"], "eur", 0, lang),
                     r["note"] if isinstance(r["note"], str) else ""])
    columns = [L("Azione", "Action"), L("Dove", "Where"), L("Stato", "Status"), "%", L("Al", "As of"),
               L("Fondi stanziati", "Funds allocated"), L("Fondi spesi", "Funds spent"), L("Nota", "Note")]
    return Section(heading, [L("Ultimo aggiornamento di ogni azione nella zona e per l'intera CM. Fonte: uffici CMT.",
                               "Latest update of each action in the zone and for the whole CM. Source: CMT offices.")],
                   Table(columns, rows, [38, 20, 13, 7, 12, 15, 15, 30]), [priority])


def missing_section(registry: pd.DataFrame, lang: str, L) -> Section:  # noqa: N803
    """Indicators of the plan with no data yet, and what would fill them."""
    missing = registry[registry["observations"] == 0]
    heading = L(f"Indicatori senza dati ({len(missing)})", f"Indicators with no data ({len(missing)})")
    rows = [[phrases.indicator_name(r), localized(r, "fill", lang)] for r in missing.to_dict("records")]
    if not rows:
        return Section(heading, [L("Ogni indicatore ha dati.", "Every indicator has data.")])
    return Section(heading, [], Table([L("Indicatore", "Indicator"), L("Lo riempirebbe", "Would be filled by")],
                                      rows, [45, 55]))


def sources_section(db, profile: pd.DataFrame, info: dict, L) -> Section:  # noqa: N803
    """Producer, data, licence, the years and load date of the report's figures, and address of each source."""
    loads = queries.loads(db)
    zone_list = loads[loads["load_id"] == info.get("zone_list_load")]
    figures = pd.concat([profile[["source_code", "period", "loaded_at"]],
                         zone_list.assign(period=None)[["source_code", "period", "created_at"]]
                         .rename(columns={"created_at": "loaded_at"})])
    used = figures.groupby("source_code", dropna=True).agg(
        first=("period", "min"), last=("period", "max"), loaded_at=("loaded_at", "max"))
    sources = queries.sources(db)
    rows = []
    for r in sources[sources["source_code"].isin(used.index)].to_dict("records"):
        first, last, loaded_at = used.loc[r["source_code"]]
        period = "" if fmt.is_missing(first) else str(int(first)) if first == last else f"{int(first)}–{int(last)}"
        rows.append([str(r["producer"]), str(r[L("title_it", "title_en")]), str(r["licence"]), period,
                     phrases.loaded_on(loaded_at), "" if fmt.is_missing(r["url"]) else str(r["url"])])
    columns = [L("Produttore", "Producer"), L("Dati", "Data"), L("Licenza", "Licence"), L("Anni", "Years"),
               L("Caricato il", "Loaded on"), L("Indirizzo", "Address")]
    return Section(L("Fonti e licenze", "Sources and licences"),
                   [L("Le fonti delle cifre di questo report. «Caricato il»: quando il dato è entrato nel warehouse "
                      "del monitor (scaricamento, caricamento o, per i dati inclusi, la costruzione). Metodi e "
                      "download completo in «Dati e fonti».",
                      "The sources of this report's figures. «Loaded on»: when the figure entered the monitor's "
                      "warehouse (download, upload or, for bundled data, the build). Methods and full download "
                      "under «Data and sources».")],
                   Table(columns, rows, [28, 40, 20, 10, 13, 34]))
