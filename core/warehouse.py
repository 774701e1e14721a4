"""Read-only access to the warehouse: a connection per query, and a version key for caches."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
# No file reads, no ATTACH, no extension installs from the app's connections; settings cannot be changed after.
READ_ONLY_CONFIG = {"enable_external_access": False, "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False, "lock_configuration": True}


def version(path: Path) -> str:
    """Identity of the warehouse file (inode, mtime, size): changes whenever a build swaps it."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


@lru_cache(maxsize=None)
def read_sql(name: str) -> str:
    """Text of a query file under monitor/sql/."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with external access disabled and the configuration locked."""
    return duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))


def query(path: Path, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run monitor/sql/<name>.sql with bound parameters and return a DataFrame; the connection is closed."""
    con = connect(path)
    try:
        return con.execute(read_sql(name), params or {}).df()
    finally:
        con.close()
