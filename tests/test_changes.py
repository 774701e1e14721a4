"""«Novità nei dati»: every load with what it changed (recorded at commit, revert or refresh time), the periods and
indicators it touches, by the offices in public mode; per indicator the last update and the next announced one."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from core.settings import load_settings
from etl.uploads import service
from monitor import changes
from tests.upload_cases import NIDO_2023, indicators, progress

MEF_ZIP = r"https://www1\.finanze\.gov\.it/.*_CSV_\d{4}\.zip"

QUIET = {"progress": lambda *a: None}
PERSON = "Mario Rossi"
NIDO_NAME = "Comuni con servizi di nido e/o integrativi per la prima infanzia"


@pytest.fixture
def upload_and_revert(project_env):
    """An indicators upload (one row changed, one added), a progress upload, then the first one reverted."""
    settings = load_settings()
    raw = indicators(NIDO_2023, "share_comuni_nido;cm;001;2021;T;40;;;\n")
    first = service.commit_file(raw, "nido.csv", PERSON, settings, **QUIET)
    service.commit_file(progress("5.4.1;;31/10/2025;in_corso;25;120.000;30.000,50;avvio\n"), "avanzamento.csv",
                        PERSON, settings, **QUIET)
    revert = service.revert_upload(first["id"], "Anna Bianchi", settings, reason="dato di Mario Rossi da rifare",
                                   **QUIET)
    return settings, first, revert


def rows_by_id(log: pd.DataFrame) -> dict:
    return {row["load_id"]: row for row in log.to_dict("records")}


def test_an_upload_and_its_revert_are_logged_newest_first_with_their_counts(upload_and_revert):
    settings, first, revert = upload_and_revert
    assert first["summary"] == {"changed": 1, "added": 1, "removed": 0, "unchanged": 0}
    log = changes.changes_log(settings.warehouse, "it", public=False)
    updates = log[log["_kind"].isin(changes.UPDATES)]
    assert list(updates["load_id"]) == [revert["id"], "upload-00002", first["id"]]
    upload = rows_by_id(log)[first["id"]]
    assert (upload["added"], upload["changed"], upload["removed"]) == ("1", "1", "0")
    assert upload["kind"] == "Caricamento degli uffici" and upload["by"] == PERSON
    assert upload["period"] == "2021–2023" and upload["rows"] == "2"
    assert upload["touches"] == NIDO_NAME
    assert upload["status"] == "poi annullato"
    undone = rows_by_id(log)[revert["id"]]
    assert (undone["added"], undone["changed"], undone["removed"]) == ("0", "1", "1")
    assert undone["touches"] == upload["touches"] and undone["period"] == "2021–2023"
    assert undone["source"] == "Città metropolitana di Torino" and "dato di Mario Rossi" in undone["note"]
    actions = rows_by_id(log)["upload-00002"]
    assert actions["touches"] == "azioni 5.4.1" and actions["period"] == "2025"


def recorded_counts(settings) -> dict:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return {load: tuple(counts) for load, *counts in con.execute(
            "select load_id, rows_added, rows_changed, rows_removed from load where kind in ('upload', 'revert')"
        ).fetchall()}
    finally:
        con.close()


def test_counts_are_those_recorded_in_the_ledger_and_a_rebuild_keeps_them(upload_and_revert):
    settings, first, revert = upload_and_revert
    recorded = recorded_counts(settings)
    for entry in (first, revert):
        summary = entry["summary"]
        assert recorded[entry["id"]] == (summary["added"], summary["changed"], summary["removed"])
    service.rebuild(settings, **QUIET)
    assert recorded_counts(settings) == recorded


def test_public_mode_names_the_offices_never_a_person(upload_and_revert):
    settings, _, _ = upload_and_revert
    from monitor import queries

    raw = queries.data_changes(settings.warehouse, True)
    official = raw[raw["kind"].isin(["upload", "revert"])]
    assert len(official) == 3
    assert official[["created_by", "note", "file_name"]].isna().all().all()
    for lang in ("it", "en"):
        log = changes.changes_log(settings.warehouse, lang, public=True)
        text = log.to_csv()
        assert PERSON not in text and "Anna Bianchi" not in text and "nido.csv" not in text
        assert set(log.loc[log["_kind"].isin(["upload", "revert"]), "by"]) == {changes.OFFICES[lang == "en"]}
    internal = changes.changes_log(settings.warehouse, "it", public=False).to_csv()
    assert PERSON in internal and "Anna Bianchi" in internal


def test_a_download_records_what_it_changed_at_refresh_time(project_env, monkeypatch):
    """The MEF release refreshed over the bundled copy: same figures, nothing added or changed; then a release whose
    Torino row differs: one row changed."""
    from etl import refresh_cli
    from tests.test_refresh import run_refresh

    monkeypatch.setattr(refresh_cli, "_sleep", lambda seconds: None)
    assert run_refresh("mef", register=register_release(mef_release()))[0] == 0
    log = changes.changes_log(project_env / "warehouse.duckdb", "en", public=True)
    download = log[log["_kind"] == "etl"].iloc[0]
    assert (download["added"], download["changed"], download["removed"]) == ("0", "0", "0")
    assert download["touches"].startswith("Mean taxable income per taxpayer; Share of taxpayers")
    assert download["period"] == "2021" and download["by"] == changes.AUTOMATIC[1]
    assert run_refresh("mef", "--force", register=register_release(mef_release(torino_income_plus=1000)))[0] == 0
    log = changes.changes_log(project_env / "warehouse.duckdb", "en", public=True)
    download = log[log["_kind"] == "etl"].iloc[0]
    assert (download["added"], download["changed"], download["removed"]) == ("0", "1", "0")


def mef_release(torino_income_plus: int = 0) -> bytes:
    """The MEF's yearly ZIP holding the bundled 2021 national CSV, Torino's taxable income raised by the amount."""
    import gzip
    import io
    import zipfile

    from etl.sources import mef

    lines = gzip.decompress(mef.BUNDLED_FILE.read_bytes()).split(b"\n")
    header = [cell.strip().lower() for cell in lines[0].decode("utf-8").split(";")]
    column = header.index("reddito imponibile - ammontare in euro")
    for number, line in enumerate(lines):
        cells = line.split(b";")
        if len(cells) > column and cells[2] == b"001272":
            cells[column] = str(int(cells[column]) + torino_income_plus).encode()
            lines[number] = b";".join(cells)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(mef.META["bundled"]["name"], b"\n".join(lines))
    return archive.getvalue()


def register_release(body: bytes):
    """Recorded answers of the MEF site: the 2021 ZIP, 404 for the other years."""
    import re

    import responses

    def register(mock):
        mock.add_callback(responses.GET, re.compile(MEF_ZIP), callback=lambda request: (
            (200, {}, body) if "_CSV_2021." in request.url else (404, {}, "Not Found")))
    return register


def test_next_update_is_only_a_date_the_producer_announced():
    row = {"next_release": None}
    assert changes.next_release(row, "it", date(2026, 12, 1)) == "non previsto"
    assert changes.next_release(row, "en", date(2026, 12, 1)) == "not scheduled"
    row = {"next_release": pd.Timestamp("2027-04-15")}
    assert changes.next_release(row, "it", date(2026, 12, 1)) == "15/04/2027"
    assert changes.next_release(row, "en", date(2027, 5, 1)) == "15 Apr 2027 (date passed)"


def test_per_indicator_last_update_and_stated_schedule(warehouse):
    table = changes.indicator_updates(warehouse, "it", date(2026, 12, 1)).set_index("indicator")
    income = table.loc["Reddito imponibile medio per contribuente"]
    assert income["next_update"] == "non previsto" and "una volta all'anno" in income["schedule"]
    assert income["schedule_url"].startswith("https://")
    assert table.loc["Tasso di occupazione", "last_update"] == "nessun dato"
    assert set(table["next_update"]) == {"non previsto"}


def page_texts(at) -> str:
    return " ".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.title, *at.subheader])


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_public_page_lists_the_upload_and_revert_by_the_offices(upload_and_revert, monkeypatch, lang):
    from etl.publish import publish
    from tests.test_pages import run_page

    settings, first, revert = upload_and_revert
    publish(settings)
    monkeypatch.setenv("PSM_MODE", "public")
    at = run_page("pages/novita_dati.py", {"lang": lang})
    assert not at.exception, at.exception
    text = page_texts(at)
    assert PERSON not in text and "Anna Bianchi" not in text and "nido.csv" not in text
    assert text.count(changes.OFFICES[lang == "en"]) == 3
    words = ("aggiunte 1 · modificate 1 · tolte 0", "aggiunte 0 · modificate 1 · tolte 1") if lang == "it" else \
        ("added 1 · changed 1 · removed 0", "added 0 · changed 1 · removed 1")
    assert all(w in text.replace("\\", "") for w in words)
    updates = next(d.value for d in at.dataframe if "next_update" in d.value.columns)
    assert set(updates["next_update"]) == {"non previsto" if lang == "it" else "not scheduled"}


def test_the_internal_page_names_who_uploaded(upload_and_revert):
    from tests.test_pages import run_page

    at = run_page("pages/novita_dati.py")
    assert not at.exception, at.exception
    assert PERSON in page_texts(at).replace("\\", "") and "Anna Bianchi" in page_texts(at).replace("\\", "")


def test_dati_e_fonti_lists_uploads_by_the_offices_in_public_mode(upload_and_revert, monkeypatch):
    from etl.publish import publish
    from tests.test_pages import run_page

    settings, _, _ = upload_and_revert
    publish(settings)
    monkeypatch.setenv("PSM_MODE", "public")
    at = run_page("pages/dati_fonti.py")
    assert not at.exception, at.exception
    loads = next(d.value for d in at.dataframe if "created_by" in d.value.columns)
    shown = loads.to_csv() + page_texts(at)
    assert PERSON not in shown and "Anna Bianchi" not in shown and "nido.csv" not in shown
    assert set(loads.loc[loads["kind"].isin(["upload", "revert"]), "created_by"]) == {changes.OFFICES[0]}


def test_what_a_load_touches_in_words():
    row = {"indicators_it": ["Popolazione residente"], "indicators_en": ["Resident population"],
           "actions": ["5.4.1"], "priorities": ["5.1", "5.1.1"], "zone_list": True}
    assert changes.touches(row, "it") == ("Popolazione residente; azioni 5.4.1; zone prioritarie di 5.1, 5.1.1; "
                                          "elenco delle zone omogenee")
    assert changes.touches({**row, "actions": [], "zone_list": False}, "en") == \
        "Resident population; priority zones of 5.1, 5.1.1"


def test_an_upload_is_credited_to_the_offices_on_the_public_instance_and_to_its_account_inside(monkeypatch):
    from monitor import phrases

    monkeypatch.setenv("PSM_MODE", "public")
    assert phrases.uploaded_by("Mario Rossi") == phrases.OFFICES[0]
    assert "Mario" not in phrases.provenance("Istat", 2022, "2026-11-01", "upload", "Mario Rossi")
    monkeypatch.setenv("PSM_MODE", "internal")
    assert phrases.uploaded_by("Mario Rossi") == "Mario Rossi"
    assert phrases.provenance("Istat", 2022, "2026-11-01", "upload", "Mario Rossi").endswith("(Mario Rossi)")
    assert phrases.uploaded_by(None) == phrases.OFFICES[0]
