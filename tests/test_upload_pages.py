"""The officials' pages through AppTest: sign-in and roles, every bad input through the file uploader, the
round trip commit → home page shows the new figure with who and when → revert → the old figure is back."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from etl.uploads import commit, ledger, service
from core import auth
from core.settings import load_settings
from tests.upload_cases import BAD_INPUTS, NIDO_2023, indicators
from tests.page_text import as_read, card_texts, card_values

ROOT = Path(__file__).resolve().parent.parent
EDITOR = {"is_logged_in": True, "email": "mario.rossi@example.org", "name": "Mario Rossi"}


@pytest.fixture
def officials(project_env, monkeypatch):
    """An access file: an editor and a viewer signing in by e-mail, and a local editor account."""
    path = project_env / "accessi.toml"
    auth.save_access(path, auth.Access(
        roles={"mario.rossi@example.org": "editor", "viewer@example.org": "viewer"},
        accounts={"arossi": {"name": "Anna Rossi", "role": "editor", "password_hash": auth.hash_password("segreta")}}))
    monkeypatch.setenv("PSM_ACCOUNTS_FILE", str(path))
    return path


def page(name: str, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=180)
    at.user = dict(user if user is not None else EDITOR)
    return at.run()


def upload(at: AppTest, file_name: str, raw: bytes) -> AppTest:
    at.file_uploader[0].set_value((file_name, raw, "text/csv"))
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.success, *at.caption, *at.markdown, *at.text)]
    parts += [df.value.to_string() for df in at.dataframe] + [card_texts(at)]
    return as_read("\n".join(str(p) for p in parts))


@pytest.mark.parametrize("name", ["carica_dati.py", "storico_ripristino.py"])
def test_protected_pages_ask_for_sign_in(officials, name):
    at = page(name, user={})
    assert not at.exception
    assert at.title[0].value == "Accesso riservato agli uffici"
    assert not at.file_uploader and len(at.text_input) == 2


@pytest.mark.parametrize("secrets", [
    {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x", "client_id": "id",
              "client_secret": "s", "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}},
    {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
              "microsoft": {"client_id": "id", "client_secret": "s", "server_metadata_url": "https://login.example.org"}}},
])
def test_sign_in_with_the_identity_provider_when_configured(project_env, secrets, monkeypatch):
    monkeypatch.setattr("monitor.signin.PROBE.answers", lambda url, fresh=False: True)  # no network in tests
    at = AppTest.from_file(str(ROOT / "pages" / "carica_dati.py"), default_timeout=180)
    at.user, at.secrets = {}, secrets
    at.run()
    assert [b.label for b in at.button] == ["Accedi con l'account dell'ente"] and not at.text_input


def test_no_sign_in_configured_says_where_to_look(project_env):
    at = page("carica_dati.py", user={})
    assert "Nessun accesso configurato" in at.warning[0].value and not at.file_uploader


@pytest.mark.parametrize("name", ["carica_dati.py", "storico_ripristino.py"])
def test_viewer_role_is_refused(officials, name):
    at = page(name, user={"is_logged_in": True, "email": "viewer@example.org"})
    assert "non ha il ruolo «editor»" in at.error[0].value and not at.file_uploader


def test_local_account_sign_in_and_role_rechecked_at_every_run(officials):
    at = page("carica_dati.py", user={})
    at.text_input[0].input("arossi")
    at.text_input[1].input("sbagliata")
    at.button[0].click().run()
    assert "non validi" in at.error[0].value
    at.text_input[0].input("arossi")
    at.text_input[1].input("segreta")
    at.button[0].click().run()
    assert at.file_uploader and "Anna Rossi" in texts(at)
    access = auth.load_access(officials)
    auth.save_access(officials, auth.Access(access.roles, {"arossi": {**access.accounts["arossi"], "role": "viewer"}}))
    at.run()
    assert not at.file_uploader and "non ha il ruolo" in at.error[0].value


def test_public_mode_has_no_upload_page(officials, monkeypatch):
    monkeypatch.setenv("PSM_MODE", "public")
    at = page("carica_dati.py")
    assert "istanza pubblica" in at.error[0].value and not at.file_uploader


@pytest.mark.parametrize("case, raw, message", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_through_the_file_uploader(officials, case, raw, message):
    at = upload(page("carica_dati.py"), f"{case}.csv", raw)
    assert not at.exception
    assert "nulla è stato caricato" in at.error[0].value
    assert message in at.dataframe[-1].value.to_string(max_colwidth=500) or message in texts(at)
    assert not [b for b in at.button if b.key == "upload_confirm"]
    assert ledger.read_entries(load_settings()) == []


def test_huge_file_refused_through_the_uploader_before_reading(officials, monkeypatch):
    monkeypatch.setenv("PSM_UPLOAD_MAX_BYTES", "1000")

    def never(*args, **kwargs):
        raise AssertionError("validated a file over the limit")
    monkeypatch.setattr("etl.uploads.service.validate_upload", never)
    at = upload(page("carica_dati.py"), "enorme.csv", indicators(*[NIDO_2023] * 30))
    assert not at.exception and "file troppo grande" in at.error[0].value


def test_formula_like_cells_are_neutralised_in_exports(officials, monkeypatch):
    saved = []
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        saved.append((kwargs.get("file_name"), data() if callable(data) else data))  # CSVs are written on click
        return original(label, data, *args, **kwargs)
    monkeypatch.setattr(streamlit, "download_button", recording)
    upload(page("carica_dati.py"), "formule.csv", indicators("=cmd|' /C calc'!A0;cm;001;2023;T;45,2;;;\n"))
    problems = dict(saved)["problemi.csv"].decode("utf-8")
    assert "'=cmd|" in problems and "\n=cmd" not in problems and ",=cmd" not in problems
    service.commit_file(indicators(NIDO_2023), "=SUM(A1).csv", "@Mario", load_settings(), progress=lambda *a: None)
    saved.clear()
    page("storico_ripristino.py")
    history = dict(saved)["storico_caricamenti.csv"].decode("utf-8")
    assert "'=SUM(A1).csv" in history and "'@Mario" in history


def test_template_downloads_and_column_meanings(officials):
    at = page("carica_dati.py")
    assert [b for b in at.get("download_button")]
    assert "indicator_code" in at.dataframe[0].value.to_string()


def test_round_trip_commit_shows_on_home_page_then_revert_restores(officials):
    at = upload(page("carica_dati.py"), "nido_2023.csv", indicators(NIDO_2023))
    assert [m.value for m in at.metric][:2] == ["1", "0"]  # one row added, none changed
    at.button(key="upload_confirm").click().run()
    assert not at.exception and "upload-00001 pubblicato da Mario Rossi" in as_read(at.success[0].value)

    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert "45,2%" in card_values(home)
    shown = texts(home)
    assert "caricato il" in shown and "Mario Rossi" in shown

    history = page("storico_ripristino.py")
    assert "upload-00001" in history.dataframe[0].value.to_string()
    history.button(key="revert_preview_button").click().run()
    assert "tolta" in history.dataframe[1].value.to_string()  # history, preview, loads
    history.text_input(key="revert_reason").input("valore provvisorio")
    history.button(key="revert_confirm").click().run()
    assert not history.exception and "upload-00001 annullato da Mario Rossi" in as_read(history.success[0].value)

    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert "42,6%" in card_values(home) and "45,2%" not in card_values(home)
    assert "Mario Rossi" not in texts(home)
    assert [e["event"] for e in ledger.read_entries(load_settings())] == ["commit", "revert"]


def test_app_registers_upload_pages_in_internal_mode(officials):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.user = dict(EDITOR)
    at.run()
    at.switch_page("pages/carica_dati.py").run()
    assert not at.exception and at.title[0].value == "Carica dati" and at.file_uploader


def test_app_rebuilds_when_the_ledger_is_ahead_of_the_warehouse(officials):
    settings = load_settings()
    raw = indicators(NIDO_2023)
    sha = ledger.store_file(settings, raw)  # as if a commit was killed right after its ledger line
    ledger.append_entry(settings, {"id": "upload-00001", "event": "commit", "at": ledger.now(), "by": "Mario Rossi",
                                   "file_name": "nido.csv", "sha256": sha, "kind": "indicators", "rows": 1})
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not home.exception and "45,2%" in card_values(home)
    assert not commit.needs_rebuild(settings)


def test_progress_page_after_a_progress_upload(officials):
    """Committed progress shows as the zone × action heatmap, the progress table and each action's status line."""
    from tests.upload_cases import progress

    service.commit_file(progress("5.1.1;5;31/10/2026;in_corso;40;100000;25000;cantiere aperto\n",
                                "5.1.1;;30/09/2026;avviata;10;;;\n", "5.3.2;2;31/10/2026;completata;100;;;\n"),
                       "avanzamento.csv", "Mario Rossi", load_settings(), progress=lambda *a: None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["zona"] = "5"
    at.run()
    at.switch_page("pages/avanzamento_azioni.py").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1 and "Mario Rossi" in " ".join(c.value for c in at.caption)
    table = at.dataframe[0].value
    assert set(table["action_code"]) == {"5.1.1", "5.3.2"} and "Intera CM" in set(table["zone"])
    shown = texts(at)
    assert "**5.1.1 · " in shown and "— Avviata, In corso" in shown and "cantiere aperto" in shown
    assert "100.000 €" in shown and "al 31/10/2026" in shown


def test_a_workbook_through_the_file_uploader_previews_in_italian(officials):
    from tests.test_uploads_workbook import SAME_ROWS
    from tests.upload_cases import xlsx_bytes

    at = page("carica_dati.py")
    assert {".xlsx", ".ods", ".csv", ".txt"} <= set(at.file_uploader[0].proto.type)
    _csv, rows = SAME_ROWS["progress"]
    at.file_uploader[0].set_value(("avanzamento.xlsx", xlsx_bytes(rows), "application/octet-stream"))
    at.run()
    assert not at.exception and not at.error
    assert as_read(at.caption[0].value) == ("Avanzamento delle azioni · cartella di lavoro Excel (.xlsx), "
                                            "foglio «Dati» · 2 righe")
    preview = at.dataframe[-1].value
    assert preview["Chiave"].tolist() == ["5.4.1 · CM · 31/10/2026", "5.1.1 · 3 · 30/09/2026"]
    assert preview["Dopo"].tolist() == [
        "stato: In corso · avanzamento (%): 25 · risorse stanziate (€): 120.000 · risorse spese (€): 30.000,5 · "
        "nota: prima tranche", "stato: In corso · avanzamento (%): 10,5"]
