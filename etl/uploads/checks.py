"""Row checks shared by the upload models, as whole-column masks; those that need the reference lists are methods of
RegistryChecks, bound to one Registry."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.territory import CM_CODE, LEVELS as TERRITORY_LEVELS

LEVELS = list(TERRITORY_LEVELS)  # the levels an upload may name, in their code order
SEXES = ["F", "M", "T"]
KEY_LISTS = {"level": "level", "sex": "sex", "codice_istat": "comuni", "territory_code": "territory"}


def num(df: pd.DataFrame, column: str) -> pd.Series:
    """A column as numbers (unreadable or missing cells as NaN)."""
    values = df[column] if column in df.columns else pd.Series(index=df.index, dtype=float)
    return pd.to_numeric(values, errors="coerce")


def is_in(values: pd.Series, allowed) -> pd.Series:
    """values.isin(allowed), by Arrow for text columns (pandas' isin is several times slower on them)."""
    to_arrow = getattr(values.array, "__arrow_array__", None)
    if to_arrow is None or not pd.api.types.is_string_dtype(values):
        return values.isin(allowed)
    data = to_arrow()
    found = pc.fill_null(pc.is_in(data, value_set=pa.array([str(v) for v in allowed], data.type)), False)
    return pd.Series(found.to_numpy(), index=values.index, dtype=bool)


def missing(value) -> bool:
    """True for a missing attribute (NaN, None, pd.NA)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def float_array(df: pd.DataFrame, column: str) -> np.ndarray:
    """num() as a float array: unreadable or missing cells as NaN."""
    return num(df, column).to_numpy(dtype=np.float64, na_value=np.nan)


def mask(df: pd.DataFrame, passed: np.ndarray) -> pd.Series:
    """A check's answer for each row of df."""
    return pd.Series(passed, index=df.index, dtype=bool)


def _is_text(values: pd.Series) -> pd.Series:
    """True where a cell holds text."""
    if values.dtype == object:
        return values.map(lambda v: isinstance(v, str)).astype(bool)
    return values.notna() if pd.api.types.is_string_dtype(values) else pd.Series(False, index=values.index)


class RegistryChecks:
    """The checks that read the reference lists, bound to one Registry.

    Several checks of one validation ask for the same factorized indicator codes and the same positions of a column in
    an expected list: the last answers are kept with the Arrow data they came from, and given again only for that very
    data (immutable: a column changed in place gets new data). Sessions validating at once share the models of a
    registry, so at worst they compute an answer again.
    """

    def __init__(self, registry):
        self.registry = registry
        self._factorized_last = None    # (Arrow data, factorize result)
        self._positions = {}            # {(id of Arrow data, list name): (data, positions)}

    def expected_values(self, name: str) -> list[str]:
        """The values a text column holds in a valid file: levels, sexes, comuni, or territories (comuni first)."""
        registry = self.registry
        return {"level": LEVELS, "sex": SEXES, "comuni": list(registry.comuni),
                "territory": [*registry.comuni, *(str(z) for z in sorted(registry.zone_ids)), CM_CODE]}[name]

    def positions_in(self, values: pd.Series, name: str) -> np.ndarray | None:
        """Where each cell of a text column stands in the expected list `name` (see expected_values), -1 where it is
        not there; None for a column that is not text. Computed once per column and list (the territory check and the
        key check both ask)."""
        to_arrow = getattr(values.array, "__arrow_array__", None)
        if to_arrow is None or not pd.api.types.is_string_dtype(values):
            return None
        data = to_arrow()
        known = self._positions
        if len(known) > 16:
            known = self._positions = {}
        entry = known.get((id(data), name))
        if entry is not None and entry[0] is data:
            return entry[1]
        found = pc.index_in(data, value_set=pa.array(self.expected_values(name), data.type))
        positions = pc.fill_null(found, -1).to_numpy().astype(np.int64)
        known[(id(data), name)] = (data, positions)
        return positions

    def _factorized(self, codes: pd.Series) -> tuple:
        """pd.factorize of the codes (missing kept as a value), reused while the checks see the same Arrow column."""
        arrow = getattr(codes.array, "__arrow_array__", None)
        data = arrow() if arrow else None
        last = self._factorized_last
        if data is not None and last is not None and last[0] is data:
            return last[1]
        factorized = pd.factorize(codes, use_na_sentinel=False)
        if data is not None:
            self._factorized_last = (data, factorized)
        return factorized

    def by_code(self, codes: pd.Series, mapping) -> pd.Series:
        """codes.map(mapping), computed once per distinct code (mapping: a Series or a function)."""
        positions, distinct = self._factorized(codes)
        mapped = pd.Series(distinct).map(mapping)
        return mapped.take(positions).set_axis(codes.index)

    def per_row(self, df: pd.DataFrame, attribute, then=None) -> np.ndarray:
        """An indicator attribute for each row as a numpy array, NaN for unknown indicators; attribute: a column of
        the registry's indicators, or a function of the indicator code; then: a function of each value.
        Computed once per distinct code, then spread to the rows."""
        positions, distinct = self._factorized(df["indicator_code"])
        if not len(distinct):
            return np.zeros(0, dtype=bool)                      # no row
        if isinstance(attribute, str):
            table = self.registry.indicators[attribute].to_dict()
            values = [table.get(code, np.nan) for code in distinct]
        else:
            values = [attribute(code) for code in distinct]
        return np.array([then(value) for value in values] if then is not None else values)[positions]

    def territory_known(self, df: pd.DataFrame) -> pd.Series:
        """Rows whose territory code names a comune, zone or the CM at their level (missing cells pass)."""
        registry = self.registry
        level, code = df["level"], df["territory_code"]
        levels, codes = self.positions_in(level, "level"), self.positions_in(code, "territory")
        if levels is not None and codes is not None:          # text columns: by positions in the expected lists
            filled = code.notna().to_numpy()                  # an empty code or level is not this check's problem
            comune, zona, cm = (filled & (levels == LEVELS.index(name)) for name in ("comune", "zona", "cm"))
            known = ~(comune | zona | cm) | (comune & (codes >= 0) & (codes < len(registry.comuni))) \
                | (cm & (codes == len(self.expected_values("territory")) - 1))
            known = pd.Series(known, index=df.index)
        else:
            checked = _is_text(level) & _is_text(code) & is_in(level, LEVELS)
            known = ~checked | (checked & (level == "comune") & is_in(code, registry.comuni)) \
                | (checked & (level == "cm") & (code == CM_CODE))
            zona = (checked & (level == "zona")).to_numpy()
        if zona.any():
            known = known.to_numpy().copy()
            known[zona] = self._zone_known(code[zona])
            known = pd.Series(known, index=df.index)
        return known

    def _zone_known(self, codes: pd.Series) -> np.ndarray:
        """Registry.territory_known("zona", code) for each code: ASCII digits compared as numbers, others in Python."""
        registry = self.registry
        digits = (codes.str.fullmatch("[0-9]+") & codes.str.isascii()).to_numpy(dtype=bool)
        known = np.zeros(len(codes), dtype=bool)
        known[digits] = codes[digits].str.lstrip("0").isin([str(z) for z in registry.zone_ids]).to_numpy(dtype=bool)
        known[~digits] = self.by_code(codes[~digits], lambda c: registry.territory_known("zona", c)).to_numpy(dtype=bool)
        return known

    def sex_allowed(self, df: pd.DataFrame) -> pd.Series:
        """F and M rows only for indicators kept by sex."""
        by_sex = self.per_row(df, "by_sex", lambda by_sex: True if missing(by_sex) else bool(by_sex))
        return mask(df, (df["sex"] == "T").to_numpy(dtype=bool, na_value=False) | by_sex)

    def in_indicator_range(self, df: pd.DataFrame, column: str) -> pd.Series:
        """Values within the range of their indicator (etl/reference/value_ranges.csv)."""
        ranges = self.registry.ranges
        low = self.per_row(df, lambda c: ranges.get(c, (-math.inf,))[0], float)
        high = self.per_row(df, lambda c: ranges.get(c, (0, math.inf))[1], float)
        value = float_array(df, column)
        return mask(df, np.isnan(value) | np.isnan(low) | ((value >= low) & (value <= high)))

    def _key_codes(self, values: pd.Series, column: str) -> tuple[np.ndarray, int]:
        """Integer codes of a key column and how many there can be: positions in the expected list when every cell is
        in it, else by factorizing."""
        if column in KEY_LISTS:
            positions = self.positions_in(values, KEY_LISTS[column])
            if positions is not None and not (positions < 0).any():
                return positions, len(self.expected_values(KEY_LISTS[column]))
        if values.dtype == np.int64 and len(values):          # years: their distance from the first one
            low, high = int(values.min()), int(values.max())
            if high - low < 100_000:
                return values.to_numpy() - low, high - low + 1
        positions, distinct = self._factorized(values) if values.name == "indicator_code" else \
            pd.factorize(values, use_na_sentinel=False)
        return positions.astype(np.int64), len(distinct)

    def unique_rows(self, df: pd.DataFrame, key: list[str]) -> pd.Series:
        """True for the rows whose key no other row has: pandera's `unique`, from integer codes of the key columns."""
        combined, size = np.zeros(len(df), dtype=np.int64), 1
        for column in key:
            codes, count = self._key_codes(df[column], column)
            if size * max(count, 1) >= 2**62:                  # renumber before the product could overflow
                combined, distinct = pd.factorize(combined)
                size = max(len(distinct), 1)
            combined, size = combined * max(count, 1) + codes, size * max(count, 1)
        if size <= max(8 * len(df), 1 << 20):                 # few possible keys: count them
            return mask(df, np.bincount(combined, minlength=size)[combined] == 1)
        return mask(df, ~pd.Series(combined).duplicated(keep=False).to_numpy())
