"""Inps statistical observatories: mean annual pay of private employees by sex, province of Torino (CM level)."""
from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd

from core.territory import CM_CODE
from etl.sources.common import FormatError, Parsed, load_meta, observations, read_number
from etl.sources.http import SourceError

SOURCE = "inps"
META = load_meta(__file__)
CFG = META["fetch"]
REQUESTS_PER_MINUTE = CFG["requests_per_minute"]
SEX = {label: sex for sex, labels in META["sex"].items() for label in labels}
# NOTE: the Osservatori write their measures as Italian text ('20.731,55'), '-' where a cell is not published.
INPS_DECIMAL = ","


def _walk(node):
    """Every dict inside a JSON tree."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)


def find_table(tree) -> tuple[int, str, str]:
    """(year, observatory id, name) of the newest observatory of the table whose title or description matches
    table_pattern."""
    found = []
    for node in _walk(tree):
        if any(re.search(CFG["table_pattern"], str(node.get(key, ""))) for key in ("descrizione", "titolo")):
            for obs in node.get("elencoOsservatoriArea") or []:
                years = re.match(r"\s*Ann[oi]\s+(\d{4})(?:\s*-\s*(\d{4}))?", str(obs.get("nome", "")))
                if years:
                    year = int(years.group(2) or years.group(1))
                    found.append((year, str(obs["id_osservatorio"]), str(obs["nome"])))
    if not found:
        raise SourceError(SOURCE, "tavola dei lavoratori dipendenti per provincia di lavoro non trovata "
                                  "nell'albero degli Osservatori")
    return max(found)


def _field(fields: list[dict], pattern: str, values=None, what: str = "") -> dict:
    """The structure field whose id or name matches pattern (and whose values include `values`)."""
    for field in fields:
        label = f"{field.get('id', '')} {field.get('logicalName', '')}"
        distinct = {str(v).lower() for v in field.get("distinctValues") or []}
        if re.search(pattern, label) and (values is None or values <= distinct):
            return field
    raise SourceError(SOURCE, f"campo '{what}' non trovato nella struttura dell'osservatorio (struttura cambiata?)")


def request_body(structure: dict, obs_id: str) -> dict:
    """The getDatiOsservatorio body: rows = sex, columns = year, filter province = Torino, measure = mean pay."""
    definition = structure["definition"]
    fields = definition["fields"]
    hierarchy = {h["Component"][0]["id"]: h["Name"] for h in definition["Hierarchy"]}
    sex = _field(fields, r".", {"maschi", "femmine"}, "sesso")
    year = _field(fields, CFG["year_field"], None, "anno")
    province = _field(fields, CFG["province_field"], {CFG["province"].lower()}, "provincia")
    measure = _field(fields, CFG["measure_field"], None, "retribuzione media")
    axis = lambda f: {"id": hierarchy[f["id"]], "label": hierarchy[f["id"]], "order": 1,  # noqa: E731
                      "aggregate": bool(f.get("aggregate", True)), "expand": "", "hide": False}
    return {"id_osservatorio": obs_id, "nome_osservatorio": structure.get("nome_osservatorio", ""), "language": "",
            "totalRow": True, "totalColumn": True, "subtotalRow": True, "subtotalColumn": True,
            "selections": {"rows": [axis(sex)], "cols": [axis(year)],
                           "measures": [{"id": measure["id"], "label": measure.get("logicalName", measure["id"]),
                                         "order": 0, "statistic": measure.get("statistic", CFG["statistic"])}],
                           "filters": [{"id": province["id"], "label": hierarchy[province["id"]],
                                        "values": [CFG["province"]]}]}}


def fetch(downloader, today: date) -> None:
    """Navigation tree → newest observatory of the table → its structure → the data (three POSTs)."""
    tree = json.loads(downloader.post_json("albero", CFG["api"] + "getAlberoNavigazione/",
                                           {"language": "it", "IdAreaTematica": 0}))
    year, obs_id, name = find_table(tree)
    structure = json.loads(downloader.post_json(f"struttura_{obs_id}", CFG["api"] + "getStrutturaOsservatorio/",
                                                {"id_osservatorio": obs_id, "language": "it"}))
    downloader.post_json(f"dati_{obs_id}", CFG["api"] + "getDatiOsservatorio/", request_body(structure, obs_id))
    downloader.run.facts.update({"observatory": obs_id, "observatory_name": name, "province": CFG["province"]})


def detect_inps(raw: bytes) -> bool:
    """True for a getDatiOsservatorio answer (values → columns → values → measures) or an anonymisation refusal."""
    try:
        data = json.loads(raw)
    except ValueError:
        return False
    return isinstance(data, dict) and (data.get("messageType") == "Anonimizzazione" or (
        isinstance(data.get("values"), list) and all("columns" in row for row in data["values"])))


def read(raw: bytes, file_name: str) -> Parsed:
    """Mean pay by sex and year for the province of Torino (the table the connector asks for)."""
    if not detect_inps(raw):
        raise FormatError(f"{file_name}: non è una risposta dati degli Osservatori Inps (formato cambiato?)")
    data, parsed, rows = json.loads(raw), Parsed(), []
    if data.get("messageType") == "Anonimizzazione":
        raise FormatError(f"{file_name}: tavola rifiutata dall'Inps per anonimizzazione (celle con pochi lavoratori)")
    for row in data["values"]:
        for block in row["columns"]:
            for cell in block.get("values") or []:
                sex, year = _sex_year(str(row.get("value", "")), str(cell.get("value", "")))
                if sex is None or year is None:
                    continue  # 'Totale' column over years, or a row that is not a sex
                value = read_number((cell.get("measures") or [{}])[0].get("value", ""), INPS_DECIMAL)
                if value is None:
                    parsed.skip("celle non pubblicate (anonimizzazione)")
                    continue
                rows.append({"indicator_code": "mean_pay_employees", "level": "cm", "territory_code": CM_CODE,
                             "period": year, "sex": sex, "value": value,
                             "note": "retribuzione media annua, provincia di lavoro Torino"})
    if not rows:
        raise FormatError(f"{file_name}: nessuna retribuzione per sesso e anno nella risposta Inps")
    parsed.observations = observations(rows)
    return parsed


def _sex_year(row_label: str, column_label: str) -> tuple[str | None, int | None]:
    """Sex and year of a cell, whichever axis carries which."""
    for first, second in ((row_label, column_label), (column_label, row_label)):
        sex = SEX.get(first.strip().lower())
        if sex and re.fullmatch(r"\d{4}", second.strip()):
            return sex, int(second)
    return None, None


def parse_inps(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from a getDatiOsservatorio answer for the province of Torino."""
    return read(raw_bytes, file_name).observations


def load(raw_set) -> Parsed:
    """The downloaded data answer → observations (the manifest says it was filtered on Torino)."""
    if raw_set.facts.get("province") != CFG["province"]:
        raise FormatError(f"{raw_set.label}: la richiesta Inps non risulta filtrata sulla provincia di {CFG['province']}")
    entry = raw_set.named("dati_")[-1]
    return read(raw_set.read(entry), entry["file"])
