"""pandera contracts of the upload templates: one DataFrameModel per kind, strict and coercing, checked lazily.

Checks that need the reference lists read the Registry bound to REGISTRY by the validator. A custom check is
named "column:problem"; etl/uploads/problems.py turns each name into an Italian message.
"""
from __future__ import annotations

import math
from contextvars import ContextVar
from datetime import date
from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from monitor.progress_status import STATUSES

REGISTRY: ContextVar = ContextVar("upload_registry")
LEVELS = ["comune", "zona", "cm"]
SEXES = ["F", "M", "T"]
FIRST_YEAR = 1990


def _num(df: pd.DataFrame, column: str) -> pd.Series:
    values = df[column] if column in df.columns else pd.Series(index=df.index, dtype=float)
    return pd.to_numeric(values, errors="coerce")


def _attr(df: pd.DataFrame, attribute: str) -> pd.Series:
    """An indicator attribute (unit, by_sex, aggregation…) for each row; NaN for unknown indicators."""
    return df["indicator_code"].map(REGISTRY.get().indicators[attribute])


def territory_known(df: pd.DataFrame) -> pd.Series:
    """Rows whose territory code names a comune, zone or the CM at their level (missing cells pass)."""
    registry = REGISTRY.get()
    return pd.Series([not (isinstance(lv, str) and isinstance(code, str)) or lv not in LEVELS
                      or registry.territory_known(lv, code)
                      for lv, code in zip(df["level"], df["territory_code"])], index=df.index)


def sex_allowed(df: pd.DataFrame) -> pd.Series:
    """F and M rows only for indicators kept by sex."""
    return (df["sex"] == "T") | _attr(df, "by_sex").fillna(True).astype(bool)


def in_indicator_range(df: pd.DataFrame, column: str) -> pd.Series:
    """Values within the range of their indicator (etl/reference/value_ranges.csv)."""
    ranges = REGISTRY.get().ranges
    low = df["indicator_code"].map(lambda c: ranges.get(c, (-math.inf,))[0])
    high = df["indicator_code"].map(lambda c: ranges.get(c, (0, math.inf))[1])
    value = _num(df, column)
    return value.isna() | low.isna() | ((value >= low) & (value <= high))


class IndicatorRows(pa.DataFrameModel):
    """Indicator observations: one row per indicator × level × territory × year × sex."""

    indicator_code: Series[str]
    level: Series[str] = pa.Field(isin=LEVELS)
    territory_code: Series[str]
    period: Series[int] = pa.Field(ge=FIRST_YEAR)
    sex: Series[str] = pa.Field(isin=SEXES)
    value: Series[float]
    numerator: Series[float] = pa.Field(nullable=True, ge=0)
    denominator: Series[float] = pa.Field(nullable=True, gt=0)
    note: Series[str] = pa.Field(nullable=True)
    source_code: Optional[Series[str]] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["indicator_code", "level", "territory_code", "period", "sex"]

    @pa.check("indicator_code", name="indicator_code:known_indicator")
    def known_indicator(cls, codes: Series[str]) -> Series[bool]:
        return codes.isin(REGISTRY.get().indicators.index)

    @pa.check("source_code", name="source_code:known_source")
    def known_source(cls, codes: Series[str]) -> Series[bool]:
        return codes.isna() | codes.isin(REGISTRY.get().sources)

    @pa.check("period", name="period:not_future")
    def not_future(cls, period: Series[int]) -> Series[bool]:
        return period <= date.today().year

    @pa.dataframe_check(name="territory_code:known_territory")
    def known_territory(cls, df: pd.DataFrame) -> Series[bool]:
        return territory_known(df)

    @pa.dataframe_check(name="sex:sex_for_indicator")
    def sex_for_indicator(cls, df: pd.DataFrame) -> Series[bool]:
        return sex_allowed(df)

    @pa.dataframe_check(name="value:in_range")
    def value_in_range(cls, df: pd.DataFrame) -> Series[bool]:
        return in_indicator_range(df, "value")

    @pa.dataframe_check(name="value:flag_value")
    def flag_value(cls, df: pd.DataFrame) -> Series[bool]:
        flag = (_attr(df, "comune_kind") == "flag") & (df["level"] == "comune")
        return ~flag | _num(df, "value").isin([0, 100])

    @pa.dataframe_check(name="value:matches_ratio")
    def matches_ratio(cls, df: pd.DataFrame) -> Series[bool]:
        ratio = (_attr(df, "aggregation") == "ratio") & _num(df, "numerator").notna() & _num(df, "denominator").notna()
        expected = _attr(df, "scale").astype(float) * _num(df, "numerator") / _num(df, "denominator")
        tolerance = 0.5 * 10.0 ** -(_attr(df, "decimals").fillna(1).astype(float) - 1).clip(lower=0)
        return ~ratio | ((_num(df, "value") - expected).abs() <= tolerance)

    @pa.dataframe_check(name="numerator:sum_is_value")
    def sum_is_value(cls, df: pd.DataFrame) -> Series[bool]:
        additive = (_attr(df, "aggregation") == "sum") & _num(df, "numerator").notna()
        return ~additive | ((_num(df, "numerator") - _num(df, "value")).abs() < 1e-9)


class ProgressRows(pa.DataFrameModel):
    """Action progress: one row per action × zone (empty = whole CM) × date."""

    action_code: Series[str]
    zone_id: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    as_of: Series[pd.Timestamp]
    status: Series[str] = pa.Field(isin=list(STATUSES))
    percent: Series[float] = pa.Field(nullable=True, ge=0, le=100)
    funds_allocated: Series[float] = pa.Field(nullable=True, ge=0)
    funds_spent: Series[float] = pa.Field(nullable=True, ge=0)
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["action_code", "zone_id", "as_of"]

    @pa.check("action_code", name="action_code:known_action")
    def known_action(cls, codes: Series[str]) -> Series[bool]:
        return codes.isin(REGISTRY.get().actions)

    @pa.check("zone_id", name="zone_id:known_zone")
    def known_zone(cls, zones: Series[pd.Int64Dtype]) -> Series[bool]:
        return zones.isna() | zones.isin(REGISTRY.get().zone_ids)

    @pa.check("as_of", name="as_of:plausible_date")
    def plausible_date(cls, when: Series[pd.Timestamp]) -> Series[bool]:
        return (when >= pd.Timestamp("2015-01-01")) & (when <= pd.Timestamp(date.today()))


class TargetRows(pa.DataFrameModel):
    """Baselines and targets: one row per indicator × level × territory × sex."""

    indicator_code: Series[str]
    level: Series[str] = pa.Field(isin=LEVELS)
    territory_code: Series[str]
    sex: Series[str] = pa.Field(isin=SEXES)
    baseline_period: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=FIRST_YEAR)
    baseline_value: Series[float] = pa.Field(nullable=True)
    target_period: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=FIRST_YEAR, le=2100)
    target_value: Series[float] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["indicator_code", "level", "territory_code", "sex"]

    @pa.check("indicator_code", name="indicator_code:known_indicator")
    def known_indicator(cls, codes: Series[str]) -> Series[bool]:
        return codes.isin(REGISTRY.get().indicators.index)

    @pa.dataframe_check(name="territory_code:known_territory")
    def known_territory(cls, df: pd.DataFrame) -> Series[bool]:
        return territory_known(df)

    @pa.dataframe_check(name="sex:sex_for_indicator")
    def sex_for_indicator(cls, df: pd.DataFrame) -> Series[bool]:
        return sex_allowed(df)

    @pa.dataframe_check(name="baseline_value:pair")
    def baseline_pair(cls, df: pd.DataFrame) -> Series[bool]:
        return _num(df, "baseline_period").isna() == _num(df, "baseline_value").isna()

    @pa.dataframe_check(name="target_value:pair")
    def target_pair(cls, df: pd.DataFrame) -> Series[bool]:
        return _num(df, "target_period").isna() == _num(df, "target_value").isna()

    @pa.dataframe_check(name="target_value:something_given")
    def something_given(cls, df: pd.DataFrame) -> Series[bool]:
        return _num(df, "baseline_value").notna() | _num(df, "target_value").notna()

    @pa.dataframe_check(name="target_period:after_baseline")
    def after_baseline(cls, df: pd.DataFrame) -> Series[bool]:
        start, end = _num(df, "baseline_period"), _num(df, "target_period")
        return start.isna() | end.isna() | (end > start)

    @pa.dataframe_check(name="baseline_value:in_range")
    def baseline_in_range(cls, df: pd.DataFrame) -> Series[bool]:
        return in_indicator_range(df, "baseline_value")

    @pa.dataframe_check(name="target_value:in_range")
    def target_in_range(cls, df: pd.DataFrame) -> Series[bool]:
        return in_indicator_range(df, "target_value")


class ZoneRows(pa.DataFrameModel):
    """Official zone list: one row per comune of the CM with its zona omogenea."""

    codice_istat: Series[str]
    comune: Series[str]
    zona_id: Series[int]
    zona_nome: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["codice_istat"]

    @pa.check("codice_istat", name="codice_istat:known_comune")
    def known_comune(cls, codes: Series[str]) -> Series[bool]:
        return codes.isin(REGISTRY.get().comuni)

    @pa.check("zona_id", name="zona_id:known_zone")
    def known_zone(cls, zones: Series[int]) -> Series[bool]:
        return zones.isin(REGISTRY.get().zone_ids)


MODELS = {"indicators": IndicatorRows, "progress": ProgressRows, "targets": TargetRows, "zones": ZoneRows}
