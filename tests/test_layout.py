"""The arrows between packages run one way: core imports neither etl nor monitor; etl never imports monitor (but
for publish, which runs the page queries on the copy it publishes); pages reach the warehouse through monitor."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_uploads_service import imported_modules

ROOT = Path(__file__).resolve().parent.parent
ETL_USING_MONITOR = {"etl/publish.py", "etl/report_cli.py"}  # run page queries and formats


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def packages_imported(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


@pytest.mark.parametrize("path", python_files("core"), ids=lambda p: p.name)
def test_core_imports_neither_etl_nor_monitor(path):
    assert not packages_imported(path) & {"etl", "monitor", "pages"}


@pytest.mark.parametrize("path", python_files("etl"), ids=lambda p: str(p.relative_to(ROOT)))
def test_etl_does_not_import_the_app(path):
    if str(path.relative_to(ROOT)) in ETL_USING_MONITOR:
        return
    assert "monitor" not in packages_imported(path)


@pytest.mark.parametrize("path", python_files("monitor"), ids=lambda p: p.name)
def test_monitor_imports_no_etl_internals(path):
    assert not {m for m in imported_modules(path) if m.startswith("etl")}, "the app's library reads the warehouse only"


def test_every_module_says_its_job_in_its_first_line():
    for package in ("core", "monitor", "etl", "pages"):
        for path in python_files(package):
            text = path.read_text(encoding="utf-8")
            if path.name == "__init__.py" and not text.strip():
                continue
            assert text.startswith('"""'), f"{path.relative_to(ROOT)} has no module docstring"
