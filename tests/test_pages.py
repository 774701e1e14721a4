"""Every page under AppTest: on the fixture warehouse, on an empty one, in both languages, with URL filters."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.page_text import as_read

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["pages/quadro_generale.py", "pages/divari_genere.py", "pages/servizi_territorio.py",
         "pages/avanzamento_azioni.py", "pages/profilo_territoriale.py", "pages/citta_metropolitane.py",
         "pages/novita_dati.py", "pages/dati_fonti.py"]


def run_page(page: str, params: dict | None = None) -> AppTest:
    """Open the app with the URL parameters (the frame runs first, as in a browser), then go to the page."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    for key, value in (params or {}).items():  # a deep link to a page carries its parameters
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


@pytest.fixture
def empty_warehouse(project_env) -> Path:
    """A warehouse with every table and no rows."""
    path = project_env / "warehouse.duckdb"
    path.unlink()
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "sql" / "schema.sql").read_text(encoding="utf-8"))
    con.close()
    return path


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["it", "en"])
def test_page_runs_on_fixture_warehouse(warehouse, page, lang):
    at = run_page(page, {"lang": lang})
    assert not at.exception, at.exception
    assert at.title or any(m.value.startswith("# ") for m in at.markdown)   # notices.page_intro: one element
    assert at.selectbox(key="zona").label == {"it": "Zona omogenea", "en": "Homogeneous zone"}[lang]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_empty_warehouse(empty_warehouse, page):
    at = run_page(page)
    assert not at.exception, at.exception


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return as_read(" ".join(str(p) for p in parts))


def test_indicators_without_data_say_what_fills_them(warehouse):
    at = run_page("pages/servizi_territorio.py", {"indicatore": "share_comuni_pharmacy"})
    assert not at.exception
    assert "Nessun dato caricato" in texts(at) and "Ministero della Salute" in texts(at)


def test_zones_are_flagged_provisional(warehouse):
    for page in ("pages/servizi_territorio.py", "pages/divari_genere.py", "pages/profilo_territoriale.py"):
        assert "provvisoria" in texts(run_page(page))


@pytest.mark.parametrize("page, params", [
    ("pages/servizi_territorio.py", {"indicatore": "old_age_index", "anno": "2022", "sesso": "F"}),
    ("pages/divari_genere.py", {"indicatore": "share_age_65_plus", "anno": "2022"}),
    ("pages/profilo_territoriale.py", {"comune": "001272"}),
    ("pages/avanzamento_azioni.py", {"strategia": "5.3"}),
    ("pages/quadro_generale.py", {"zona": "5", "lang": "en"}),
    ("pages/citta_metropolitane.py", {"indicatore": "population", "anno": "2022", "sesso": "F"}),
])
def test_query_params_round_trip(warehouse, page, params):
    at = run_page(page, params)
    assert not at.exception
    for key, value in params.items():
        assert at.query_params[key] in (value, [value]), key  # written back to the URL after the run
        if key not in ("zona", "lang"):                        # page widgets (the frame's are checked below)
            assert str(at.session_state[key]) == value
    if "zona" in params:
        assert str(at.selectbox(key="zona").value) == params["zona"]


def test_servizi_shows_the_chosen_indicator_and_year(warehouse):
    at = run_page("pages/servizi_territorio.py", {"indicatore": "old_age_index", "anno": "2022", "sesso": "F"})
    subheaders = " ".join(s.value for s in at.subheader)
    assert "Indice di vecchiaia" in subheaders and "2022" in subheaders and "Donne" in subheaders


def test_profile_of_torino_compares_with_cm(warehouse):
    at = run_page("pages/profilo_territoriale.py", {"comune": "001272"})
    table = at.dataframe[0].value
    row = table[(table["Indicatore"] == "Popolazione residente") & (table["Sesso"] == "Totale")].iloc[0]
    assert row["Valore"] == "841.600" and row["Città metropolitana"] == "2.198.237"


def test_the_profile_shows_the_comparison_as_coloured_labels(warehouse):
    """Blue better, orange worse, grey equal or no polarity; a row without a comparison has no label."""
    import pandas as pd

    from monitor import comparisons

    table = pd.DataFrame({"c": ["▲ migliore", "▼ peggiore", "=", "○", ""]})
    shown, labels, colours = comparisons.comparison_labels(table, "c")
    assert shown["c"].tolist() == [["▲ migliore"], ["▼ peggiore"], ["="], ["○"], []]
    assert dict(zip(labels, colours)) == {"▲ migliore": "#cfe5f5", "▼ peggiore": "#fbd9b9", "=": "#ececec",
                                          "○": "#ececec"}
    at = run_page("pages/profilo_territoriale.py", {"comune": "001272"})
    compared = at.dataframe[0].value["Rispetto alla CM"]
    assert all(isinstance(cell, (list, tuple)) or hasattr(cell, "tolist") for cell in compared)
    assert any(list(cell) == ["▲ migliore"] for cell in compared)


def test_profile_of_zone_5_shows_cm_piemonte_and_italia_columns(warehouse):
    at = run_page("pages/profilo_territoriale.py", {"zona": "5"})
    table = at.dataframe[0].value
    assert list(table.columns)[4:9] == ["Valore", "Città metropolitana", "Rispetto alla CM", "Piemonte", "Italia"]
    income = table[table["Indicatore"] == "Reddito imponibile medio per contribuente"].iloc[0]
    assert income["Anno"] == "2021" and income["Città metropolitana"] == "22.921 €"
    assert income["Piemonte"] == "22.064 €" and income["Italia"] == "20.746 €"
    population = table[(table["Indicatore"] == "Popolazione residente") & (table["Sesso"] == "Totale")].iloc[0]
    assert population["Italia"] == "58.840.177"


def test_the_map_page_opens_on_income_per_taxpayer(warehouse):
    at = run_page("pages/servizi_territorio.py")
    assert at.session_state["indicatore"] == "income_per_taxpayer" and at.session_state["anno"] == 2021
    assert "Reddito imponibile medio per contribuente · 2021" in " ".join(s.value for s in at.subheader)
    assert "Riferimenti: Città metropolitana 22.921 € · Piemonte 22.064 € · Italia 20.746 €" in texts(at)


def plotly_spec(at: AppTest, index: int = 0) -> dict:
    """The figure of a page's plotly chart, as sent to the browser."""
    import json

    return json.loads(at.get("plotly_chart")[index].proto.spec)


@pytest.mark.parametrize("indicator, year, torino", [("population", "2023", "2.198.237"),
                                                     ("income_per_taxpayer", "2021", "22.921 €")])
def test_peer_view_shows_the_14_metropolitan_cities_with_torino_highlighted(warehouse, indicator, year, torino):
    at = run_page("pages/citta_metropolitane.py", {"indicatore": indicator, "anno": year})
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 14 and {"Torino", "Milano", "Roma", "Napoli", "Cagliari"} <= set(table["territory_name"])
    assert table.set_index("territory_name").at["Torino", "label"] == torino
    bars = plotly_spec(at)
    assert "▶ Torino" in bars["layout"]["yaxis"]["ticktext"] and len(bars["data"][0]["y"]) == 14
    italy_line = any(shape.get("name", "").startswith("Italia: ") for shape in bars["layout"].get("shapes", []))
    assert italy_line == (indicator != "population")  # a total is no yardstick: a line only for rates
    assert "Torino: " in texts(at) and "Sardegna" in texts(at)


def test_a_headline_card_shows_piemonte_and_italia_where_they_exist(warehouse):
    con = duckdb.connect(str(warehouse))
    con.execute("""insert into observation by name
                   select 'share_comuni_nido' as indicator_code, level, territory_code, 2021 as period, 'T' as sex,
                          value, true as derived, 'istat' as source_code, 'x' as load_id
                   from (values ('regione', '01', 38.5), ('italia', 'IT', 59.3)) t(level, territory_code, value)""")
    con.close()
    at = run_page("pages/quadro_generale.py")
    cards_html = " ".join(str(element.proto.body) for element in at.get("html"))
    assert "Piemonte 38,5% · Italia 59,3% (2021)" in cards_html
    assert cards_html.count("Piemonte ") == 1  # only where the benchmark exists


def test_progress_page_without_progress_shows_catalogue(warehouse):
    at = run_page("pages/avanzamento_azioni.py")
    assert "Nessun avanzamento caricato" in texts(at)
    assert at.button_group(key="strategia").options and at.session_state["strategia"] == "5.1"
    actions = re.findall(r"\*\*(5\.\d\.\d) · [^\n]*\*\* — nessun aggiornamento\n", texts(at))
    assert actions == ["5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5"]  # one strategy at a time
    at = run_page("pages/avanzamento_azioni.py", {"strategia": "5.5"})
    assert re.findall(r"\*\*(5\.\d\.\d) ·", texts(at)) == ["5.5.1", "5.5.2", "5.5.3"]


def test_downloads_are_written_on_click_in_the_view_language(warehouse, monkeypatch):
    """A CSV download is written when clicked, in a server thread with no session, in the language of the view."""
    import threading

    import streamlit

    writers = {}
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        writers[kwargs["key"]] = data
        return original(label, data, *args, **kwargs)
    monkeypatch.setattr(streamlit, "download_button", recording)
    at = run_page("pages/profilo_territoriale.py", {"comune": "001272", "lang": "en"})
    assert not at.exception and callable(writers["download_profile"])
    written = []
    thread = threading.Thread(target=lambda: written.append(writers["download_profile"]()))
    thread.start()
    thread.join()
    header, *rows = written[0].decode("utf-8").splitlines()
    assert "Indicator" in header and "Against the CM" in header and len(rows) > 10
    assert any(row.startswith("5.") and "Resident population" in row and "841,600" in row for row in rows)
