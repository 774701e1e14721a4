"""Validate once: a commit takes the report and preview the official was shown, the ledger keeps the accepted rows
typed beside each file, and builds read them instead of validating old uploads again."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from etl.reference import ReferenceDataError
from etl.uploads import commit, ledger, service
from core.settings import load_settings
from tests.test_build import table_dump
from tests.test_uploads_cli import nido_value
from tests.upload_cases import NIDO_2023, indicators, progress

ROOT = Path(__file__).resolve().parent.parent
QUIET = {"progress": lambda *a: None}


@pytest.fixture
def no_validation(monkeypatch):
    """Call it to make every way into upload validation fail the test."""
    def never(*args, **kwargs):
        raise AssertionError("an upload was validated again")

    def forbid():
        for target in ("validate.validate_file", "prepare.check", "native.validate"):
            monkeypatch.setattr(f"etl.uploads.{target}", never)
    return forbid


def test_commit_takes_the_report_and_preview_shown(project_env, no_validation):
    settings = load_settings()
    raw = indicators(NIDO_2023, "share_comuni_nido;cm;001;2021;T;40;;;\n")
    report = service.validate_upload(raw, "nido.csv", settings)
    preview = service.preview_upload(report, settings)
    no_validation()
    entry = service.commit_upload(raw, report, "Mario Rossi", settings, preview=preview, **QUIET)
    assert entry["summary"] == preview.counts == {"changed": 1, "added": 1, "removed": 0, "unchanged": 0}
    assert nido_value(settings.warehouse, 2023) == 45.2 and nido_value(settings.warehouse, 2021) == 40
    assert ledger.rows_path(settings, report.sha256).exists()


def test_a_preview_made_before_another_commit_is_made_again_from_the_accepted_rows(project_env, no_validation):
    settings = load_settings()
    raw = indicators(NIDO_2023)
    report = service.validate_upload(raw, "nido.csv", settings)
    preview = service.preview_upload(report, settings)
    assert preview.counts["added"] == 1
    service.commit_file(indicators("share_comuni_nido;cm;001;2023;T;40;;;\n"), "altro.csv", "Anna Bianchi", settings,
                        **QUIET)
    no_validation()
    entry = service.commit_upload(raw, report, "Mario Rossi", settings, preview=preview, **QUIET)
    assert entry["summary"]["changed"] == 1 and entry["summary"]["added"] == 0


def test_a_report_of_other_bytes_is_refused(project_env):
    settings = load_settings()
    report = service.validate_upload(indicators(NIDO_2023), "nido.csv", settings)
    with pytest.raises(service.UploadRefused, match="non è quello verificato"):
        service.commit_upload(indicators(NIDO_2023.replace("45,2", "45,3")), report, "Mario Rossi", settings, **QUIET)
    assert ledger.read_entries(settings) == []


def test_builds_do_not_validate_committed_uploads_again(project_env, no_validation):
    settings = load_settings()
    first = service.commit_file(indicators(NIDO_2023), "nido.csv", "Mario Rossi", settings, **QUIET)
    service.commit_file(progress("5.4.1;;31/10/2025;in_corso;25;120.000;30.000,50;avvio\n"), "avanzamento.csv",
                        "Mario Rossi", settings, **QUIET)
    built = table_dump(settings.warehouse)
    no_validation()
    service.rebuild(settings, **QUIET)                       # python -m etl build
    assert table_dump(settings.warehouse) == built
    assert "tolta" in service.preview_table(service.preview_revert(first["id"], settings)).to_string()
    service.revert_upload(first["id"], "Anna Bianchi", settings, **QUIET)
    assert nido_value(settings.warehouse, 2023) is None
    ledger.append_entry(settings, {**first, "id": "upload-00004", "at": ledger.now()})  # as if killed after its line
    assert commit.ensure_current(settings, **QUIET)
    assert nido_value(settings.warehouse, 2023) == 45.2


@pytest.mark.parametrize("damage", ["missing", "unreadable"])
def test_an_entry_without_its_typed_rows_is_validated_once_and_they_are_kept(project_env, no_validation, damage):
    """A ledger written before the typed rows were kept (or with a damaged copy): the next build validates the stored
    file, keeps its rows, and gives the same warehouse; the builds after it validate nothing."""
    settings = load_settings()
    entry = service.commit_file(indicators(NIDO_2023), "nido.csv", "Mario Rossi", settings, **QUIET)
    built = table_dump(settings.warehouse)
    typed = ledger.rows_path(settings, entry["sha256"])
    if damage == "missing":
        typed.unlink()
    else:
        typed.write_bytes(typed.read_bytes()[:50])
    service.rebuild(settings, **QUIET)
    assert table_dump(settings.warehouse) == built
    assert ledger.read_rows(settings, entry["sha256"]) is not None
    no_validation()
    service.rebuild(settings, **QUIET)
    assert table_dump(settings.warehouse) == built


def test_an_old_entry_whose_file_no_longer_validates_stops_the_build(project_env):
    settings = load_settings()
    sha = ledger.store_file(settings, indicators("asili_nido;cm;001;2023;T;45,2;;;\n"))
    ledger.append_entry(settings, {"id": "upload-00001", "event": "commit", "at": ledger.now(), "by": "Mario Rossi",
                                   "file_name": "nido.csv", "sha256": sha, "kind": "indicators", "rows": 1})
    with pytest.raises(ReferenceDataError, match="indicatore sconosciuto"):
        service.rebuild(settings, **QUIET)


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports (absolute imports)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_pages_and_the_command_line_use_only_the_upload_service():
    users = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py", ROOT / "etl" / "uploads" / "cli.py",
             ROOT / "etl" / "build_cli.py"]
    for path in users:
        internals = {m for m in imported_modules(path) if m.startswith("etl.uploads.")
                     and not m.startswith("etl.uploads.service")}
        assert not internals, f"{path.name} imports {internals}"


def test_the_build_does_not_import_the_uploads():
    assert not {m for m in imported_modules(ROOT / "etl" / "build.py") if m.startswith("etl.uploads")}
