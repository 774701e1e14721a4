"""`python -m etl publish`: copy the live warehouse atomically to the path the public instance reads."""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from core import warehouse

from monitor import downloads, maps, open_data, open_data_versions, queries
from core.settings import load_settings
from monitor.i18n import LANGUAGES

SCHEMA_FILE = Path(__file__).resolve().parent / "sql" / "schema.sql"
CATALOGUE_SCHEMA = Path(__file__).resolve().parent / "schemas" / "catalogo_dcat_ap_it.schema.json"


class PublishError(Exception):
    """The copy does not serve the public pages; the published copy is left as it was."""


def expected_tables() -> set[str]:
    """Names of the tables the warehouse schema creates (etl/sql/schema.sql)."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    return set(re.findall(r"create\s+table\s+(\w+)", text, flags=re.IGNORECASE))


def verify(path: Path) -> int:
    """Open a copy the way the public app does, check its tables and run every page query; return the table count."""
    try:
        con = warehouse.connect(path)
        try:
            found = {name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()}
        finally:
            con.close()
    except duckdb.Error as exc:
        raise PublishError(f"la copia non si apre in sola lettura / the copy does not open read-only: {exc}") from exc
    missing = expected_tables() - found
    if missing:
        raise PublishError(f"tabelle mancanti nella copia / missing tables: {', '.join(sorted(missing))}")
    for name, args in queries.PAGE_QUERIES.items():
        try:
            getattr(queries, name)(path, *args)
        except Exception as exc:  # any failure means a public page would fail
            raise PublishError(f"la query {name!r} non funziona sulla copia / query fails on the copy: {exc}") from exc
    return len(found)


def publish(settings, now: datetime | None = None) -> dict:
    """Copy the live warehouse next to the public path, verify the copy, swap it in with os.replace, then write the
    public files of the new version and prune old ones (`now`: the clock, for tests)."""
    live, target = Path(settings.warehouse), Path(settings.public_warehouse)
    now = now or datetime.now(timezone.utc)
    if not live.exists():
        raise PublishError(f"warehouse interno assente / live warehouse missing: {live.name}")
    if live.resolve() == target.resolve():
        raise PublishError("il warehouse pubblico deve essere un file diverso da quello interno")
    target.parent.mkdir(parents=True, exist_ok=True)
    # NOTE: builds never write the live file in place (they swap a new one in), so copying it needs no lock.
    handle, name = tempfile.mkstemp(prefix=target.name + ".", suffix=".publishing", dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out, open(live, "rb") as source:
            shutil.copyfileobj(source, out, length=1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the replicas may run as another user
        tables = verify(tmp)
        version = write_open_data(settings, tmp, now)   # a catalogue the schema refuses stops the publish here
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    files = write_public_files(settings, target, version, now)
    return {"published": str(target), "tables": tables, "bytes": target.stat().st_size, **files}


def write_open_data(settings, copy: Path, now: datetime) -> str:
    """Write the open-data folder of the verified copy's version and check its catalogue; return the version."""
    version = open_data.version_id(copy)
    with open_data_versions.lock(settings):
        folder = open_data.write_version(copy, settings, version, now)
        check_catalogue(folder / open_data.CATALOGUE)
    return version


def write_public_files(settings, published: Path, version: str, now: datetime) -> dict:
    """Write the map files (per indicator with comune data and language) and the full download, make the open-data
    version the current one (latest/), and prune versions past their keep_days; return counts."""
    registry = queries.indicators(published)
    urls = {url for code in registry.loc[registry["has_comuni"], "code"] for lang in LANGUAGES
            for url in maps.write_static_files(published, lang, code)}
    full = downloads.full_download(published, downloads.folder(settings))
    with open_data_versions.lock(settings):
        open_data_versions.update_latest(settings, version)
        versions = open_data_versions.record(settings, version, [u.rsplit("/", 1)[1] for u in urls], full.name, now)
        pruned = open_data_versions.prune(settings, versions, now)
    return {"map_files": len(urls), "open_data": version,
            "pruned": ", ".join(f"{k} {v}" for k, v in pruned.items())}


def check_catalogue(path: Path) -> None:
    """Validate a written catalogue against the JSON Schema; PublishError (its folder removed) if it fails."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(CATALOGUE_SCHEMA.read_text(encoding="utf-8")),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))), key=lambda e: e.json_path)
    if errors:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise PublishError("catalogo dei dati aperti non valido / open-data catalogue invalid: "
                           + "; ".join(f"{e.json_path}: {e.message}" for e in errors[:5]))


def run(args) -> int:
    """Build first if there is no live warehouse, then publish; exit 0, the build's code, or 4 for a failed copy."""
    settings = load_settings()
    if not Path(settings.warehouse).exists():
        from etl import build_cli

        code = build_cli.run(args)
        if code:
            return code
    try:
        summary = publish(settings)
    except PublishError as exc:
        print(f"Pubblicazione interrotta: {exc}", file=sys.stderr)
        print("La copia pubblicata precedente resta in servizio.", file=sys.stderr)
        return 4
    print(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


def add_parser(commands) -> None:
    """Register the publish subcommand."""
    parser = commands.add_parser("publish", help="copia il warehouse in modo atomico nel percorso letto dall'istanza pubblica")
    parser.set_defaults(run=run)
