"""Benchmark territories: Italia, the regions and the 14 città metropolitane, from Istat's list of comuni.

A national comune row is placed by the province in its Istat code (the first three digits): Istat's list gives each
historic province its region and its supra-municipal unit (type 3 = città metropolitana). A comune merged since the
list's reference date is still placed, because a merger joins comuni of one province.
"""
from __future__ import annotations

import gzip
import hashlib
import io
from functools import lru_cache

import pandas as pd

from etl.reference import REFERENCE_DIR, Problem, ReferenceDataError, load_sources
from etl.sources.common import find_column

ISTAT_LIST = REFERENCE_DIR / "istat_elenco_comuni_2026.csv.gz"
SOURCE = "istat_elenco_comuni"  # its producer, licence and checksum: etl/reference/sources.toml
CM_TYPE = "3"  # Istat's type of supra-municipal unit for a città metropolitana
LIST_COLUMNS = {  # our name: Istat's header (matched without regard to spaces, line breaks and case)
    "istat_code": "Codice Comune formato alfanumerico",
    "name": "Denominazione in italiano",
    "province_code": "Codice Provincia (Storico)(1)",
    "region_code": "Codice Regione",
    "region_name": "Denominazione Regione",
    "uts_code": "Codice dell'Unità territoriale sovracomunale (valida a fini statistici)",
    "uts_name": "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)",
    "uts_type": "Tipologia di Unità territoriale sovracomunale",
}
# Regions whose supra-municipal units were reorganised: the comparison of their città metropolitana says so.
UNCERTAIN = {"20": ("Composizione dell'elenco statistico Istat ({comuni} comuni): la Sardegna ha riordinato più volte "
                    "i propri enti locali, la composizione legale a una data può essere diversa. Confronto da leggere "
                    "con cautela.",
                    "Composition of Istat's statistical list ({comuni} municipalities): Sardinia has reorganised its "
                    "local authorities more than once, the legal composition at a given date may differ. Read this "
                    "comparison with care.")}


@lru_cache(maxsize=1)
def istat_list() -> pd.DataFrame:
    """One row per comune of Istat's list (bundled, as published): code, name, province, region, supra-municipal unit."""
    try:
        raw = gzip.decompress(ISTAT_LIST.read_bytes())
        table = pd.read_csv(io.BytesIO(raw), sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReferenceDataError([Problem(ISTAT_LIST.name, None, None, None, f"file illeggibile: {exc}")]) from exc
    if hashlib.sha256(raw).hexdigest() != load_sources()[SOURCE]["csv_sha256"]:
        raise ReferenceDataError([Problem(ISTAT_LIST.name, None, None, None,
                                          "il CSV non è quello registrato in sources.toml (csv_sha256)")])
    columns = {key: find_column(table, [label], ISTAT_LIST.name) for key, label in LIST_COLUMNS.items()}
    return pd.DataFrame({key: table[column].str.strip() for key, column in columns.items()})


def province_areas() -> pd.DataFrame:
    """One row per historic province code: region_code and, for a città metropolitana, cm_code (its Istat
    supra-municipal unit code); a province split between regions or units stops the build."""
    comuni = istat_list()
    units = comuni.drop_duplicates(["province_code", "region_code", "uts_code", "uts_type"])
    split = units[units["province_code"].duplicated(keep=False)]
    if len(split):
        raise ReferenceDataError([Problem(ISTAT_LIST.name, None, "province_code", code,
                                          "provincia divisa tra più regioni o unità sovracomunali")
                                  for code in sorted(set(split["province_code"]))])
    return pd.DataFrame({"province_code": units["province_code"], "region_code": units["region_code"],
                         "cm_code": units["uts_code"].where(units["uts_type"] == CM_TYPE)}).reset_index(drop=True)


def territories(italy_note: tuple[str, str] | None = None) -> pd.DataFrame:
    """benchmark_territory: Italia, each region and each città metropolitana, with its comuni in Istat's list and,
    where its composition is uncertain, a note (Italian, English)."""
    comuni = istat_list()
    note_it, note_en = italy_note or (None, None)
    rows = [{"level": "italia", "territory_code": "IT", "name_it": "Italia", "name_en": "Italy", "region_code": None,
             "comuni": len(comuni), "composition_it": note_it, "composition_en": note_en}]
    for (code, name), group in comuni.groupby(["region_code", "region_name"]):
        rows.append({"level": "regione", "territory_code": code, "name_it": name, "name_en": name,
                     "region_code": code, "comuni": len(group), "composition_it": None, "composition_en": None})
    metropolitan = comuni[comuni["uts_type"] == CM_TYPE]
    for (code, name, region), group in metropolitan.groupby(["uts_code", "uts_name", "region_code"]):
        notes = [text.format(comuni=len(group)) for text in UNCERTAIN.get(region, (None, None)) if text]
        rows.append({"level": "citta_metropolitana", "territory_code": code, "name_it": name, "name_en": name,
                     "region_code": region, "comuni": len(group),
                     "composition_it": notes[0] if notes else None, "composition_en": notes[1] if notes else None})
    return pd.DataFrame(rows)


def home(province_code: str) -> dict[str, str]:
    """The region and the città metropolitana code of the CM's province (e.g. '001' → region '01', CM '201')."""
    row = province_areas().set_index("province_code").loc[province_code]
    return {"region_code": row["region_code"], "cm_peer_code": row["cm_code"]}


def unplaced(codes: pd.Series, file_names: pd.Series) -> list[Problem]:
    """A problem for each national comune code whose province is not in Istat's list (its rows would be lost)."""
    known = set(province_areas()["province_code"])
    lost = pd.DataFrame({"code": codes, "file": file_names}).drop_duplicates("code")
    lost = lost[~lost["code"].str[:3].isin(known)]
    return [Problem(str(row.file), None, "codice_istat", row.code,
                    "provincia assente dall'elenco Istat dei comuni: il comune non si può attribuire a una regione")
            for row in lost.itertuples(index=False)]
