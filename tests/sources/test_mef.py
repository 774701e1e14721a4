"""MEF IRPEF per comune: ';' CSV with CRLF and a trailing ';', inside the published ZIP; the real national
releases (the bundled 2021 one, and 2018/2020 research copies when PSM_REAL_FILES names them) too."""
from __future__ import annotations

import gzip
import io
import re
import zipfile

import pytest

from etl.sources import mef
from etl.sources.common import FormatError
from tests import real_files
from tests.sources.fake_servers import FIXTURES, mef_zip

CSV = FIXTURES / "mef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2023.csv"
REAL_SAMPLE = real_files.shared("mef_irpef_comuni_2021_TO.csv")
REAL_NATIONAL = real_files.shared("mef_irpef_comuni_2021_national.csv.gz")
ZIP_NAME = "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2021.zip"
# Torino in the research copies of other years (INDEX of the copies): taxable income / taxpayers, taxpayers.
TORINO_BY_YEAR = {2018: (23_798.68, 629_677), 2020: (23_265.92, 620_720)}


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
    assert parsed.skipped == {}
    assert set(parsed.observations.period) == {2023}
    assert set(parsed.national.territory_code) - set(parsed.observations.territory_code) == {"002004"}


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


def published_zip(csv_raw: bytes, name: str = ZIP_NAME) -> bytes:
    """The yearly ZIP as the producer ships it: the CSV alone inside."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name.replace(".zip", ".csv"), csv_raw)
    return out.getvalue()


def bundled_csv() -> bytes:
    """The national release bundled with the project, as the producer's CSV."""
    return gzip.decompress(mef.BUNDLED_FILE.read_bytes())


def test_the_national_release_loads_as_csv_and_as_zip():
    for raw, name in ((bundled_csv(), mef.META["bundled"]["name"]), (published_zip(bundled_csv()), ZIP_NAME)):
        parsed = mef.read(raw, name)
        national = parsed.national
        assert national.territory_code.nunique() == 7_904 and len(national) == 2 * 7_904
        assert parsed.skipped == {mef.CATCH_ALL: 1}  # the «Mancante/errata» row, counted, not an error
        assert parsed.observations.territory_code.nunique() == 312
        torino = national[national.territory_code == "001272"].set_index("indicator_code")
        assert (torino.at["income_per_taxpayer", "numerator"], torino.at["income_per_taxpayer", "denominator"]) == (
            15_188_607_538, 621_788)
        assert round(torino.at["income_per_taxpayer", "value"], 2) == 24_427.31
        assert torino.at["share_taxpayers_under_10k", "value"] == pytest.approx(100 * 146_044 / 621_788)


@pytest.mark.skipif(not REAL_NATIONAL.exists(), reason="real MEF national file not available (../shared/data)")
def test_the_bundled_file_is_the_published_release():
    assert mef.BUNDLED_FILE.read_bytes() == REAL_NATIONAL.read_bytes()
    parsed, name, sha = mef.read_bundled()
    assert sha == mef.META["bundled"]["csv_sha256"] and name.endswith("_CSV_2021.csv")


def fixture_lines() -> list[str]:
    """The fixture's lines as written (CRLF kept apart: the last element is the empty text after the last CRLF)."""
    return CSV.read_bytes().decode("ascii").split("\r\n")


@pytest.mark.parametrize("code", ["0", "00", "000000"])
def test_the_catch_all_row_is_skipped_and_counted(code):
    lines = fixture_lines()
    catch_all = f"2023;0;{code};0;0;Mancante/errata;0;3302" + ";1" * 42 + ";"
    parsed = mef.read("\r\n".join(lines[:-1] + [catch_all, ""]).encode(), CSV.name)
    assert parsed.skipped == {mef.CATCH_ALL: 1} and len(parsed.observations) == 20


def test_header_names_with_stray_spaces_are_recognised():
    lines = fixture_lines()
    lines[0] = lines[0].replace("Numero contribuenti", " Numero  contribuenti ").replace(
        "Codice Istat Comune", "Codice Istat  Comune ")
    assert len(mef.parse_mef("\r\n".join(lines).encode(), CSV.name)) == 20


def test_a_code_that_is_no_comune_names_its_line():
    lines = fixture_lines()
    lines[2] = lines[2].replace(";001028;", ";ABC;")
    with pytest.raises(FormatError, match=r"riga 3: codice Istat del comune non valido \('ABC'\)"):
        mef.parse_mef("\r\n".join(lines).encode(), CSV.name)


def test_a_repeated_comune_names_both_lines():
    lines = fixture_lines()
    lines[2] = lines[2].replace(";001028;", ";1001;")
    with pytest.raises(FormatError, match=r"riga 3: comune 001001 ripetuto \(già alla riga 2\)"):
        mef.parse_mef("\r\n".join(lines).encode(), CSV.name)


RESEARCH = real_files.research("mef/*_CSV_20[0-9][0-9]*.csv")


@pytest.mark.skipif(not RESEARCH, reason="research copies of other MEF years not available (PSM_REAL_FILES)")
@pytest.mark.parametrize("path", RESEARCH, ids=lambda p: p.name[-40:])
def test_other_national_releases_load(path):
    raw = path.read_bytes()
    year = int(re.search(r"_CSV_(\d{4})", path.name).group(1))
    for parsed in (mef.read(raw, path.name), mef.read(published_zip(raw), path.name.replace(".csv", ".zip"))):
        national = parsed.national
        assert national.territory_code.nunique() > 7_800 and set(national.period) == {year}
        assert parsed.observations.territory_code.nunique() == 312
        # As published every release ends with the catch-all row; a copy re-saved by hand may have lost it.
        assert parsed.skipped == ({} if "resaved" in path.name else {mef.CATCH_ALL: 1})
        torino = national[(national.territory_code == "001272") & (national.indicator_code == "income_per_taxpayer")]
        if year in TORINO_BY_YEAR:
            assert (round(torino["value"].iloc[0], 2), torino["denominator"].iloc[0]) == TORINO_BY_YEAR[year]
