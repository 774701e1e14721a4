"""`python -m etl upload …`: every bad input refused with its message and nothing changed; commit, history, revert."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.uploads import ledger
from etl.uploads.templates import KINDS
from core.settings import load_settings
from core.warehouse import version
from tests.upload_cases import BAD_INPUTS, NIDO_2023, indicators


def nido_value(db: Path, period: int):
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("select value from observation where indicator_code = 'share_comuni_nido' and level = 'cm' "
                          "and period = ?", [period]).fetchone()
    finally:
        con.close()
    return row[0] if row else None


@pytest.fixture
def untouched(project_env):
    """Asserts after the test that neither the ledger nor the warehouse changed."""
    settings = load_settings()
    before = version(settings.warehouse)
    yield settings
    assert version(settings.warehouse) == before
    assert ledger.read_entries(settings) == []


@pytest.mark.parametrize("case, raw, message", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_refused_by_validate_and_commit(case, raw, message, untouched, tmp_path, capsys):
    path = tmp_path / f"{case}.csv"
    path.write_bytes(raw)
    assert main(["upload", "validate", str(path)]) == 1
    assert message in capsys.readouterr().out
    assert main(["upload", "validate", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"] and any(message in p["message"] for p in report["problems"])
    assert main(["upload", "commit", str(path), "--by", "Mario Rossi"]) == 1
    assert message in capsys.readouterr().err


def test_huge_file_refused_before_it_is_read(untouched, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PSM_UPLOAD_MAX_BYTES", "1000")
    path = tmp_path / "enorme.csv"
    path.write_bytes(indicators(*[NIDO_2023] * 30))

    def never(*args, **kwargs):
        raise AssertionError("the file was read")
    monkeypatch.setattr(Path, "read_bytes", never)
    assert main(["upload", "validate", str(path)]) == 1
    assert "file troppo grande" in capsys.readouterr().out
    assert main(["upload", "commit", str(path), "--by", "Mario Rossi"]) == 1
    assert "file troppo grande" in capsys.readouterr().err


@pytest.mark.parametrize("kind", KINDS)
def test_template_example_validates_but_is_not_published(kind, untouched, tmp_path, capsys):
    assert main(["upload", "template", kind]) == 0
    printed = capsys.readouterr()
    assert "colonne" in printed.err
    path = tmp_path / f"modello_{kind}.csv"
    path.write_text(printed.out, encoding="utf-8")
    assert main(["upload", "validate", str(path), "--kind", kind]) == 0
    if kind != "zones":
        assert main(["upload", "commit", str(path), "--by", "Mario Rossi"]) == 1
        assert "riga di esempio" in capsys.readouterr().err


def test_commit_history_revert(project_env, tmp_path, capsys):
    settings = load_settings()
    path = tmp_path / "nido.csv"
    path.write_bytes(indicators(NIDO_2023, 'share_comuni_nido;cm;001;2022;T;44;;;"=1+2"\n'))
    assert main(["upload", "validate", str(path)]) == 0
    assert "Anteprima: 2 righe aggiunte" in capsys.readouterr().out
    assert main(["upload", "commit", str(path), "--by", "Mario Rossi", "--json"]) == 0
    entry = json.loads(capsys.readouterr().out)
    assert entry["id"] == "upload-00001" and entry["summary"]["added"] == 2 and entry["by"] == "Mario Rossi"
    assert nido_value(settings.warehouse, 2023) == 45.2
    assert ledger.read_file(settings, entry["sha256"]) == path.read_bytes()  # kept unchanged
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    assert con.execute("select note from observation where indicator_code = 'share_comuni_nido' "
                       "and period = 2022").fetchone()[0] == "=1+2"  # stored as text
    con.close()
    assert main(["upload", "history", "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [(h["id"], h["status"], h["by"]) for h in history] == [("upload-00001", "active", "Mario Rossi")]
    assert main(["upload", "revert", "upload-00001", "--by", "Anna Bianchi", "--reason", "dato errato"]) == 0
    assert "revert-00002" in capsys.readouterr().out
    assert nido_value(settings.warehouse, 2023) is None and nido_value(settings.warehouse, 2021) == 42.6
    assert main(["upload", "revert", "upload-00001", "--by", "Anna Bianchi"]) == 1
    assert "già stato annullato" in capsys.readouterr().err
    assert main(["upload", "revert", "upload-09999", "--by", "Anna Bianchi"]) == 1
    assert main(["upload", "history"]) == 0
    text = capsys.readouterr().out
    assert "revert-00002" in text and "reverted" in text and "Anna Bianchi" in text
    assert ledger.file_path(settings, entry["sha256"]).exists()  # nothing deleted by the revert
