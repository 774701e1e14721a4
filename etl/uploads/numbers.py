"""Numbers, dates and Istat codes as officials type them: decimal comma, thousands dot, dd/mm/yyyy, no leading zeros."""
from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# A cell that cannot be read keeps its text behind this mark, so that the pandera coercion fails on it
# (pandas would otherwise read "nan", "inf" or "1e5" as numbers).
NOT_READABLE = "#"
_SPACES = re.compile(r"[ \u00a0\u202f]")
_INT = re.compile(r"^[+-]?\d+$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d*,\d+$")
_POINT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOT_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_COMMA_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_SPACE_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}( \d{3})+([.,]\d+)?$")
_ITALIAN_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _clean(text: str) -> str:
    """Stripped, with the Unicode minus as '-'."""
    return text.strip().replace("\u2212", "-")


def _italian_evidence(cell: str) -> bool:
    """A cell that only makes sense with a decimal comma: '12,5', '0,25', '1.234,5'."""
    grouped_en = _COMMA_GROUPS.match(cell) and "." not in cell
    return bool((_COMMA_DECIMAL.match(cell) and not grouped_en) or (_DOT_GROUPS.match(cell) and "," in cell))


def _english_evidence(cell: str) -> bool:
    """A cell that only makes sense with a decimal point: '12.5', '0.946', '1,234.5'."""
    grouped_it = _DOT_GROUPS.match(cell) and "," not in cell
    return bool((_POINT_DECIMAL.match(cell) and not grouped_it) or (_COMMA_GROUPS.match(cell) and "." in cell))


def detect_decimal(cells, separator: str) -> str:
    """',' or '.': what the numeric cells of a file show; when they do not tell, ',' unless the separator is ','."""
    italian = english = False
    for cell in cells:
        if not isinstance(cell, str):
            continue
        cell = _SPACES.sub("", _clean(cell))
        italian = italian or _italian_evidence(cell)
        english = english or _english_evidence(cell)
    if italian != english:
        return "," if italian else "."
    return "." if separator == "," else ","


def to_number(cell: str | None, decimal: str) -> str | None:
    """Canonical text of a number ('117.946' → '117946' with a decimal comma); None if empty; marked if unreadable."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = _clean(cell)
    if _SPACE_GROUPS.match(_SPACES.sub(" ", text)):
        text = _SPACES.sub("", text)
    thousands = "." if decimal == "," else ","
    groups = _DOT_GROUPS if decimal == "," else _COMMA_GROUPS
    plain = _COMMA_DECIMAL if decimal == "," else _POINT_DECIMAL
    if _INT.match(text):
        return text
    if plain.match(text):
        return text.replace(decimal, ".")
    if groups.match(text):
        return text.replace(thousands, "").replace(decimal, ".")
    return NOT_READABLE + cell


def to_iso_date(cell: str | None) -> str | None:
    """'31/03/2026', '31-03-2026', '31.03.2026' or '2026-03-31' → '2026-03-31'; None if empty; marked if unreadable."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = cell.strip()
    italian, iso = _ITALIAN_DATE.match(text), _ISO_DATE.match(text)
    try:
        if italian:
            return date(int(italian[3]), int(italian[2]), int(italian[1])).isoformat()
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
    except ValueError:
        pass
    return NOT_READABLE + cell


def to_comune_code(cell: str | None) -> str | None:
    """Istat comune code as 6 digits: '1272' → '001272'; other text unchanged."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = cell.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(6) if text.isascii() and text.isdigit() and len(text) <= 6 else text


def to_territory_code(level: str | None, cell: str | None) -> str | None:
    """Territory code for its level: comune 6 digits, zona '5' for '05', cm '001' for '1', '01' or '201'."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = cell.strip()
    if level == "comune":
        return to_comune_code(text)
    digits = text.isascii() and text.isdigit()  # '³' is a digit to str.isdigit but not to int()
    if level == "zona" and digits:
        return str(int(text))
    if level == "cm" and digits and int(text) in (1, 201):
        return "001"
    return text


# Whole columns at once, giving the same text as the functions above for every cell. Common cells are recognised
# first with cheap whole-column tests; the rest go through the full rules as Arrow regular expressions, which match
# as Python's do on ASCII text (\d is 0-9 in both); cells with other characters (beyond the Unicode minus and the
# spaces officials paste) go through the functions above, once per distinct value.
_PLAIN = r"^[\x00-\x7f\x{a0}\x{202f}\x{2212}]*$"
_SPACE_CLASS = "[ \u00a0\u202f]"  # _SPACES, spelled for Arrow
_SIMPLE_NUMBER = {",": r"^[+-]?(\d+|\d*,\d+)$", ".": r"^[+-]?(\d+|\d*\.\d+)$"}   # _INT or the plain decimal
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_NONE = pa.scalar(None, pa.large_string())  # text is kept as pandas keeps it: large_string


def _text(value: str) -> pa.Scalar:
    """A constant for the Arrow kernels, typed as the text columns are."""
    return pa.scalar(value, pa.large_string())




def arrow_text(series: pd.Series) -> pa.Array:
    """A column of text (missing where empty) as Arrow strings, without copying str columns."""
    array = pa.array(series, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string()) if array.type != pa.large_string() else array


def starts_with_any(text: pa.Array, starts: tuple[str, ...]) -> np.ndarray:
    """True where a cell of Arrow large strings (no missing cell) starts with one of the given ASCII characters."""
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64, count=len(text) + 1, offset=text.offset * 8)
    data = text.buffers()[2]
    filled = offsets[1:] > offsets[:-1]
    first = np.zeros(len(text), dtype=np.uint8)
    if data is not None and filled.any():
        first[filled] = np.frombuffer(data, dtype=np.uint8)[offsets[:-1][filled]]
    return np.isin(first, np.frombuffer("".join(starts).encode("ascii"), dtype=np.uint8))


def text_series(array, index: pd.Index) -> pd.Series:
    """Arrow strings as a str column on the given index, or object (all None) when no cell is left, as map gives."""
    series = array.to_pandas().set_axis(index)
    if series.isna().all():
        return pd.Series(np.full(len(index), None, dtype=object), index=index, dtype=object)
    return series


def _data_bytes(text: pa.Array) -> bytes:
    """The character bytes of Arrow large strings: those of every cell, perhaps with some of cells sliced away."""
    data = text.buffers()[2]
    return data.to_pybytes() if data is not None else b""


def _byte_replaced(text: pa.Array, old: str, new: str) -> pa.Array:
    """Arrow large strings with one ASCII character replaced by another everywhere (same lengths, same offsets)."""
    data = _data_bytes(text).replace(old.encode("ascii"), new.encode("ascii"))
    validity, offsets = text.buffers()[:2]
    return pa.Array.from_buffers(text.type, len(text), [validity, offsets, pa.py_buffer(data)], text.null_count,
                                 text.offset)


def may_contain(text: pa.Array, characters: str) -> bool:
    """False when no cell holds any of the characters (a quick look at the bytes; True means perhaps). A character
    beyond ASCII is looked for by its last byte first: one byte is searched much faster than a sequence."""
    data = _data_bytes(text)
    return any(encoded[-1:] in data and encoded in data
               for encoded in (character.encode("utf-8") for character in characters))


def _all_plain_decimals(cells: pa.Array, decimal: str) -> bool:
    """True when every filled cell is digits with at most one decimal mark, not at the end: what _SIMPLE_NUMBER
    reads without a sign. Looks at the bytes first; False means some cell needs the full rules."""
    data = _data_bytes(cells)
    if data.translate(None, b"0123456789" + decimal.encode("ascii")):
        return False                                            # some other character
    if decimal.encode("ascii") not in data:
        return True                                             # digits only
    marks = pc.count_substring(cells, decimal)
    return not (pc.any(pc.greater(marks, 1)).as_py() or pc.any(pc.ends_with(cells, decimal)).as_py()
                or pc.any(pc.equal(cells, decimal)).as_py())


def per_distinct(values: pd.Series, function) -> list:
    """function(value) for every value, computed once per distinct value."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    results = [function(value) for value in distinct]
    return [results[code] for code in codes]


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


def _by_rules(cells, rules, function, *extra) -> pa.Array:
    """rules(cells) (Arrow), with function(cell, *extra) for the cells outside _PLAIN; extra: arrays beside cells."""
    read = rules(cells)
    others = _others(cells)
    if others.any():
        inputs = pd.Series(list(zip(*(_subset(a, others).to_pylist() for a in (cells, *extra)))), dtype=object)
        read = pc.replace_with_mask(read, pa.array(others),
                                    pa.array(per_distinct(inputs, lambda args: function(*args)), pa.large_string()))
    return pc.if_else(pc.is_valid(cells), read, _NONE) if cells.null_count else read


def _replace_rows(base, rows: np.ndarray, make) -> pa.Array:
    """base with make(those cells) in the given rows."""
    if not rows.any():
        return base
    if rows.all():
        return make(base)
    return pc.replace_with_mask(base, pa.array(rows), make(_subset(base, rows)))


def _number_rules(cells, decimal: str):
    """to_number's rules over ASCII cells."""
    text = pc.replace_substring(cells, "\u2212", "-")
    grouped = _matches(pc.replace_substring_regex(text, _SPACE_CLASS, " "), _SPACE_GROUPS.pattern)
    text = pc.if_else(pa.array(grouped), pc.replace_substring_regex(text, _SPACE_CLASS, ""), text)
    thousands = "." if decimal == "," else ","
    groups = _DOT_GROUPS if decimal == "," else _COMMA_GROUPS
    plain = _COMMA_DECIMAL if decimal == "," else _POINT_DECIMAL
    return pc.if_else(pa.array(_matches(text, _INT.pattern)), text, pc.if_else(
        pa.array(_matches(text, plain.pattern)), pc.replace_substring(text, decimal, "."), pc.if_else(
            pa.array(_matches(text, groups.pattern)),
            pc.replace_substring(pc.replace_substring(text, thousands, ""), decimal, "."),
            pc.binary_join_element_wise(_text(NOT_READABLE), cells, _text("")))))


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
            _subset(cells, rest), lambda c: _number_rules(c, decimal), lambda c: to_number(c, decimal)))
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
    """_italian_evidence or _english_evidence of each cell (ASCII cells by Arrow, the others in Python)."""
    text = pc.replace_substring_regex(pc.replace_substring(cells, "\u2212", "-"), _SPACE_CLASS, "")
    has_dot, has_comma = _flags(pc.match_substring(text, ".")), _flags(pc.match_substring(text, ","))
    dot_groups, comma_groups = _matches(text, _DOT_GROUPS.pattern), _matches(text, _COMMA_GROUPS.pattern)
    if italian:
        found = (_matches(text, _COMMA_DECIMAL.pattern) & ~(comma_groups & ~has_dot)) | (dot_groups & has_comma)
    else:
        found = (_matches(text, _POINT_DECIMAL.pattern) & ~(dot_groups & ~has_comma)) | (comma_groups & has_dot)
    others = _others(cells)
    evidence = _italian_evidence if italian else _english_evidence
    found[others] = [evidence(_SPACES.sub("", _clean(cell))) for cell in _subset(cells, others).to_pylist()]
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


def _date_rules(cells):
    """to_iso_date's rules over ASCII cells."""
    italian = pc.extract_regex(cells, r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$")
    iso = pc.extract_regex(cells, r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
    parts = {name: pc.coalesce(pc.struct_field(italian, name), pc.struct_field(iso, name)) for name in "ymd"}
    year, month, day = (pc.fill_null(pc.cast(parts[name], pa.int64()), 0).to_numpy() for name in "ymd")
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    in_month = _DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    valid = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= in_month)
    padded = [pc.utf8_lpad(pc.cast(pa.array(part), pa.large_string()), width, "0")
              for part, width in ((year, 4), (month, 2), (day, 2))]
    return pc.if_else(pa.array(valid), pc.binary_join_element_wise(*padded, _text("-")),
                      pc.binary_join_element_wise(_text(NOT_READABLE), cells, _text("")))


def column_to_iso_date(series: pd.Series) -> pd.Series:
    """to_iso_date over a column of stripped cells (missing where empty)."""
    return text_series(_by_rules(arrow_text(series), _date_rules, to_iso_date), series.index)


def _comune_rules(cells):
    """to_comune_code's rules over ASCII cells."""
    if pc.all(pc.equal(pc.binary_length(cells), 6)).as_py() and pc.all(pc.ascii_is_decimal(cells)).as_py():
        return cells                                        # already six digits, as most files have them
    text = pc.if_else(pc.ends_with(cells, ".0"), pc.utf8_slice_codeunits(cells, 0, -2), cells)
    short = pc.and_(pc.ascii_is_decimal(text), pc.less_equal(pc.utf8_length(text), 6))
    return pc.if_else(short, pc.utf8_lpad(text, 6, "0"), text)


def column_to_comune_code(series: pd.Series) -> pd.Series:
    """to_comune_code over a column of stripped cells (missing where empty)."""
    return text_series(_by_rules(arrow_text(series), _comune_rules, to_comune_code), series.index)


def _zone_rules(cells):
    """to_territory_code's rules for zones over ASCII cells: digits without leading zeros."""
    return pc.if_else(pc.ascii_is_decimal(cells), pc.replace_substring_regex(cells, r"^0+([0-9])", r"\1"), cells)


def _cm_rules(cells):
    """to_territory_code's rules for the CM over ASCII cells: 1 or 201, with any leading zeros, is 001."""
    return pc.if_else(pa.array(_matches(cells, r"^0*(1|201)$")), _text("001"), cells)


def _territory_rules(cells, level):
    """to_territory_code's rules over ASCII cells, each with its row's level."""
    code = cells
    for name, rules in (("comune", _comune_rules), ("zona", _zone_rules), ("cm", _cm_rules)):
        code = _replace_rows(code, _flags(pc.equal(level, name)), rules)
    return code


def column_to_territory_code(levels: pd.Series, series: pd.Series) -> pd.Series:
    """to_territory_code over a column of stripped cells (missing where empty), each with the level of its row."""
    cells, level = arrow_text(series), arrow_text(levels)
    code = _by_rules(cells, lambda c: _territory_rules(c, level), lambda c, lv: to_territory_code(lv, c), level)
    return text_series(code, series.index)
