"""Ministero pharmacies connector on a real-format list: no file of the Ministero's own was found (see min_salute.toml
[verified]); the nearest is a comma-separated re-export of the old-header list for Roma (CKAN datastore: an extra _id
column, codes without leading zeros). Its licence is not stated, so it is read from PSM_REAL_FILES_DIR, not committed."""
from __future__ import annotations

import pytest

from etl.sources import min_salute
from etl.sources.common import FormatError, Parsed
from tests.sources.real_files import real_file

ROMA = "Davide-Ferr__hackaton1__elenco_farmacie__header_and_first_20_rows.csv"


def test_real_format_re_export_is_recognised_and_counted_with_its_own_separator():
    raw = real_file("min_salute", ROMA).read_bytes()
    assert min_salute.detect_min_salute(raw)
    parsed = Parsed()
    counted = min_salute.count_active(raw, ROMA, parsed)
    # 20 rows of 9 pharmacies (9082–9090): 11 closed versions of them, each pharmacy counted once.
    assert counted == {"058091": 9}
    assert parsed.skipped == {"farmacie cessate (data di fine validità)": 11}


def test_real_format_re_export_without_the_province_is_refused_naming_the_file():
    path = real_file("min_salute", ROMA)
    with pytest.raises(FormatError, match="^FRM_FARMA_5_20151101.csv: nessuna farmacia della Città metropolitana"):
        min_salute.parse_min_salute(path.read_bytes(), "FRM_FARMA_5_20151101.csv")
