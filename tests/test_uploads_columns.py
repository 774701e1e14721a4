"""Uploads read by whole columns: the same cells, numbers, codes and problems as the per-cell rules, on any row."""
from __future__ import annotations

import random

import pandas as pd
import pytest

from bench.upload_check import upload_csv
from etl import cell_rules
from etl.uploads import column_kernels, csv_kernels, dialect
from etl.uploads.problems import NOT_A_NUMBER, NUMBER_HINTS
from etl.uploads.validate import validate_file
from tests.upload_cases import INDICATOR_HEADER, indicators

NUMBER_CHARACTERS = list("0123456789") * 3 + list(",. +-") + ["\u2212", "\u00a0", "\u202f", "e", "%", "\u0663", "\uff11"]


def _number_cells(seed: int, count: int) -> list[str | None]:
    """Cells as officials type numbers, well and badly: groups, signs, spaces, other digits; None for empty."""
    rnd = random.Random(seed)
    cells = []
    for _ in range(count):
        kind = rnd.random()
        if kind < 0.3:
            cell = "".join(rnd.choice(NUMBER_CHARACTERS) for _ in range(rnd.randint(1, 10)))
        elif kind < 0.6:
            groups = [str(rnd.randint(1, 999))] + [f"{rnd.randint(0, 999):03d}" for _ in range(rnd.randint(0, 3))]
            cell = (rnd.choice(["", "-", "+", "\u2212"]) + rnd.choice([".", ",", " ", "\u00a0", ""]).join(groups)
                    + rnd.choice(["", ",5", ".25", ",123"]))
        elif kind < 0.9:
            cell = f"{rnd.uniform(-1e4, 1e4):.{rnd.randint(0, 3)}f}".replace(".", rnd.choice([",", "."]))
        else:
            cell = str(rnd.randint(-10**6, 10**6))
        cells.append(cell.strip() or None)
    return cells


def _as_list(series: pd.Series) -> list[str | None]:
    """The cells as Python values, missing as None."""
    return [None if pd.isna(v) else v for v in series]


@pytest.mark.parametrize("decimal", [",", "."])
def test_column_numbers_are_the_per_cell_numbers(decimal):
    cells = _number_cells(7, 20_000)
    read = column_kernels.column_to_number(pd.Series(cells, dtype="str"), decimal)
    assert _as_list(read) == [cell_rules.to_number(cell, decimal) for cell in cells]


@pytest.mark.parametrize("decimal", [",", "."])
def test_columns_of_only_digits_and_decimal_marks_are_read_as_the_per_cell_rules_read_them(decimal):
    rnd = random.Random(13)
    for _ in range(300):              # whole columns of digits and marks: '12,5', ',5', '12,', ',', '1,2,3', '007'
        cells = ["".join(rnd.choice("0123456789" * 2 + decimal * rnd.randint(0, 3)) for _ in range(rnd.randint(1, 6)))
                 if rnd.random() < 0.9 else None for _ in range(rnd.randint(1, 8))]
        column = pd.Series(["9" + decimal + "9"] + cells, dtype="str").iloc[1:]     # a slice of its Arrow data
        expected = [cell_rules.to_number(c, decimal) for c in cells]
        assert _as_list(column_kernels.column_to_number(column, decimal)) == expected


@pytest.mark.parametrize("separator", [";", ","])
def test_decimal_mark_of_columns_is_the_per_cell_answer(separator):
    cells = [cell for cell in _number_cells(11, 5_000) if cell is not None]
    rnd = random.Random(3)
    for size in (1, 2, 5, 50, 500) * 20:
        sample = rnd.sample(cells, size)
        assert column_kernels.decimal_of_columns([pd.Series(sample, dtype="str")], separator) == \
            cell_rules.detect_decimal(sample, separator), sample


def test_column_codes_and_dates_are_the_per_cell_ones():
    rnd = random.Random(5)
    codes = ["".join(rnd.choice("0123456789.0 a\u0663") for _ in range(rnd.randint(1, 8))).strip() or None
             for _ in range(10_000)]
    levels = [rnd.choice(["comune", "zona", "cm", None, "regione"]) for _ in codes]
    read = column_kernels.column_to_territory_code(pd.Series(levels, dtype="str"), pd.Series(codes, dtype="str"))
    assert _as_list(read) == [cell_rules.to_territory_code(level, code) for level, code in zip(levels, codes)]
    assert _as_list(column_kernels.column_to_comune_code(pd.Series(codes, dtype="str"))) == \
        [cell_rules.to_comune_code(code) for code in codes]
    dates = [f"{rnd.randint(0, 32)}{rnd.choice('/.-')}{rnd.randint(0, 13)}{rnd.choice('/.-')}{rnd.randint(0, 2100):04d}"
             if rnd.random() < 0.6 else f"{rnd.randint(0, 2100):04d}-{rnd.randint(0, 13):02d}-{rnd.randint(0, 32):02d}"
             for _ in range(10_000)] + ["29/02/2024", "29/02/2023", "\uff10\uff11/01/2020", "01/01/0000", "2020-1-1"]
    assert _as_list(column_kernels.column_to_iso_date(pd.Series(dates, dtype="str"))) == \
        [cell_rules.to_iso_date(date) for date in dates]


# Cells at the edges of the rules, for every kernel: numbers, marks, dates, codes, letters, other scripts' digits.
EDGE_CELLS = ["0", "007", "-0", "+1", "\u22123", "1.234", "1.234,5", "1,234.5", "1 234,5", "1\u00a0234", "1\u202f234,5",
              "12 34", ",5", ".5", "5,", "5.", ",", ".", "-", "+", "1,2,3", "1.2.3", "1.23", "1,23", "12%", "1e5",
              "nan", "inf", "\u0663", "\uff11", "\u00b3", "1.0", "1272.0", "001272", "1272", "1234567", "01", "1",
              "201", "0201", "05", "00", "31/03/2026", "31.03.2026", "31-03-2026", "2026-03-31", "29/02/2024",
              "29/02/2023", "1/1/2020", "2026-3-31", "00/01/2020", "\u0663\u0661/03/2026", "abc", "\u00e8", "1\u00e8",
              None]
CELL_ALPHABET = list("0123456789") * 2 + list(",.-+/ e") + ["\u2212", "\u00a0", "\u202f", "\u0663", "\u00b3", "\u00e8"]


def _kernel_cells(seed: int, count: int) -> list[str | None]:
    """The edge cells, then random ones (stripped, None where empty), as a column of a file gives them."""
    rnd = random.Random(seed)
    cells = [("".join(rnd.choice(CELL_ALPHABET) for _ in range(rnd.randint(1, 12)))).strip() or None
             for _ in range(count)]
    return EDGE_CELLS + _number_cells(seed, count // 2) + cells


LEVELS = ["comune", "zona", "cm", "regione", None]
# Each kernel with the cell rule it must give, cell by cell: (kernel(cells, levels), rule(cell, level)).
KERNELS = {
    "column_to_number": [(lambda cells, _, decimal=decimal: column_kernels.column_to_number(cells, decimal),
                          lambda cell, _, decimal=decimal: cell_rules.to_number(cell, decimal)) for decimal in ",."],
    "column_to_iso_date": [(lambda cells, _: column_kernels.column_to_iso_date(cells),
                            lambda cell, _: cell_rules.to_iso_date(cell))],
    "column_to_comune_code": [(lambda cells, _: column_kernels.column_to_comune_code(cells),
                               lambda cell, _: cell_rules.to_comune_code(cell))],
    "column_to_territory_code": [(lambda cells, levels: column_kernels.column_to_territory_code(levels, cells),
                                  lambda cell, level: cell_rules.to_territory_code(level, cell))],
}


def test_every_kernel_is_compared_with_its_rule():
    kernels = {name for name, value in vars(column_kernels).items()
               if callable(value) and not name.startswith("_") and value.__module__ == column_kernels.__name__}
    assert kernels == set(KERNELS) | {"column_as_number", "decimal_of_columns"}   # these two: tests of their own


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_every_kernel_gives_its_rule_on_the_same_cells(name):
    cells = _kernel_cells(41, 6_000)
    rnd = random.Random(43)
    levels = [rnd.choice(LEVELS) for _ in cells]
    for kernel, rule in KERNELS[name]:
        expected = [rule(cell, level) for cell, level in zip(cells, levels)]
        column, level_column = pd.Series(cells, dtype="str"), pd.Series(levels, dtype="str")
        assert _as_list(kernel(column, level_column)) == expected
        filled = [i for i, cell in enumerate(cells) if cell is not None]       # no missing cell: other paths
        assert _as_list(kernel(column.iloc[filled], level_column.iloc[filled])) == [expected[i] for i in filled]
        for start in range(0, len(cells), 997):                                 # slices of the Arrow data
            part = slice(start, start + rnd.randint(1, 40))
            assert _as_list(kernel(column.iloc[part], level_column.iloc[part])) == expected[part], cells[part]


def test_the_decimal_mark_of_columns_is_the_rule_s_on_the_edge_cells():
    filled = [cell for cell in EDGE_CELLS if cell is not None]
    for separator in ";,":
        for cell in filled:
            assert column_kernels.decimal_of_columns([pd.Series([cell], dtype="str")], separator) == \
                cell_rules.detect_decimal([cell], separator), cell
        halves = [pd.Series(filled[:20], dtype="str"), pd.Series(filled[20:], dtype="str")]
        assert column_kernels.decimal_of_columns(halves, separator) == cell_rules.detect_decimal(filled, separator)


ROWS = ["share_comuni_nido;cm;001;2023;T;45,2;;;nota\n", "pharmacies;comune;1272;2023;T;215;215;;\n"]


@pytest.mark.parametrize("body, regular", [
    ("".join(ROWS), True),                                                   # every line as wide as the header
    ("".join(ROWS) + "\n;;;;;;;;\n" + ROWS[0], True),                         # blank lines: no row, numbers kept
    ("".join(ROWS) + "  \n", False),                                         # a line of spaces: one field
    (ROWS[0] + "pharmacies;comune;1272;2023;T;215\n" + ROWS[1], False),        # a short row, padded
    (ROWS[0] + "x;comune;1;2023;T;1,5;;;;;\n\t\n" + ROWS[1], False),           # a long row, set apart
    ("".join(ROWS).replace("\n", "\r\n"), True),
    ("".join(ROWS).replace("nota", " \u00a0nota\u2003").replace(";215;", "; 215\t;"), True),   # spaces around cells
    ("".join(ROWS).replace("nota", "nota\u00e8"), True),                      # a cell ending in a non-ASCII letter
    ("".join(ROWS).replace(";215;", "; 215 ;"), True),                       # ASCII spaces around a cell
    ("".join(ROWS).replace("nota", "nota con spazi"), True),                 # spaces inside a cell only
])
def test_the_column_readers_give_the_csv_module_table(body, regular):
    raw = (INDICATOR_HEADER + body).encode("utf-8")
    table = dialect.read_table(raw)
    header = table.header
    text = raw.decode("utf-8")
    cells, bad = dialect.record_cells(text, ";", header, len(header))
    pd.testing.assert_frame_equal(table.cells, cells)
    assert table.bad_lines == bad
    assert (csv_kernels.regular_cells(text, ";", 1, header, len(header)) is not None) == regular


FIELDS = ["", "", " ", "x", " x ", "1,5", "\u00a0y\u2003", "\u00e8", "\t", "a b", "  ", "\u00e8 ", "\u3000z", "\u2028",
          "\x0bq\x1f", "\u200bw"]


def test_both_column_readers_give_the_csv_module_cells_on_random_files():
    rnd = random.Random(31)
    header, compared = ["a", "b", "c"], {"regular": 0, "lines": 0}
    for _ in range(400):
        widths = [rnd.choice([0, 1, 2, 3, 3, 3, 3, 3, 4, 5]) for _ in range(rnd.randint(1, 10))]
        newline = rnd.choice(["\n", "\r\n"])
        lines = [";".join(rnd.choice(FIELDS) for _ in range(width)) for width in widths]
        text = "a;b;c" + newline + newline.join(lines) + rnd.choice(["", newline])
        cells, bad = dialect.record_cells(text, ";", header, 3)
        for name, read in (("regular", csv_kernels.regular_cells(text, ";", 1, header, 3)),
                           ("lines", csv_kernels.line_cells(text, ";", 1, header, 3))):
            if read is not None:
                compared[name] += 1
                pd.testing.assert_frame_equal(read[0], cells, obj=repr(text))
                assert read[1] == bad if name == "lines" else not bad
    assert min(compared.values()) > 20


def test_quoted_files_are_read_by_the_csv_module():
    raw = indicators('share_comuni_nido;cm;001;2023;T;45,2;;;"a; b"\n', "\n", ROWS[1])
    table = dialect.read_table(raw)
    assert table.cells.index.tolist() == [2, 4] and table.cells.loc[2, "note"] == "a; b"


@pytest.fixture(scope="module")
def big_upload() -> list[bytes]:
    """The lines of the benchmark's valid 100,000-row indicators file (header first)."""
    return upload_csv(100_000).split(b"\n")


def test_a_malformed_number_deep_in_a_big_file_is_reported_on_its_row(big_upload):
    lines = list(big_upload)
    fields = lines[73_411].split(b";")                      # file row 73,412
    fields[5] = b"12,3,4"
    lines[73_411] = b";".join(fields)
    problems = validate_file(b"\n".join(lines), "grande.csv").problems
    assert set(problems["row"]) == {73_412}     # the row's ratio check fails too, as it always did
    assert [73_412, "value", "12,3,4", f"{NOT_A_NUMBER}: {NUMBER_HINTS[',']}"] in problems.values.tolist()


def test_thousands_dot_and_decimal_comma_in_a_big_file(big_upload):
    lines = list(big_upload)
    assert not any(line.startswith(b"pharmacies;comune;001272;1991;") for line in lines)
    lines[50_000] = b"pharmacies;comune;1272;1991;T;117.946;117.946;;"   # file row 50,001: a count
    report = validate_file(b"\n".join(lines), "grande.csv")
    assert report.ok, report.problems.head()
    row = report.parsed.loc[50_001]
    assert (row["territory_code"], row["value"], row["numerator"]) == ("001272", 117_946, 117_946)
    decimal_row = lines[60_000].split(b";")
    assert report.parsed.loc[60_001, "value"] == float(decimal_row[5].replace(b",", b"."))


def test_a_repeated_key_is_reported_when_another_row_has_an_empty_key_cell():
    raw = indicators("share_comuni_nido;cm;001;2023;T;45,2;;;\n", "share_comuni_nido;cm;001;2023;T;45,2;;;\n",
                     "share_comuni_nido;cm;001;;T;40;;;\n")
    problems = validate_file(raw, "doppia.csv").problems
    assert [3, "indicator_code, level, territory_code, period, sex", "share_comuni_nido · cm · 001 · 2023 · T",
            "riga ripetuta: stessa chiave della riga 2"] in problems.values.tolist()
    assert (4, "period") in set(zip(problems["row"], problems["column"]))


def test_unique_keys_from_integer_codes_are_pandas_duplicated():
    from etl.uploads.checks import RegistryChecks
    from etl.uploads.registry import current_registry

    rnd = random.Random(17)
    comuni = sorted(current_registry().comuni)[:40]
    rules = RegistryChecks(current_registry())
    for round_number in range(60):
        rows = rnd.randint(1, 400)
        territories = comuni + ["5", "001", "999999", None] if round_number % 2 else comuni   # unknown, missing
        frame = pd.DataFrame({
            "indicator_code": pd.Series([rnd.choice(["a", "b", None]) for _ in range(rows)], dtype="str"),
            "level": pd.Series([rnd.choice(["comune", "zona", "cm"] + ["regione"] * (round_number % 3 == 0))
                                for _ in range(rows)], dtype="str"),
            "territory_code": pd.Series([rnd.choice(territories) for _ in range(rows)], dtype="str"),
            "period": [rnd.choice([2020, 2021, 10**12 * round_number]) for _ in range(rows)],
            "sex": pd.Series([rnd.choice("FMT") for _ in range(rows)], dtype="str"),
        }, index=range(2, rows + 2))
        key = list(frame.columns)
        expected = ~frame.duplicated(key, keep=False)
        pd.testing.assert_series_equal(rules.unique_rows(frame, key), expected, check_names=False)


def test_unique_keys_of_many_distinct_values_are_renumbered_before_they_overflow():
    from etl.uploads.checks import RegistryChecks
    from etl.uploads.registry import current_registry

    rnd = random.Random(19)
    rows = 12_000                                  # 12,000 ** 5 possible keys: more than an int64 holds
    columns = {name: [rnd.randrange(rows) for _ in range(rows)] for name in ("a", "b", "c", "d", "e")}
    frame = pd.DataFrame(columns)
    frame.loc[7] = frame.loc[3]                    # one repeated key
    passed = RegistryChecks(current_registry()).unique_rows(frame, list(columns))
    assert passed.tolist() == (~frame.duplicated(list(columns), keep=False)).tolist() and not passed[7]


@pytest.mark.parametrize("decimal", [",", "."])
def test_columns_read_as_numbers_at_once_are_the_per_cell_numbers(decimal):
    rnd = random.Random(23)
    read_at_once = 0
    for _ in range(400):
        cells = ["".join(rnd.choice("0123456789" * 3 + decimal + "-e") for _ in range(rnd.randint(1, 7)))
                 if rnd.random() < 0.9 else None for _ in range(rnd.randint(1, 6))]
        for integer in (False, True):
            number = column_kernels.column_as_number(pd.Series(cells, dtype="str"), decimal, integer)
            if number is None:
                continue
            read_at_once += 1
            expected = [cell_rules.to_number(c, decimal) for c in cells]
            assert all(not e.startswith(cell_rules.NOT_READABLE) for e in expected if e is not None)
            assert [None if v != v else v for v in number.tolist()] == \
                [float(e) if e is not None else None for e in expected]          # the same float, exactly
            assert str(number.dtype) == ("int64" if integer else "float64")
    assert read_at_once > 50


def test_territory_check_by_positions_in_lists_is_the_per_cell_rule():
    from etl.uploads.checks import RegistryChecks
    from etl.uploads.registry import current_registry

    registry = current_registry()
    rules = RegistryChecks(registry)
    rnd = random.Random(29)
    codes = sorted(registry.comuni)[:20] + ["1", "05", "11", "12", "001", "1", "201", "999999", "abc", "\u0663", None]
    levels = ["comune", "zona", "cm", "regione", None]
    for _ in range(40):
        rows = rnd.randint(1, 300)
        frame = pd.DataFrame({"level": pd.Series([rnd.choice(levels) for _ in range(rows)], dtype="str"),
                              "territory_code": pd.Series([rnd.choice(codes) for _ in range(rows)], dtype="str")})
        expected = [not (isinstance(lv, str) and isinstance(c, str) and lv in ("comune", "zona", "cm"))
                    or registry.territory_known(lv, c)
                    for lv, c in zip(frame["level"].astype(object).where(frame["level"].notna(), None),
                                     frame["territory_code"].astype(object).where(frame["territory_code"].notna(), None))]
        assert rules.territory_known(frame).tolist() == expected
