"""`python -m etl publish`: atomic copy for the public instance, verified before the swap; builds keep going."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl.cli import main
from etl.publish import PublishError, expected_tables, publish
from monitor import queries
from core.settings import load_settings


def built_at(db: Path) -> str:
    """The build time recorded in a warehouse."""
    return queries.query(db, "build_info").set_index("key").at["built_at", "value"]


def leftovers(folder: Path) -> list[str]:
    """Temporary publish files left in a folder."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".publishing")]


def test_publish_copies_the_live_warehouse(project_env, capsys):
    assert main(["publish"]) == 0
    public = project_env / "public" / "warehouse.duckdb"
    assert public.exists() and public.read_bytes() == (project_env / "warehouse.duckdb").read_bytes()
    assert oct(public.stat().st_mode & 0o777) == "0o644"
    assert "tables: " in capsys.readouterr().out
    assert leftovers(public.parent) == []


def test_expected_tables_follow_the_schema():
    assert {"municipality", "zone", "indicator", "observation", "build_info"} <= expected_tables()


def test_publish_builds_first_when_the_live_warehouse_is_missing(project_env):
    (project_env / "warehouse.duckdb").unlink()
    assert main(["publish"]) == 0
    assert (project_env / "warehouse.duckdb").exists()
    assert (project_env / "public" / "warehouse.duckdb").exists()


def test_public_copy_keeps_serving_while_the_internal_one_rebuilds(project_env):
    from etl.build import build

    publish(load_settings())
    public = project_env / "public" / "warehouse.duckdb"
    before = built_at(public)
    build(load_settings(), progress=lambda *a: None)
    assert built_at(project_env / "warehouse.duckdb") != before
    assert built_at(public) == before  # unchanged until the next publish
    publish(load_settings())
    assert built_at(public) == built_at(project_env / "warehouse.duckdb")


def test_a_bad_copy_is_not_published(project_env, capsys):
    publish(load_settings())
    public = project_env / "public" / "warehouse.duckdb"
    good = public.read_bytes()
    live = project_env / "warehouse.duckdb"
    live.write_bytes(live.read_bytes()[: len(good) // 3])  # a truncated file
    assert main(["publish"]) == 4
    assert "Pubblicazione interrotta" in capsys.readouterr().err
    assert public.read_bytes() == good
    assert leftovers(public.parent) == []


def test_a_copy_without_a_table_is_refused(project_env):
    import duckdb

    con = duckdb.connect(str(project_env / "warehouse.duckdb"))
    con.execute("drop table build_info")
    con.close()
    with pytest.raises(PublishError, match="build_info"):
        publish(load_settings())
    assert not (project_env / "public" / "warehouse.duckdb").exists()
    assert leftovers(project_env / "public") == []


def test_publish_refuses_to_copy_a_file_onto_itself(project_env, monkeypatch):
    monkeypatch.setenv("PSM_PUBLIC_WAREHOUSE", os.environ["PSM_WAREHOUSE"])
    with pytest.raises(PublishError):
        publish(load_settings())


def test_publish_writes_a_map_file_per_indicator_and_language_and_the_full_download(project_env, tmp_path,
                                                                                     monkeypatch):
    from monitor import downloads, maps, queries
    from monitor.i18n import LANGUAGES

    summary = publish(load_settings())
    public = project_env / "public" / "warehouse.duckdb"
    registry = queries.indicators(public)
    with_comuni = set(registry.loc[registry["has_comuni"], "code"])
    files = sorted(p.name for p in (tmp_path / "static" / "geo").iterdir())
    expected = {(code, lang) for code in with_comuni for lang in LANGUAGES}
    written = {(name.split("-")[1], name.split("-")[2]) for name in files if name.startswith("comuni-")}
    assert with_comuni and written == expected
    assert len([n for n in files if n.startswith("zone-")]) == 1 and summary["map_files"] == len(files)
    for code in with_comuni:   # the page asks for the files publish wrote: nothing new is written
        for lang in LANGUAGES:
            assert maps.write_static_files(public, lang, code)[0].rsplit("/", 1)[1] in files
    assert sorted(p.name for p in (tmp_path / "static" / "geo").iterdir()) == files
    zips = list(downloads.folder(load_settings()).iterdir())
    assert [p.name for p in zips] == [downloads.full_download(public, downloads.folder(load_settings())).name]
