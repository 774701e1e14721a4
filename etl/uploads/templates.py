"""Upload templates: columns with their meaning (Italian, English), an example row, and the CSV officials download."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from etl import reference
from etl.inputs import TARGET_COLUMNS
from core.bilingual import Text
from core.progress_status import STATUSES

# Example rows carry this note: they validate, but a commit refuses a file that still contains one.
EXAMPLE_NOTE = "RIGA DI ESEMPIO: sostituire con i dati reali"


@dataclass(frozen=True)
class Template:
    """One upload kind: its title, its columns (name → meaning), typed columns and example row."""

    kind: str
    title: Text
    columns: dict[str, Text]
    key: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    example: dict[str, str] = field(default_factory=dict)


_LEVEL = Text("livello: comune, zona o cm (Città metropolitana)", "level: comune, zona or cm (metropolitan city)")
_TERRITORY = Text("codice: Istat del comune (es. 001272, anche senza zeri iniziali), numero della zona (1–11) o 001 per la CM",
              "code: Istat code of the comune (e.g. 001272, leading zeros optional), zone number (1–11) or 001 for the CM")
_SEX = Text("sesso: F, M o T (totale; vuoto = T)", "sex: F, M or T (total; empty = T)")
_NOTE = Text("nota libera (facoltativa)", "free note (optional)")
_INDICATOR = Text("codice dell'indicatore nel registro (es. share_comuni_nido)", "indicator code in the registry (e.g. share_comuni_nido)")

TEMPLATES = {
    "indicators": Template(
        "indicators", Text("Osservazioni degli indicatori", "Indicator observations"),
        {"indicator_code": _INDICATOR, "level": _LEVEL, "territory_code": _TERRITORY,
         "period": Text("anno di riferimento del dato (es. 2023)", "reference year (e.g. 2023)"), "sex": _SEX,
         "value": Text("valore, con la virgola per i decimali (es. 45,2)", "value, decimal comma accepted (e.g. 45,2)"),
         "numerator": Text("numeratore (facoltativo; per i comuni permette di calcolare zona e CM)",
                       "numerator (optional; for comuni it lets zone and CM be derived)"),
         "denominator": Text("denominatore (facoltativo)", "denominator (optional)"),
         "note": _NOTE,
         "source_code": Text("fonte (facoltativa: istat, inps, regione_piemonte, min_salute, mef, cmt…; vuoto = fonte "
                         "dell'indicatore nel registro)", "source (optional; empty = the indicator's source in the registry)")},
        key=("indicator_code", "level", "territory_code", "period", "sex"),
        numbers=("value", "numerator", "denominator"), integers=("period",), optional=("source_code",),
        example={"indicator_code": "share_comuni_nido", "level": "cm", "territory_code": "001", "period": "2023",
                 "sex": "T", "value": "45,2", "note": EXAMPLE_NOTE}),
    "progress": Template(
        "progress", Text("Avanzamento delle azioni", "Action progress"),
        {"action_code": Text("codice dell'azione del piano (5.1.1 … 5.5.3)", "plan action code (5.1.1 … 5.5.3)"),
         "zone_id": Text("numero della zona omogenea (1–11); vuoto = tutta la Città metropolitana",
                     "homogeneous zone number (1–11); empty = the whole metropolitan city"),
         "as_of": Text("data della rilevazione (gg/mm/aaaa)", "date of the update (dd/mm/yyyy)"),
         "status": Text("stato: " + ", ".join(STATUSES), "status: " + ", ".join(STATUSES)),
         "percent": Text("avanzamento in percentuale (0–100, facoltativo)", "progress in percent (0–100, optional)"),
         "funds_allocated": Text("risorse stanziate in euro (facoltativo)", "funds allocated in euro (optional)"),
         "funds_spent": Text("risorse spese in euro (facoltativo)", "funds spent in euro (optional)"),
         "note": _NOTE},
        key=("action_code", "zone_id", "as_of"),
        numbers=("percent", "funds_allocated", "funds_spent"), integers=("zone_id",), dates=("as_of",),
        example={"action_code": "5.4.1", "zone_id": "", "as_of": "31/10/2026", "status": "in_corso", "percent": "25",
                 "funds_allocated": "120.000", "funds_spent": "30.000,50", "note": EXAMPLE_NOTE}),
    "targets": Template(
        "targets", Text("Valori di partenza e obiettivi", "Baselines and targets"),
        dict(zip(TARGET_COLUMNS, [
            _INDICATOR, _LEVEL, _TERRITORY, _SEX,
            Text("anno del valore di partenza", "baseline year"), Text("valore di partenza", "baseline value"),
            Text("anno dell'obiettivo", "target year"), Text("valore obiettivo", "target value"), _NOTE])),
        key=("indicator_code", "level", "territory_code", "sex"),
        numbers=("baseline_value", "target_value"), integers=("baseline_period", "target_period"),
        example={"indicator_code": "share_comuni_nido", "level": "cm", "territory_code": "001", "sex": "T",
                 "baseline_period": "2021", "baseline_value": "42,6", "target_period": "2030", "target_value": "60",
                 "note": EXAMPLE_NOTE}),
    "zones": Template(
        "zones", Text("Elenco ufficiale delle zone omogenee", "Official zone list"),
        {"codice_istat": Text("codice Istat del comune (6 cifre, anche senza zeri iniziali)",
                          "Istat code of the comune (6 digits, leading zeros optional)"),
         "comune": Text("nome del comune", "name of the comune"),
         "zona_id": Text("numero della zona omogenea (1–11)", "homogeneous zone number (1–11)"),
         "zona_nome": Text("nome della zona omogenea", "name of the homogeneous zone")},
        key=("codice_istat",), integers=("zona_id",)),
    "priority_zones": Template(
        "priority_zones", Text("Zone prioritarie del piano", "Priority zones of the plan"),
        {"plan_code": Text("codice della strategia (5.1 … 5.5) o dell'azione (5.1.1 … 5.5.3) del piano; il file dà tutte "
                           "le zone prioritarie dei codici che elenca: una zona non elencata non è più prioritaria per "
                           "quel codice",
                           "code of the plan's strategy (5.1 … 5.5) or action (5.1.1 … 5.5.3); the file gives every "
                           "priority zone of the codes it lists: a zone left out is no longer a priority of that code"),
         "zone_id": Text("numero della zona omogenea prioritaria (1–11)",
                         "number of the priority homogeneous zone (1–11)"),
         "note": _NOTE},
        key=("plan_code", "zone_id"), integers=("zone_id",),
        example={"plan_code": "5.3", "zone_id": "5", "note": EXAMPLE_NOTE}),
}
KINDS = tuple(TEMPLATES)


def meanings(kind: str, lang: str = "it"):
    """The template's columns and what goes in each, as (column, meaning, required) rows."""
    template = TEMPLATES[kind]
    return [(name, text.in_(lang), name not in template.optional)
            for name, text in template.columns.items()]


def example_rows(kind: str) -> list[dict[str, str]]:
    """Example rows: one marked row, or for zones the whole current (provisional) list to edit."""
    if kind == "zones":
        zones = reference.read_csv_text(reference.ZONE_FILE)
        return zones[list(TEMPLATES["zones"].columns)].to_dict("records")
    return [TEMPLATES[kind].example]


def template_text(kind: str) -> str:
    """The template as CSV text: ';' separated, decimal comma, header and example rows."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(TEMPLATES[kind].columns), delimiter=";", lineterminator="\r\n",
                            restval="")
    writer.writeheader()
    writer.writerows(example_rows(kind))
    return buffer.getvalue()


def template_bytes(kind: str) -> bytes:
    """The template file to download: UTF-8 with BOM so that Excel shows the accents."""
    return template_text(kind).encode("utf-8-sig")
