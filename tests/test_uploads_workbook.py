"""Files as officials have them: an .xlsx, an .ods and Excel's «Testo Unicode» read to the same rows as the CSV of the
same sheet, problems at the sheet's row, cells as the sheet shows them, and the workbooks that are refused."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from etl.uploads import sheet_cells, workbook
from etl.uploads.validate import validate_file
from core.settings import load_settings
from tests.upload_cases import (ENCRYPTED_WORKBOOK, INDICATOR_HEADER, MACRO_WORKBOOK, PROGRESS_HEADER, indicators,
                                ods_bytes, progress, unicode_text, xlsx_bytes)

INDICATOR_NAMES = INDICATOR_HEADER.strip().split(";")
PROGRESS_NAMES = PROGRESS_HEADER.strip().split(";")
# The same rows as an official's CSV (Italian Excel: ';', decimal comma, dates dd/mm/yyyy) and as the cells of a sheet.
SAME_ROWS = {
    "indicators": (
        INDICATOR_HEADER + "share_comuni_nido;cm;001;2023;T;45,2;;;Dato comunicato dall'ufficio\n"
                           "pharmacies;comune;001272;2023;T;412;412;;\n"
                           "population;comune;1272;2023;T;841.700;841.700;;\n",
        [INDICATOR_NAMES,
         ["share_comuni_nido", "cm", "001", 2023, "T", 45.2, None, None, "Dato comunicato dall'ufficio"],
         ["pharmacies", "comune", "001272", 2023, "T", 412, 412, None, None],
         ["population", "comune", "1272", 2023, "T", 841700, 841700, None, None]]),
    "progress": (
        PROGRESS_HEADER + "5.4.1;;31/10/2026;in_corso;25;120000;30000,5;prima tranche\n"
                          "5.1.1;3;30/09/2026;In corso;10,5;;;\n",
        [PROGRESS_NAMES,
         ["5.4.1", None, date(2026, 10, 31), "in_corso", 25, 120000, 30000.5, "prima tranche"],
         ["5.1.1", 3, date(2026, 9, 30), "In corso", 10.5, None, None, None]]),
    "with_problems": (
        PROGRESS_HEADER + "5.4.1;12;31/10/2026;in_corso;120;;;\n"
                          "5.9.9;;31/10/2026;forse;25;molti;;\n",
        [PROGRESS_NAMES,
         ["5.4.1", 12, date(2026, 10, 31), "in_corso", 120, None, None, None],
         ["5.9.9", None, date(2026, 10, 31), "forse", 25, "molti", None, None]]),
}


def same_files(name: str) -> dict[str, bytes]:
    """The CSV of a SAME_ROWS case and the .xlsx, .ods and «Testo Unicode» of the same sheet."""
    csv, rows = SAME_ROWS[name]
    return {"csv": csv.encode("utf-8"), "xlsx": xlsx_bytes(rows), "ods": ods_bytes(rows),
            "txt": unicode_text(csv.encode("utf-8"))}


def comparable(report) -> dict:
    """What must not depend on the file's format: everything but its bytes and how it was read."""
    return {"ok": report.ok, "kind": report.kind, "rows": report.rows, "warnings": report.warnings,
            "problems": report.problems.astype(object).where(report.problems.notna(), None).to_dict("records")}


@pytest.mark.parametrize("name", list(SAME_ROWS))
def test_a_workbook_and_unicode_text_give_the_report_of_the_csv(name):
    files = same_files(name)
    reports = {fmt: validate_file(raw, f"dati.{fmt}") for fmt, raw in files.items()}
    for fmt in ("xlsx", "ods", "txt"):
        assert comparable(reports[fmt]) == comparable(reports["csv"]), fmt
        if reports["csv"].ok:
            pd.testing.assert_frame_equal(reports[fmt].parsed, reports["csv"].parsed)
    assert reports["csv"].ok == (name != "with_problems")
    assert reports["xlsx"].dialect == "cartella di lavoro Excel (.xlsx), foglio «Dati»"
    assert reports["ods"].dialect == "file OpenDocument (.ods), foglio «Dati»"
    assert reports["txt"].dialect.startswith("codifica UTF-16 («Testo Unicode» di Excel), separatore tabulazione")


@pytest.mark.parametrize("name", ["indicators", "progress"])
def test_a_workbook_and_unicode_text_give_the_preview_of_the_csv(warehouse, name):
    from etl.uploads import service

    settings = load_settings()
    files = same_files(name)
    reports = {fmt: service.validate_upload(raw, f"dati.{fmt}", settings) for fmt, raw in files.items()}
    tables = {fmt: service.preview_table(service.preview_upload(report, settings)) for fmt, report in reports.items()}
    assert len(tables["csv"])
    for fmt in ("xlsx", "ods", "txt"):
        pd.testing.assert_frame_equal(tables[fmt], tables["csv"])


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_bad_cell_in_a_workbook_is_reported_at_its_sheet_row(fmt):
    rows = [["Avanzamento delle azioni – ufficio PNRR"], [], PROGRESS_NAMES,
            ["5.4.1", None, date(2026, 10, 31), "in_corso", 25, None, None, None], [],
            ["5.1.1", None, date(2026, 9, 30), "avviata", "quaranta", None, None, None]]
    raw = xlsx_bytes(rows) if fmt == "xlsx" else ods_bytes(rows)
    report = validate_file(raw, f"avanzamento.{fmt}")
    assert not report.ok
    assert report.problems[["row", "column", "value"]].values.tolist() == [[6, "percent", "quaranta"]]
    assert "non è un numero" in report.problems["message"].iloc[0]


def test_codes_excel_turned_into_numbers_read_as_the_sheet_shows_them():
    rows = [INDICATOR_NAMES, ["pharmacies", "comune", 1272, 2023, "T", 412, None, None, None],
            ["pharmacies", "comune", 1090, 2023, "T", 3, None, None, None]]
    xlsx = validate_file(xlsx_bytes(rows, {"C3": "000000"}), "codici.xlsx")   # 1272 bare, 1090 shown as 001090
    ods = validate_file(ods_bytes([rows[0], rows[1], [*rows[2][:2], ("001090", 1090), *rows[2][3:]]]), "codici.ods")
    for report in (xlsx, ods):
        assert report.ok, report.problems
        assert report.parsed["territory_code"].tolist() == ["001272", "001090"]


@pytest.mark.parametrize("value, number_format, shown", [
    (0.1 + 0.2, "General", "0,3"), (1e-05, "General", "0,00001"), (2024.0, "General", "2024"),
    (30000.5, "#,##0.00", "30000,5"), (1272, "000000", "001272"), (0.25, "0%", "25%"), (0.452, "0.0%", "45,2%"),
    (12, '"N. "0', "12"), (datetime(2026, 10, 31), "dd/mm/yyyy", "31/10/2026"),
    (datetime(2026, 10, 31, 14, 30), "dd/mm/yyyy hh:mm", "31/10/2026 14:30"), (True, "General", "VERO"),
    ("  001272 ", "@", "001272"), (None, "General", ""),
])
def test_cells_as_the_sheet_shows_them(value, number_format, shown):
    assert sheet_cells.shown(value, number_format) == shown


def test_only_the_first_sheet_is_read_and_the_others_are_named():
    _csv, rows = SAME_ROWS["progress"]
    report = validate_file(xlsx_bytes(rows, sheets=("Dati", "Istruzioni", "Vecchi")), "dati.xlsx")
    assert report.ok
    assert report.warnings == [
        "la cartella ha 3 fogli («Dati», «Istruzioni», «Vecchi»): è stato letto solo il primo, «Dati»"]


@pytest.mark.parametrize("raw, message", [
    (MACRO_WORKBOOK, "contiene macro"),
    (ENCRYPTED_WORKBOOK, "protetto da password"),
    (xlsx_bytes([PROGRESS_NAMES, ["5.4.1", None, "31/10/2026", "in_corso", "=20+5", None, None, None]]),
     "formule salvate senza il loro valore (per esempio la cella E2)"),
], ids=["macros", "password", "formula_without_value"])
def test_workbooks_that_are_refused(raw, message):
    report = validate_file(raw, "cartella.xlsx")
    assert not report.ok and report.parsed is None
    assert message in report.problems["message"].iloc[0]


def test_an_oversized_workbook_is_refused(monkeypatch):
    _csv, rows = SAME_ROWS["progress"]
    monkeypatch.setattr(workbook, "MAX_CELLS", 12)
    report = validate_file(xlsx_bytes(rows), "grande.xlsx")
    assert "il foglio ha più di 12 celle" in report.problems["message"].iloc[0]
    monkeypatch.setattr(workbook, "MAX_UNZIPPED_BYTES", 1000)
    report = validate_file(ods_bytes(rows), "grande.ods")
    assert "troppo grande una volta decompresso" in report.problems["message"].iloc[0]


def test_the_preview_shows_italian_field_names_and_numbers(warehouse):
    from etl.uploads import service

    settings = load_settings()
    raw = progress("5.4.1;;31/10/2026;in_corso;25;120000;30000,5;\n")
    preview = service.preview_upload(service.validate_upload(raw, "p.csv", settings), settings)
    table = service.preview_table(preview)
    assert table.columns.tolist() == ["Modifica", "Chiave", "Campo", "Prima", "Dopo"]
    assert table.values.tolist() == [["aggiunta", "5.4.1 · CM · 31/10/2026", "riga intera", "",
                                      "stato: In corso · avanzamento (%): 25 · risorse stanziate (€): 120.000 · "
                                      "risorse spese (€): 30.000,5"]]
    assert service.preview_table(preview, "en")[["Field", "After"]].values.tolist() == [[
        "whole row",
        "status: In progress · progress (%): 25 · funds allocated (€): 120,000 · funds spent (€): 30,000.5"]]


def test_the_preview_of_a_changed_value_in_italian(warehouse):
    from etl.uploads import service

    settings = load_settings()
    raw = indicators("population;comune;1272;2023;T;841.700;841.700;;\n", "share_comuni_nido;cm;001;2021;T;40,25;;;\n")
    table = service.preview_table(service.preview_upload(service.validate_upload(raw, "p.csv", settings), settings))
    assert table[["Modifica", "Campo", "Prima", "Dopo"]].values.tolist() == [
        ["modificata", "valore", "42,6", "40,25"], ["modificata", "valore", "841.600", "841.700"]]


def test_the_command_line_reads_a_workbook_and_shows_blanks_not_none(project_env, tmp_path, capsys):
    from etl.cli import main

    _csv, rows = SAME_ROWS["progress"]
    path = tmp_path / "avanzamento.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    assert main(["upload", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "cartella di lavoro Excel (.xlsx), foglio «Dati»" in out and "VALIDO." in out
    assert "stato: In corso · avanzamento (%): 25 · risorse stanziate (€): 120.000 · " in out
    assert "None" not in out and "NaN" not in out
    path.write_bytes(xlsx_bytes([[c for c in PROGRESS_NAMES if c != "status"], ["5.4.1", None, date(2026, 10, 31)]]))
    assert main(["upload", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "colonna mancante" in out and "None" not in out
