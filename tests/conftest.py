"""Shared fixtures: a warehouse built from the bundled data in a temporary folder."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory) -> Path:
    """A folder holding warehouse.duckdb built once per session from the bundled data."""
    from etl.build import build
    from monitor.settings import load_settings

    folder = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PSM_WAREHOUSE", str(folder / "warehouse.duckdb"))
        mp.setenv("PSM_DATA_DIR", str(folder / "data"))
        build(load_settings(), progress=lambda *a: None)
    return folder


@pytest.fixture
def project_env(built_dir, tmp_path, monkeypatch) -> Path:
    """Environment pointing the app and the ETL at a private copy of the fixture warehouse."""
    shutil.copy(built_dir / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PSM_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("PSM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PSM_PUBLIC_WAREHOUSE", str(tmp_path / "public" / "warehouse.duckdb"))
    monkeypatch.delenv("PSM_MODE", raising=False)
    return tmp_path


@pytest.fixture
def warehouse(project_env) -> Path:
    """Path of the private fixture warehouse."""
    return project_env / "warehouse.duckdb"


def pytest_collection_modifyitems(config, items):
    """Browser tests are marked so they can be selected or skipped as a group."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)
