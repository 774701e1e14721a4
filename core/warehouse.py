"""Read-only access to the warehouse file: a locked-down connection, and a version key for caches."""
from __future__ import annotations

import os
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


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with external access disabled and the configuration locked."""
    return duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))
