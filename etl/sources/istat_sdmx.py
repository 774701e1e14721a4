"""SDMX 2.1 helpers for Istat: structure, codes to ask for, keys; SDMX-CSV and IstatData's own CSV."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pandas as pd

from etl.sources.common import FormatError, decode_text

NS = {"structure": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
      "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TOTAL_NAME = re.compile(r"^(totale|total|tutt[ei]|all)\b", re.IGNORECASE)
DEFAULT_TOTALS = ("TOTAL", "ALL", "TOT", "T", "9", "99")
CODE_COLUMN = re.compile(r"^[A-Z][A-Z0-9_]*$")  # SDMX ids; IstatData's label columns are words


@dataclass
class Structure:
    """A data structure definition: dimension ids in key order and, per dimension, its codes with their names.
    The time dimension is not part of a data query's key: it is kept apart, by the id the producer gives it."""

    dimensions: list[str]
    codes: dict[str, dict[str, str]]
    time_dimension: str | None = None


class ResolveError(Exception):
    """A code the connector needs is not in the structure and cannot be found by its name."""


def _name(element) -> str:
    """The Italian name of an SDMX item (English, or any, when there is no Italian one)."""
    names = {n.get(XML_LANG): (n.text or "").strip() for n in element.findall("common:Name", NS)}
    return names.get("it") or names.get("en") or next(iter(names.values()), "")


def parse_structure(xml: bytes, file_name: str = "struttura SDMX") -> Structure:
    """Dimensions (key order) and codelists of the first DataStructure in a structure message."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise FormatError(f"{file_name}: struttura SDMX illeggibile: {exc}") from exc
    dsd = root.find(".//structure:DataStructure", NS)
    if dsd is None:
        raise FormatError(f"{file_name}: struttura SDMX senza DataStructure")
    # NOTE: only the DimensionList declares dimensions. Istat's NSI 8/9 services also write id-less
    # <structure:Dimension><Ref id=…/></structure:Dimension> references inside AttributeList/AttributeRelationship.
    dimension_list = dsd.find("structure:DataStructureComponents/structure:DimensionList", NS)
    if dimension_list is None:
        raise FormatError(f"{file_name}: struttura SDMX senza DimensionList")
    codelists = {cl.get("id"): {c.get("id"): _name(c) for c in cl.findall("structure:Code", NS)}
                 for cl in root.iter(f"{{{NS['structure']}}}Codelist")}
    declared = dimension_list.findall("structure:Dimension", NS)
    if not declared or any(not d.get("id") for d in declared):
        raise FormatError(f"{file_name}: DimensionList senza dimensioni o con una dimensione senza id")
    if all(d.get("position") for d in declared):  # SDMX 2.1: position is optional; document order otherwise
        declared = sorted(declared, key=lambda d: int(d.get("position")))
    codes = {d.get("id"): codelists.get(_codelist_id(d), {}) for d in declared}
    time = dimension_list.find("structure:TimeDimension", NS)
    return Structure([d.get("id") for d in declared], codes, time.get("id") if time is not None else None)


def _codelist_id(dimension) -> str | None:
    """Id of the codelist a dimension's values come from (None when it has no enumeration)."""
    ref = dimension.find("structure:LocalRepresentation/structure:Enumeration/{*}Ref", NS)
    return ref.get("id") if ref is not None else None


def _dimension(structure: Structure, label: str) -> str:
    """The dimension id among the alternatives 'A|B' that the structure has."""
    for candidate in label.split("|"):
        if candidate in structure.dimensions:
            return candidate
    raise ResolveError(f"dimensione {label} assente nella struttura (dimensioni: {'.'.join(structure.dimensions)})")


def resolve(structure: Structure, dims: dict) -> dict:
    """Per configured dimension, the code of each role: the configured code if it exists, else found by name.

    Dimensions not configured get their 'total' code when the codelist names exactly one, else stay open.
    Returns {"roles": {dim: {role: code}}, "names": {dim: {code: name}}, "totals": {dim: code}}.
    """
    roles, names, totals = {}, {}, {}
    for label, spec in dims.items():
        dim = _dimension(structure, label)
        codelist = structure.codes.get(dim, {})
        roles[dim], names[dim] = {}, {}
        for role, wanted in spec["roles"].items():
            candidates = wanted if isinstance(wanted, list) else [wanted]
            code = next((c for c in candidates if c in codelist or not codelist), None)
            if code is None:
                pattern = spec.get("names", {}).get(role)
                found = [c for c, n in codelist.items() if pattern and re.search(pattern, n, re.IGNORECASE)]
                if len(found) != 1:
                    raise ResolveError(f"{dim}: codice per '{role}' non trovato (configurato {candidates}, "
                                       f"per nome: {found[:5] or 'nessuno'})")
                code = found[0]
            roles[dim][role], names[dim][code] = code, codelist.get(code, "non verificato")
    for dim in structure.dimensions:
        if dim not in roles and dim != "REF_AREA" and dim != "ITTER107":
            found = [c for c, n in structure.codes.get(dim, {}).items() if TOTAL_NAME.search(n)]
            if len(found) == 1:
                totals[dim] = found[0]
    return {"roles": roles, "names": names, "totals": totals}


def keys(structure: Structure, resolved: dict, areas: list[str], max_chars: int, split: str | None = None) -> list[str]:
    """Data-query keys in dimension order: area codes in blocks (a key stays under max_chars), role codes joined
    with '+', or one key per code of the `split` dimension (for dataflows where '+' lists answer empty)."""
    def key(area: str, fixed: dict) -> str:
        """The key for one block of areas and one code of the split dimension."""
        parts = []
        for dim in structure.dimensions:
            if dim in ("REF_AREA", "ITTER107"):
                parts.append(area)
            elif dim in fixed:
                parts.append(fixed[dim])
            elif dim in resolved["roles"]:
                parts.append("+".join(dict.fromkeys(resolved["roles"][dim].values())))
            else:
                parts.append(resolved["totals"].get(dim, ""))
        return ".".join(parts)

    variants = [{split: code} for code in dict.fromkeys(resolved["roles"][split].values())] if split else [{}]
    blocks, current = [], []
    for code in areas:
        if current and len(key("+".join(current + [code]), variants[0])) > max_chars:
            blocks.append(current)
            current = []
        current.append(code)
    blocks.append(current)
    return [key("+".join(block), fixed) for fixed in variants for block in blocks]


def read_csv(raw: bytes, file_name: str) -> pd.DataFrame:
    """An SDMX-CSV (v1) answer: DATAFLOW, the dimensions, TIME_PERIOD, OBS_VALUE, attributes; all as text."""
    text = decode_text(raw)
    if not text.startswith("DATAFLOW"):
        raise FormatError(f"{file_name}: non è un SDMX-CSV (manca la colonna DATAFLOW in testa)")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = {"TIME_PERIOD", "OBS_VALUE"} - set(frame.columns)
    if missing:
        raise FormatError(f"{file_name}: SDMX-CSV senza {', '.join(sorted(missing))}")
    return frame


def csv_header(raw: bytes) -> list[str]:
    """The first line of a CSV file, split into its cells."""
    lines = decode_text(raw[:4000]).splitlines()
    return next(csv.reader(lines[:1]), []) if lines else []


def is_labels_csv(header: list[str]) -> bool:
    """True for IstatData's own «download CSV»: no DATAFLOW; each dimension's code column followed by its label
    column (FREQ,Frequency,REF_AREA,Territory,…), TIME_PERIOD, then the value under a label (Observation)."""
    if not header or header[0] != "FREQ" or "TIME_PERIOD" not in header[:-1]:
        return False
    return not CODE_COLUMN.match(header[header.index("TIME_PERIOD") + 1])


def read_labels_csv(raw: bytes, file_name: str, dataflow: str) -> pd.DataFrame:
    """An IstatData «download CSV» → the frame its SDMX-CSV would give (DATAFLOW, the dimensions' codes,
    TIME_PERIOD, OBS_VALUE, the attributes' codes): the label columns are left out, the codes are the same."""
    frame = pd.read_csv(io.StringIO(decode_text(raw)), dtype=str, keep_default_na=False)
    columns = list(frame.columns)
    if not is_labels_csv(columns):
        raise FormatError(f"{file_name}: non è il CSV di IstatData (attese colonne FREQ, …, TIME_PERIOD, valore)")
    time = columns.index("TIME_PERIOD")
    codes = [c for c in columns[:time] if CODE_COLUMN.match(c)]
    attributes = [c for c in columns[time + 2:] if CODE_COLUMN.match(c)]
    frame = frame[codes + ["TIME_PERIOD", columns[time + 1]] + attributes]
    frame = frame.rename(columns={columns[time + 1]: "OBS_VALUE"})
    frame.insert(0, "DATAFLOW", dataflow)
    return frame


def dimensions_of(frame: pd.DataFrame) -> list[str]:
    """The dimension columns of an SDMX-CSV frame (between DATAFLOW and TIME_PERIOD)."""
    columns = list(frame.columns)
    return columns[1:columns.index("TIME_PERIOD")]


def select(frame: pd.DataFrame, resolved: dict, file_name: str) -> pd.DataFrame:
    """Rows of the resolved role codes, with a '<dim>_role' column each; other dimensions narrowed to totals."""
    frame = frame.copy()
    for dim, roles in resolved["roles"].items():
        if dim not in frame.columns:
            raise FormatError(f"{file_name}: dimensione {dim} assente nel file")
        by_code = {code: role for role, code in roles.items()}
        frame = frame[frame[dim].isin(by_code)]
        frame[f"{dim}_role"] = frame[dim].map(by_code)
    for dim in dimensions_of(frame):
        if dim in resolved["roles"] or dim in ("REF_AREA", "ITTER107") or frame[dim].nunique() <= 1:
            continue
        total = resolved["totals"].get(dim) or next((t for t in DEFAULT_TOTALS if t in set(frame[dim])), None)
        if total is None:
            raise FormatError(f"{file_name}: la dimensione {dim} ha più valori e nessun totale riconoscibile")
        frame = frame[frame[dim] == total]
    return frame
