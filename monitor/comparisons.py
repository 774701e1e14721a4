"""A territory against the Metropolitan City, Piemonte and Italia: the profile table and the reference values."""
from __future__ import annotations

import pandas as pd

from core.bilingual import localized_column
from monitor import data, fmt
from monitor.i18n import L, lang
from monitor.phrases import comparison_symbol, indicator_name, sex_label

COMPARISON_COLOURS = {"▲": "background-color: #cfe5f5", "▼": "background-color: #fbd9b9"}  # blue / orange


def profile_table(profile: pd.DataFrame, level: str) -> pd.DataFrame:
    """The profile as text columns: indicator, sex, year, value, zone (for a comune), CM, comparison with the CM,
    the CM's region and Italia (benchmarks, n.d. where the national data give none), source."""
    view = lang()
    names = profile[["region_name_it", "region_name_en"]].dropna()
    region = L(*names.iloc[0]) if len(names) else L("Regione", "Region")
    columns = [L("Strategia", "Strategy"), L("Indicatore", "Indicator"), L("Sesso", "Sex"), L("Anno", "Year"),
               L("Valore", "Value"), L("Zona", "Zone"), L("Città metropolitana", "Metropolitan City"),
               L("Rispetto alla CM", "Against the CM"), region, L("Italia", "Italy"), L("Fonte", "Source")]
    rows = []
    for r in profile.to_dict("records"):
        unit, decimals = r["unit"], int(r["decimals"])
        own = fmt.flag(r["value"], view) if r["comune_kind"] == "flag" and level == "comune" else \
            fmt.value(r["value"], unit, decimals, view)
        rows.append([r["code"], r["strategy_code"], indicator_name(r), sex_label(r["sex"]), str(int(r["period"])),
                     own, *(fmt.value(r[key], unit, decimals, view) for key in ("zone_value", "cm_value")),
                     comparison_symbol(r["value"], r["cm_value"], r["polarity"]),
                     *(fmt.value(r[key], unit, decimals, view) for key in ("region_value", "italy_value")),
                     f"{r['producer']}, {int(r['period'])}"])
    table = pd.DataFrame(rows, columns=["_code", *columns])
    # A zone's own value is its zone's: the zone column would repeat it.
    return table.drop(columns=[L("Zona", "Zone")]) if level == "zona" and len(table) else table


def comparison_style(column: pd.Series) -> list[str]:
    """Background colour of the comparison cells (blue better, orange worse); the symbol and word carry the meaning."""
    return [COMPARISON_COLOURS.get(str(v)[:1], "") for v in column]


def reference_values(code: str, year: int, sex: str, with_cm: bool = True) -> list[tuple[float, str, str]]:
    """(value, name, level) of the CM, its region (Piemonte) and Italia for one indicator, year and sex, where they
    exist."""
    rows = data.get("benchmarks", code)
    rows = rows[(rows["period"] == year) & (rows["sex"] == sex) & rows["level"].isin(["regione", "italia"])]
    name = localized_column("name", lang())
    found = [(r["value"], r[name], r["level"]) for r in rows.sort_values("level", ascending=False).to_dict("records")]
    if with_cm:
        cm = data.get("observations", code, "cm")
        cm = cm[(cm["period"] == year) & (cm["sex"] == sex)]
        found = [(cm["value"].iloc[0], L("Città metropolitana", "Metropolitan City"), "cm")] * (len(cm) > 0) + found
    return found
