"""Read-only access to the warehouse file: a locked-down connection, and a version key for caches."""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb

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


_kept: OrderedDict[str, tuple[str, duckdb.DuckDBPyConnection]] = OrderedDict()  # path -> (version, connection)
_kept_lock = threading.Lock()
_keep_files = 0


def keep_open(files: int = 2) -> None:
    """From now on, keep up to `files` warehouse files open in this process between connections.

    Opening the database costs 15-40 ms, more than most page queries; while a connection to a file stays open,
    connect() shares its database. For a server process only, where every connection to these files is made by
    connect(): DuckDB refuses another configuration on a file it holds open (a test's plain duckdb.connect)."""
    global _keep_files
    _keep_files = files


def _keep(key: str, current: str) -> None:
    """Hold a connection to the file at key (version current); close one held for an older version of it first."""
    held = _kept.pop(key, None)
    if held is not None and held[0] != current:
        held[1].close()   # NOTE: DuckDB shares one database per path: a stale one would keep serving the old file
        held = None
    if held is None and current != "missing":
        held = (current, duckdb.connect(key, read_only=True, config=dict(READ_ONLY_CONFIG)))
    if held is not None:
        _kept[key] = held
    while len(_kept) > _keep_files:
        _kept.popitem(last=False)[1][1].close()


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with external access disabled and the configuration locked (after keep_open(),
    sharing the database kept open for the file's current version)."""
    if _keep_files:
        with _kept_lock:
            _keep(str(path), version(path))
    return duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))
