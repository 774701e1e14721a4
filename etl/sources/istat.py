"""Istat SDMX connector: employment by sex (census per comune, LFS per province), nurseries, home social care."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd

from etl.sources.common import FormatError, Parsed, cm_comuni, decode_text, load_meta, observations
from etl.sources.http import SourceError
from etl.sources.istat_sdmx import (ResolveError, csv_header, is_labels_csv, keys, parse_structure, read_csv,
                                    read_labels_csv, resolve, select)
from etl.sources.istat_tidy import TIDY

SOURCE = "istat"
META = load_meta(__file__)
API = META["api"]
FLOWS = META["dataflows"]
REQUESTS_PER_MINUTE = API["requests_per_minute"]
READ_TIMEOUT = API["read_timeout"]
FLOW_ID = re.compile(r"^[A-Z0-9]+:([^(]+)\(")
# IstatData saves its CSV download as "<title> (IT1,<dataflow id>,<version>).csv".
LABELS_FILE_NAME = re.compile(r"\(IT1,([^,()]+),[^,()]+\)")


def structure_url(flow_id: str) -> str:
    """Structure query of a dataflow (with its DSD and codelists)."""
    return f"{API['base_url']}/dataflow/{API['agency']}/{flow_id}/{API['version']}"


def data_url(flow_id: str, key: str) -> str:
    """Data query of a dataflow for one key."""
    return f"{API['base_url']}/data/{API['agency']},{flow_id},{API['version']}/{key}/ALL/"


def expected_requests() -> int:
    """Requests a full refresh makes (for the progress bar): structures plus data queries."""
    comuni_blocks = -(-len(cm_comuni()) * 7 // (API["max_key_chars"] - 50))  # ~50 characters for the other codes
    return sum(1 + (comuni_blocks if f["area"] == "comuni" else 1) *
               (len(f["dims"][f["split"]]["roles"]) if f.get("split") else 1) for f in FLOWS.values())


def fetch(downloader, today: date) -> None:
    """Per dataflow: structure → codes checked or found by name → data in blocks of comuni (≤ 5 requests/min)."""
    for name, flow in FLOWS.items():
        xml = downloader.get(f"{name}-structure", structure_url(flow["id"]), params={"references": "all"},
                             headers={"Accept": "application/vnd.sdmx.structure+xml;version=2.1"}, ext="xml")
        try:
            structure = parse_structure(xml, f"{name}-structure.xml")
            resolved = resolve(structure, flow["dims"])
        except (FormatError, ResolveError) as exc:
            raise SourceError(SOURCE, f"{flow['id']}: {exc}") from None
        if flow["area"] == "comuni":
            areas = sorted(cm_comuni())
        elif flow["area"] == "all":
            areas = [""]
        else:
            areas = [next(iter(roles.values())) for dim, roles in resolved["roles"].items()
                     if dim in ("REF_AREA", "ITTER107")]
        answers = 0
        for i, key in enumerate(keys(structure, resolved, areas, API["max_key_chars"], flow.get("split"))):
            content = downloader.get(f"{name}-{i:02d}", data_url(flow["id"], key), ext="csv", missing_ok=True,
                                     params={"startPeriod": API["start_period"]}, headers={"Accept": API["csv_accept"]})
            answers += content is not None
        if not answers:
            raise SourceError(SOURCE, f"{flow['id']}: nessun dato restituito (chiave {key[:60]}…)")
        downloader.run.facts[name] = {"dataflow": flow["id"], **resolved}


def _tidy(name: str, frame: pd.DataFrame, resolved: dict, parsed: Parsed, what: str) -> list[dict]:
    """Rows of the resolved codes of one dataflow → its observations."""
    selected = select(frame, resolved, what)
    if selected.empty:
        raise FormatError(f"{what}: nessuna riga con i codici attesi ({FLOWS[name]['id']})")
    return TIDY[name](selected, parsed, what)


def load(raw_set) -> Parsed:
    """Every dataflow of the download → observations (all of them, or an error: never a partial load)."""
    parsed, rows = Parsed(), []
    for name, flow in FLOWS.items():
        entries = [e for e in raw_set.named(f"{name}-") if not e["name"].endswith("-structure")]
        if name not in raw_set.facts or not entries:
            raise FormatError(f"{raw_set.label}: mancano i dati di {flow['id']}")
        frame = pd.concat([read_csv(raw_set.read(e), e["file"]) for e in entries], ignore_index=True)
        rows += _tidy(name, frame, raw_set.facts[name], parsed, f"{raw_set.label} {flow['id']}")
    parsed.observations = observations(rows)
    return parsed


def _flow_name(raw: bytes, file_name: str = "") -> str | None:
    """The connector's name for the dataflow of a file, None if it is not one of them: from the DATAFLOW column of
    an SDMX-CSV; for IstatData's own CSV, from the file name it is saved with ('… (IT1,<id>,1.0).csv') or else
    from its dimension columns when they are those of exactly one dataflow."""
    header = csv_header(raw)
    if header[:1] == ["DATAFLOW"]:
        lines = decode_text(raw[:4000]).splitlines()
        match = FLOW_ID.match(lines[1].split(",")[0]) if len(lines) > 1 else None
        return next((n for n, f in FLOWS.items() if match and f["id"] == match.group(1)), None)
    if not is_labels_csv(header):
        return None
    named = LABELS_FILE_NAME.search(file_name)
    if named:
        return next((n for n, f in FLOWS.items() if f["id"] == named.group(1)), None)
    fitting = [n for n, f in FLOWS.items() if all(set(label.split("|")) & set(header) for label in f["dims"])]
    return fitting[0] if len(fitting) == 1 else None


def detect_istat(raw: bytes) -> bool:
    """True for an SDMX-CSV answer, or an IstatData CSV download, of one of the connector's dataflows."""
    return _flow_name(raw) is not None


def read(raw: bytes, file_name: str) -> Parsed:
    """An SDMX-CSV file of one of the dataflows, or the CSV that IstatData's «download» button gives for it (codes
    and labels side by side) → observations."""
    name = _flow_name(raw, file_name)
    if name is None:
        expected = ", ".join(f["id"] for f in FLOWS.values())
        raise FormatError(f"{file_name}: non è un SDMX-CSV né un CSV di IstatData di un dataflow Istat previsto "
                          f"({expected})")
    if is_labels_csv(csv_header(raw)):
        frame = read_labels_csv(raw, file_name, f"{API['agency']}:{FLOWS[name]['id']}({API['version']})")
    else:
        frame = read_csv(raw, file_name)
    parsed = Parsed()
    roles = {"roles": _present_roles(frame, FLOWS[name]["dims"], file_name), "totals": {}}
    parsed.observations = observations(_tidy(name, frame, roles, parsed, file_name))
    return parsed


def _present_roles(frame: pd.DataFrame, dims: dict, file_name: str) -> dict:
    """Per configured dimension, the code of each role that the file holds; a dimension with none of them refused."""
    roles = {}
    for label, spec in dims.items():
        dim = next((d for d in label.split("|") if d in frame.columns), None)
        if dim is None:
            raise FormatError(f"{file_name}: dimensione {label} assente")
        present = set(frame[dim])
        wanted = {role: w if isinstance(w, list) else [w] for role, w in spec["roles"].items()}
        roles[dim] = {role: code for role, codes in wanted.items()
                      if (code := next((c for c in codes if c in present), None)) is not None}
        if not roles[dim]:
            expected = ", ".join(c for codes in wanted.values() for c in codes)
            raise FormatError(f"{file_name}: colonna {dim} senza i codici attesi ({expected}); nel file: "
                              f"{', '.join(sorted(present)[:8])}")
    return roles


def parse_istat(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from an SDMX-CSV file, or an IstatData CSV download, of one of the connector's dataflows."""
    return read(raw_bytes, file_name).observations
