"""Commit safety: a kill -9 anywhere leaves ledger and warehouse consistent; concurrent commits are serialised."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.uploads import commit, ledger, service
from etl.uploads.templates import template_text
from core.settings import load_settings
from core.warehouse import version
from tests.test_uploads_cli import nido_value
from tests.upload_cases import NIDO_2023, indicators

ROOT = Path(__file__).resolve().parent.parent


def start_commit(path: Path, by: str) -> subprocess.Popen:
    """`python -m etl upload commit` in its own process, progress readable line by line on stderr."""
    return subprocess.Popen([sys.executable, "-m", "etl", "upload", "commit", str(path), "--by", by], cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("marker, in_ledger", [
    ("File salvato", False),                  # file stored, trial build starting
    ("[6/8]", False),                         # trial build half done
    ("[8/8]", False),                         # trial build finished, ledger line not yet written (or just)
    ("Registro aggiornato", True),            # ledger line written: the commit point is passed
])
def test_kill_9_during_commit_leaves_ledger_and_warehouse_consistent(project_env, marker, in_ledger):
    settings = load_settings()
    path = project_env / "nido.csv"
    path.write_bytes(indicators(NIDO_2023))
    proc = start_commit(path, "Mario Rossi")
    for line in proc.stderr:
        if line.startswith(marker):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    committed = len(ledger.read_entries(settings)) == 1
    if marker != "[8/8]":
        assert committed == in_ledger
    # The live warehouse is whole (old or new, never half) and readable right away.
    assert nido_value(settings.warehouse, 2021) == 42.6
    # Repair as the app and the CLI do: a ledger ahead of the warehouse triggers a rebuild.
    assert commit.warehouse_is_behind(settings) == (committed and nido_value(settings.warehouse, 2023) is None)
    commit.ensure_current(settings, progress=lambda *a: None)
    assert not commit.warehouse_is_behind(settings)
    assert nido_value(settings.warehouse, 2023) == (45.2 if committed else None)
    # The next commit works and clears what the killed one left behind.
    other = project_env / "nido_2022.csv"
    other.write_bytes(indicators("share_comuni_nido;cm;001;2022;T;44;;;\n"))
    service.commit_file(other.read_bytes(), other.name, "Anna Bianchi", settings, progress=lambda *a: None)
    assert [e["by"] for e in ledger.read_entries(settings)] == ["Mario Rossi"] * committed + ["Anna Bianchi"]
    assert not commit.pending_path(settings.warehouse).exists()
    assert nido_value(settings.warehouse, 2022) == 44


def test_two_officials_committing_at_once_are_both_recorded(project_env):
    settings = load_settings()
    first, second = project_env / "a.csv", project_env / "b.csv"
    first.write_bytes(indicators(NIDO_2023))
    second.write_bytes(indicators("share_comuni_home_care_elderly;cm;001;2023;T;98,5;;;\n"))
    procs = [start_commit(first, "Mario Rossi"), start_commit(second, "Anna Bianchi")]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    entries = ledger.read_entries(settings)
    assert sorted(e["by"] for e in entries) == ["Anna Bianchi", "Mario Rossi"]
    assert [e["id"] for e in entries] == ["upload-00001", "upload-00002"]
    assert nido_value(settings.warehouse, 2023) == 45.2
    assert not commit.warehouse_is_behind(settings)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    assert con.execute("select value from observation where indicator_code = 'share_comuni_home_care_elderly' "
                       "and period = 2023").fetchone()[0] == 98.5
    con.close()


def test_torn_ledger_line_is_ignored_and_cut_before_the_next_entry(project_env):
    settings = load_settings()
    entry = service.commit_file(indicators(NIDO_2023), "nido.csv", "Mario Rossi", settings, progress=lambda *a: None)
    with open(ledger.ledger_path(settings), "ab") as handle:
        handle.write(b'{"id": "upload-00002", "event": "comm')  # a process killed in the middle of a write
    assert [e["id"] for e in ledger.read_entries(settings)] == [entry["id"]]
    assert not commit.warehouse_is_behind(settings)
    commit.revert_upload(entry["id"], "Anna Bianchi", settings, progress=lambda *a: None)
    lines = ledger.ledger_path(settings).read_bytes().splitlines()
    assert len(lines) == 2 and b"comm\"" not in lines[-1] and b'"revert-00002"' in lines[-1]


def test_ledger_ahead_of_warehouse_is_rebuilt(project_env):
    settings = load_settings()
    raw = indicators(NIDO_2023)
    sha = ledger.store_file(settings, raw)
    ledger.append_entry(settings, {"id": "upload-00001", "event": "commit", "at": ledger.now(), "by": "Mario Rossi",
                                   "file_name": "nido.csv", "sha256": sha, "kind": "indicators", "rows": 1})
    assert commit.needs_rebuild(settings)
    assert commit.ensure_current(settings, progress=lambda *a: None)
    assert nido_value(settings.warehouse, 2023) == 45.2 and not commit.needs_rebuild(settings)


def test_upload_failing_the_build_checks_changes_nothing(project_env):
    settings = load_settings()
    before = version(settings.warehouse)
    # Zone 1 is Torino alone: a zone count different from the comune count breaks the additive check.
    raw = indicators("pharmacies;comune;001272;2024;T;10;10;;\n", "pharmacies;zona;1;2024;T;99;99;;\n")
    with pytest.raises(service.UploadRefused, match="additive_sums_consistent"):
        service.commit_file(raw, "farmacie.csv", "Mario Rossi", settings, progress=lambda *a: None)
    assert ledger.read_entries(settings) == [] and version(settings.warehouse) == before
    assert not commit.pending_path(settings.warehouse).exists()


def test_revert_preview_shows_what_goes_away(project_env):
    settings = load_settings()
    entry = service.commit_file(indicators(NIDO_2023, "share_comuni_nido;cm;001;2021;T;40;;;\n"), "nido.csv",
                               "Mario Rossi", settings, progress=lambda *a: None)
    preview = service.preview_revert(entry["id"], settings).changes
    changes = preview[preview["change"] != "unchanged"]
    assert changes[["change", "key"]].values.tolist() == [
        ["changed", "share_comuni_nido · cm · 001 · 2021 · T"], ["removed", "share_comuni_nido · cm · 001 · 2023 · T"]]
    assert changes.iloc[0][["old", "new"]].tolist() == [40, 42.6]
    assert len(ledger.read_entries(settings)) == 1  # a preview writes nothing
    assert not list(Path(settings.warehouse).parent.glob("*.preview-*"))


def test_each_kind_reaches_its_table_and_the_official_zone_list_can_be_reverted(project_env):
    settings = load_settings()

    def rows(sql: str):
        con = duckdb.connect(str(settings.warehouse), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    quiet = {"progress": lambda *a: None}
    service.commit_file(b"action_code;zone_id;as_of;status;percent;funds_allocated;funds_spent;note\n"
                       b"5.4.1;;31/10/2026;In corso;25;120.000;30.000,50;avvio\n", "avanzamento.csv", "Mario Rossi",
                       settings, **quiet)
    assert rows("select action_code, zone_id, cast(as_of as varchar), status, percent, funds_allocated, funds_spent "
                "from action_progress") == [("5.4.1", None, "2026-10-31", "in_corso", 25.0, 120000.0, 30000.5)]
    service.commit_file(b"indicator_code;level;territory_code;sex;baseline_period;baseline_value;target_period;"
                       b"target_value;note\nshare_comuni_nido;cm;001;T;2021;42,6;2030;60;obiettivo\n", "obiettivi.csv",
                       "Mario Rossi", settings, **quiet)
    assert rows("select baseline_value, target_period, target_value from indicator_target") == [(42.6, 2030, 60.0)]
    zones = service.commit_file(template_text("zones").encode("cp1252"), "zone.csv", "Mario Rossi", settings, **quiet)
    assert rows("select distinct list_status from zone") == [("official",)]
    commit.revert_upload(zones["id"], "Mario Rossi", settings, **quiet)
    assert rows("select distinct list_status from zone") == [("provisional",)]
