"""Shared fixtures: a warehouse built from the bundled data in a temporary folder; no test reaches the checkout's files."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def private_paths(folder: Path) -> dict[str, str]:
    """PSM_* path variables pointing every default file of the project into folder."""
    return {"PSM_WAREHOUSE": str(folder / "warehouse.duckdb"), "PSM_DATA_DIR": str(folder / "data"),
            "PSM_PUBLIC_WAREHOUSE": str(folder / "public" / "warehouse.duckdb"),
            "PSM_ACCOUNTS_FILE": str(folder / "data" / "accounts.toml"), "PSM_STATIC_DIR": str(folder / "static")}


def pytest_configure(config):
    """Before any test: the project's default paths point into an empty temporary folder, never into the checkout
    (a checkout in use has accounts, uploads, a built and a published warehouse); PSM_MODE from the shell is ignored."""
    sandbox = Path(tempfile.mkdtemp(prefix="psm-tests-"))
    os.environ.update(private_paths(sandbox))
    os.environ.pop("PSM_MODE", None)


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory) -> Path:
    """A folder holding warehouse.duckdb built once per session from the bundled data."""
    from etl.build import build
    from core.settings import load_settings

    folder = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in private_paths(folder).items():
            mp.setenv(name, value)
        build(load_settings(), progress=lambda *a: None)
    return folder


@pytest.fixture
def project_env(built_dir, tmp_path, monkeypatch) -> Path:
    """Environment pointing the app and the ETL at a private copy of the fixture warehouse."""
    shutil.copy(built_dir / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    for name, value in private_paths(tmp_path).items():
        monkeypatch.setenv(name, value)
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
