"""Bad reference input stops the build with file, row and problem; the old warehouse keeps serving."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import cli, reference


def zone_rows() -> list[str]:
    return reference.ZONE_FILE.read_text(encoding="utf-8").splitlines()


def run_build_with_zone_file(tmp_path, monkeypatch, lines: list[str] | bytes):
    path = tmp_path / "zone_omogenee.csv"
    if isinstance(lines, bytes):
        path.write_bytes(lines)
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(reference, "ZONE_FILE", path)
    return cli.main(["build"])


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


@pytest.mark.parametrize("mutate, expected", [
    (lambda rows: rows[:1] + rows[2:], "001001"),                                   # a comune with no zone
    (lambda rows: rows + ["009999,Altrove,3,AMT Sud,high,test"], "riga 314"),        # unknown code, named by row
    (lambda rows: [rows[0]] + [rows[1].replace(",8,", ",12,", 1)] + rows[2:], "zona sconosciuta"),
    (lambda rows: rows + [rows[1]], "comune ripetuto"),
    (lambda rows: [rows[0].replace("zona_id", "zona")] + rows[1:], "colonne mancanti"),
])
def test_bad_zone_list_stops_build(project_env, tmp_path, monkeypatch, capsys, mutate, expected):
    live = project_env / "warehouse.duckdb"
    before = mtime(live)
    code = run_build_with_zone_file(tmp_path, monkeypatch, mutate(zone_rows()))
    err = capsys.readouterr().err
    assert code != 0
    assert "zone_omogenee.csv" in err and expected in err
    assert mtime(live) == before
    assert duckdb.connect(str(live), read_only=True).execute("select count(*) from municipality").fetchone()[0] == 312


def test_missing_reference_file_is_named(project_env, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reference, "PLAN_FILE", tmp_path / "plan_asse5.toml")
    assert cli.main(["build"]) != 0
    assert "plan_asse5.toml: file mancante" in capsys.readouterr().err


def test_corrupt_reference_file_is_named(project_env, tmp_path, monkeypatch, capsys):
    assert run_build_with_zone_file(tmp_path, monkeypatch, b"\xff\xfe\x00binary\x00") != 0
    assert "zone_omogenee.csv" in capsys.readouterr().err


def test_bundled_zone_list_passes_its_checks():
    codes = {line.split(",")[0] for line in zone_rows()[1:]}
    assert reference.validate_zone_list(reference.read_csv_text(reference.ZONE_FILE), codes, "z") == []


def test_a_headline_figure_of_an_indicator_the_registry_does_not_mark_as_headline_stops_build(
        project_env, tmp_path, monkeypatch, capsys):
    figures = tmp_path / "headline_figures.csv"
    figures.write_text(reference.HEADLINE_FILE.read_text(encoding="utf-8") + "population,cm,001,2022,T,1,\n",
                       encoding="utf-8")
    monkeypatch.setattr(reference, "HEADLINE_FILE", figures)
    assert cli.main(["build"]) != 0
    err = capsys.readouterr().err
    assert "headline_figures.csv, riga 9, colonna indicator_code" in err and "headline_order" in err


def test_headline_figures_take_their_source_from_the_registry():
    indicators = reference.load_indicators()
    figures = reference.load_headline_figures(indicators)
    sources = dict(zip(indicators["code"], indicators["source_code"]))
    assert len(figures) == 7 and all(figures["source_code"] == figures["indicator_code"].map(sources))
