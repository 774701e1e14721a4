"""The full download: streamed to a ZIP file once per warehouse content, with the files the in-memory ZIP had;
and no table toolbar export, which would write formula-like cells as they are."""
from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

import duckdb
import pytest

from core import warehouse as wh

from monitor import downloads, queries

# The full download's query before it was split per indicator and streamed (benchmark territories named since).
ALL_OBSERVATIONS = """
select o.indicator_code, i.name_it as indicator_name_it, i.unit, o.level, o.territory_code,
       coalesce(m.name, z.name, b.name_it, 'Città metropolitana di Torino') as territory_name,
       o.period, o.sex, o.value, o.numerator, o.denominator, o.derived, s.producer as source, s.licence,
       o.load_id, l.created_at as loaded_at, o.note
from observation o
join indicator i on i.code = o.indicator_code
left join municipality m on o.level = 'comune' and m.istat_code = o.territory_code
left join zone z on o.level = 'zona' and cast(z.zone_id as varchar) = o.territory_code
left join benchmark_territory b on b.level = o.level and b.territory_code = o.territory_code
left join source s on s.source_code = o.source_code
left join load l on l.load_id = split_part(o.load_id, '+', 1)
order by o.indicator_code, o.level, o.territory_code, o.period, o.sex
"""


def in_memory_zip(db: Path) -> zipfile.ZipFile:
    """The ZIP as the page built it before: every observation in one DataFrame, written with writestr."""
    con = wh.connect(db)
    try:
        observations = con.execute(ALL_OBSERVATIONS).df()
    finally:
        con.close()
    sources, indicators = queries.sources(db), queries.indicators(db)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("osservazioni.csv", downloads.csv_bytes(observations))
        archive.writestr("indicatori.csv", downloads.csv_bytes(indicators.drop(columns=["levels", "periods"])))
        archive.writestr("fonti.csv", downloads.csv_bytes(sources))
        archive.writestr("LEGGIMI.txt", downloads.readme(sources, queries.build_info(db)))
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def assert_same_files(db: Path, folder: Path) -> zipfile.ZipFile:
    """Write the streamed ZIP and check every entry equals the in-memory ZIP's, byte for byte; return it."""
    streamed = zipfile.ZipFile(downloads.full_download(db, folder))
    expected = in_memory_zip(db)
    assert streamed.namelist() == expected.namelist() == ["osservazioni.csv", "indicatori.csv", "fonti.csv",
                                                          "LEGGIMI.txt"]
    for name in expected.namelist():
        assert streamed.read(name) == expected.read(name), name
    return streamed


@pytest.fixture
def small_batches(monkeypatch):
    """Record batches of 97 rows, so the CSV is written in many chunks."""
    monkeypatch.setattr(downloads, "OBSERVATIONS_BATCH_ROWS", 97)


def test_streamed_zip_has_the_files_of_the_in_memory_one(warehouse, tmp_path, small_batches):
    streamed = assert_same_files(warehouse, tmp_path / "downloads")
    lines = streamed.read("osservazioni.csv").decode("utf-8").splitlines()
    count = duckdb.connect(str(warehouse), read_only=True).execute("select count(*) from observation").fetchone()[0]
    assert len(lines) == count + 1 and lines[0].startswith("indicator_code,indicator_name_it,unit,level")


def test_load_times_are_written_as_one_column_across_chunks(warehouse, tmp_path, small_batches):
    con = duckdb.connect(str(warehouse))
    con.execute("""update load set created_at = timestamp '2026-11-20 09:15:30.250000'
                   where load_id = (select min(load_id) from observation)""")
    con.close()
    streamed = assert_same_files(warehouse, tmp_path / "downloads")
    assert "2026-11-20 09:15:30.250" in streamed.read("osservazioni.csv").decode("utf-8")


def test_formula_like_cells_are_neutralised_in_the_full_download(warehouse, tmp_path, small_batches):
    con = duckdb.connect(str(warehouse))
    con.execute("update observation set note = '=HYPERLINK(\"http://x\")' where level = 'cm'")
    con.execute("update source set licence = '@SUM(A1)'")
    con.execute("update indicator set name_it = '+cmd' where code = 'population'")
    con.close()
    streamed = assert_same_files(warehouse, tmp_path / "downloads")
    observations = streamed.read("osservazioni.csv").decode("utf-8")
    assert "'=HYPERLINK" in observations and ",=HYPERLINK" not in observations
    assert "'@SUM(A1)" in observations and ",@SUM" not in observations and ",'+cmd," in observations
    assert "'@SUM(A1)" in streamed.read("fonti.csv").decode("utf-8")


def test_empty_warehouse_gives_the_header_only(project_env, tmp_path):
    path = project_env / "warehouse.duckdb"
    path.unlink()
    con = duckdb.connect(str(path))
    con.execute((Path(__file__).resolve().parent.parent / "etl" / "sql" / "schema.sql").read_text(encoding="utf-8"))
    con.close()
    streamed = assert_same_files(path, tmp_path / "downloads")
    assert streamed.read("osservazioni.csv").decode("utf-8").count("\n") == 1


def test_full_download_is_written_once_and_named_by_the_warehouse_content(warehouse, tmp_path):
    folder = tmp_path / "downloads"
    first = downloads.full_download(warehouse, folder)
    written = first.stat().st_mtime_ns
    copy = tmp_path / "copy" / "warehouse.duckdb"
    copy.parent.mkdir()
    copy.write_bytes(warehouse.read_bytes())
    assert downloads.full_download(copy, folder) == first and first.stat().st_mtime_ns == written
    assert first.name.startswith("psm_asse5_dati-") and oct(first.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in folder.iterdir()] == [first.name]   # no partial file left behind
    con = duckdb.connect(str(warehouse))
    con.execute("update observation set value = value + 1 where level = 'cm'")
    con.close()
    assert downloads.full_download(warehouse, folder) != first


def test_the_page_button_serves_the_file_of_the_served_warehouse(warehouse, project_env):
    from monitor import data

    served = zipfile.ZipFile(io.BytesIO(data.full_download()))
    assert served.namelist() == ["osservazioni.csv", "indicatori.csv", "fonti.csv", "LEGGIMI.txt"]
    [written] = (project_env / "data" / "downloads").iterdir()
    assert written.read_bytes() == data.full_download()


def test_the_tables_toolbar_export_is_off():
    # NOTE: Streamlit's toolbar "Download as CSV" writes cells as they are (=HYPERLINK(…) included) and has no
    # per-table switch: it is turned off for every table; the pages' own CSV buttons neutralise formulas.
    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["disableDataExport"] is True
