"""Istat dataflows → tidy observations: census employment, early-childhood services, home care, LFS employment."""
from __future__ import annotations

import pandas as pd

from core.territory import CM_CODE
from etl.sources.common import FormatError, Parsed, cm_comuni, flag_rows, read_numbers

HOME_CARE = {"elderly": "share_comuni_home_care_elderly", "families": "share_comuni_home_care_families",
             "disabled": "share_comuni_home_care_disabled"}


def _prepare(frame: pd.DataFrame, parsed: Parsed, cm_only: bool = True) -> pd.DataFrame:
    """Numeric value and integer year; rows outside the CM or with a non-annual period left out."""
    area = "REF_AREA" if "REF_AREA" in frame.columns else "ITTER107"
    frame = frame.rename(columns={area: "area"})
    if cm_only:
        inside = frame["area"].isin(cm_comuni())
        parsed.skip("territori fuori dalla Città metropolitana", int((~inside).sum()))
        frame = frame[inside]
    annual = frame["TIME_PERIOD"].str.fullmatch(r"\d{4}")
    parsed.skip("periodi non annuali", int((~annual).sum()))
    frame = frame[annual]
    # NOTE: SDMX-CSV writes a decimal point and never a thousands mark: '44.125' is 44.125, as an upload with ','
    # as separator would read it, not 44,125.
    return frame.assign(year=frame["TIME_PERIOD"].astype(int), value=read_numbers(frame["OBS_VALUE"], "."))


def _wide(frame: pd.DataFrame, index: list[str], column: str, what: str) -> pd.DataFrame:
    """One column per role; a repeated cell means the file has more than we asked for."""
    if frame.duplicated(index + [column]).any():
        raise FormatError(f"{what}: più righe per lo stesso territorio, anno e codice (formato cambiato?)")
    return frame.pivot(index=index, columns=column, values="value")


def employment_census(frame: pd.DataFrame, parsed: Parsed, what: str) -> list[dict]:
    """employment_rate by sex per comune: employed / residents 15+ (T kept only where F + M = T)."""
    wide = _wide(_prepare(frame, parsed), ["area", "year", "GENDER_role"], "CUR_ACT_STAT_role", what)
    wide = wide.reindex(columns=["employed", "total"]).dropna()
    wide = wide[wide["total"] > 0]
    rows = {(a, y, s): (e, t) for (a, y, s), (e, t) in wide.iterrows()}
    for (area, year, sex) in list(rows):
        if sex == "T" and (area, year, "F") in rows and (area, year, "M") in rows:
            parts = [rows[(area, year, s)] for s in ("F", "M")]
            if any(abs(sum(p[i] for p in parts) - rows[(area, year, "T")][i]) > 1e-9 for i in (0, 1)):
                del rows[(area, year, "T")]
                parsed.skip("totali diversi da femmine + maschi (T non caricato)")
    return [{"indicator_code": "employment_rate", "level": "comune", "territory_code": a, "period": y, "sex": s,
             "value": 100 * e / t, "numerator": e, "denominator": t, "note": "occupati / residenti di 15 anni e più"}
            for (a, y, s), (e, t) in sorted(rows.items())]


def nursery(frame: pd.DataFrame, parsed: Parsed, what: str) -> list[dict]:
    """Flag of comuni offering early-childhood services; places per 100 children 0-2 as Istat publishes it."""
    data = _prepare(frame, parsed)
    wide = _wide(data, ["area", "year"], "DATA_TYPE_role", what).reindex(columns=["places", "per100", "spending"])
    wide = wide.reset_index()
    rows = []
    for year, group in data.groupby("year"):
        offer = wide[wide["year"] == year]
        offering = set(offer.loc[(offer["places"] > 0) | (offer["spending"] > 0), "area"])
        rows += flag_rows("share_comuni_nido", int(year), set(group["area"]), offering,
                          "comuni con posti autorizzati o spesa per nidi e servizi integrativi")
    for row in wide.dropna(subset=["per100"]).itertuples():
        rows.append({"indicator_code": "nido_places_per_100_children", "level": "comune", "territory_code": row.area,
                     "period": int(row.year), "sex": "T", "value": row.per100, "numerator": row.places,
                     "note": "posti autorizzati per 100 bambini di 0–2 anni, come pubblicato da Istat"})
    return rows


def social(frame: pd.DataFrame, parsed: Parsed, what: str) -> list[dict]:
    """Flags of comuni offering home social care (users, spending or Istat's offer flag > 0), by area of need."""
    data = _prepare(frame, parsed)
    rows = []
    for year, group in data.groupby("year"):
        care = group[(group["CATEGORY_OF_SERVICE_role"] == "homecare") & (group["value"] > 0)]
        for role, indicator in HOME_CARE.items():
            offering = set(care.loc[care["CATEG_OF_BENEFICIARIES_role"] == role, "area"])
            rows += flag_rows(indicator, int(year), set(group["area"]), offering,
                              "comuni con utenti, spesa o offerta di assistenza domiciliare socio-assistenziale")
    return rows


def employment_lfs(frame: pd.DataFrame, parsed: Parsed, what: str) -> list[dict]:
    """employment_rate_lfs by sex for the province (the CM), as published by the labour force survey."""
    data = _prepare(frame, parsed, cm_only=False).dropna(subset=["value"])
    sex_role = next(c for c in data.columns if c.endswith("_role") and set(data[c]) <= {"F", "M", "T"})
    if data.duplicated(["year", sex_role]).any():
        raise FormatError(f"{what}: più valori per lo stesso anno e sesso (formato cambiato?)")
    return [{"indicator_code": "employment_rate_lfs", "level": "cm", "territory_code": CM_CODE, "period": int(r.year),
             "sex": getattr(r, sex_role), "value": r.value, "note": "tasso di occupazione 15–64 anni (forze di lavoro)"}
            for r in data.itertuples()]


TIDY = {"employment_census": employment_census, "nursery": nursery, "social": social, "employment_lfs": employment_lfs}
