"""Cached access for pages: every query result is cached per warehouse version, so a rebuild shows up at once."""
from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from core import warehouse
from core.settings import load_settings, pin_for_this_thread
from monitor import downloads, maps, queries

_this_run = threading.local()   # .version: the served warehouse's version fixed by begin_run in this thread


def begin_run() -> None:
    """Fix the settings and the served warehouse's version for this script run (app.py calls it first).

    Every section and query of a run then sees one warehouse file, even if a build swaps it meanwhile (the next
    run sees the new one), and a run checks the file once instead of at each of its dozens of lookups.
    """
    _this_run.version = None
    _this_run.version = warehouse.version(pin_for_this_thread().served_warehouse)


def _served() -> tuple[Path, str]:
    """The served warehouse and its version: the run's (begin_run), else read now."""
    db = load_settings().served_warehouse
    return db, getattr(_this_run, "version", None) or warehouse.version(db)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _cached(name: str, db: str, db_version: str, args: tuple):
    # db_version is part of the cache key only: a swapped warehouse gets new entries.
    # One shared result per key, not a copy per call (unpickling a copy cost more than the rest of a rerun's
    # lookups): callers never modify a result in place, and with pandas' copy-on-write a frame derived from it
    # is independent of it.
    return getattr(queries, name)(db, *args)


def get(name: str, *args):
    """Result of monitor.queries.<name>(served warehouse, *args), cached by warehouse version."""
    db, db_version = _served()
    # By keyword: for each positional argument Streamlit looks up the function's signature (on every call).
    return _cached(name=name, db=str(db), db_version=db_version, args=tuple(args))


@st.cache_data(show_spinner=False, max_entries=256)
def _memo(name: str, db_version: str, extra: tuple, _build):
    return _build()


def memo(name: str, build, *extra):
    """Cache build() per warehouse version under a name (for derived objects such as map GeoJSON)."""
    return _memo(name=name, db_version=_served()[1], extra=tuple(extra), _build=build)


def map_geometry_urls(lang: str, indicator: str) -> tuple[str, str]:
    """URLs of the comuni GeoJSON (one indicator's values as properties) and the zone GeoJSON, written once per version."""
    db = load_settings().served_warehouse
    return memo("map_geometry_urls", lambda: maps.write_static_files(db, lang, indicator), lang, indicator)


def full_download() -> bytes:
    """The full-data ZIP of the served warehouse, written once per warehouse content (publish writes the public one)."""
    settings = load_settings()
    return downloads.full_download(settings.served_warehouse, downloads.folder(settings)).read_bytes()


def version() -> str:
    """Version of the served warehouse (inode, mtime, size): the first argument of every cached page section."""
    return _served()[1]


@st.cache_resource(show_spinner=False, max_entries=16)
def _indicator_rows(db: str, db_version: str) -> dict:
    # db_version is part of the cache key only, as in _cached.
    registry = _cached(name="indicators", db=db, db_version=db_version, args=())
    return {code: registry.iloc[position] for position, code in enumerate(registry["code"])}


def indicator(code: str):
    """One indicator's row of the registry (a Series: names, unit, decimals, kind, what would fill it).

    Looked up in a table made once per warehouse version (filtering the registry took about 1 ms a call)."""
    db, db_version = _served()
    return _indicator_rows(db=str(db), db_version=db_version)[code]
