"""A workbook cell as the text a CSV export of the sheet would hold: numbers with a decimal comma and no exponent,
codes with the zeros their format shows, dates as dd/mm/yyyy, percentages with their sign; and the rows of an .ods."""
from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta

import numpy as np

TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CALCEXT_NS = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
ODS_CELLS = (TABLE_NS + "table-cell", TABLE_NS + "covered-table-cell")
MAX_REPEATED_COLUMNS = 16384     # Excel's widest sheet: a cell repeated further is formatting, not data
ZERO_PADDED = re.compile(r"^0{2,}$")                 # a code format such as 000000 (001272 shown for 1272)
QUOTED = re.compile(r'"[^"]*"|\\.')                   # literal text in a number format


def number_text(value: float | int) -> str:
    """A number as a sheet holds it, with a decimal comma: 15 significant digits as Excel keeps, no exponent."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    value = float(f"{value:.15g}")
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return np.format_float_positional(value, trim="-").replace(".", ",")


def date_text(value: date | datetime) -> str:
    """31/10/2026, with the time when there is one: 31/10/2026 14:30."""
    text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, datetime) and value.time() != time(0):
        text += f" {value:%H:%M}" + (f":{value:%S}" if value.second else "")
    return text


def shown(value, number_format: str = "General") -> str:
    """A cell's value as the sheet shows it in Italian, for the cell rules to read like a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "VERO" if value else "FALSO"
    if isinstance(value, (datetime, date)):
        return date_text(value)
    if isinstance(value, (time, timedelta)):
        return str(value)
    if isinstance(value, (int, float)):
        literal = QUOTED.sub("", number_format or "")
        if "%" in literal:
            return number_text(value * 100) + "%"
        text = number_text(value)
        if ZERO_PADDED.match(literal) and text.isdigit():
            return text.zfill(len(literal))
        return text
    return str(value).strip()


def xlsx_text(cell) -> str:
    """An openpyxl read-only cell as the sheet shows it."""
    value = cell.value
    if value is None or isinstance(value, str):
        return "" if value is None else value.strip()
    return shown(value, getattr(cell, "number_format", None) or "General")


def trimmed(texts: list[str]) -> list[str]:
    """Cell texts without the empty ones at the end of the row ([] for a blank row)."""
    end = len(texts)
    while end and not texts[end - 1]:
        end -= 1
    return texts[:end]


# OpenDocument ----------------------------------------------------------------------------------------------------

def _paragraph(element) -> str:
    """The text of a text:p (or a span in it): runs of spaces, tabs and line breaks as written."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == TEXT_NS + "s":
            parts.append(" " * int(child.get(TEXT_NS + "c", "1")))
        elif child.tag == TEXT_NS + "tab":
            parts.append("\t")
        elif child.tag == TEXT_NS + "line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def ods_text(cell) -> str:
    """An ODS cell as the sheet shows it: numbers by their value (codes with their zeros), other cells by their text."""
    kind = cell.get(OFFICE_NS + "value-type")
    text = "\n".join(_paragraph(p) for p in cell if p.tag == TEXT_NS + "p").strip()
    if cell.get(CALCEXT_NS + "value-type") == "error" or kind in (None, "string", "time"):
        return text
    if kind == "boolean":
        return "VERO" if cell.get(OFFICE_NS + "boolean-value") == "true" else "FALSO"
    if kind == "date":
        return date_text(datetime.fromisoformat(cell.get(OFFICE_NS + "date-value")))
    value = float(cell.get(OFFICE_NS + "value"))
    if kind == "percentage":
        return number_text(value * 100) + "%"
    if text.isascii() and text.isdigit() and len(text) > 1 and text.startswith("0") and int(text) == value:
        return text                                       # a code shown with its zeros (format 000000)
    return number_text(value)


def _ods_row(row) -> list[str]:
    """The cell texts of a table:table-row, repeated cells spread, without the empty ones at the end."""
    texts, empty = [], 0
    for cell in row:
        if cell.tag not in ODS_CELLS:
            continue
        repeat = int(cell.get(TABLE_NS + "number-columns-repeated", "1"))
        text = ods_text(cell)
        if not text:
            empty += repeat
            continue
        texts.extend([""] * min(empty, MAX_REPEATED_COLUMNS))
        texts.extend([text] * min(repeat, MAX_REPEATED_COLUMNS))
        empty = 0
    return texts


def ods_rows(content: bytes, unreadable):
    """(sheet row, texts) of the non-blank rows of the first table in an .ods content.xml, read as a stream;
    unreadable(exc) gives the error to raise for XML or values that cannot be read."""
    depth = line = 0
    try:
        for event, element in ET.iterparse(io.BytesIO(content), events=("start", "end")):
            if element.tag == TABLE_NS + "table":
                depth += 1 if event == "start" else -1
                if event == "end" and depth == 0:
                    return                                  # the first sheet only
            elif event == "end" and depth == 1 and element.tag == TABLE_NS + "table-row":
                repeat = int(element.get(TABLE_NS + "number-rows-repeated", "1"))
                texts = _ods_row(element)
                for n in range(repeat if texts else 0):
                    yield line + n + 1, texts
                line += repeat
                element.clear()
    except (ET.ParseError, ValueError, TypeError) as exc:
        raise unreadable(exc) from exc
