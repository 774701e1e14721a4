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
    rows = []
    names = profile[["region_name_it", "region_name_en"]].dropna()
    region = L(*names.iloc[0]) if len(names) else L("Regione", "Region")
    for r in profile.to_dict("records"):
        unit, decimals = r["unit"], int(r["decimals"])
        own = fmt.flag(r["value"], lang()) if r["comune_kind"] == "flag" and level == "comune" else \
            fmt.value(r["value"], unit, decimals, lang())
        rows.append({
            "_code": r["code"],
            L("Strategia", "Strategy"): r["strategy_code"],
            L("Indicatore", "Indicator"): indicator_name(r),
            L("Sesso", "Sex"): sex_label(r["sex"]),
            L("Anno", "Year"): str(int(r["period"])),
            L("Valore", "Value"): own,
            L("Zona", "Zone"): fmt.value(r["zone_value"], unit, decimals, lang()),
            L("Città metropolitana", "Metropolitan City"): fmt.value(r["cm_value"], unit, decimals, lang()),
            L("Rispetto alla CM", "Against the CM"): comparison_symbol(r["value"], r["cm_value"], r["polarity"]),
            region: fmt.value(r["region_value"], unit, decimals, lang()),
            L("Italia", "Italy"): fmt.value(r["italy_value"], unit, decimals, lang()),
            L("Fonte", "Source"): f"{r['producer']}, {int(r['period'])}",
        })
    table = pd.DataFrame(rows)
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
