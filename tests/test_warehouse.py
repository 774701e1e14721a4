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


@pytest.fixture
def kept_open(monkeypatch):
    """keep_open() for one test: the held connections are closed and the setting restored after it."""
    monkeypatch.setattr(wh, "_kept", wh.OrderedDict())
    wh.keep_open(2)
    yield wh._kept
    with wh._kept_lock:
        while wh._kept:
            wh._kept.popitem()[1][1].close()
    wh.keep_open(0)


def _database(path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute(f"create table t as select {value} as v")
    con.close()


def test_a_kept_database_is_reopened_when_the_file_is_swapped(tmp_path, kept_open):
    live = tmp_path / "live.duckdb"
    _database(live, 1)
    con = wh.connect(live)
    assert con.execute("select v from t").fetchone() == (1,)
    con.close()
    assert str(live) in kept_open
    _database(tmp_path / "new.duckdb", 2)
    (tmp_path / "new.duckdb").replace(live)   # as a build or a publish swaps it
    con = wh.connect(live)
    try:
        assert con.execute("select v from t").fetchone() == (2,)
    finally:
        con.close()


def test_only_the_latest_files_are_kept_open(tmp_path, kept_open):
    for n in range(4):
        _database(tmp_path / f"w{n}.duckdb", n)
        wh.connect(tmp_path / f"w{n}.duckdb").close()
    assert list(kept_open) == [str(tmp_path / "w2.duckdb"), str(tmp_path / "w3.duckdb")]
    duckdb.connect(str(tmp_path / "w0.duckdb"), read_only=True).close()   # released: another configuration opens it
