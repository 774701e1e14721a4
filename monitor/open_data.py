"""Open data of a published warehouse: one CSV per indicator and a DCAT-AP_IT catalogue, in a folder per version.

The files are written under `<static_dir>/opendata/<version>/` (served at `app/static/opendata/…`): `<indicator>.csv`
(the rows of the full download's osservazioni.csv for that indicator: UTF-8, comma-separated, decimal point, a
header line, formula-like cells neutralised) and `catalogo.json` (JSON-LD with DCAT-AP_IT property names, checked
against etl/schemas/catalogo_dcat_ap_it.schema.json by `etl publish`). monitor/open_data_versions.py keeps the
`latest/` copy, the list of versions and the pruning.
"""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from core import warehouse
from monitor import downloads, queries

OPEN_DATA = "opendata"            # folder under static_dir
CATALOGUE = "catalogo.json"
LATEST = "latest"
STATIC_URL = "app/static"         # where Streamlit serves static_dir
EU = "http://publications.europa.eu/resource/authority/"
NUTS = "http://data.europa.eu/nuts/code/"
PUBLISHER = "Città metropolitana di Torino"
PUBLISHER_SITE = "https://www.cittametropolitana.torino.it/"
CONTEXT = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
           "dcatapit": "http://dati.gov.it/onto/dcatapit#", "foaf": "http://xmlns.com/foaf/0.1/",
           "vcard": "http://www.w3.org/2006/vcard/ns#", "locn": "http://www.w3.org/ns/locn#",
           "schema": "http://schema.org/", "owl": "http://www.w3.org/2002/07/owl#",
           "xsd": "http://www.w3.org/2001/XMLSchema#"}
# Licence names the sources use -> the licence's address (others are named only).
LICENCES = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
            "IODL 2.0": "https://www.dati.gov.it/iodl/2.0/",
            "ODbL 1.0": "https://opendatacommons.org/licenses/odbl/1-0/"}
LEVELS = {"comune": ("comuni", "municipalities"), "zona": ("zone omogenee", "homogeneous zones"),
          "cm": ("Città metropolitana", "Metropolitan City"), "regione": ("regioni", "regions"),
          "italia": ("Italia", "Italy"), "citta_metropolitana": ("città metropolitane", "metropolitan cities")}
CSV_FORMAT = ("CSV UTF-8, separatore virgola, punto decimale, una riga di intestazione; una riga per livello × "
              "territorio × anno × sesso, con fonte, licenza e data di caricamento.",
              "CSV UTF-8, comma-separated, decimal point, one header line; one row per level × territory × year × "
              "sex, with source, licence and load date.")


def folder(settings) -> Path:
    """The open-data folder under the static folder."""
    return Path(settings.static_dir) / OPEN_DATA


def version_id(db: Path) -> str:
    """A published version: the warehouse's build time and the start of its sha256 (20261204-212912-3fa2b1c9)."""
    built = datetime.fromisoformat(queries.build_info(db)["built_at"])
    return f"{built:%Y%m%d-%H%M%S}-{downloads.warehouse_digest(db)[:8]}"


def file_url(settings, place: str, name: str) -> str:
    """Address of a file of a version folder (or of latest/): absolute with `public_url`, else relative to a
    catalogue (which sits in a sibling folder, so the same text works from the version folder and from latest/)."""
    if settings.public_url:
        return f"{settings.public_url}/{STATIC_URL}/{OPEN_DATA}/{place}/{name}"
    return f"../{place}/{name}"


def write_csvs(db: Path, target: Path) -> dict[str, int]:
    """Write `<indicator>.csv` for every indicator with observations into target; return code -> size in bytes."""
    sizes = {}
    con = warehouse.connect(db)
    try:
        load_times = downloads.load_time_texts(con)   # formatted as in the full download's osservazioni.csv
        for code in queries.open_data_indicators(db)["code"]:
            path = target / f"{code}.csv"
            with open(path, "wb") as out:
                downloads.observations_csv(con, out, [code], load_times)
            sizes[code] = path.stat().st_size
    finally:
        con.close()
    return sizes


def write_version(db: Path, settings, version: str, now: datetime) -> Path:
    """The folder of a version, written completely under a temporary name, then renamed (once per version)."""
    target = folder(settings) / version
    if (target / CATALOGUE).exists():
        return target
    partial = folder(settings) / f".{version}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        sizes = write_csvs(db, partial)
        text = json.dumps(catalogue(db, settings, version, sizes, now), ensure_ascii=False, indent=1)
        (partial / CATALOGUE).write_text(text + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)   # a folder without its catalogue is an interrupted write
        os.rename(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def texts(italian: str, english: str) -> list[dict]:
    """A property in both languages, as JSON-LD language-tagged strings."""
    return [{"@language": "it", "@value": italian}, {"@language": "en", "@value": english}]


def date_value(value) -> dict:
    """An xsd:date literal."""
    return {"@value": f"{value:%Y-%m-%d}" if hasattr(value, "strftime") else str(value)[:10], "@type": "xsd:date"}


def agent(name: str, identifier: str = "") -> dict:
    """A dcatapit:Agent (publisher, rights holder)."""
    node = {"@type": ["dcatapit:Agent", "foaf:Agent"], "foaf:name": name}
    if identifier:
        node["dct:identifier"] = identifier
    return node


def licence(names: list[str]) -> dict:
    """The licence of a distribution: its address when it is a known one; several licences are named together."""
    node = {"@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"], "foaf:name": "; ".join(names) or "n.d."}
    if len(names) == 1 and names[0] in LICENCES:
        node["@id"] = LICENCES[names[0]]
    return node


def catalogue(db: Path, settings, version: str, sizes: dict[str, int], now: datetime) -> dict:
    """The DCAT-AP_IT catalogue (JSON-LD) of a version: one dataset per indicator, its CSV as the distribution."""
    rows = queries.open_data_indicators(db)
    return {
        "@context": CONTEXT,
        "@id": file_url(settings, version, CATALOGUE),
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": texts("Monitor PSM Asse 5: dati aperti", "PSM Axis 5 monitor: open data"),
        "dct:description": texts(
            "Gli indicatori del monitor dell'Asse 5 del Piano Strategico Metropolitano della Città metropolitana di "
            "Torino, un file CSV per indicatore.",
            "The indicators of the monitor of Axis 5 of the Metropolitan Strategic Plan of the Metropolitan City of "
            "Turin, one CSV file per indicator."),
        "dct:publisher": agent(PUBLISHER, settings.publisher_ipa),
        "dct:modified": date_value(now),
        "dct:language": {"@id": EU + "language/ITA"},
        "owl:versionInfo": version,
        **({"foaf:homepage": {"@id": settings.public_url + "/"}} if settings.public_url else {}),
        "dcat:dataset": [dataset(row, settings, version, sizes[row["code"]]) for row in rows.to_dict("records")],
    }


def dataset(row: dict, settings, version: str, size: int) -> dict:
    """One indicator as a dcatapit:Dataset with its CSV distribution."""
    identifier = f"{settings.publisher_ipa}:{row['code']}" if settings.publisher_ipa else row["code"]
    sources = ", ".join(row["producers"] if len(row["producers"]) else [row["producer"] or "n.d."])
    levels = [LEVELS[level] for level in LEVELS if level in set(row["levels"])]
    return {
        "@id": f"{file_url(settings, version, CATALOGUE)}#{row['code']}",
        "@type": ["dcat:Dataset", "dcatapit:Dataset"],
        "dct:identifier": identifier,
        "dct:title": texts(row["name_it"], row["name_en"]),
        "dct:description": texts(
            f"{row['name_it']} ({row['unit']}), strategia {row['strategy_code']} del PSM: valori per "
            f"{', '.join(it for it, _ in levels)}, per anno e sesso. Fonte: {sources}.",
            f"{row['name_en']} ({row['unit']}), PSM strategy {row['strategy_code']}: values by "
            f"{', '.join(en for _, en in levels)}, by year and sex. Source: {sources}."),
        "dct:publisher": agent(PUBLISHER, settings.publisher_ipa),
        "dct:rightsHolder": agent(row["producer"] or PUBLISHER),
        "dcat:contactPoint": {"@type": ["dcatapit:Organization", "vcard:Organization", "vcard:Kind"],
                              "vcard:fn": PUBLISHER, "vcard:hasURL": {"@id": PUBLISHER_SITE}},
        "dct:modified": date_value(row["last_loaded_at"]),
        "dct:accrualPeriodicity": {"@id": EU + "frequency/" + frequency(row.get("release_frequency"))},
        "dcat:theme": [{"@id": EU + "data-theme/SOCI"}, {"@id": EU + "data-theme/REGI"}],
        "dct:language": {"@id": EU + "language/ITA"},
        "dct:temporal": {"@type": "dct:PeriodOfTime",
                         "schema:startDate": date_value(f"{int(row['first_period'])}-01-01"),
                         "schema:endDate": date_value(f"{int(row['last_period'])}-12-31")},
        "dct:spatial": spatial(row["levels"]),
        "dcat:distribution": [distribution(row, settings, version, size)],
    }


def frequency(code) -> str:
    """The EU frequency code the source's calendar states, UNKNOWN when it states none."""
    return code if isinstance(code, str) and code else "UNKNOWN"


def spatial(levels) -> list[dict]:
    """The Città metropolitana di Torino (NUTS ITC11), and Italia (IT) when the rows hold benchmark levels."""
    places = [("Città metropolitana di Torino", "ITC11")]
    if any(level in ("italia", "regione", "citta_metropolitana") for level in levels):
        places.append(("Italia", "IT"))
    return [{"@type": "dct:Location", "dcatapit:geographicalIdentifier": NUTS + code, "locn:geographicalName": name}
            for name, code in places]


def distribution(row: dict, settings, version: str, size: int) -> dict:
    """The indicator's CSV: downloadURL in the version's folder, accessURL in latest/ (the newest version)."""
    name = f"{row['code']}.csv"
    download = file_url(settings, version, name)
    return {
        "@id": download,
        "@type": ["dcat:Distribution", "dcatapit:Distribution"],
        "dct:title": texts(f"{row['name_it']} (CSV)", f"{row['name_en']} (CSV)"),
        "dct:description": texts(*CSV_FORMAT),
        "dct:format": {"@id": EU + "file-type/CSV"},
        "dcat:mediaType": "text/csv",
        "dcat:accessURL": {"@id": file_url(settings, LATEST, name)},
        "dcat:downloadURL": {"@id": download},
        "dct:license": licence(list(row["licences"])),
        "dcat:byteSize": {"@value": size, "@type": "xsd:decimal"},
        "dct:modified": date_value(row["last_loaded_at"]),
    }
