"""CMT official zone list ("Elenco Comuni per Zona omogenea", ODS or CSV) → zones frame, checked like the bundled one."""
from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd

from etl import reference
from etl.sources.common import (FormatError, Parsed, cm_comuni, cm_names, cm_shapes, comune_code, decode_text,
                                load_meta, norm_label, read_delimited)
from etl.sources.http import SourceError

SOURCE = "cmt_zones"
META = load_meta(__file__)
ALIASES = META["aliases"]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ZONE_CELL = re.compile(r"^\s*(?:z(?:ona)?\.?\s*(?:omogenea)?\s*(?:n\.?|nr\.?)?\s*)?(\d{1,2})\s*[-–:.)]?\s*(.*)$",
                       re.IGNORECASE)


def fetch(downloader, today: date) -> None:
    """Download the ODS from the address set in cmt_zones.toml (empty by default: upload the file instead)."""
    url = META["fetch"]["url"]
    if not url:
        raise SourceError(SOURCE, "indirizzo dell'elenco ufficiale non configurato ([fetch] url in "
                                  "etl/sources/cmt_zones.toml): caricare il file dalla pagina Carica dati")
    downloader.get("elenco_comuni_zone", url, ext="ods")


def detect_cmt_zones(raw: bytes) -> bool:
    """True for an ODS spreadsheet, or a CSV with a zone column and a comune column."""
    if raw[:2] == b"PK":
        return ODS_MIMETYPE in raw[:200]
    header = norm_label(decode_text(raw[:2000]).splitlines()[0]) if raw else ""
    return "zona" in header and ("comune" in header or "istat" in header)


def _grids(raw: bytes, file_name: str) -> list[list[list[str]]]:
    """Every sheet (ODS) or the table (CSV) as rows of cell texts."""
    if raw[:2] == b"PK":
        try:
            sheets = pd.read_excel(io.BytesIO(raw), engine="odf", sheet_name=None, header=None, dtype=str,
                                   na_filter=False)  # NOTE: the comune "None" must stay a name
        except Exception as exc:  # odfpy raises many kinds of errors on a damaged file
            raise FormatError(f"{file_name}: foglio ODS illeggibile ({exc})") from exc
        return [sheet.fillna("").astype(str).values.tolist() for sheet in sheets.values()]
    table = read_delimited(raw, file_name)
    return [[list(table.columns)] + table.values.tolist()]


def _match(cell: str, aliases: list[str]) -> bool:
    """True when a header cell is one of the aliases (case, accents and spacing aside)."""
    return norm_label(cell) in {norm_label(a) for a in aliases}


def _rows(grid: list[list[str]]) -> list[tuple[str, str, str]]:
    """(zone cell, zone name cell, comune cell) from a table with a header, or from 'Zona n' section rows."""
    for h, header in enumerate(grid[:15]):
        find = lambda aliases: next((i for i, c in enumerate(header) if _match(c, aliases)), None)  # noqa: E731
        zone, comune = find(ALIASES["zone"]), find(ALIASES["code"])
        comune = comune if comune is not None else find(ALIASES["name"])
        if zone is not None and comune is not None:
            name = find(ALIASES["zone_name"])
            return [(r[zone], r[name] if name is not None else "", r[comune]) for r in grid[h + 1:]
                    if any(str(c).strip() for c in r)]
    rows, section = [], None
    for row in grid:
        cells = [str(c).strip() for c in row if str(c).strip()]
        if cells and re.match(r"(?i)^zona\b", cells[0]):
            section = cells[0]
        elif cells and section:
            rows.append((section, "", cells[0]))
    return rows


def read(raw: bytes, file_name: str) -> Parsed:
    """The official list as zones (codice_istat, zona_id, zona_nome), after every check of the bundled list."""
    # Load inputs
    records, unknown = [], []
    for grid in _grids(raw, file_name):
        for zone_cell, name_cell, comune_cell in _rows(grid):
            zone = ZONE_CELL.match(str(zone_cell))
            code = comune_code(comune_cell) or cm_names().get(norm_label(comune_cell))
            if zone is None or code is None:
                unknown.append(f"{zone_cell} / {comune_cell}")
                continue
            records.append({"codice_istat": code, "zona_id": int(zone.group(1)),
                            "zona_nome": (str(name_cell).strip() or zone.group(2).strip(" -–"))})
    if unknown:
        raise FormatError(f"{file_name}: righe non riconosciute (zona / comune): {'; '.join(unknown[:10])}")
    if not records:
        raise FormatError(f"{file_name}: nessuna riga comune → zona riconosciuta")
    # Process data
    zones = pd.DataFrame(records)
    provisional = reference.load_zone_list(set(cm_comuni())).drop_duplicates("zona_id").set_index("zona_id")["zona_nome"]
    zones["zona_nome"] = [n or provisional.get(z, "") for z, n in zip(zones["zona_id"], zones["zona_nome"])]
    zones["codice_istat"] = zones["codice_istat"].astype(str)
    problems = reference.validate_zone_list(zones.astype({"zona_id": str}), set(cm_comuni()), file_name)
    if problems:
        raise FormatError("; ".join(str(p) for p in problems[:10]))
    from etl.sources import istat_geopop

    detached = istat_geopop.detached_parts(cm_shapes(), dict(zip(zones["codice_istat"], zones["zona_id"])))
    if detached:
        raise FormatError(f"{file_name}: zone non contigue: " + ", ".join(f"zona {z} ({n} parti)" for z, n in detached.items()))
    # Save outputs
    return Parsed(zones=zones.sort_values("codice_istat", ignore_index=True))


def parse_cmt_zones(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """The official zone list as a zones frame (codice_istat, zona_id, zona_nome): not observations."""
    return read(raw_bytes, file_name).zones


def load(raw_set) -> Parsed:
    """The downloaded ODS → zones."""
    entry = raw_set.named("elenco_comuni_zone")[-1]
    return read(raw_set.read(entry), entry["file"])
