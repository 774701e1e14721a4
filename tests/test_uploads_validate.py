"""Upload validation: dialects, numbers, every problem at once, templates, merged comuni, native formats."""
from __future__ import annotations

import pandas as pd
import pytest

import etl.sources
from etl import cell_rules
from etl.uploads.registry import current_registry
from etl.uploads.templates import KINDS, template_bytes, template_text
from etl.uploads.validate import validate_file
from tests.upload_cases import BAD_INPUTS, INDICATOR_HEADER, NIDO_2023, indicators, progress, targets


@pytest.mark.parametrize("cell, decimal, expected", [
    ("117.946", ",", "117946"),       # thousands dot, not 117.946
    ("1.234,5", ",", "1234.5"),
    ("12,5", ",", "12.5"),
    ("-14,5", ",", "-14.5"),
    ("\u22123", ",", "-3"),           # Unicode minus
    ("1 234,5", ",", "1234.5"),
    ("117.946", ".", "117.946"),
    ("1,234.5", ".", "1234.5"),
    ("nan", ",", "#nan"),             # never read as a number
    ("1e5", ",", "#1e5"),
    ("12%", ",", "#12%"),
    ("", ",", None),
])
def test_numbers_as_officials_type_them(cell, decimal, expected):
    assert cell_rules.to_number(cell, decimal) == expected


@pytest.mark.parametrize("cells, separator, expected", [
    (["117.946", "3"], ";", ","),      # nothing decides: Italian with ';'
    (["117.946", "0,5"], ";", ","),
    (["0.5", "117.946"], ";", "."),    # '0.5' can only be a decimal point
    (["12"], ",", "."),
])
def test_decimal_mark_detection(cells, separator, expected):
    assert cell_rules.detect_decimal(cells, separator) == expected


@pytest.mark.parametrize("cell, expected", [
    ("31/03/2026", "2026-03-31"), ("31.03.2026", "2026-03-31"), ("2026-03-31", "2026-03-31"),
    ("03/31/2026", "#03/31/2026"), ("2026-02-30", "#2026-02-30"),
])
def test_dates(cell, expected):
    assert cell_rules.to_iso_date(cell) == expected


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_accepted_dialects(encoding, bom, separator):
    value = "45,2" if separator != "," else "45.2"
    text = (INDICATOR_HEADER + f"share_comuni_nido;cm;1;2023;t;{value};;;Agliè, Venaria Reale\n")
    text = text.replace(";", separator) if separator != "," else text.replace(",", "|").replace(";", ",") \
        .replace("|", ",").replace("Agliè, Venaria", "Agliè Venaria")
    raw = text.encode(encoding)
    report = validate_file((b"\xef\xbb\xbf" if bom else b"") + raw, "ok.csv")
    assert report.ok, report.problems
    row = report.parsed.iloc[0]
    assert (row["territory_code"], row["sex"], row["value"]) == ("001", "T", 45.2)
    assert row["note"].startswith("Agliè")


def test_thousands_dot_and_istat_codes_without_zeros():
    report = validate_file(indicators("population;comune;1272;2023;T;841.600;841.600;;\n"), "pop.csv")
    assert report.ok, report.problems
    row = report.parsed.iloc[0]
    assert row["territory_code"] == "001272" and row["value"] == 841600 and row["numerator"] == 841600


@pytest.mark.parametrize("case, raw, message", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_inputs_are_explained(case, raw, message):
    report = validate_file(raw, f"{case}.csv")
    assert not report.ok and report.parsed is None
    assert any(message in m for m in report.problems["message"]), report.problems


def test_every_problem_is_reported_at_once_with_file_rows():
    raw = indicators("share_comuni_nido;cm;001;2023;T;145,2;;;\n",
                     "asili;comune;1182;2030;T;abc;;;\n",
                     "pharmacies;comune;001272;2023;F;-3;;;\n",
                     "\n",                                   # a blank line still counts in the numbering
                     "share_comuni_nido;cm;001;2023;T;45;;;\n")
    problems = validate_file(raw, "many.csv").problems
    found = {(int(r), c) for r, c in zip(problems["row"], problems["column"])}
    assert {(2, "value"), (3, "indicator_code"), (3, "territory_code"), (3, "period"), (3, "value"),
            (4, "sex"), (4, "value")} <= found
    assert 6 in set(problems["row"].astype(int))                  # duplicate of row 2, after the blank line 5
    assert problems.loc[problems["column"] == "value", "value"].tolist()[:2] == ["145,2", "abc"]  # as written


def test_a_superscript_digit_as_a_code_is_a_problem_of_its_cell():
    raw = indicators("share_comuni_nido;zona;\u00b3;2023;T;45,2;;;\n",
                     "share_comuni_nido;cm;\u00b2\u2070\u00b9;2023;T;45;;;\n",
                     "pharmacies;comune;\u00b9\u00b2;2023;T;3;3;;\n")
    problems = validate_file(raw, "apici.csv").problems
    assert list(zip(problems["row"].astype(int), problems["column"], problems["value"])) == [
        (2, "territory_code", "\u00b3"), (3, "territory_code", "\u00b2\u2070\u00b9"),
        (4, "territory_code", "\u00b9\u00b2")]
    assert all(m.startswith("territorio sconosciuto") for m in problems["message"])
    assert cell_rules.to_territory_code("zona", "\u00b3") == "\u00b3"
    assert cell_rules.to_comune_code("\u00b3") == "\u00b3"


def test_a_year_without_its_value_is_a_problem_of_the_empty_cell():
    raw = targets("share_comuni_nido;cm;001;T;2020;;2030;60;\n", "share_comuni_nido;zona;5;T;2020;40;2030;;\n",
                  "share_comuni_nido;zona;6;T;;40;;;\n")
    report = validate_file(raw, "obiettivi.csv", "targets")
    assert not report.ok and report.parsed is None
    assert list(zip(report.problems["row"].astype(int), report.problems["column"], report.problems["message"])) == [
        (2, "baseline_value", "anno e valore vanno indicati insieme"),
        (3, "target_value", "anno e valore vanno indicati insieme"),
        (4, "baseline_value", "anno e valore vanno indicati insieme")]
    assert report.problems["value"].fillna("").tolist() == ["", "", "40"]  # the cells as the file has them


def test_a_yes_no_indicator_takes_100_or_0_for_a_comune():
    raw = indicators("share_comuni_nido;comune;1272;2023;T;100;;;\n", "share_comuni_nido;comune;1004;2023;T;0;;;\n",
                     "share_comuni_nido;comune;1006;2023;T;50;;;\n", "share_comuni_nido;cm;001;2023;T;50;;;\n")
    problems = validate_file(raw, "sì_no.csv").problems
    assert problems[["row", "column", "value", "message"]].values.tolist() == [
        [4, "value", "50", "per questo indicatore il valore di un comune è 100 (sì) o 0 (no)"]]


def test_text_and_range_problems_of_one_column_show_together():
    problems = validate_file(progress("5.4.1;;31/10/2026;in_corso;molto;;;\n", "5.4.2;;31/10/2026;in_corso;120;;;\n"),
                             "p.csv").problems
    assert set(zip(problems["row"].astype(int), problems["column"])) == {(2, "percent"), (3, "percent")}


def test_an_unreadable_cell_leaves_the_other_rows_of_its_column_checked_as_values():
    # the zone "x" cannot be read as a number: only it is reported, and zone 3 of the next row is not taken for unknown
    problems = validate_file(progress("5.4.1;x;31/10/2025;in_corso;25;;;\n", "5.4.1;3;31/10/2025;in_corso;25;;;\n",
                                      "5.4.2;12;31/10/2025;in_corso;25;;;\n"), "p.csv").problems
    assert problems[["row", "column", "value", "message"]].values.tolist() == [
        [2, "zone_id", "x", "non è un numero intero"],
        [4, "zone_id", "12", "zona sconosciuta: le zone omogenee sono numerate da 1 a 11"]]


@pytest.mark.parametrize("kind", KINDS)
def test_each_template_validates(kind):
    report = validate_file(template_bytes(kind), f"modello_{kind}.csv")
    assert report.ok and report.kind == kind, report.problems
    assert report.has_example_rows == (kind != "zones")


def test_kind_is_recognised_from_the_header_and_status_labels_accepted():
    raw = progress("5.4.1;3;31/10/2026;In corso;25;120.000;30.000,50;\n")
    report = validate_file(raw, "avanzamento.csv")
    assert report.ok and report.kind == "progress"
    row = report.parsed.iloc[0]
    assert (row["status"], row["zone_id"], row["funds_allocated"], row["funds_spent"]) == ("in_corso", 3, 120000, 30000.5)


def test_formula_like_cells_are_kept_as_text_with_a_warning():
    raw = indicators('share_comuni_nido;cm;001;2023;T;45,2;;;"=HYPERLINK(""http://x"")"\n',
                     "share_comuni_nido;cm;001;2022;T;44;;;@SUM(A1)\n")
    report = validate_file(raw, "formule.csv")
    assert report.ok
    assert report.parsed["note"].tolist() == ['=HYPERLINK("http://x")', "@SUM(A1)"]
    assert any("neutralizzate" in w for w in report.warnings)


def test_cells_that_start_like_a_formula_are_warned_of_unless_the_cell_rules_read_a_number():
    raw = indicators("population;comune;1272;2023;T;-1.234,5;;;-3\n", "population;comune;1063;2023;T;+7;;;+1 234\n",
                     "population;comune;1001;2023;T;4;;;-1e5\n", "population;comune;1028;2023;T;4;;;=1\n")
    assert validate_file(raw, "formule.csv").warnings[0].startswith("2 celle iniziano con")    # -1e5 and =1


def test_zone_list_needs_every_comune_and_published_counts():
    lines = template_text("zones").splitlines()
    moved = [lines[0]] + [line.replace(";8;Canavese occidentale", ";9;Eporediese") if line.startswith("001001")
                          else line for line in lines[1:]]
    problems = validate_file("\n".join(moved[:-1]).encode(), "zone.csv").problems   # last comune left out
    messages = " ".join(problems["message"])
    assert "comune senza zona" in messages
    moved_only = validate_file("\n".join(moved).encode(), "zone.csv").problems
    assert "la zona ha 45 comuni, quelli pubblicati sono 46" in " ".join(moved_only["message"])


def test_official_zone_list_is_checked_from_the_connector_rows_as_if_written_as_the_template():
    """The CMT's ODS read by the connector gives the rows its CSV twin in the zones template gives (the oracle: the
    connector's rows written as that CSV and validated as a zones file)."""
    from etl.sources.cmt_zones import parse_cmt_zones
    from tests.sources.test_cmt_zones import sectioned_ods

    raw = sectioned_ods()
    report = validate_file(raw, "elenco.ods")
    assert report.ok and report.kind == "zones" and report.rows == 312
    assert report.dialect == "elenco CMT letto dal connettore «cmt_zones»"
    zones = parse_cmt_zones(raw, "elenco.ods")
    twin = zones.assign(comune=zones["codice_istat"].map(current_registry().comuni))[["codice_istat", "comune",
                                                                                      "zona_id", "zona_nome"]]
    oracle = validate_file(twin.to_csv(sep=";", index=False).encode("utf-8"), "elenco.csv", "zones")
    pd.testing.assert_frame_equal(report.parsed, oracle.parsed)


def test_the_registry_is_an_argument_of_validation():
    from dataclasses import replace

    registry = current_registry()
    without_nido = replace(registry, indicators=registry.indicators.drop(index="share_comuni_nido"))
    assert validate_file(indicators(NIDO_2023), "nido.csv", registry=registry).ok
    refused = validate_file(indicators(NIDO_2023), "nido.csv", registry=without_nido)
    assert refused.problems["message"].tolist() == ["indicatore sconosciuto: non è nel registro degli indicatori"]
    assert validate_file(indicators(NIDO_2023), "nido.csv", registry=registry).ok     # each keeps its own checks


def test_merged_comuni_reference_matches_the_territory():
    registry = current_registry()
    assert len(registry.merged) == 6
    for old, facts in registry.merged.items():
        assert old not in registry.comuni and facts["confluito_in"] in registry.comuni
    assert {f["comune_nuovo"] for f in registry.merged.values()} == {"Val di Chy", "Valchiusa"}


def test_native_format_is_detected_and_parsed_by_the_connector_code(monkeypatch):
    def detect(raw: bytes) -> bool:
        return raw.startswith(b"FAKE-NATIVE")

    def parse(raw: bytes, file_name: str) -> pd.DataFrame:
        rows = [line.split("|") for line in raw.decode().splitlines()[1:]]
        return pd.DataFrame([{"indicator_code": "pharmacies", "level": "comune", "territory_code": code,
                              "period": 2024, "sex": "T", "value": float(n), "numerator": float(n),
                              "denominator": None, "note": None} for code, n in rows])

    monkeypatch.setattr(etl.sources, "NATIVE_FORMATS", {"fake": (detect, parse, "min_salute")}, raising=False)
    good = validate_file(b"FAKE-NATIVE\n001272|215\n001001|2\n", "farmacie.csv")
    assert good.ok and good.kind == "native:fake" and good.source_code == "min_salute"
    assert good.parsed["value"].tolist() == [215, 2]
    bad = validate_file(b"FAKE-NATIVE\n001182|1\n", "farmacie.csv", kind="fake")
    assert "confluito in Val di Chy" in " ".join(bad.problems["message"])
    assert validate_file(b"FAKE-NATIVE\n", "vuoto.csv").problems["message"].tolist() == [
        "il file non contiene righe di dati"]


def test_a_file_matching_nothing_lists_the_templates(monkeypatch):
    monkeypatch.setattr(etl.sources, "NATIVE_FORMATS", {}, raising=False)
    report = validate_file(b"colonna_a;colonna_b\n1;2\n", "strano.csv")
    assert "tipo di file non riconosciuto" in report.problems["message"].iloc[0]


def test_the_nido_example_is_valid():
    assert validate_file(indicators(NIDO_2023), "nido.csv").ok


def test_accents_and_the_euro_sign_written_once_are_not_taken_for_double_encoding():
    report = validate_file(indicators("share_comuni_nido;cm;001;2023;T;45,2;;;più di 5 € a Agliè, così\n"), "ok.csv")
    assert report.ok, report.problems.to_dict("records")
