"""Published versions: the `latest/` copy, the list of versions (opendata/versioni.json) and the pruning.

Each publish records the files its version serves: the open-data folder, the map files (static/geo/) and the full
download (data/downloads/). A version replaced by a newer one stays reachable for `[publish] keep_days` days from
the publish that replaced it; the first publish after that deletes its files, unless a version still kept serves
them too. Map files and ZIPs that no version lists (older than this record, or written by the internal instance)
are deleted once they are keep_days old; the current version's files are never deleted.

`latest/` holds a copy of the current version's files, each replaced on its own with os.replace (a hard link to the
version's file where the file system allows it, a copy otherwise): its addresses never change, and a reader gets
either the old file or the new one, never a missing or partial file. A symbolic link was not used: a static
server may refuse or not follow one, and a copy of the folder to another server (rsync, object storage) loses it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from filelock import FileLock

from monitor import downloads, open_data

VERSIONS = "versioni.json"
VERSION = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$")
LEFTOVER = re.compile(r"^\..+\.partial$")      # a write interrupted before its rename
MAP_FILE = re.compile(r"^(comuni-.+|zone)-[0-9a-f]{16}\.json$")
ZIP_FILE = re.compile(rf"^{downloads.FULL_DOWNLOAD_STEM}-[0-9a-f]{{16}}\.zip$")


def lock(settings) -> FileLock:
    """Serialises publishes' writes to the open-data folder and their pruning."""
    open_data.folder(settings).mkdir(parents=True, exist_ok=True)
    return FileLock(str(open_data.folder(settings) / ".publish.lock"))


def history(settings) -> list[dict]:
    """The published versions, oldest first (empty before the first publish)."""
    path = open_data.folder(settings) / VERSIONS
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["versions"]


def write_history(settings, versions: list[dict]) -> None:
    """Replace versioni.json atomically."""
    path = open_data.folder(settings) / VERSIONS
    partial = path.with_name(f".{VERSIONS}.{os.getpid()}.partial")
    partial.write_text(json.dumps({"keep_days": settings.publish_keep_days, "versions": versions},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, path)


def record(settings, version: str, maps: list[str], full_download: str, now: datetime) -> list[dict]:
    """Make `version` the current one (the previous current one is replaced now); return the new list."""
    stamp = now.isoformat(timespec="seconds")
    versions = [v for v in history(settings) if v["version"] != version]
    for v in versions:
        if v["superseded_at"] is None:
            v["superseded_at"] = stamp
    previous = next((v for v in history(settings) if v["version"] == version), None)
    versions.append({"version": version, "published_at": previous["published_at"] if previous else stamp,
                     "superseded_at": None, "maps": sorted(maps), "downloads": [full_download]})
    write_history(settings, versions)
    return versions


def expired(entry: dict, settings, now: datetime) -> bool:
    """True for a replaced version whose keep_days have run out."""
    if entry["superseded_at"] is None:
        return False
    return now >= datetime.fromisoformat(entry["superseded_at"]) + timedelta(days=settings.publish_keep_days)


def update_latest(settings, version: str) -> None:
    """Replace latest/'s files with the version's, one at a time, the catalogue last; drop files it no longer has."""
    source, latest = open_data.folder(settings) / version, open_data.folder(settings) / open_data.LATEST
    latest.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in source.iterdir() if p.name != open_data.CATALOGUE) + [open_data.CATALOGUE]
    for name in names:
        partial = latest / f".{name}.{os.getpid()}.partial"
        partial.unlink(missing_ok=True)
        try:
            os.link(source / name, partial)
        except OSError:  # no hard links here (another file system, some network shares): a copy
            shutil.copyfile(source / name, partial)
        os.replace(partial, latest / name)
    for stale in latest.iterdir():
        if stale.name not in names:
            stale.unlink()


def prune(settings, versions: list[dict], now: datetime) -> dict[str, int]:
    """Delete the files of expired versions and old unlisted map files and ZIPs; return what was deleted."""
    kept = [v for v in versions if not expired(v, settings, now)]
    gone = [v for v in versions if expired(v, settings, now)]
    keep_maps = {name for v in kept for name in v["maps"]}
    keep_zips = {name for v in kept for name in v["downloads"]}
    for entry in gone:
        shutil.rmtree(open_data.folder(settings) / entry["version"], ignore_errors=True)
    if gone:
        write_history(settings, kept)
    cutoff = (now - timedelta(days=settings.publish_keep_days)).timestamp()
    listed = {v["version"] for v in versions}
    for path in open_data.folder(settings).iterdir():   # never made current (publish stopped), or interrupted
        if (VERSION.match(path.name) and path.name not in listed or LEFTOVER.match(path.name)) \
                and path.stat().st_mtime < cutoff:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    maps = _delete_old(Path(settings.static_dir) / "geo", MAP_FILE, keep_maps, gone, "maps", cutoff)
    zips = _delete_old(downloads.folder(settings), ZIP_FILE, keep_zips, gone, "downloads", cutoff)
    return {"versions": len(gone), "maps": maps, "downloads": zips}


def _delete_old(where: Path, pattern: re.Pattern, keep: set[str], gone: list[dict], key: str, cutoff: float) -> int:
    """Delete the files of `where` named like `pattern` that no kept version lists and that an expired version
    listed or that are older than cutoff; return how many."""
    listed_by_gone = {name for v in gone for name in v[key]}
    deleted = 0
    for path in where.iterdir() if where.exists() else ():
        if not pattern.match(path.name) or path.name in keep:
            continue
        if path.name in listed_by_gone or path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def published(settings) -> tuple[dict | None, list[dict]]:
    """The current version and the older ones still reachable (newest first), each with the date it stops being
    reachable (`until`), for «Dati e fonti»."""
    versions = history(settings)
    current = next((v for v in versions if v["superseded_at"] is None), None)
    older = [{**v, "until": datetime.fromisoformat(v["superseded_at"]) + timedelta(days=settings.publish_keep_days)}
             for v in reversed(versions) if v["superseded_at"] is not None]
    return current, older
