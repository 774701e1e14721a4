"""MEF IRPEF per comune: ';' CSV with CRLF and a trailing ';', inside the published ZIP; the real sample too."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.sources import mef
from etl.sources.common import FormatError
from tests.sources.fake_servers import FIXTURES, mef_zip

CSV = FIXTURES / "mef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2023.csv"
REAL_SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mef_irpef_comuni_2021_TO.csv"


def test_fixture_has_the_real_quirks():
    raw = CSV.read_bytes()
    assert raw.count(b"\r\n") == 12 and raw.splitlines()[1].endswith(b";;")


def test_income_per_taxpayer_and_share_under_10k():
    parsed = mef.read(CSV.read_bytes(), CSV.name)
    obs = parsed.observations.set_index(["indicator_code", "territory_code"])
    assert obs.at[("income_per_taxpayer", "001272"), "value"] == 23_000 + 150 * 7
    assert obs.at[("income_per_taxpayer", "001272"), "denominator"] == 621_788
    share = obs.loc[("share_taxpayers_under_10k", "001001")]
    assert share["numerator"] == round(1_800 * 0.21) and share["value"] == pytest.approx(100 * 378 / 1_800)
    assert parsed.skipped == {"comuni fuori dalla Città metropolitana": 1}
    assert set(parsed.observations.period) == {2023}


def test_codes_without_leading_zeros_are_padded():
    obs = mef.parse_mef(CSV.read_bytes(), CSV.name)
    assert "001001" in set(obs.territory_code)  # written 1001 in the file


def test_published_zip_is_read_as_is():
    raw = mef_zip()
    assert mef.detect_mef(raw) and mef.detect_mef(CSV.read_bytes())
    assert len(mef.parse_mef(raw, "irpef_2023.zip")) == 20


def test_missing_column_is_a_changed_format():
    text = CSV.read_text(encoding="ascii").replace("Numero contribuenti", "Contribuenti")
    with pytest.raises(FormatError, match="formato MEF cambiato, colonne mancanti: Numero contribuenti"):
        mef.parse_mef(text.encode(), CSV.name)


@pytest.mark.skipif(not REAL_SAMPLE.exists(), reason="real MEF sample not available (../shared/data)")
def test_real_mef_sample_2021():
    parsed = mef.read(REAL_SAMPLE.read_bytes(), REAL_SAMPLE.name)
    obs = parsed.observations
    assert obs.territory_code.nunique() == 312 and set(obs.period) == {2021} and parsed.skipped == {}
    torino = obs[obs.territory_code == "001272"].set_index("indicator_code")
    assert torino.at["income_per_taxpayer", "value"] == pytest.approx(15_188_607_538 / 621_788)
    assert torino.at["share_taxpayers_under_10k", "value"] == pytest.approx(100 * 146_044 / 621_788)
