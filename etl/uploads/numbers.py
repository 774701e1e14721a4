"""Numbers, dates and Istat codes as officials type them: decimal comma, thousands dot, dd/mm/yyyy, no leading zeros."""
from __future__ import annotations

import re
from datetime import date

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
    return text.zfill(6) if text.isdigit() and len(text) <= 6 else text


def to_territory_code(level: str | None, cell: str | None) -> str | None:
    """Territory code for its level: comune 6 digits, zona '5' for '05', cm '001' for '1', '01' or '201'."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = cell.strip()
    if level == "comune":
        return to_comune_code(text)
    if level == "zona" and text.isdigit():
        return str(int(text))
    if level == "cm" and text.isdigit() and int(text) in (1, 201):
        return "001"
    return text
