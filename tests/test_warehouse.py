"""The app's warehouse connection: read-only, no file access, no ATTACH, no extensions, configuration locked."""
from __future__ import annotations

import duckdb
import pytest

from core import warehouse as wh
from monitor import queries

# statement -> why it must fail on the app's connection
REFUSED = {
    "create table t (a int)": "read-only",
    "insert into zone (zone_id) values (99)": "read-only",
    "update zone set name = 'x'": "read-only",
    "delete from observation": "read-only",
    "drop table zone": "read-only",
    "select * from read_csv({file})": "file system",
    "select * from {file}": "file system",
    "select * from read_parquet({file})": "file system",
    "select * from read_text({file})": "file system",
    "select * from read_blob('/etc/hostname')": "file system",
    "select * from glob('/etc/*')": "file system",
    "select * from read_csv('https://example.org/data.csv')": "file system",
    "attach {other} as other": "file system",
    "attach {other} as other (read_only)": "file system",
    "attach ':memory:' as scratch": "read-only mode",
    "copy zone to {file}": "file system",
    "copy zone from {file}": "file system",
    "export database {folder}": "file system",
    "install httpfs": "file system",
    "load httpfs": "disabled",
    "load {file}": "disabled",
    "set enable_external_access = true": "locked",
    "set lock_configuration = false": "locked",
    "reset lock_configuration": "locked",
    "set allowed_directories = ['/']": "locked",
    "set threads = 1": "locked",
    "pragma enable_profiling": "locked",
}


@pytest.fixture
def outside_files(warehouse, tmp_path):
    """A CSV file and another DuckDB database next to the warehouse, which the app must not reach."""
    (tmp_path / "outside.csv").write_text("a\n1\n", encoding="utf-8")
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    other.execute("create table secret as select 42 as answer")
    other.close()
    return {"file": f"'{tmp_path / 'outside.csv'}'", "other": f"'{tmp_path / 'other.duckdb'}'",
            "folder": f"'{tmp_path / 'export'}'"}


@pytest.mark.parametrize("statement", REFUSED)
def test_connection_refuses(warehouse, outside_files, statement):
    con = wh.connect(warehouse)
    try:
        with pytest.raises(duckdb.Error, match=REFUSED[statement]):
            con.execute(statement.format(**outside_files)).fetchall()
    finally:
        con.close()


def test_python_api_cannot_read_files_either(warehouse, outside_files):
    con = wh.connect(warehouse)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.read_csv(outside_files["file"].strip("'"))
    finally:
        con.close()


def test_settings_stay_as_configured(warehouse):
    con = wh.connect(warehouse)
    try:
        settings = dict(con.execute("select name, value from duckdb_settings() where name in "
                                    "('enable_external_access', 'lock_configuration', 'access_mode')").fetchall())
        # NOTE: DuckDB keeps the warehouse file itself (and its WAL) readable; that is the only path allowed.
        allowed = con.execute("select current_setting('allowed_paths')").fetchone()[0]
    finally:
        con.close()
    assert settings == {"enable_external_access": "false", "lock_configuration": "true", "access_mode": "read_only"}
    assert {p for p in allowed if not p.startswith(str(warehouse))} == set()


def test_reads_still_work(warehouse):
    assert len(queries.query(warehouse, "zones")) == 11
