"""What «Dati e fonti» lists of the published open data: the catalogue, a CSV per indicator, the older versions."""
from __future__ import annotations

import json
import os

import pandas as pd

from monitor import open_data, open_data_versions

FILE_COLUMNS = ["indicator", "latest_url", "version_url", "size_kb", "modified"]
OLDER_COLUMNS = ["version", "replaced", "until", "catalogue_url"]


def page_url(settings, place: str, name: str) -> str:
    """The address a page links to: absolute with `public_url`, else relative to the app (app/static/…)."""
    path = f"{open_data.STATIC_URL}/{open_data.OPEN_DATA}/{place}/{name}"
    return f"{settings.public_url}/{path}" if settings.public_url else path


def signature(settings) -> str:
    """Identity of the list of versions (changes at every publish): the cache key of what the page shows."""
    try:
        stat = os.stat(open_data.folder(settings) / open_data_versions.VERSIONS)
    except FileNotFoundError:
        return "none"
    return f"{stat.st_mtime_ns}-{stat.st_size}"


def listing(settings, lang: str) -> dict | None:
    """The current version (id, publish time, catalogue addresses), its files and the older versions still
    reachable; None before the first publish."""
    current, older = open_data_versions.published(settings)
    latest = open_data.folder(settings) / open_data.LATEST / open_data.CATALOGUE
    if current is None or not latest.exists():
        return None
    catalogue = json.loads(latest.read_text(encoding="utf-8"))
    version = catalogue["owl:versionInfo"]
    return {"version": version, "published_at": current["published_at"],
            "catalogue_url": page_url(settings, open_data.LATEST, open_data.CATALOGUE),
            "version_catalogue_url": page_url(settings, version, open_data.CATALOGUE),
            "latest_files_url": page_url(settings, open_data.LATEST, "<indicatore>.csv" if lang == "it" else
                                         "<indicator>.csv"),
            "version_files_url": page_url(settings, version, "<indicatore>.csv" if lang == "it" else "<indicator>.csv"),
            "files": files(catalogue, settings, version, lang),
            "older": pd.DataFrame([(v["version"], v["superseded_at"], v["until"],
                                    page_url(settings, v["version"], open_data.CATALOGUE)) for v in older],
                                  columns=OLDER_COLUMNS)}


def files(catalogue: dict, settings, version: str, lang: str) -> pd.DataFrame:
    """One row per dataset of a catalogue: its title in the language, the CSV's addresses, size and date."""
    rows = []
    for dataset in catalogue["dcat:dataset"]:
        titles = {t["@language"]: t["@value"] for t in dataset["dct:title"]}
        distribution = dataset["dcat:distribution"][0]
        name = f"{dataset['@id'].rsplit('#', 1)[1]}.csv"
        rows.append((titles.get(lang) or titles["it"], page_url(settings, open_data.LATEST, name),
                     page_url(settings, version, name),
                     round(distribution["dcat:byteSize"]["@value"] / 1024, 1), distribution["dct:modified"]["@value"]))
    return pd.DataFrame(rows, columns=FILE_COLUMNS)
