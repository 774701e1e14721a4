"""Row checks shared by the upload models; they read the Registry the validator binds to REGISTRY."""
from __future__ import annotations

import math
from contextvars import ContextVar

import pandas as pd

REGISTRY: ContextVar = ContextVar("upload_registry")
LEVELS = ["comune", "zona", "cm"]


def num(df: pd.DataFrame, column: str) -> pd.Series:
    """A column as numbers (unreadable or missing cells as NaN)."""
    values = df[column] if column in df.columns else pd.Series(index=df.index, dtype=float)
    return pd.to_numeric(values, errors="coerce")


def attr(df: pd.DataFrame, attribute: str) -> pd.Series:
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
    return (df["sex"] == "T") | attr(df, "by_sex").fillna(True).astype(bool)


def in_indicator_range(df: pd.DataFrame, column: str) -> pd.Series:
    """Values within the range of their indicator (etl/reference/value_ranges.csv)."""
    ranges = REGISTRY.get().ranges
    low = df["indicator_code"].map(lambda c: ranges.get(c, (-math.inf,))[0])
    high = df["indicator_code"].map(lambda c: ranges.get(c, (0, math.inf))[1])
    value = num(df, column)
    return value.isna() | low.isna() | ((value >= low) & (value <= high))
