"""Numbers and codes in connectors' files: the upload cell rules, so a CSV reads alike as native file and template."""
from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from etl import cell_rules
from etl.sources import istat, post_offices
from etl.sources.common import NOT_PUBLISHED, comune_code, decimal_mark, read_delimited, read_number, read_numbers
from etl.uploads import dialect, prepare
from etl.uploads.templates import TEMPLATES
from tests.sources.fake_servers import FIXTURES
from tests.upload_cases import INDICATOR_HEADER

NUMBERS = ("period", "value", "numerator", "denominator")   # the indicators template's numeric columns


def _number_cell(rnd: random.Random) -> str:
    """A number as a producer or an official may write it, or something that is not one."""
    whole = rnd.choice(["0", "7", "45", "117", "1234", "841600", "1234567"])
    grouped = "{:,}".format(int(whole)).replace(",", rnd.choice([".", ",", " ", "\u00a0"]))
    return rnd.choice([whole, grouped, whole + rnd.choice([",", "."]) + rnd.choice(["5", "25", "125", "1250"]),
                       grouped + rnd.choice([",5", ".5"]), "-" + whole, "\u2212" + whole, "", " ", "-", "..", "n.d.",
                       "1e5", "nan", "12%", whole + ",", "\u0663"])


def _as_floats(column: pd.Series) -> list[float | None]:
    """A typed template column (numbers, or to_number's text) as floats, None where empty or unreadable."""
    def value(cell):
        if cell is None or (isinstance(cell, float) and cell != cell) or cell is pd.NA:
            return None
        if isinstance(cell, str):
            return None if cell.startswith(cell_rules.NOT_READABLE) else float(cell)
        return float(cell)
    return [value(cell) for cell in column.astype(object)]


@pytest.mark.parametrize("seed", range(8))
def test_one_csv_gives_the_same_numbers_as_a_template_and_as_a_connector_s_file(seed):
    rnd = random.Random(seed)
    lines = [f"pharmacies;comune;1272;{_number_cell(rnd)};T;{_number_cell(rnd)};{_number_cell(rnd)};"
             f"{_number_cell(rnd)};nota {n}\n" for n in range(rnd.randint(1, 30))]
    raw = (INDICATOR_HEADER + "".join(lines)).encode("utf-8")
    typed, template_decimal = prepare.typed_cells(dialect.read_table(raw), TEMPLATES["indicators"])
    table = read_delimited(raw, "osservazioni.csv")
    decimal = decimal_mark(table, list(NUMBERS))
    assert decimal == template_decimal
    for column in NUMBERS:
        as_file = [None if v is None or v != v else v for v in read_numbers(table[column], decimal).astype(object)]
        not_published = [cell.strip() in NOT_PUBLISHED for cell in table[column]]
        template = [None if mark else v for v, mark in zip(_as_floats(typed[column]), not_published)]
        assert as_file == template, (column, table[column].tolist())


@pytest.mark.parametrize("cell, decimal, expected", [
    ("20.731,55", ",", 20731.55), ("117.946", ",", 117946.0), ("117.946", ".", 117.946), ("1,234.5", ".", 1234.5),
    ("1 234,5", ",", 1234.5), ("\u22123", ",", -3.0), (" 45 ", ",", 45.0), (12, ",", 12.0), (0.5, ",", 0.5),
    ("-", ",", None), ("..", ".", None), ("n.d.", ",", None), ("", ",", None), (None, ",", None),
    ("1e5", ".", None), ("nan", ".", None), ("12,5", ".", None), ("1,234.5", ",", None),
])
def test_a_number_cell_is_read_by_the_upload_rule(cell, decimal, expected):
    assert read_number(cell, decimal) == expected


@pytest.mark.parametrize("cell, expected", [
    ("001272", "001272"), ("1272", "001272"), (" 1272.0 ", "001272"), (1272.0, "001272"), (1272, "001272"),
    ("12", None), ("0001", None), ("000123", None), ("1234567", None), ("abc", None), ("Torino", None),
    ("\u00b9\u00b2\u00b7\u00b2", None), ("\u0661\u0662\u0667\u0662", None), ("", None), (None, None),
])
def test_a_comune_code_is_the_upload_rule_s_when_it_can_name_a_comune(cell, expected):
    assert comune_code(cell) == expected


def test_sdmx_values_are_read_with_a_decimal_point_even_with_three_decimals():
    raw = (FIXTURES / "istat" / "employment_lfs-data.csv").read_bytes()
    first = raw.split(b"\n")[1].split(b",")[9]                       # OBS_VALUE of the first row, '64.1'
    changed = raw.replace(b"," + first + b",", b",64.125,", 1)
    values = istat.parse_istat(changed, "150_915_DF_DCCV_TAXOCCU1_5.csv")["value"]
    assert 64.125 in set(values) and values.max() < 100            # not 64,125


def test_coordinates_in_one_file_share_its_decimal_mark():
    point = json.loads((FIXTURES / "post_offices" / "overpass_post_offices.json").read_text("utf-8"))["elements"][0]
    lat, lon = f"{point['lat']:.4f}", f"{point['lon']:.4f}"
    raw = (f"Denominazione ufficio;Latitudine;Longitudine;Anno\nTorino 1;{lat};{lon};2025\n"
           f"Torino 2;{lat[:-1]};{lon[:-1]};2025\n").encode()                 # three decimals: not thousands
    offices = post_offices.parse_post_offices_csv(raw, "uffici.csv")
    torino = offices.query("indicator_code == 'post_offices' and territory_code == '001272'")
    assert torino["value"].item() == 2
