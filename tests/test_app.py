"""AppTest smoke tests of the frame and the home page."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from tests.page_text import card_texts, card_values

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_home_shows_headline_figures_in_italian(warehouse):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    values = card_values(at)
    assert "-14,5 p.p." in values and "-9.151,19 €" in values and "42,6%" in values
    texts = card_texts(at)
    assert "Fonte: Istat, 2022 · caricato il" in texts and "Fonte: Regione Piemonte, 2018" in texts


def test_home_in_english(warehouse):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "-€9,151.19" in card_values(at)


def test_app_builds_missing_warehouse_on_first_start(project_env):
    (project_env / "warehouse.duckdb").unlink()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert (project_env / "warehouse.duckdb").exists()
    assert "42,6%" in card_values(at)


def test_rebuild_shows_up_without_restart(warehouse, tmp_path, monkeypatch):
    from etl import reference
    from etl.build import build
    from core.settings import load_settings

    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "147,9" in card_values(at)
    changed = tmp_path / "headline_figures.csv"
    changed.write_text(reference.HEADLINE_FILE.read_text(encoding="utf-8").replace(",147.9,", ",150.2,"), encoding="utf-8")
    monkeypatch.setattr(reference, "HEADLINE_FILE", changed)
    build(load_settings(), progress=lambda *a: None)
    at.run()
    assert "150,2" in card_values(at) and "147,9" not in card_values(at)
