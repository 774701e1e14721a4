"""Ministero della Salute pharmacies: active pharmacies per comune (the warehouse makes the flag of comuni with one)."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin

import pandas as pd

from etl.sources.common import (FormatError, Parsed, cm_comuni, comune_code, decode_text, find_column, load_meta,
                                norm_label, observations, read_delimited)
from etl.sources.http import SourceError

SOURCE = "min_salute"
META = load_meta(__file__)
ALIASES = META["aliases"]
FILE_DATE = re.compile(r"FRM_FARMA_5_(\d{4})(\d{2})(\d{2})", re.IGNORECASE)


def fetch(downloader, today: date) -> None:
    """Read the dataset page, find the newest FRM_FARMA_5_<date>.csv link and download it."""
    cfg = META["fetch"]
    page = decode_text(downloader.get("dataset_page", cfg["page_url"], ext="html"))
    links = re.findall(cfg["link_pattern"], page)
    if not links:
        raise SourceError(SOURCE, "nessun collegamento a FRM_FARMA_5_<data>.csv nella pagina del dataset (pagina cambiata?)")
    href, stamp = max(links, key=lambda link: link[1])
    downloader.get(f"FRM_FARMA_5_{stamp}", urljoin(cfg["base_url"], href), ext="csv")


def detect_min_salute(raw: bytes) -> bool:
    """True for the Ministero pharmacies CSV, either header variant."""
    head = norm_label(decode_text(raw[:2000]).splitlines()[0] if raw else "")
    return any(norm_label(a) in head for a in ALIASES["pharmacy_id"]) and \
        any(norm_label(a) in head for a in ALIASES["end_validity"])


def read(raw: bytes, file_name: str, period: int | None = None) -> Parsed:
    """Active pharmacies per comune of the CM (0 where none: the file is the complete national list)."""
    # Load inputs
    stamp = FILE_DATE.search(file_name)
    period = period or (int(stamp.group(1)) if stamp else None)
    if period is None:
        raise FormatError(f"{file_name}: anno di riferimento non determinabile; il nome del file deve restare "
                          "FRM_FARMA_5_AAAAMMGG.csv come pubblicato dal Ministero")
    # Process data
    parsed, comuni = Parsed(), cm_comuni()
    counted = count_active(raw, file_name, parsed, comuni)
    if counted is None:
        raise FormatError(f"{file_name}: nessuna farmacia della Città metropolitana di Torino (file incompleto?)")
    note = f"farmacie attive al {stamp.group(3)}/{stamp.group(2)}/{stamp.group(1)}" if stamp else "farmacie attive"
    rows = [{"indicator_code": "pharmacies", "level": "comune", "territory_code": code, "period": period, "sex": "T",
             "value": float(counted.get(code, 0)), "numerator": float(counted.get(code, 0)), "note": note}
            for code in sorted(comuni)]
    # Save outputs
    parsed.observations = observations(rows)
    parsed.released_on = date(*map(int, stamp.groups())) if stamp else None  # the release in the file's name
    return parsed


def count_active(raw: bytes, file_name: str, parsed: Parsed, comuni: frozenset[str] | None = None) -> dict | None:
    """Active pharmacies (no end of validity, types 1–2) per comune code, for the comuni given (all when None);
    None when the file has no row of them. The separator is the one the file has (';' as the Ministero
    publishes it, ',' in re-exports of the same list)."""
    table = read_delimited(raw, file_name)
    columns = {key: find_column(table, aliases, file_name) for key, aliases in ALIASES.items()}
    codes = table[columns["comune"]].map(comune_code)
    parsed.skip("righe disallineate (codice comune non di 6 cifre)", int(codes.isna().sum()))
    table = table.assign(_code=codes)[codes.isin(comuni) if comuni is not None else codes.notna()]
    if table.empty:
        return None
    active = table[table[columns["end_validity"]].str.strip() == META["parse"]["active_marker"]]
    parsed.skip("farmacie cessate (data di fine validità)", len(table) - len(active))
    kept = active[active[columns["type_code"]].str.strip().isin(META["parse"]["pharmacy_types"])]
    parsed.skip("dispensari (tipologia 3–4), non farmacie", len(active) - len(kept))
    return kept.drop_duplicates(columns["pharmacy_id"]).groupby("_code").size().to_dict()


def parse_min_salute(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from the Ministero CSV (the file name keeps its release date: FRM_FARMA_5_AAAAMMGG.csv)."""
    return read(raw_bytes, file_name).observations


def load(raw_set) -> Parsed:
    """The downloaded CSV → observations (the release date comes from the original file name)."""
    entry = raw_set.named("FRM_FARMA_5_")[-1]
    return read(raw_set.read(entry), entry["name"] + ".csv")
