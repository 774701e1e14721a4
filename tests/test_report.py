"""Territory report: the PDF and the print view hold the profile page's figures as it formats them; the CLI."""
from __future__ import annotations

import io
import re
import threading
from html import unescape
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from etl import cli
from monitor import fmt, i18n, phrases, queries, report
from monitor.report import content, html as report_html, mapshapes
from monitor.report.territory import Territory

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/profilo_territoriale.py"
HOSTILE = "**Zona** <b>x</b> [link](http://e.vil) {nb} :red[y] =1+1"
CASES = [("5", "zona", {"zona": "5"}), ("001272", "comune", {"comune": "001272"})]


def pdf_text(content_bytes: bytes) -> str:
    """Every page's extracted text as one line: whitespace runs (line breaks inside cells too) as one space."""
    pages = PdfReader(io.BytesIO(content_bytes)).pages
    return one_line(" ".join(page.extract_text() for page in pages))


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip()


def run_page(params: dict, page: str = PAGE) -> AppTest:
    """The profile page (or another) opened from a link with these URL parameters (the frame runs first, as in a
    browser)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("text, level, params", CASES)
def test_the_pdf_holds_every_row_of_the_profile_page_as_the_page_shows_it(warehouse, text, level, params, lang):
    at = run_page({**params, "lang": lang})
    assert not at.exception, at.exception
    shown = at.dataframe[0].value.drop(columns=["Strategia" if lang == "it" else "Strategy"])
    territory = report.parse_territory(warehouse, text)
    assert territory.level == level
    document = report.territory_pdf(warehouse, territory, lang)
    assert document.startswith(b"%PDF")
    found = pdf_text(document)
    assert len(shown) > 10
    for row in shown.values.tolist():   # the row's cells in order: values stay in their row
        cells = [" ".join(cell) if hasattr(cell, "__len__") and not isinstance(cell, str) else str(cell)
                 for cell in row]   # a label cell (an array of its one label or none) shows its text
        assert one_line(" ".join(cells)) in found, row
    for column in shown.columns:
        assert one_line(column) in found


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_pdf_gender_gaps_are_the_gender_page_gaps(warehouse, lang):
    found = pdf_text(report.territory_pdf(warehouse, Territory("zona", "5", 5), lang))
    pairs = queries.gender_pairs(warehouse, "share_age_18_35", "zona")
    latest = pairs[pairs["territory_code"] == "5"].sort_values("period").iloc[-1]
    cm = queries.gender_pairs(warehouse, "share_age_18_35", "cm").sort_values("period").iloc[-1]
    expected = [fmt.value(latest["F"], "pct", 1, lang), fmt.value(latest["M"], "pct", 1, lang),
                fmt.value(latest["gap"], "pp", 1, lang), fmt.value(cm["gap"], "pp", 1, lang)]
    assert one_line(" ".join(expected)) in found
    assert ("Divari di genere" if lang == "it" else "Gender gaps") in found


def test_the_cm_report_has_the_benchmarks_and_no_comparison_with_itself(warehouse):
    found = pdf_text(report.territory_pdf(warehouse, report.parse_territory(warehouse, "cm"), "it"))
    assert "Città metropolitana di Torino" in found and "Rispetto alla CM" not in found
    assert one_line("Reddito imponibile medio per contribuente Totale 2021 22.921 € 22.064 € 20.746 €") in found


@pytest.mark.parametrize("lang, sources", [("it", ["Fonti e licenze", "CC BY 4.0", "Istat", "Caricato il"]),
                                           ("en", ["Sources and licences", "CC BY 4.0", "Istat", "Loaded on"])])
def test_the_pdf_names_its_sources_licences_and_the_date_of_the_data(warehouse, lang, sources):
    built_at = queries.build_info(warehouse)["built_at"]
    with content.view_language(lang):
        date = phrases.loaded_on(built_at)
    found = pdf_text(report.territory_pdf(warehouse, Territory("zona", "5", 5), lang))
    assert all(text in found for text in sources)
    assert ("Dati aggiornati al " if lang == "it" else "Data as of ") + date in found
    assert ("Pagina 1 di " if lang == "it" else "Page 1 of ") in found


def test_view_language_puts_back_the_language_it_found():
    with i18n.speaking("it"):
        with content.view_language("en") as L:
            assert i18n.lang() == "en" and L("sì", "yes") == "yes" and phrases.sex_label("F") == "Women"
        assert i18n.lang() == "it"


@pytest.mark.parametrize("text, expected", [
    ("5", ("zona", "5", 5)), ("05", ("zona", "5", 5)), (" 11 ", ("zona", "11", 11)),
    ("001272", ("comune", "001272", 1)), ("1272", ("comune", "001272", 1)),
    ("cm", ("cm", "001", None)), ("CM", ("cm", "001", None)),
])
def test_territories_are_read_as_the_cli_and_the_url_give_them(warehouse, text, expected):
    territory = report.parse_territory(warehouse, text)
    assert (territory.level, territory.code, territory.zone_id) == expected


@pytest.mark.parametrize("text", ["0", "12", "99", "000000", "999999", "1234567", "abc", "", "zona 5", "5.0"])
def test_unknown_territories_are_refused_saying_what_is_accepted(warehouse, text):
    with pytest.raises(report.TerritoryError, match="1–11"):
        report.parse_territory(warehouse, text)


def test_the_map_draws_the_territory_comuni_on_top_inside_the_box(warehouse):
    zone = mapshapes.map_shapes(warehouse, Territory("zona", "5", 5))
    comuni = queries.municipalities(warehouse)
    geometry = queries.geometry(warehouse).set_index("code")
    members = comuni.loc[comuni["zone_id"] == 5, "istat_code"]
    assert sum(role == "territory" for role, _ in zone.fills) == \
        sum(len(mapshapes.exteriors(geometry.at[c, "geojson"])) for c in members)
    roles = [role for role, _ in zone.fills]
    assert roles == sorted(roles, key=mapshapes.ROLE_ORDER.index) and roles[-1] == "territory"
    assert all(0 <= x <= zone.width and 0 <= y <= zone.height for _, ring in zone.fills for x, y in ring)
    assert len(zone.outlines) >= 11
    torino = mapshapes.map_shapes(warehouse, Territory("comune", "001272", 1))
    assert {role for role, _ in torino.fills} == {"territory", "other"}   # zone 1 is Torino alone


@pytest.fixture
def hostile_names(warehouse) -> Path:
    """The fixture warehouse with a zone and a comune named like markup, Markdown, a link and fpdf2's page alias."""
    con = duckdb.connect(str(warehouse))
    con.execute("update zone set name = ? where zone_id = 5", [HOSTILE])
    con.execute("update municipality set name = ? where istat_code = '001272'", [HOSTILE + " \x07Torino"])
    con.close()
    return warehouse


@pytest.fixture
def with_progress(warehouse) -> Path:
    """The fixture warehouse with progress of two actions: in zone 5, for the whole CM, and in zone 3 (not zone 5's)."""
    con = duckdb.connect(str(warehouse))
    con.execute("""insert into load (load_id, kind, source_code, created_at, created_by, file_name, file_sha256, rows,
                   status) values ('progress-test', 'upload', 'cmt', timestamp '2026-03-02 10:00',
                   'Mario Rossi', 'avanzamento.csv', 'x', 3, 'active')""")
    con.execute("""insert into action_progress values
        ('5.1.1', 5, date '2026-02-28', 'in_corso', 40, 120000, 30000, ?, 'progress-test'),
        ('5.1.2', null, date '2026-01-31', 'avviata', 10, null, null, null, 'progress-test'),
        ('5.2.1', 3, date '2026-02-28', 'completata', 100, 50000, 50000, 'altrove', 'progress-test')""", [HOSTILE])
    con.close()
    return warehouse


@pytest.mark.parametrize("lang, expected", [
    ("it", ["In corso 40% 28/02/2026 120.000 € 30.000 € " + HOSTILE, "Intera CM Avviata 10% 31/01/2026 n.d. n.d."]),
    ("en", ["In progress 40% 28 Feb 2026 €120,000 €30,000 " + HOSTILE, "Whole CM Started 10% 31 Jan 2026 n/a n/a"]),
])
def test_the_pdf_shows_the_progress_of_the_actions_in_the_territory(with_progress, lang, expected):
    found = pdf_text(report.territory_pdf(with_progress, Territory("zona", "5", 5), lang))
    assert all(one_line(text) in found for text in expected)
    assert "5.2.1" not in found and "altrove" not in found    # zone 3's progress is not zone 5's
    assert "Mario Rossi" not in found                         # who loaded it is left out
    assert "5.2.1" in pdf_text(report.territory_pdf(with_progress, Territory("cm", "001"), lang))


def test_a_name_without_spaces_wider_than_a_column_still_prints(warehouse):
    name = "Z" * 300
    con = duckdb.connect(str(warehouse))
    con.execute("update zone set name = ? where zone_id = 5", [name])
    con.close()
    found = pdf_text(report.territory_pdf(warehouse, Territory("zona", "5", 5), "it")).replace(" ", "")
    assert name in found


def test_hostile_names_reach_the_pdf_as_literal_text(hostile_names):
    for territory in (Territory("zona", "5", 5), Territory("comune", "001272", 1)):
        found = pdf_text(report.territory_pdf(hostile_names, territory, "it"))
        assert HOSTILE in found   # no Markdown, no HTML, and "{nb}" is not the page count


def test_hostile_names_reach_the_print_view_escaped(hostile_names):
    page = report_html.report_html(report.build(hostile_names, Territory("zona", "5", 5), "it"),
                                   [("indietro", 'profilo?x="><script>')])
    assert "<b>x</b>" not in page and "<script>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert HOSTILE in unescape(re.sub(r"<[^>]+>", " ", page.split("</style>", 1)[1]))


def test_the_cli_writes_the_pdf_of_a_territory(project_env, capsys):
    output = project_env / "zona5.pdf"
    assert cli.main(["report", "5", "--lang", "en", "-o", str(output)]) == 0
    assert output.read_bytes().startswith(b"%PDF") and "Homogeneous zone 5" in pdf_text(output.read_bytes())
    assert str(output) in capsys.readouterr().out
    assert cli.main(["report", "001272", "-o", str(project_env / "torino.pdf")]) == 0
    assert "Torino" in pdf_text((project_env / "torino.pdf").read_bytes())


@pytest.mark.parametrize("territory", ["12", "Torino", "000001"])
def test_the_cli_refuses_an_unknown_territory_clearly(project_env, capsys, territory):
    output = project_env / "x.pdf"
    assert cli.main(["report", territory, "-o", str(output)]) == 2
    error = capsys.readouterr().err
    assert "territorio sconosciuto / unknown territory" in error and "1–11" in error and "cm" in error
    assert not output.exists() and not list(project_env.glob("*.part"))


def test_the_cli_says_when_the_output_folder_or_the_warehouse_is_missing(project_env, capsys):
    assert cli.main(["report", "5", "-o", str(project_env / "no" / "x.pdf")]) == 2
    assert "output folder missing" in capsys.readouterr().err
    (project_env / "warehouse.duckdb").unlink()
    assert cli.main(["report", "5", "-o", str(project_env / "x.pdf")]) == 3
    assert "python -m etl build" in capsys.readouterr().err


def test_the_page_offers_the_pdfs_built_when_clicked_and_the_print_view(warehouse, monkeypatch):
    import streamlit

    writers, original = {}, streamlit.download_button

    def recording(label, data, *args, **kwargs):
        writers[kwargs["key"]] = (data, kwargs["file_name"])
        return original(label, data, *args, **kwargs)
    monkeypatch.setattr(streamlit, "download_button", recording)
    at = run_page({"zona": "5", "lang": "en"})
    assert not at.exception
    assert writers["download_report"][1] == "profilo_zona_5_en.pdf"
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("download_report_cm")]  # on the overview
    written = []   # written when clicked: in a server thread with no session, in the view's language
    thread = threading.Thread(target=lambda: written.append(writers["download_report"][0]()))
    thread.start()
    thread.join()
    assert "Homogeneous zone 5" in pdf_text(written[0])
    link = at.get("link_button")[0].proto
    assert "stampa=1" in link.url and "zona=5" in link.url and "lang=en" in link.url
    overview = run_page({"lang": "en"}, "pages/quadro_generale.py")
    assert not overview.exception
    assert writers["download_report_cm"][1] == "profilo_cm_en.pdf"
    assert "Metropolitan City" in pdf_text(writers["download_report_cm"][0]())


@pytest.mark.parametrize("params, title", [({"zona": "5", "stampa": "1"}, "Zona omogenea 5 · Pinerolese"),
                                           ({"comune": "001272", "stampa": "1", "lang": "en"}, "<h1>Torino</h1>"),
                                           ({"stampa": "1"}, "Città metropolitana di Torino")])
def test_the_print_view_shows_the_report_alone(warehouse, params, title):
    at = run_page(params)
    assert not at.exception, at.exception
    page = " ".join(element.proto.body for element in at.get("html"))
    assert title in page and 'data-testid="stSidebar"' in page and "data:image/svg+xml;base64," in page
    assert not at.dataframe and not at.get("download_button")
    assert at.query_params["stampa"] in ("1", ["1"])


def test_the_public_instance_offers_the_pdf_reading_only_the_published_copy(project_env, monkeypatch):
    import shutil

    import streamlit

    public = project_env / "public" / "warehouse.duckdb"
    public.parent.mkdir()
    shutil.move(project_env / "warehouse.duckdb", public)   # the live warehouse is gone: any use of it would show
    monkeypatch.setenv("PSM_MODE", "public")
    writers, calls = {}, []
    original_button, original_connect = streamlit.download_button, duckdb.connect

    def recording_button(label, data, *args, **kwargs):
        writers[kwargs["key"]] = data
        return original_button(label, data, *args, **kwargs)

    def recording_connect(database=":memory:", read_only=False, config=None, **kwargs):
        calls.append((str(database), read_only))
        return original_connect(database, read_only=read_only, config=config, **kwargs)
    monkeypatch.setattr(streamlit, "download_button", recording_button)
    monkeypatch.setattr(duckdb, "connect", recording_connect)
    at = run_page({"comune": "001272"})
    assert not at.exception
    calls.clear()
    assert "Torino" in pdf_text(writers["download_report"]())
    assert calls and set(calls) == {(str(public), True)}
    assert not (project_env / "warehouse.duckdb").exists()
