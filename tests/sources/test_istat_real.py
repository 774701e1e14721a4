"""Istat connector on files Istat really published (tests/sources/real/istat/README.md says where each comes from)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from etl import sources
from etl.sources import istat, istat_sdmx
from etl.sources.common import FormatError

REAL = Path(__file__).resolve().parent / "real" / "istat"
LFS_DOWNLOAD = REAL / "Provincial data (IT1,150_915_DF_DCCV_TAXOCCU1_5,1.0).csv"
GENERIC = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic}"


@pytest.mark.parametrize("name, dimensions", [
    ("22_289-structure.xml", ["FREQ", "REF_AREA", "DATA_TYPE", "SEX", "AGE", "MARITAL_STATUS"]),
    ("47_850-dataflow-references-datastructure.xml",
     ["FREQ", "REF_AREA", "DATA_TYPE", "TYPE_SOCIO_EDUC_SERVICE", "TYPE_MANAGEMENT", "HOLDER_SECTOR_PUBPRIV"]),
    ("DCIS_POPRES1-datastructure.xml", ["FREQ", "ETA", "ITTER107", "SESSO", "STATO_CIV", "TIPO_INDDEM"]),
    ("DCIS_INCIDMORFER_COM-datastructure.xml", ["FREQ", "ESITO", "ITTER107", "TIPO_DATO"]),
])
def test_real_structures_give_the_declared_dimensions_only(name, dimensions):
    # NSI 8.4 and 9.11 also write id-less Dimension references inside the attributes: they are not dimensions.
    structure = istat_sdmx.parse_structure((REAL / name).read_bytes(), name)
    assert structure.dimensions == dimensions
    assert structure.time_dimension == "TIME_PERIOD"


def test_key_order_of_the_real_structure_is_the_order_of_istat_s_own_series_keys():
    structure = istat_sdmx.parse_structure((REAL / "47_850-dataflow-references-datastructure.xml").read_bytes())
    answer = ET.parse(REAL / "47_850-A.001001+001002.AUTP.ALL.ALL.1-genericdata.xml").getroot()
    series_key = next(answer.iter(f"{GENERIC}SeriesKey"))
    assert [v.get("id") for v in series_key] == structure.dimensions


def test_keys_built_on_the_real_structure_have_one_part_per_dimension():
    structure = istat_sdmx.parse_structure((REAL / "47_850-dataflow-references-datastructure.xml").read_bytes())
    resolved = istat_sdmx.resolve(structure, istat.FLOWS["nursery"]["dims"])  # no codelists: codes kept as set
    keys = istat_sdmx.keys(structure, resolved, ["001001+001002"], 240, "DATA_TYPE")
    assert keys[0] == "A.001001+001002.AUTP.ALL.ALL.9"  # Istat's recorded query: A.001001+001002.AUTP.ALL.ALL.1
    assert all(len(k.split(".")) == 6 for k in keys)


def test_a_data_message_is_not_a_structure_and_the_refusal_names_the_file():
    name = "47_850-A.001001+001002.AUTP.ALL.ALL.1-genericdata.xml"
    with pytest.raises(FormatError, match="^" + re.escape(f"{name}: struttura SDMX senza DataStructure")):
        istat_sdmx.parse_structure((REAL / name).read_bytes(), name)


def test_real_sdmx_csv_of_another_dataflow_is_read_then_refused_by_name():
    raw = (REAL / "41_983-filtro_esempio02.csv").read_bytes()
    frame = istat_sdmx.read_csv(raw, "41_983.csv")
    assert istat_sdmx.dimensions_of(frame) == ["FREQ", "ESITO", "ITTER107", "TIPO_DATO"] and len(frame) == 18
    assert not istat.detect_istat(raw)
    with pytest.raises(FormatError, match="^41_983.csv: non è un SDMX-CSV né un CSV di IstatData"):
        istat.parse_istat(raw, "41_983.csv")


def test_istatdata_download_is_read_as_the_sdmx_csv_of_its_dataflow():
    raw = LFS_DOWNLOAD.read_bytes()
    # Recognised by its columns (an upload's bytes carry no file name), by the Istat detector only.
    assert [name for name, (detect, _, _) in sources.NATIVE_FORMATS.items() if detect(raw)] == ["istat"]
    frame = istat_sdmx.read_labels_csv(raw, LFS_DOWNLOAD.name, "IT1:150_915_DF_DCCV_TAXOCCU1_5(1.0)")
    assert list(frame.columns) == ["DATAFLOW", "FREQ", "REF_AREA", "DATA_TYPE", "SEX", "AGE", "TIME_PERIOD",
                                   "OBS_VALUE", "OBS_STATUS"]
    torino = frame[(frame.REF_AREA == "ITC11") & (frame.SEX == "2")].set_index("TIME_PERIOD")["OBS_VALUE"]
    assert torino.to_dict() == {"2023": "42.414718", "2024": "44.875022", "2025": "44.381879"}


def test_istatdata_download_with_ages_15_89_is_refused_naming_the_column_and_the_codes():
    # The real download holds the rate for ages 15-89 only; the indicator is the rate for 15-64.
    with pytest.raises(FormatError, match=r"colonna AGE senza i codici attesi \(Y15-64, Y15_64\); nel file: Y15-89"):
        istat.parse_istat(LFS_DOWNLOAD.read_bytes(), LFS_DOWNLOAD.name)


def test_istatdata_download_with_the_expected_age_gives_torino_s_rates_by_sex():
    # The same real rows with the age code the connector asks for (edited here, in memory only).
    raw = LFS_DOWNLOAD.read_bytes().replace(b",Y15-89,15-89 years,", b",Y15-64,15-64 years,")
    obs = istat.parse_istat(raw, LFS_DOWNLOAD.name).set_index(["period", "sex"])["value"]
    assert len(obs) == 9 and obs[(2025, "F")] == pytest.approx(44.381879) and obs[(2023, "T")] == pytest.approx(48.261544)
