"""Public mode: only the read-only pages exist, they read the published copy, and nothing opens it writable."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.publish import publish
from core.settings import load_settings
from core.warehouse import READ_ONLY_CONFIG, connect
from monitor.embed import full_page_url
from tests.page_text import card_values

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
OFFICIALS_PAGES = {"carica_dati.py", "storico_ripristino.py"}


@pytest.fixture
def public_env(project_env, monkeypatch):
    """Public mode reading a published copy; the live warehouse is gone, so any use of it would show."""
    publish(load_settings())
    (project_env / "warehouse.duckdb").unlink()
    monkeypatch.setenv("PSM_MODE", "public")
    return project_env


@pytest.fixture
def connections(monkeypatch):
    """Every duckdb.connect call made while the app runs: (path, read_only, config)."""
    calls, real_connect = [], duckdb.connect

    def recording_connect(database=":memory:", read_only=False, config=None, **kwargs):
        calls.append((str(database), read_only, dict(config or {})))
        return real_connect(database, read_only=read_only, config=config, **kwargs)

    monkeypatch.setattr(duckdb, "connect", recording_connect)
    return calls


def test_public_home_reads_the_published_copy(public_env, connections):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    assert "42,6%" in card_values(at)
    assert not (public_env / "warehouse.duckdb").exists()  # not rebuilt: the public mode never builds
    assert connections and {c[0] for c in connections} == {str(public_env / "public" / "warehouse.duckdb")}


def test_officials_pages_do_not_exist_in_public_mode(public_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    for name in sorted(OFFICIALS_PAGES):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{name}")
    assert not at.file_uploader


def test_no_public_page_opens_the_warehouse_writable(public_env, connections):
    at = AppTest.from_file(APP, default_timeout=60).run()
    public_pages = [p for p in sorted((ROOT / "pages").glob("*.py")) if p.name not in OFFICIALS_PAGES]
    for page in public_pages:
        at.switch_page(str(page.relative_to(ROOT))).run()
        assert not at.exception, page.name
        assert not at.file_uploader, page.name
    assert connections
    assert all(read_only and config == READ_ONLY_CONFIG for _, read_only, config in connections)


def test_public_connection_cannot_write_read_files_or_attach(public_env):
    settings = load_settings()
    assert settings.served_warehouse == public_env / "public" / "warehouse.duckdb"
    (public_env / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    duckdb.connect(str(public_env / "other.duckdb")).close()
    con = connect(settings.served_warehouse)
    try:
        for statement in (f"select * from read_csv('{public_env / 'notes.csv'}')",
                          f"attach '{public_env / 'other.duckdb'}' as other",
                          f"copy zone to '{public_env / 'zones.csv'}'",
                          "set enable_external_access = true",
                          "create table scratch (a int)"):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
    finally:
        con.close()


def test_internal_mode_still_has_the_officials_pages(warehouse):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/carica_dati.py").run()
    assert not at.exception


def test_public_mode_without_a_published_copy_says_so(project_env, monkeypatch):
    monkeypatch.setenv("PSM_MODE", "public")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "python -m etl publish" in at.error[0].value
    assert not (project_env / "public" / "warehouse.duckdb").exists()


def test_embedded_view_links_to_the_same_view_as_a_full_page(public_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.context = {"is_embedded": True, "url": "https://monitor.example.org/"}
    at.query_params.update({"lang": "en", "zona": "5"})
    at.run()
    assert not at.exception
    link = at.get("link_button")[0]
    assert link.proto.label == "Open the full page"
    assert link.proto.url == "https://monitor.example.org?lang=en&zona=5"  # st.context.url drops the final /


def test_a_view_that_is_not_embedded_has_no_full_page_link(public_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.get("link_button")


@pytest.mark.parametrize("page_url, params, expected", [
    ("https://m.example.org/", {}, "https://m.example.org/"),
    ("https://m.example.org/profilo", {"lang": "en", "zona": "5"}, "https://m.example.org/profilo?lang=en&zona=5"),
    ("https://m.example.org/", {"embed": "true", "embed_options": "light_theme", "zona": "3"},
     "https://m.example.org/?zona=3"),
    ("https://m.example.org/", {"q": "a b&c"}, "https://m.example.org/?q=a+b%26c"),
])
def test_full_page_url(page_url, params, expected):
    assert full_page_url(page_url, params) == expected
