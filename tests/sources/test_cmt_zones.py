"""CMT official zone list: CSV or ODS, table or 'Zona n' sections, checked like the bundled list."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from etl import reference
from etl.sources import cmt_zones
from etl.sources.common import FormatError
from tests.sources.fake_servers import FIXTURES

CSV = FIXTURES / "cmt_zones" / "elenco_comuni_zone_omogenee.csv"


def sectioned_ods(move: dict | None = None) -> bytes:
    """The list as an ODS with a 'Zona omogenea n - Nome' row before each zone's comuni."""
    zones = reference.read_csv_text(reference.ZONE_FILE)
    if move:
        moved = zones.codice_istat.isin(move)
        zones.loc[moved, "zona_id"] = zones.loc[moved, "codice_istat"].map(move).astype(str)
    rows = [["Elenco Comuni per Zona omogenea", ""], ["", ""]]
    for zone_id, group in zones.groupby(zones.zona_id.astype(int)):
        rows.append([f"Zona omogenea {zone_id} - {group.zona_nome.iloc[0]}", ""])
        rows += [[name, ""] for name in group.comune]
    out = io.BytesIO()
    pd.DataFrame(rows).to_excel(out, engine="odf", header=False, index=False)
    return out.getvalue()


def test_csv_with_names_gives_312_comuni_in_11_zones():
    raw = CSV.read_bytes()
    assert cmt_zones.detect_cmt_zones(raw)
    zones = cmt_zones.parse_cmt_zones(raw, CSV.name)
    assert len(zones) == 312 and zones.zona_id.nunique() == 11
    assert zones.set_index("codice_istat").at["001272", "zona_nome"] == "Torino"


def test_ods_with_zone_sections():
    raw = sectioned_ods()
    assert cmt_zones.detect_cmt_zones(raw)
    zones = cmt_zones.parse_cmt_zones(raw, "elenco.ods").set_index("codice_istat")
    assert len(zones) == 312 and zones.at["001316", "zona_id"] == 4
    assert zones.at["001001", "zona_nome"] == "Canavese occidentale"


def test_wrong_counts_are_refused():
    with pytest.raises(FormatError, match="la zona ha 13 comuni, quelli pubblicati sono 14"):
        cmt_zones.parse_cmt_zones(sectioned_ods({"001090": 3}), "elenco.ods")  # a zone 2 comune moved to zone 3


def test_unknown_comune_is_named():
    text = CSV.read_text(encoding="utf-8") + "Zona omogenea 3 - AMT Sud;Atlantide\n"
    with pytest.raises(FormatError, match="Atlantide"):
        cmt_zones.parse_cmt_zones(text.encode(), CSV.name)
