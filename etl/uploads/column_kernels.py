"""The cell rules of etl.cell_rules over whole columns at once: the same text for every cell, much faster.

Common cells are recognised first with cheap whole-column tests; the rest go through the full rules as Arrow regular
expressions, which match as Python's do on ASCII text (\\d is 0-9 in both); cells with other characters (beyond the
Unicode minus and the spaces officials paste) go through the per-cell rules, once per distinct value.
tests/test_uploads_columns.py runs every kernel and its rule on the same cells.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.territory import CM_CODE, CM_ISTAT_CODES
from etl import cell_rules as rules
from etl.uploads.arrow_strings import arrow_text, data_bytes, may_contain, per_distinct, text_series

_PLAIN = r"^[\x00-\x7f\x{a0}\x{202f}\x{2212}]*$"      # the characters the Arrow rules read as Python's do
_SIMPLE_NUMBER = {",": r"^[+-]?(\d+|\d*,\d+)$", ".": r"^[+-]?(\d+|\d*\.\d+)$"}   # INTEGER or the plain decimal
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_NONE = pa.scalar(None, pa.large_string())  # text is kept as pandas keeps it: large_string


def _text(value: str) -> pa.Scalar:
    """A constant for the Arrow kernels, typed as the text columns are."""
    return pa.scalar(value, pa.large_string())


def _unreadable(cells) -> pa.Array:
    """Each cell behind the NOT_READABLE mark."""
    return pc.binary_join_element_wise(_text(rules.NOT_READABLE), cells, _text(""))


def _byte_replaced(text: pa.Array, old: str, new: str) -> pa.Array:
    """Arrow large strings with one ASCII character replaced by another everywhere (same lengths, same offsets)."""
    data = data_bytes(text).replace(old.encode("ascii"), new.encode("ascii"))
    validity, offsets = text.buffers()[:2]
    return pa.Array.from_buffers(text.type, len(text), [validity, offsets, pa.py_buffer(data)], text.null_count,
                                 text.offset)


def _all_plain_decimals(cells: pa.Array, decimal: str) -> bool:
    """True when every filled cell is digits with at most one decimal mark, not at the end: what _SIMPLE_NUMBER
    reads without a sign. Looks at the bytes first; False means some cell needs the full rules."""
    data = data_bytes(cells)
    if data.translate(None, b"0123456789" + decimal.encode("ascii")):
        return False                                            # some other character
    if decimal.encode("ascii") not in data:
        return True                                             # digits only
    marks = pc.count_substring(cells, decimal)
    return not (pc.any(pc.greater(marks, 1)).as_py() or pc.any(pc.ends_with(cells, decimal)).as_py()
                or pc.any(pc.equal(cells, decimal)).as_py())


def _flags(array) -> np.ndarray:
    """A boolean Arrow result as numpy, missing as False."""
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False)


def _matches(cells, pattern: str) -> np.ndarray:
    """True where the cell matches the regular expression."""
    return _flags(pc.match_substring_regex(cells, pattern))


def _subset(cells, rows: np.ndarray):
    """The cells of the given rows (a boolean mask)."""
    return cells.filter(pa.array(rows))


def _others(cells) -> np.ndarray:
    """The filled cells the Arrow rules do not read: characters outside _PLAIN."""
    others = _flags(pc.invert(pc.string_is_ascii(cells)))
    if others.any():
        others[others] = ~_matches(_subset(cells, others), _PLAIN)
    return others


def _by_rules(cells, arrow_rules, cell_rule, *extra) -> pa.Array:
    """arrow_rules(cells), with cell_rule(cell, *extra) for the cells outside _PLAIN; extra: arrays beside cells."""
    read = arrow_rules(cells)
    others = _others(cells)
    if others.any():
        inputs = pd.Series(list(zip(*(_subset(a, others).to_pylist() for a in (cells, *extra)))), dtype=object)
        read = pc.replace_with_mask(read, pa.array(others),
                                    pa.array(per_distinct(inputs, lambda args: cell_rule(*args)), pa.large_string()))
    return pc.if_else(pc.is_valid(cells), read, _NONE) if cells.null_count else read


def _replace_rows(base, rows: np.ndarray, make) -> pa.Array:
    """base with make(those cells) in the given rows."""
    if not rows.any():
        return base
    if rows.all():
        return make(base)
    return pc.replace_with_mask(base, pa.array(rows), make(_subset(base, rows)))


# Numbers ---------------------------------------------------------------------------------------------------------

def _number_rules(cells, decimal: str):
    """to_number's rules over ASCII cells."""
    text = pc.replace_substring(cells, "\u2212", "-")
    grouped = _matches(pc.replace_substring_regex(text, rules.SPACES.pattern, " "), rules.SPACE_GROUPS.pattern)
    text = pc.if_else(pa.array(grouped), pc.replace_substring_regex(text, rules.SPACES.pattern, ""), text)
    thousands = "." if decimal == "," else ","
    groups = rules.DOT_GROUPS if decimal == "," else rules.COMMA_GROUPS
    plain = rules.COMMA_DECIMAL if decimal == "," else rules.POINT_DECIMAL
    return pc.if_else(pa.array(_matches(text, rules.INTEGER.pattern)), text, pc.if_else(
        pa.array(_matches(text, plain.pattern)), pc.replace_substring(text, decimal, "."), pc.if_else(
            pa.array(_matches(text, groups.pattern)),
            pc.replace_substring(pc.replace_substring(text, thousands, ""), decimal, "."), _unreadable(cells))))


def column_to_number(series: pd.Series, decimal: str) -> pd.Series:
    """to_number over a column of stripped cells (missing where empty)."""
    cells = arrow_text(series)
    if _all_plain_decimals(cells, decimal):                    # as most files are: no sign, no thousands mark
        text = _byte_replaced(cells, ",", ".") if decimal == "," and may_contain(cells, ",") else cells
        return text_series(text, series.index)
    filled = pc.is_valid(cells).to_numpy(zero_copy_only=False)
    simple = _flags(pc.ascii_is_decimal(cells))
    if (filled & ~simple).any():
        simple[filled & ~simple] = _matches(_subset(cells, filled & ~simple), _SIMPLE_NUMBER[decimal])
    text = cells
    if decimal == "," and may_contain(cells, ","):
        text = _byte_replaced(cells, ",", ".")                  # the plain decimals; integers have no comma
    rest = filled & ~simple
    if rest.any():
        text = pc.replace_with_mask(text, pa.array(rest), _by_rules(
            _subset(cells, rest), lambda c: _number_rules(c, decimal), lambda c: rules.to_number(c, decimal)))
    return text_series(text, series.index)


def column_as_number(series: pd.Series, decimal: str, integer: bool = False) -> pd.Series | None:
    """The column read as float64 (int64 if integer) when every filled cell is plain digits with at most one decimal
    mark: what column_to_number then a cast would give, in one pass. None when some cell needs the full rules (or,
    for integers, when a cell is empty or not a whole number)."""
    cells = arrow_text(series)
    if not _all_plain_decimals(cells, decimal):
        return None
    text = _byte_replaced(cells, ",", ".") if decimal == "," and may_contain(cells, ",") else cells
    if integer and (text.null_count or may_contain(text, ".")):
        return None
    try:
        read = pc.cast(text, pa.int64() if integer else pa.float64())
    except pa.ArrowInvalid:                             # e.g. a whole number beyond int64
        return None
    return pd.Series(read.to_numpy(zero_copy_only=False), index=series.index)


def _evidence_rules(cells, italian: bool) -> np.ndarray:
    """italian_evidence or english_evidence of each cell (ASCII cells by Arrow, the others in Python)."""
    text = pc.replace_substring_regex(pc.replace_substring(cells, "\u2212", "-"), rules.SPACES.pattern, "")
    has_dot, has_comma = _flags(pc.match_substring(text, ".")), _flags(pc.match_substring(text, ","))
    dot_groups, comma_groups = _matches(text, rules.DOT_GROUPS.pattern), _matches(text, rules.COMMA_GROUPS.pattern)
    if italian:
        found = (_matches(text, rules.COMMA_DECIMAL.pattern) & ~(comma_groups & ~has_dot)) | (dot_groups & has_comma)
    else:
        found = (_matches(text, rules.POINT_DECIMAL.pattern) & ~(dot_groups & ~has_comma)) | (comma_groups & has_dot)
    others = _others(cells)
    evidence = rules.italian_evidence if italian else rules.english_evidence
    found[others] = [evidence(rules.SPACES.sub("", rules.clean(cell))) for cell in _subset(cells, others).to_pylist()]
    return found


def _any_evidence(cells, italian: bool) -> bool:
    """Whether a cell shows a decimal comma (italian) or point; only cells with that mark can, read a few at a time
    (the first thousand cells first: in most files they tell)."""
    mark = "," if italian else "."
    head = cells.slice(0, 1024)
    if _evidence_rules(_subset(head, _flags(pc.match_substring(head, mark))), italian).any():
        return True
    candidates = _subset(cells, _flags(pc.match_substring(cells, mark)))
    start, size = 0, 256
    while start < len(candidates):
        if _evidence_rules(candidates.slice(start, size), italian).any():
            return True
        start, size = start + size, size * 4
    return False


def decimal_of_columns(columns: list[pd.Series], separator: str) -> str:
    """detect_decimal over whole columns: the same answer for the same cells."""
    cells = [arrow_text(series) for series in columns]
    italian = any(_any_evidence(c, True) for c in cells if may_contain(c, ","))
    english = any(_any_evidence(c, False) for c in cells if may_contain(c, "."))
    if italian != english:
        return "," if italian else "."
    return "." if separator == "," else ","


# Dates -----------------------------------------------------------------------------------------------------------

def _date_rules(cells):
    """to_iso_date's rules over ASCII cells."""
    italian = pc.extract_regex(cells, rules.ITALIAN_DATE.pattern)
    iso = pc.extract_regex(cells, rules.ISO_DATE.pattern)
    parts = {name: pc.coalesce(pc.struct_field(italian, name), pc.struct_field(iso, name)) for name in "ymd"}
    year, month, day = (pc.fill_null(pc.cast(parts[name], pa.int64()), 0).to_numpy() for name in "ymd")
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    in_month = _DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    valid = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= in_month)
    padded = [pc.utf8_lpad(pc.cast(pa.array(part), pa.large_string()), width, "0")
              for part, width in ((year, 4), (month, 2), (day, 2))]
    return pc.if_else(pa.array(valid), pc.binary_join_element_wise(*padded, _text("-")), _unreadable(cells))


def column_to_iso_date(series: pd.Series) -> pd.Series:
    """to_iso_date over a column of stripped cells (missing where empty)."""
    return text_series(_by_rules(arrow_text(series), _date_rules, rules.to_iso_date), series.index)


# Codes -----------------------------------------------------------------------------------------------------------

def _comune_rules(cells):
    """to_comune_code's rules over ASCII cells."""
    if pc.all(pc.equal(pc.binary_length(cells), 6)).as_py() and pc.all(pc.ascii_is_decimal(cells)).as_py():
        return cells                                        # already six digits, as most files have them
    text = pc.if_else(pc.ends_with(cells, ".0"), pc.utf8_slice_codeunits(cells, 0, -2), cells)
    short = pc.and_(pc.ascii_is_decimal(text), pc.less_equal(pc.utf8_length(text), 6))
    return pc.if_else(short, pc.utf8_lpad(text, 6, "0"), text)


def column_to_comune_code(series: pd.Series) -> pd.Series:
    """to_comune_code over a column of stripped cells (missing where empty)."""
    return text_series(_by_rules(arrow_text(series), _comune_rules, rules.to_comune_code), series.index)


def _zone_rules(cells):
    """to_territory_code's rules for zones over ASCII cells: digits without leading zeros."""
    return pc.if_else(pc.ascii_is_decimal(cells), pc.replace_substring_regex(cells, r"^0+([0-9])", r"\1"), cells)


def _cm_rules(cells):
    """to_territory_code's rules for the CM over ASCII cells: 1 or 201, with any leading zeros, is 001."""
    numbers = "|".join(str(code) for code in CM_ISTAT_CODES)
    return pc.if_else(pa.array(_matches(cells, rf"^0*({numbers})$")), _text(CM_CODE), cells)


def _territory_rules(cells, level):
    """to_territory_code's rules over ASCII cells, each with its row's level."""
    code = cells
    for name, level_rules in (("comune", _comune_rules), ("zona", _zone_rules), ("cm", _cm_rules)):
        code = _replace_rows(code, _flags(pc.equal(level, name)), level_rules)
    return code


def column_to_territory_code(levels: pd.Series, series: pd.Series) -> pd.Series:
    """to_territory_code over a column of stripped cells (missing where empty), each with the level of its row."""
    cells, level = arrow_text(series), arrow_text(levels)
    code = _by_rules(cells, lambda c: _territory_rules(c, level), lambda c, lv: rules.to_territory_code(lv, c), level)
    return text_series(code, series.index)
