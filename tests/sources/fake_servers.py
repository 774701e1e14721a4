"""Recorded answers of the sources, served through `responses`: no test touches the network."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import responses

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ISTAT = re.compile(r"https://esploradati\.istat\.it/SDMXWS/rest/.*")
FLOWS = {"DF_DCSS_ISTR_LAV_PEN_2_TV_3": "employment_census", "47_850_DF_DCIS_SERVSOCEDU1_3": "nursery",
         "47_940_DF_DCIS_SPESESERSOC1_4": "social", "150_915_DF_DCCV_TAXOCCU1_5": "employment_lfs"}


def _istat_answer(request):
    """Like the SDMX service: structure by dataflow; data filtered by the key ('+' lists, empty = all) and startPeriod."""
    parts = urlsplit(request.url)
    path = unquote(parts.path)
    match = re.search(r"/dataflow/IT1/([^/]+)/1\.0$", path)
    if match:
        path = FIXTURES / "istat" / f"{FLOWS[match.group(1)]}-structure.xml"
        return 200, {"Content-Type": "application/xml"}, path.read_bytes()
    match = re.search(r"/data/IT1,([^,]+),1\.0/([^/]*)/ALL/$", path)
    text = (FIXTURES / "istat" / f"{FLOWS[match.group(1)]}-data.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    start = int(parse_qs(parts.query).get("startPeriod", ["0"])[0])
    for position, wanted in enumerate(match.group(2).split("."), start=1):
        if wanted:
            body = [r for r in body if r[position] in wanted.split("+")]
    body = [r for r in body if int(r[header.index("TIME_PERIOD")][:4]) >= start]
    if not body:
        return 404, {}, "NoRecordsFound"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + body)
    return 200, {"Content-Type": "application/vnd.sdmx.data+csv;version=1.0.0"}, out.getvalue()


def add_istat(mock: responses.RequestsMock) -> None:
    """The Istat SDMX service, answering from tests/fixtures/istat."""
    mock.add_callback(responses.GET, ISTAT, callback=_istat_answer)


def _inps_answer(request):
    """The Inps observatories API: POST bodies must be compact JSON (the backend rejects spaces between tokens)."""
    body = request.body.decode("utf-8") if isinstance(request.body, bytes) else request.body
    payload = json.loads(body)
    if json.dumps(payload, ensure_ascii=False, separators=(",", ":")) != body:
        return 400, {}, "JSON non compatto"
    name = request.url.rstrip("/").rsplit("/", 1)[-1]
    obs_id = payload.get("id_osservatorio")
    files = {"getAlberoNavigazione": "albero.json", "getStrutturaOsservatorio": f"struttura_{obs_id}.json",
             "getDatiOsservatorio": f"dati_{obs_id}.json"}
    path = FIXTURES / "inps" / files[name]
    return (200, {"Content-Type": "application/json"}, path.read_bytes()) if path.exists() else (404, {}, "")


def add_inps(mock: responses.RequestsMock) -> None:
    """The Inps observatories JSON API, answering from tests/fixtures/inps."""
    mock.add_callback(responses.POST, re.compile(r"https://servizi2\.inps\.it/servizi/osservatoristatistici/api/.*"),
                      callback=_inps_answer)


def add_min_salute(mock: responses.RequestsMock) -> None:
    """The Ministero's dataset page and the pharmacies CSV it links."""
    folder = FIXTURES / "min_salute"
    mock.add(responses.GET, "https://www.dati.salute.gov.it/it/dataset/farmacie/",
             body=(folder / "dataset_page.html").read_bytes(), content_type="text/html")
    mock.add(responses.GET, "https://www.dati.salute.gov.it/sites/default/files/opendata/FRM_FARMA_5_20261101.csv",
             body=(folder / "FRM_FARMA_5_20261101.csv").read_bytes(), content_type="text/csv")


def add_overpass(mock: responses.RequestsMock) -> None:
    """The Overpass API answering the province's post offices."""
    mock.add(responses.GET, re.compile(r"https://overpass-api\.de/api/interpreter\?data=.*"),
             body=(FIXTURES / "post_offices" / "overpass_post_offices.json").read_bytes(), content_type="application/json")


def mef_zip() -> bytes:
    """The MEF ZIP as published: one CSV inside."""
    path = FIXTURES / "mef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2023.csv"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.name, path.read_bytes())
    return out.getvalue()


def add_mef(mock: responses.RequestsMock) -> None:
    """The Finance Department's yearly ZIPs: the latest published year is 2023, newer years are 404."""
    def answer(request):
        year = int(re.search(r"_CSV_(\d{4})\.zip", request.url).group(1))
        return (200, {"Content-Type": "application/zip"}, mef_zip()) if year == 2023 else (404, {}, "Not Found")
    mock.add_callback(responses.GET, re.compile(r"https://www1\.finanze\.gov\.it/.*_CSV_\d{4}\.zip"), callback=answer)


def add_all(mock: responses.RequestsMock) -> None:
    """Every source of a default refresh."""
    for add in (add_istat, add_inps, add_min_salute, add_overpass, add_mef):
        add(mock)
