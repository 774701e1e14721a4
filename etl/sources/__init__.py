"""Source connectors: per source, fetch() raw bytes into data/raw/<source>/<date>/ and load() them into tidy rows.

NATIVE_FORMATS lists, for each file format a connector reads, (detect, parse, source_code): detect(raw_bytes)
recognises the format, parse(raw_bytes, file_name) returns observations (etl.inputs.OBSERVATION_COLUMNS) or,
for "cmt_zones", a zones frame (codice_istat, zona_id, zona_nome), and raises FormatError (a ValueError with
an Italian message) on a bad or changed file. The CLI and the upload page use the same functions.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from etl.inputs import LoadBatch
from etl.sources import raw
from etl.sources.common import FormatError, load_meta

__all__ = ["CONNECTORS", "UPLOAD_ONLY", "NATIVE_FORMATS", "FormatError", "SourceDataError", "collect_batches",
           "connector", "source_metadata"]

# Connectors with a raw store (fetch + load), in the order their batches enter the build. A module may set
# REQUESTS_PER_MINUTE (rate limit) and READ_TIMEOUT (seconds) for its downloads.
CONNECTORS = ("istat", "inps", "min_salute", "post_offices", "mef", "cmt_zones")
# Connectors whose source publishes nothing to download: their files arrive through the upload page.
UPLOAD_ONLY = ("regione_piemonte",)
REFRESHED_BY = "python -m etl refresh"


class SourceDataError(Exception):
    """A downloaded raw file that no longer parses: the build stops and the live warehouse keeps serving."""


def connector(name: str) -> ModuleType:
    """The connector module etl.sources.<name>."""
    if name not in CONNECTORS + UPLOAD_ONLY:
        raise KeyError(name)
    return importlib.import_module(f"etl.sources.{name}")


def source_code(module: ModuleType) -> str:
    """The source code (table `source`) of a connector's downloads: the first source of its metadata."""
    return next(iter(module.META["sources"]))


def source_metadata() -> dict[str, dict]:
    """Producer, title, address, licence and citation of every connector source, by source code."""
    metadata = {}
    for name in CONNECTORS + UPLOAD_ONLY:
        metadata.update(load_meta(str(Path(__file__).with_name(f"{name}.py")))["sources"])
    return metadata


def batch_from(module: ModuleType, raw_set: raw.RawSet) -> LoadBatch:
    """A LoadBatch from one complete download (load_id from its sha256, created_at = retrieval time)."""
    try:
        parsed = module.load(raw_set)
    except Exception as exc:  # noqa: BLE001 - whatever breaks, the message names the source and its files
        raise SourceDataError(f"fonte {module.SOURCE}, data/raw/{raw_set.label}: {exc}") from exc
    return LoadBatch(
        load_id=f"etl-{module.SOURCE}-{raw_set.sha256[:12]}", kind="etl", source_code=source_code(module),
        created_at=raw_set.retrieved_at.replace(tzinfo=None), created_by=REFRESHED_BY,
        file_name=f"raw/{raw_set.label}", file_sha256=raw_set.sha256,
        note=f"{len(raw_set.entries)} file scaricati", released_on=parsed.released_on,
        changes=raw_set.facts.get("changes"),
        observations=parsed.observations, zones=parsed.zones, national=parsed.national)


def collect_batches(settings) -> list[LoadBatch]:
    """LoadBatches from the latest complete download of each connector; a file that no longer parses stops it."""
    raw_root = Path(settings.data_dir) / "raw"
    batches = []
    for name in CONNECTORS:
        module = connector(name)
        raw_set = raw.latest(raw_root, module.SOURCE)
        if raw_set is not None:
            batches.append(batch_from(module, raw_set))
    return batches


def _native_formats() -> dict[str, tuple]:
    """Detect and parse functions of every native file format, with the source code of the rows."""
    from etl.sources import cmt_zones, inps, istat, mef, min_salute, post_offices, regione_piemonte

    return {
        "istat": (istat.detect_istat, istat.parse_istat, "istat"),
        "inps": (inps.detect_inps, inps.parse_inps, "inps"),
        "min_salute": (min_salute.detect_min_salute, min_salute.parse_min_salute, "min_salute"),
        "osm_post_offices": (post_offices.detect_osm_post_offices, post_offices.parse_osm_post_offices, "osm"),
        "post_offices_csv": (post_offices.detect_post_offices_csv, post_offices.parse_post_offices_csv,
                             "poste_italiane"),
        "regione_piemonte": (regione_piemonte.detect_regione_piemonte, regione_piemonte.parse_regione_piemonte,
                             "regione_piemonte"),
        "mef": (mef.detect_mef, mef.parse_mef, "mef"),
        "cmt_zones": (cmt_zones.detect_cmt_zones, cmt_zones.parse_cmt_zones, "cmt_zone_official"),
    }


NATIVE_FORMATS = _native_formats()
