"""Open data written by `etl publish`: a CSV per indicator that re-reads to the warehouse's rows, a DCAT-AP_IT
catalogue valid against its JSON Schema, a latest/ copy, versions kept for keep_days after they are replaced and
then pruned (with the map files and ZIPs nothing serves any more), all answered by a real public instance."""
from __future__ import annotations

import io
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

import duckdb
import pandas as pd
import pytest
import requests
from jsonschema import Draft202012Validator

from core.settings import load_settings
from etl import publish as publish_module
from etl.publish import CATALOGUE_SCHEMA, PublishError, publish
from monitor import open_data, open_data_versions
from tests.browser.conftest import free_port, start_streamlit

KEEP_DAYS = 30
T0 = datetime.now(timezone.utc)   # the files' real times are "now"; later publishes are told a later clock
# The warehouse's rows of one indicator, as an oracle independent of the export query.
WAREHOUSE_ROWS = """
select o.level, o.territory_code, o.period, o.sex, o.value, o.numerator, o.denominator, o.derived,
       s.producer as source, s.licence, o.load_id, o.note
from observation o left join source s using (source_code)
where o.indicator_code = ?
order by o.level, o.territory_code, o.period, o.sex
"""


def catalogue(version_folder: Path) -> dict:
    return json.loads((version_folder / open_data.CATALOGUE).read_text(encoding="utf-8"))


def schema_errors(document: dict) -> list[str]:
    schema = json.loads(CATALOGUE_SCHEMA.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def distribution_urls(document: dict) -> list[str]:
    return [d[key]["@id"] for ds in document["dcat:dataset"] for d in ds["dcat:distribution"]
            for key in ("dcat:downloadURL", "dcat:accessURL")]


def current(settings) -> str:
    return open_data_versions.published(settings)[0]["version"]


def change_a_comune_value(db: Path) -> None:
    """Alter the live warehouse (one comune's share of over-65s and the build time): a new version to publish."""
    con = duckdb.connect(str(db))
    con.execute("""update observation set value = value + 1 where indicator_code = 'share_age_65_plus'
                   and level = 'comune' and territory_code = '001272' and sex = 'T'""")
    con.execute("update build_info set value = '2030-01-01T00:00:00+00:00' where key = 'built_at'")
    con.close()


def test_catalogue_is_valid_and_every_csv_rereads_to_the_warehouse_rows(project_env):
    settings = load_settings()
    publish(settings, now=T0)
    folder = open_data.folder(settings) / current(settings)
    document = catalogue(folder)
    assert schema_errors(document) == []
    public = settings.public_warehouse
    con = duckdb.connect(str(public), read_only=True)
    with_rows = [c for (c,) in con.execute("select distinct indicator_code from observation order by 1").fetchall()]
    assert [d["dct:identifier"] for d in document["dcat:dataset"]] == with_rows
    for code in with_rows:
        expected = con.execute(WAREHOUSE_ROWS, [code]).df()
        written = pd.read_csv(folder / f"{code}.csv", dtype={"territory_code": str, "load_id": str, "note": str},
                              keep_default_na=False, na_values=[""])
        assert set(written["indicator_code"]) == {code}
        assert_same_rows(written[expected.columns], expected)
    by_code = {d["dct:identifier"]: d for d in document["dcat:dataset"]}
    assert by_code["income_per_taxpayer"]["dct:accrualPeriodicity"]["@id"].endswith("/frequency/ANNUAL")  # MEF's
    assert by_code["population"]["dct:accrualPeriodicity"]["@id"].endswith("/frequency/UNKNOWN")
    levels = pd.read_csv(folder / "income_per_taxpayer.csv", dtype={"territory_code": str})["level"]
    assert set(levels) == {"comune", "zona", "cm", "italia", "regione", "citta_metropolitana"}
    con.close()


def assert_same_rows(written: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The CSV's rows equal the warehouse's: numbers exactly (the CSV keeps every digit), texts as they are."""
    assert len(written) == len(expected)
    for column in expected.columns:
        left, right = written[column].reset_index(drop=True), expected[column].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(right) and not pd.api.types.is_bool_dtype(right):
            assert ((left == right) | (left.isna() & right.isna())).all(), column
        else:
            assert left.astype(object).where(left.notna(), None).tolist() == \
                   right.astype(object).where(right.notna(), None).tolist(), column


def test_relative_addresses_lead_to_the_files_from_both_copies_of_the_catalogue(project_env):
    settings = load_settings()
    assert settings.public_url == ""
    publish(settings, now=T0)
    root = open_data.folder(settings)
    for place in (current(settings), open_data.LATEST):
        base = f"http://host/{place}/{open_data.CATALOGUE}"
        for url in distribution_urls(catalogue(root / place)):
            resolved = urljoin(base, url).removeprefix("http://host/")
            assert (root / resolved).is_file(), url
    assert (root / open_data.LATEST / "population.csv").read_bytes() == \
           (root / current(settings) / "population.csv").read_bytes()


def test_formula_like_cells_are_neutralised(project_env):
    con = duckdb.connect(str(project_env / "warehouse.duckdb"))
    con.execute("""update observation set note = '=HYPERLINK("http://x.example","y")'
                   where indicator_code = 'population' and level = 'cm'""")
    con.close()
    settings = load_settings()
    publish(settings, now=T0)
    text = (open_data.folder(settings) / open_data.LATEST / "population.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ',=HYPERLINK' not in text and ',"=HYPERLINK' not in text


def test_an_invalid_catalogue_is_not_made_current(project_env, monkeypatch):
    settings = load_settings()
    publish(settings, now=T0)
    before = current(settings)
    latest = (open_data.folder(settings) / open_data.LATEST / open_data.CATALOGUE).read_bytes()
    published = settings.public_warehouse.read_bytes()
    change_a_comune_value(project_env / "warehouse.duckdb")
    good = open_data.catalogue
    monkeypatch.setattr(open_data, "catalogue", lambda *a: {**good(*a), "dct:title": []})
    with pytest.raises(PublishError, match="catalogo"):
        publish(settings, now=T0 + timedelta(days=1))
    assert current(settings) == before and settings.public_warehouse.read_bytes() == published   # nothing changed
    assert (open_data.folder(settings) / open_data.LATEST / open_data.CATALOGUE).read_bytes() == latest
    assert sorted(p.name for p in open_data.folder(settings).iterdir() if not p.name.startswith(".")) == \
           sorted([before, open_data.LATEST, open_data_versions.VERSIONS])


@pytest.fixture
def public_instance(project_env, monkeypatch):
    """(base URL, settings) of a public instance started with the launcher, whose catalogue gives absolute links."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("PSM_PUBLIC_URL", base)
    monkeypatch.setenv("PSM_PUBLISH_KEEP_DAYS", str(KEEP_DAYS))
    publish(load_settings(), now=T0)
    proc = start_streamlit({**os.environ, "PSM_MODE": "public"}, port)
    yield base, load_settings()
    proc.terminate()
    proc.wait(timeout=30)


def answers(url: str) -> int:
    return requests.get(url, timeout=10).status_code


def test_versions_are_served_kept_for_keep_days_then_pruned(public_instance, project_env):
    base, settings = public_instance
    first = current(settings)
    first_catalogue = f"{base}/app/static/opendata/{first}/{open_data.CATALOGUE}"
    document = requests.get(first_catalogue, timeout=10).json()
    assert schema_errors(document) == []
    urls = distribution_urls(document)
    assert urls and all(url.startswith(base + "/app/static/opendata/") for url in urls)
    for url in urls:
        assert answers(url) == 200, url
    sample = requests.get(f"{base}/app/static/opendata/{first}/population.csv", timeout=10)
    assert sample.headers["content-type"].startswith("text/csv")
    assert pd.read_csv(io.StringIO(sample.text))["indicator_code"].eq("population").all()
    first_files = open_data_versions.history(settings)[0]

    change_a_comune_value(project_env / "warehouse.duckdb")
    publish(settings, now=T0 + timedelta(days=1))                    # the second version
    second = current(settings)
    assert second != first
    for url in urls:                                                  # the first is still reachable
        assert answers(url) == 200, url
    assert requests.get(f"{base}/app/static/opendata/latest/{open_data.CATALOGUE}", timeout=10).json()[
        "owl:versionInfo"] == second
    geo = settings.static_dir / "geo"
    (geo / f"comuni-gone-it-{'0' * 16}.json").write_text("{}", encoding="utf-8")   # listed by no version
    (geo / "probe.json").write_text("{}", encoding="utf-8")                          # not a map file
    never_current = open_data.folder(settings) / "20200101-000000-deadbeef"          # a publish stopped after it
    never_current.mkdir()
    zips = settings.data_dir / "downloads"

    publish(settings, now=T0 + timedelta(days=1 + KEEP_DAYS, seconds=1))   # keep_days after it was replaced
    assert answers(first_catalogue) == 404
    assert all(answers(url) == 404 for url in urls if f"/{first}/" in url)
    second_document = requests.get(f"{base}/app/static/opendata/{second}/{open_data.CATALOGUE}", timeout=10).json()
    assert all(answers(url) == 200 for url in distribution_urls(second_document))
    assert [v["version"] for v in open_data_versions.history(settings)] == [second]
    second_files = open_data_versions.history(settings)[0]
    assert sorted(p.name for p in zips.iterdir()) == second_files["downloads"]
    assert not (set(first_files["maps"]) - set(second_files["maps"])) & {p.name for p in geo.iterdir()}
    assert set(second_files["maps"]) <= {p.name for p in geo.iterdir()}
    assert not (geo / f"comuni-gone-it-{'0' * 16}.json").exists() and (geo / "probe.json").exists()
    assert not never_current.exists()


def test_pages_say_which_versions_are_reachable_until_when(project_env):
    settings = load_settings()
    publish(settings, now=T0)
    change_a_comune_value(project_env / "warehouse.duckdb")
    publish(settings, now=T0 + timedelta(days=2))
    now, older = open_data_versions.published(settings)
    assert now["version"] == current(settings) and len(older) == 1
    assert older[0]["until"] == T0.replace(microsecond=0) + timedelta(days=2 + settings.publish_keep_days)


def test_the_schema_refuses_what_dcat_ap_it_requires(project_env):
    publish(load_settings(), now=T0)
    document = catalogue(open_data.folder(load_settings()) / open_data.LATEST)
    dataset = document["dcat:dataset"][0]
    broken = {**document, "dcat:dataset": [{k: v for k, v in dataset.items() if k != "dct:rightsHolder"}]}
    assert any("rightsHolder" in e for e in schema_errors(broken))
    distribution = dataset["dcat:distribution"][0]
    broken = {**document, "dcat:dataset": [{**dataset, "dcat:distribution": [
        {**distribution, "dcat:mediaType": "text/html"}]}]}
    assert schema_errors(broken)
    assert publish_module.CATALOGUE_SCHEMA.exists()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_dati_e_fonti_lists_the_files_with_their_addresses(project_env, lang):
    from tests.test_pages import run_page

    settings = load_settings()
    at = run_page("pages/dati_fonti.py", {"lang": lang})
    assert not at.exception and any("etl publish" in i.value for i in at.info)
    publish(settings, now=T0)
    change_a_comune_value(project_env / "warehouse.duckdb")
    publish(settings, now=T0 + timedelta(days=1))
    at = run_page("pages/dati_fonti.py", {"lang": lang})
    assert not at.exception, at.exception
    frames = [d.value for d in at.dataframe]
    files = next(f for f in frames if "latest_url" in f.columns)
    version = current(settings)
    assert len(files) == len(catalogue(open_data.folder(settings) / version)["dcat:dataset"])
    assert files["latest_url"].str.fullmatch(r"app/static/opendata/latest/[a-z0-9_]+\.csv").all()
    assert files["version_url"].str.startswith(f"app/static/opendata/{version}/").all()
    assert ("Resident population" if lang == "en" else "Popolazione residente") in set(files["indicator"])
    older = next(f for f in frames if "until" in f.columns)
    assert len(older) == 1 and older["catalogue_url"].iloc[0].endswith(f"/{open_data.CATALOGUE}")
