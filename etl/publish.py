"""`python -m etl publish`: copy the live warehouse atomically to the path the public instance reads."""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from core import warehouse

from monitor import downloads, maps, queries
from core.settings import load_settings
from monitor.i18n import LANGUAGES

SCHEMA_FILE = Path(__file__).resolve().parent / "sql" / "schema.sql"


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


def publish(settings) -> dict:
    """Copy the live warehouse next to the public path, verify the copy, then swap it in with os.replace."""
    live, target = Path(settings.warehouse), Path(settings.public_warehouse)
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
        os.replace(tmp, target)
        map_files = write_public_files(settings, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"published": str(target), "tables": tables, "bytes": target.stat().st_size, "map_files": map_files}


def write_public_files(settings, published: Path) -> int:
    """Write the map files (per indicator with comune data and language) and the full download; return the map count."""
    registry = queries.indicators(published)
    urls = {url for code in registry.loc[registry["has_comuni"], "code"] for lang in LANGUAGES
            for url in maps.write_static_files(published, lang, code)}
    downloads.full_download(published, downloads.folder(settings))
    return len(urls)


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
