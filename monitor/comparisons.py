"""A territory against the Metropolitan City, Piemonte and Italia: the profile table and the reference values."""
from __future__ import annotations

import pandas as pd

from core.bilingual import localized_column
from monitor import data, fmt
from monitor.i18n import L, lang
from monitor.phrases import comparison_symbol, indicator_name, sex_label

COMPARISON_COLOURS = {"▲": "#cfe5f5", "▼": "#fbd9b9"}  # blue / orange (the PDF's too: report.pdf.COMPARISON_FILL)
NO_COMPARISON_COLOUR = "#ececec"                          # = and ○: grey


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


def comparison_labels(table: pd.DataFrame, column: str) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The comparison column as coloured labels (blue better, orange worse, grey equal or no polarity; the symbol
    and word carry the meaning): the table with each cell as a list of its one label (none when there is no
    comparison), the labels and their colours, for a read-only multiselect column.

    A pandas Styler colouring the cells cost 9.5 ms each time the table is drawn (Streamlit writes every display
    value back cell by cell), a third of a new comune's profile; labels cost nothing more than the text."""
    texts = [str(v) if isinstance(v, str) else "" for v in table[column]]
    labels = sorted({t for t in texts if t})
    colours = [COMPARISON_COLOURS.get(label[:1], NO_COMPARISON_COLOUR) for label in labels]
    return table.assign(**{column: [[t] if t else [] for t in texts]}), labels, colours


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
