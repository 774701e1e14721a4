"""Istat SDMX connector: employment by sex (census per comune, LFS per province), nurseries, home social care."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd

from etl.sources.common import FormatError, Parsed, cm_comuni, decode_text, load_meta, observations
from etl.sources.http import SourceError
from etl.sources.istat_sdmx import ResolveError, keys, parse_structure, read_csv, resolve, select
from etl.sources.istat_tidy import TIDY

SOURCE = "istat"
META = load_meta(__file__)
API = META["api"]
FLOWS = META["dataflows"]
REQUESTS_PER_MINUTE = API["requests_per_minute"]
READ_TIMEOUT = API["read_timeout"]
FLOW_ID = re.compile(r"^[A-Z0-9]+:([^(]+)\(")


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
            structure = parse_structure(xml)
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


def _flow_name(raw: bytes) -> str | None:
    """The connector's name for the dataflow of an SDMX-CSV file, None if it is not one of them."""
    lines = decode_text(raw[:4000]).splitlines()
    match = FLOW_ID.match(lines[1].split(",")[0]) if len(lines) > 1 and lines[0].startswith("DATAFLOW") else None
    return next((n for n, f in FLOWS.items() if match and f["id"] == match.group(1)), None)


def detect_istat(raw: bytes) -> bool:
    """True for an SDMX-CSV answer of one of the connector's dataflows."""
    return _flow_name(raw) is not None


def read(raw: bytes, file_name: str) -> Parsed:
    """An SDMX-CSV file of one of the dataflows (e.g. downloaded by hand from IstatData) → observations."""
    name = _flow_name(raw)
    if name is None:
        expected = ", ".join(f["id"] for f in FLOWS.values())
        raise FormatError(f"{file_name}: non è un SDMX-CSV di un dataflow Istat previsto ({expected})")
    frame, roles = read_csv(raw, file_name), {}
    for label, spec in FLOWS[name]["dims"].items():
        dim = next((d for d in label.split("|") if d in frame.columns), None)
        if dim is None:
            raise FormatError(f"{file_name}: dimensione {label} assente")
        present = set(frame[dim])
        roles[dim] = {role: next((c for c in (w if isinstance(w, list) else [w]) if c in present), None)
                      for role, w in spec["roles"].items()}
        roles[dim] = {role: code for role, code in roles[dim].items() if code is not None}
    parsed = Parsed()
    parsed.observations = observations(_tidy(name, frame, {"roles": roles, "totals": {}}, parsed, file_name))
    return parsed


def parse_istat(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from an SDMX-CSV file of one of the connector's Istat dataflows."""
    return read(raw_bytes, file_name).observations
