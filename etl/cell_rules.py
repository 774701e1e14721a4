"""One cell read as officials and producers write it: numbers with a decimal comma or point, dates, Istat codes.

The specification, each rule once and per cell. etl/uploads/column_kernels.py applies the same rules to whole columns
(tests/test_uploads_columns.py runs both on the same cells); the connectors read their files' numbers and codes here.
"""
from __future__ import annotations

import re
from datetime import date

from core.territory import CM_CODE, CM_ISTAT_CODES

# A cell that cannot be read keeps its text behind this mark, so that the pandera coercion fails on it
# (pandas would otherwise read "nan", "inf" or "1e5" as numbers).
NOT_READABLE = "#"
SPACES = re.compile("[ \u00a0\u202f]")       # the spaces officials paste: plain, no-break, narrow no-break
INTEGER = re.compile(r"^[+-]?\d+$")
COMMA_DECIMAL = re.compile(r"^[+-]?\d*,\d+$")
POINT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
DOT_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
COMMA_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
SPACE_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}( \d{3})+([.,]\d+)?$")
ITALIAN_DATE = re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$")
ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")


def clean(text: str) -> str:
    """Stripped, with the Unicode minus as '-'."""
    return text.strip().replace("\u2212", "-")


# Numbers ---------------------------------------------------------------------------------------------------------

def italian_evidence(cell: str) -> bool:
    """A cell that only makes sense with a decimal comma: '12,5', '0,25', '1.234,5'."""
    grouped_en = COMMA_GROUPS.match(cell) and "." not in cell
    return bool((COMMA_DECIMAL.match(cell) and not grouped_en) or (DOT_GROUPS.match(cell) and "," in cell))


def english_evidence(cell: str) -> bool:
    """A cell that only makes sense with a decimal point: '12.5', '0.946', '1,234.5'."""
    grouped_it = DOT_GROUPS.match(cell) and "," not in cell
    return bool((POINT_DECIMAL.match(cell) and not grouped_it) or (COMMA_GROUPS.match(cell) and "." in cell))


def detect_decimal(cells, separator: str) -> str:
    """',' or '.': what the numeric cells of a file show; when they do not tell, ',' unless the separator is ','."""
    italian = english = False
    for cell in cells:
        if not isinstance(cell, str):
            continue
        cell = SPACES.sub("", clean(cell))
        italian = italian or italian_evidence(cell)
        english = english or english_evidence(cell)
    if italian != english:
        return "," if italian else "."
    return "." if separator == "," else ","


def to_number(cell: str | None, decimal: str) -> str | None:
    """Canonical text of a number ('117.946' → '117946' with a decimal comma); None if empty; marked if unreadable."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = clean(cell)
    if SPACE_GROUPS.match(SPACES.sub(" ", text)):
        text = SPACES.sub("", text)
    thousands = "." if decimal == "," else ","
    groups = DOT_GROUPS if decimal == "," else COMMA_GROUPS
    plain = COMMA_DECIMAL if decimal == "," else POINT_DECIMAL
    if INTEGER.match(text):
        return text
    if plain.match(text):
        return text.replace(decimal, ".")
    if groups.match(text):
        return text.replace(thousands, "").replace(decimal, ".")
    return NOT_READABLE + cell


# Dates -----------------------------------------------------------------------------------------------------------

def to_iso_date(cell: str | None) -> str | None:
    """'31/03/2026', '31-03-2026', '31.03.2026' or '2026-03-31' → '2026-03-31'; None if empty; marked if unreadable."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = cell.strip()
    found = ITALIAN_DATE.match(text) or ISO_DATE.match(text)
    try:
        if found:
            return date(int(found["y"]), int(found["m"]), int(found["d"])).isoformat()
    except ValueError:
        pass
    return NOT_READABLE + cell


# Codes -----------------------------------------------------------------------------------------------------------

def to_comune_code(cell: str | None) -> str | None:
    """Istat comune code as 6 digits: '1272' → '001272'; other text unchanged."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    text = cell.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(6) if text.isascii() and text.isdigit() and len(text) <= 6 else text


def is_comune_code(code: str | None) -> bool:
    """Whether to_comune_code's answer can be a comune's code: six ASCII digits, the province (first three) not 000."""
    return isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit() and code[:3] != "000"


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
    if level == "cm" and digits and int(text) in CM_ISTAT_CODES:
        return CM_CODE
    return text
