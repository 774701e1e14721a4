"""MEF IRPEF per comune: taxable income per taxpayer and share of taxpayers with income up to 10,000 €."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd

from etl.sources.common import (FormatError, Parsed, cm_comuni, comune_code, decimal_mark, load_meta, observations,
                                read_delimited, read_number)
from etl.sources.http import SourceError

SOURCE = "mef"
META = load_meta(__file__)
COLUMNS = META["columns"]


def fetch(downloader, today: date) -> None:
    """Download the newest yearly ZIP that is published (older years are tried after a 404)."""
    cfg = META["fetch"]
    years = range(today.year - cfg["years_back_from"], today.year - cfg["years_back_to"] - 1, -1)
    for year in years:
        if downloader.get(f"irpef_comuni_{year}", cfg["zip_url"].format(year=year), ext="zip", missing_ok=True):
            return
    raise SourceError(SOURCE, f"nessun file IRPEF comunale pubblicato per gli anni {years[-1]}–{years[0]}")


def _csv_bytes(raw: bytes, file_name: str) -> tuple[bytes, str]:
    """The CSV inside the MEF ZIP (or the bytes themselves when they are the CSV)."""
    if not raw.startswith(b"PK"):
        return raw, file_name
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise FormatError(f"{file_name}: archivio ZIP illeggibile") from exc
    members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    if len(members) != 1:
        raise FormatError(f"{file_name}: attesi un solo CSV nello ZIP, trovati {len(members)}")
    return archive.read(members[0]), members[0]


def detect_mef(raw: bytes) -> bool:
    """True for the MEF CSV (or its ZIP): header 'Anno di imposta;…;Codice Istat Comune;…'."""
    try:
        csv_raw, _ = _csv_bytes(raw, "")
    except FormatError:
        return False
    head = csv_raw[:400].decode("latin-1").lstrip("\ufeff")
    return head.startswith(COLUMNS["year"] + ";") and COLUMNS["code"] in head


def read(raw: bytes, file_name: str) -> Parsed:
    """Rows of the CM's comuni → income_per_taxpayer and share_taxpayers_under_10k, with skipped rows counted."""
    # Load inputs
    csv_raw, name = _csv_bytes(raw, file_name)
    table = read_delimited(csv_raw, name, delimiter=";")
    missing = [c for c in COLUMNS.values() if c not in table.columns]
    if missing:
        raise FormatError(f"{name}: formato MEF cambiato, colonne mancanti: {', '.join(missing)}")
    # Process data
    parsed, rows, comuni = Parsed(), [], cm_comuni()
    amounts = ("taxpayers", "taxable_income", "income_0_10k")
    decimal = decimal_mark(table, [COLUMNS[key] for key in ("year", *amounts)])
    for line, row in enumerate(table.to_dict("records"), start=2):
        code = comune_code(row[COLUMNS["code"]])
        if code is None:
            raise FormatError(f"{name}, riga {line}: codice Istat del comune non valido ({row[COLUMNS['code']]!r})")
        if code not in comuni:
            parsed.skip("comuni fuori dalla Città metropolitana")
            continue
        year = read_number(row[COLUMNS["year"]], decimal)
        if year is None:
            raise FormatError(f"{name}, riga {line}: anno di imposta non valido ({row[COLUMNS['year']]!r})")
        values = {key: read_number(row[COLUMNS[key]], decimal) for key in amounts}
        rows += _comune_rows(code, int(year), values, parsed)
    if not rows:
        raise FormatError(f"{name}: nessun comune della Città metropolitana di Torino nel file")
    # Save outputs
    parsed.observations = observations(rows)
    return parsed


def _comune_rows(code: str, year: int, values: dict, parsed: Parsed) -> list[dict]:
    """The two indicators of one comune; an empty (suppressed) cell skips its indicator."""
    taxpayers = values["taxpayers"]
    if not taxpayers:
        parsed.skip("comuni senza numero di contribuenti")
        return []
    base = {"level": "comune", "territory_code": code, "period": year, "sex": "T", "denominator": taxpayers}
    rows = []
    if values["taxable_income"] is None:
        parsed.skip("reddito imponibile non pubblicato (cella vuota)")
    else:
        rows.append({**base, "indicator_code": "income_per_taxpayer", "numerator": values["taxable_income"],
                     "value": values["taxable_income"] / taxpayers, "note": "reddito imponibile / numero contribuenti"})
    if values["income_0_10k"] is None:
        parsed.skip("classe di reddito 0–10.000 € non pubblicata (cella vuota)")
    else:
        rows.append({**base, "indicator_code": "share_taxpayers_under_10k", "numerator": values["income_0_10k"],
                     "value": 100 * values["income_0_10k"] / taxpayers,
                     "note": "contribuenti con reddito complessivo da 0 a 10.000 € / numero contribuenti"})
    return rows


def parse_mef(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from the MEF CSV or ZIP (the file the CLI downloads or an official uploads)."""
    return read(raw_bytes, file_name).observations


def load(raw_set) -> Parsed:
    """The latest downloaded ZIP → observations."""
    entry = raw_set.entries[-1]
    return read(raw_set.read(entry), entry["file"])
