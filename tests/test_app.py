"""AppTest smoke tests of the frame and the home page."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_home_shows_headline_figures_in_italian(warehouse):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    values = [m.value for m in at.metric]
    assert "-14,5 p.p." in values and "-9.151,19 €" in values and "42,6%" in values
    captions = " ".join(c.value for c in at.caption)
    assert "Fonte: Istat, 2022" in captions and "Fonte: Regione Piemonte, 2018" in captions


def test_home_in_english(warehouse):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "-€9,151.19" in [m.value for m in at.metric]


def test_app_builds_missing_warehouse_on_first_start(project_env):
    (project_env / "warehouse.duckdb").unlink()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert (project_env / "warehouse.duckdb").exists()
    assert "42,6%" in [m.value for m in at.metric]
