"""pandera contracts of the upload templates: one DataFrameModel per kind, strict and coercing, checked lazily.

models(registry) makes them, with the checks that read the reference lists bound to that Registry (once per
registry). A custom check is named "column:problem"; etl/uploads/problems.py turns each name into an Italian message.
Row checks say themselves what an empty cell means, so they run with ignore_na=False: pandera would otherwise also
look in every row for one whose cells are all empty, which the reader never gives (it leaves blank lines out).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Optional

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import dtypes
from pandera.engines import pandas_engine
from pandera.typing import Series

from etl.uploads.checks import LEVELS, SEXES, RegistryChecks, float_array, is_in, mask, missing, num
from etl.uploads.registry import Registry
from core.progress_status import STATUSES


@pandas_engine.Engine.register_dtype
@dtypes.immutable(init=True)
class Text(pandas_engine.STRING):
    """pandas' str, as Series[str] means; when every cell passes, the dtype check answers once for the column.

    (pandera's str check answers cell by cell, then builds an empty table of failures for each text column.)
    """

    def check(self, pandera_dtype, data_container=None):
        """True for a str column whose cells all pass; otherwise what pandera's str check says, cell by cell."""
        passed = super().check(pandera_dtype, data_container)
        return True if isinstance(passed, np.ndarray) and passed.all() else passed


FIRST_YEAR = 1990


@lru_cache(maxsize=4)
def models(registry: Registry) -> dict[str, type[pa.DataFrameModel]]:
    """The model of each template (indicators, progress, targets, zones, priority_zones), its checks bound to the
    registry."""
    rules = RegistryChecks(registry)
    return {"indicators": _indicator_rows(rules), "progress": _progress_rows(rules), "targets": _target_rows(rules),
            "zones": _zone_rows(rules), "priority_zones": _priority_zone_rows(rules)}


def _indicator_rows(rules: RegistryChecks) -> type[pa.DataFrameModel]:
    """The indicators model, its checks bound to the registry's rules."""

    class IndicatorRows(pa.DataFrameModel):
        """Indicator observations: one row per indicator × level × territory × year × sex."""

        indicator_code: Series[Text]
        level: Series[Text] = pa.Field(isin=LEVELS)
        territory_code: Series[Text]
        period: Series[int] = pa.Field(ge=FIRST_YEAR)
        sex: Series[Text] = pa.Field(isin=SEXES)
        value: Series[float]
        numerator: Series[float] = pa.Field(nullable=True, ge=0)
        denominator: Series[float] = pa.Field(nullable=True, gt=0)
        note: Series[Text] = pa.Field(nullable=True)
        source_code: Optional[Series[Text]] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True

        @pa.dataframe_check(name="multiple_fields_uniqueness", ignore_na=False)
        def unique_key(cls, df: pd.DataFrame) -> Series[bool]:
            """No two rows with the same key (pandera's Config.unique, computed from integer codes)."""
            return rules.unique_rows(df, ["indicator_code", "level", "territory_code", "period", "sex"])

        @pa.check("indicator_code", name="indicator_code:known_indicator")
        def known_indicator(cls, codes: Series[str]) -> Series[bool]:
            """Indicator codes of the registry."""
            return is_in(codes, rules.registry.indicators.index)

        @pa.check("source_code", name="source_code:known_source")
        def known_source(cls, codes: Series[str]) -> Series[bool]:
            """Empty, or a source of sources.toml."""
            return codes.isna() | is_in(codes, rules.registry.sources)

        @pa.check("period", name="period:not_future")
        def not_future(cls, period: Series[int]) -> Series[bool]:
            """No year that has not started yet."""
            return period <= date.today().year

        @pa.dataframe_check(name="territory_code:known_territory", ignore_na=False)
        def known_territory(cls, df: pd.DataFrame) -> Series[bool]:
            """A comune, zone or the CM at the row's level."""
            return rules.territory_known(df)

        @pa.dataframe_check(name="sex:sex_for_indicator", ignore_na=False)
        def sex_for_indicator(cls, df: pd.DataFrame) -> Series[bool]:
            """F and M only for indicators kept by sex."""
            return rules.sex_allowed(df)

        @pa.dataframe_check(name="value:in_range", ignore_na=False)
        def value_in_range(cls, df: pd.DataFrame) -> Series[bool]:
            """Values within the indicator's range."""
            return rules.in_indicator_range(df, "value")

        @pa.dataframe_check(name="value:flag_value", ignore_na=False)
        def flag_value(cls, df: pd.DataFrame) -> Series[bool]:
            """Yes/no indicators: a comune's value is 100 or 0."""
            flag = rules.per_row(df, "comune_kind", lambda kind: kind == "flag")
            if not flag.any():
                return mask(df, ~flag)
            flag &= (df["level"] == "comune").to_numpy(dtype=bool, na_value=False)
            value = float_array(df, "value")
            return mask(df, ~flag | (value == 0) | (value == 100))

        @pa.dataframe_check(name="value:matches_ratio", ignore_na=False)
        def matches_ratio(cls, df: pd.DataFrame) -> Series[bool]:
            """Value = scale × numerator / denominator, to the indicator's rounding."""
            numerator, denominator = float_array(df, "numerator"), float_array(df, "denominator")
            ratio = rules.per_row(df, "aggregation", lambda kind: kind == "ratio") & ~np.isnan(numerator + denominator)
            tolerance = rules.per_row(df, "decimals", lambda decimals:
                                      0.5 * 10.0 ** -max((1.0 if missing(decimals) else float(decimals)) - 1, 0))
            with np.errstate(divide="ignore", invalid="ignore"):
                expected = rules.per_row(df, "scale", float) * numerator / denominator
                return mask(df, ~ratio | (np.abs(float_array(df, "value") - expected) <= tolerance))

        @pa.dataframe_check(name="numerator:sum_is_value", ignore_na=False)
        def sum_is_value(cls, df: pd.DataFrame) -> Series[bool]:
            """For counts, the numerator is the value itself."""
            numerator = float_array(df, "numerator")
            additive = rules.per_row(df, "aggregation", lambda kind: kind == "sum") & ~np.isnan(numerator)
            return mask(df, ~additive | (np.abs(numerator - float_array(df, "value")) < 1e-9))

    return IndicatorRows


def _progress_rows(rules: RegistryChecks) -> type[pa.DataFrameModel]:
    """The progress model, its checks bound to the registry's rules."""

    class ProgressRows(pa.DataFrameModel):
        """Action progress: one row per action × zone (empty = whole CM) × date."""

        action_code: Series[Text]
        zone_id: Series[pd.Int64Dtype] = pa.Field(nullable=True)
        as_of: Series[pd.Timestamp]
        status: Series[Text] = pa.Field(isin=list(STATUSES))
        percent: Series[float] = pa.Field(nullable=True, ge=0, le=100)
        funds_allocated: Series[float] = pa.Field(nullable=True, ge=0)
        funds_spent: Series[float] = pa.Field(nullable=True, ge=0)
        note: Series[Text] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True

        @pa.dataframe_check(name="multiple_fields_uniqueness", ignore_na=False)
        def unique_key(cls, df: pd.DataFrame) -> Series[bool]:
            """No two rows with the same key (pandera's Config.unique, computed from integer codes)."""
            return rules.unique_rows(df, ["action_code", "zone_id", "as_of"])

        @pa.check("action_code", name="action_code:known_action")
        def known_action(cls, codes: Series[str]) -> Series[bool]:
            """Action codes of the plan."""
            return is_in(codes, rules.registry.actions)

        @pa.check("zone_id", name="zone_id:known_zone")
        def known_zone(cls, zones: Series[pd.Int64Dtype]) -> Series[bool]:
            """Zones 1–11."""
            return zones.isna() | zones.isin(rules.registry.zone_ids)

        @pa.check("as_of", name="as_of:plausible_date")
        def plausible_date(cls, when: Series[pd.Timestamp]) -> Series[bool]:
            """Dates from 2015 to today."""
            return (when >= pd.Timestamp("2015-01-01")) & (when <= pd.Timestamp(date.today()))

    return ProgressRows


def _target_rows(rules: RegistryChecks) -> type[pa.DataFrameModel]:
    """The targets model, its checks bound to the registry's rules."""

    class TargetRows(pa.DataFrameModel):
        """Baselines and targets: one row per indicator × level × territory × sex."""

        indicator_code: Series[Text]
        level: Series[Text] = pa.Field(isin=LEVELS)
        territory_code: Series[Text]
        sex: Series[Text] = pa.Field(isin=SEXES)
        baseline_period: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=FIRST_YEAR)
        baseline_value: Series[float] = pa.Field(nullable=True)
        target_period: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=FIRST_YEAR, le=2100)
        target_value: Series[float] = pa.Field(nullable=True)
        note: Series[Text] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True

        @pa.dataframe_check(name="multiple_fields_uniqueness", ignore_na=False)
        def unique_key(cls, df: pd.DataFrame) -> Series[bool]:
            """No two rows with the same key (pandera's Config.unique, computed from integer codes)."""
            return rules.unique_rows(df, ["indicator_code", "level", "territory_code", "sex"])

        @pa.check("indicator_code", name="indicator_code:known_indicator")
        def known_indicator(cls, codes: Series[str]) -> Series[bool]:
            """Indicator codes of the registry."""
            return is_in(codes, rules.registry.indicators.index)

        @pa.dataframe_check(name="territory_code:known_territory", ignore_na=False)
        def known_territory(cls, df: pd.DataFrame) -> Series[bool]:
            """A comune, zone or the CM at the row's level."""
            return rules.territory_known(df)

        @pa.dataframe_check(name="sex:sex_for_indicator", ignore_na=False)
        def sex_for_indicator(cls, df: pd.DataFrame) -> Series[bool]:
            """F and M only for indicators kept by sex."""
            return rules.sex_allowed(df)

        @pa.dataframe_check(name="baseline_value:pair", ignore_na=False)
        def baseline_pair(cls, df: pd.DataFrame) -> Series[bool]:
            """Baseline year and value together."""
            return num(df, "baseline_period").isna() == num(df, "baseline_value").isna()

        @pa.dataframe_check(name="target_value:pair", ignore_na=False)
        def target_pair(cls, df: pd.DataFrame) -> Series[bool]:
            """Target year and value together."""
            return num(df, "target_period").isna() == num(df, "target_value").isna()

        @pa.dataframe_check(name="target_value:something_given", ignore_na=False)
        def something_given(cls, df: pd.DataFrame) -> Series[bool]:
            """A baseline or a target, at least."""
            return num(df, "baseline_value").notna() | num(df, "target_value").notna()

        @pa.dataframe_check(name="target_period:after_baseline", ignore_na=False)
        def after_baseline(cls, df: pd.DataFrame) -> Series[bool]:
            """The target year comes after the baseline year."""
            start, end = num(df, "baseline_period"), num(df, "target_period")
            return start.isna() | end.isna() | (end > start)

        @pa.dataframe_check(name="baseline_value:in_range", ignore_na=False)
        def baseline_in_range(cls, df: pd.DataFrame) -> Series[bool]:
            """Baseline within the indicator's range."""
            return rules.in_indicator_range(df, "baseline_value")

        @pa.dataframe_check(name="target_value:in_range", ignore_na=False)
        def target_in_range(cls, df: pd.DataFrame) -> Series[bool]:
            """Target within the indicator's range."""
            return rules.in_indicator_range(df, "target_value")

    return TargetRows


def _zone_rows(rules: RegistryChecks) -> type[pa.DataFrameModel]:
    """The zones model, its checks bound to the registry's rules."""

    class ZoneRows(pa.DataFrameModel):
        """Official zone list: one row per comune of the CM with its zona omogenea."""

        codice_istat: Series[Text]
        comune: Series[Text]
        zona_id: Series[int]
        zona_nome: Series[Text]

        class Config:
            strict = True
            coerce = True

        @pa.dataframe_check(name="multiple_fields_uniqueness", ignore_na=False)
        def unique_key(cls, df: pd.DataFrame) -> Series[bool]:
            """No two rows with the same key (pandera's Config.unique, computed from integer codes)."""
            return rules.unique_rows(df, ["codice_istat"])

        @pa.check("codice_istat", name="codice_istat:known_comune")
        def known_comune(cls, codes: Series[str]) -> Series[bool]:
            """Istat codes of the comuni of the CM."""
            return is_in(codes, rules.registry.comuni)

        @pa.check("zona_id", name="zona_id:known_zone")
        def known_zone(cls, zones: Series[int]) -> Series[bool]:
            """Zones 1–11."""
            return zones.isin(rules.registry.zone_ids)

    return ZoneRows


def _priority_zone_rows(rules: RegistryChecks) -> type[pa.DataFrameModel]:
    """The priority zones model, its checks bound to the registry's rules."""

    class PriorityZoneRows(pa.DataFrameModel):
        """The plan's priority zones: one row per strategy or action × zone."""

        plan_code: Series[Text]
        zone_id: Series[pd.Int64Dtype]      # nullable type, not nullable: an unreadable cell is blanked for a 2nd pass
        note: Series[Text] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True

        @pa.dataframe_check(name="multiple_fields_uniqueness", ignore_na=False)
        def unique_key(cls, df: pd.DataFrame) -> Series[bool]:
            """No two rows with the same key (pandera's Config.unique, computed from integer codes)."""
            return rules.unique_rows(df, ["plan_code", "zone_id"])

        @pa.check("plan_code", name="plan_code:known_plan_code")
        def known_plan_code(cls, codes: Series[str]) -> Series[bool]:
            """Strategy or action codes of the plan."""
            return is_in(codes, rules.registry.strategies | rules.registry.actions)

        @pa.check("zone_id", name="zone_id:known_zone")
        def known_zone(cls, zones: Series[pd.Int64Dtype]) -> Series[bool]:
            """Zones 1–11."""
            return zones.isna() | zones.isin(rules.registry.zone_ids)

    return PriorityZoneRows
