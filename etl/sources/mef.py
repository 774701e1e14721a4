"""MEF IRPEF per comune: taxable income per taxpayer and share of taxpayers with income up to 10,000 €."""
from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd

from etl.sources.common import (FormatError, Parsed, cm_comuni, comune_code, decimal_mark, find_column, load_meta,
                                observations, read_delimited, read_number)
from etl.sources.http import SourceError

SOURCE = "mef"
META = load_meta(__file__)
COLUMNS = META["columns"]
BUNDLED_FILE = Path(__file__).resolve().parent.parent / "reference" / META["bundled"]["file"]
# The producer's last row gathers the taxpayers whose comune is missing or wrong: code 0 (00 in 2022), name
# «Mancante/errata». It is no comune: it is left out and counted.
CATCH_ALL = "contribuenti con comune mancante o errato (riga «Mancante/errata» del MEF, codice 0)"


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


def _columns(table: pd.DataFrame, name: str) -> dict[str, str]:
    """The file's header cell for each configured column, matched without regard to spaces and case."""
    found = {key: find_column(table, [label], name, required=False) for key, label in COLUMNS.items()}
    missing = [COLUMNS[key] for key, column in found.items() if column is None]
    if missing:
        raise FormatError(f"{name}: formato MEF cambiato, colonne mancanti: {', '.join(missing)}")
    return found


def read(raw: bytes, file_name: str) -> Parsed:
    """Every comune of the national file → income_per_taxpayer and share_taxpayers_under_10k (Parsed.national);
    the rows of the CM's comuni also in Parsed.observations; the catch-all and suppressed cells counted as skipped."""
    # Load inputs
    csv_raw, name = _csv_bytes(raw, file_name)
    table = read_delimited(csv_raw, name, delimiter=";")
    columns = _columns(table, name)
    # Process data
    parsed, rows, seen = Parsed(), [], {}
    amounts = ("taxpayers", "taxable_income", "income_0_10k")
    decimal = decimal_mark(table, [columns[key] for key in ("year", *amounts)])
    for line, row in enumerate(table.to_dict("records"), start=2):
        cell = str(row[columns["code"]]).strip()
        if cell and set(cell) == {"0"}:
            parsed.skip(CATCH_ALL)
            continue
        code = comune_code(cell)
        if code is None:
            raise FormatError(f"{name}, riga {line}: codice Istat del comune non valido ({cell!r})")
        if code in seen:
            raise FormatError(f"{name}, riga {line}: comune {code} ripetuto (già alla riga {seen[code]})")
        seen[code] = line
        year = read_number(row[columns["year"]], decimal)
        if year is None:
            raise FormatError(f"{name}, riga {line}: anno di imposta non valido ({row[columns['year']]!r})")
        values = {key: read_number(row[columns[key]], decimal) for key in amounts}
        rows += _comune_rows(code, int(year), values, parsed)
    national = observations(rows) if rows else None
    if national is None or not national["territory_code"].isin(cm_comuni()).any():
        raise FormatError(f"{name}: nessun comune della Città metropolitana di Torino nel file")
    # Save outputs
    parsed.national = national
    parsed.observations = national[national["territory_code"].isin(cm_comuni())].reset_index(drop=True)
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
    """Observations of the CM's comuni from the MEF CSV or ZIP (the file the CLI downloads or an official uploads)."""
    return read(raw_bytes, file_name).observations


def load(raw_set) -> Parsed:
    """The latest downloaded ZIP → observations (the CM's comuni) and national rows (every comune)."""
    entry = raw_set.entries[-1]
    return read(raw_set.read(entry), entry["file"])


def read_bundled() -> tuple[Parsed, str, str]:
    """The national release bundled with the project (etl/reference/, gzip of the published CSV): its rows, the
    CSV's name and sha256; the sha256 must be the one recorded in mef.toml."""
    bundled = META["bundled"]
    raw = gzip.decompress(BUNDLED_FILE.read_bytes())
    sha = hashlib.sha256(raw).hexdigest()
    if sha != bundled["csv_sha256"]:
        raise FormatError(f"{BUNDLED_FILE.name}: il CSV non è quello registrato in mef.toml (sha256 {sha[:16]}…)")
    return read(raw, bundled["name"]), bundled["name"], sha
