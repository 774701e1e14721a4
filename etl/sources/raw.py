"""Raw store: downloads kept byte for byte under data/raw/<source>/<date>/, listed in a manifest.

A refresh writes each response as it arrives (file name = logical name + sha256 prefix, never overwritten)
and records it in manifest.partial.json, so an interrupted run re-downloads nothing. manifest.json is written
(atomically) only once the whole set has downloaded and parsed: the build reads only complete sets.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from etl.sources.common import FormatError

MANIFEST = "manifest.json"
PARTIAL = "manifest.partial.json"


def request_key(method: str, url: str, body: str | None = None) -> str:
    """Identity of a request (method, full URL, body): the cache key within a day."""
    return hashlib.sha256(f"{method} {url}\n{body or ''}".encode("utf-8")).hexdigest()


def _write_json(path: Path, data: dict) -> None:
    """Write a JSON file atomically (temporary file, then rename)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class RawSet:
    """The files of one download of a source (complete, or staged for validation) and the facts found."""

    source: str
    folder: Path
    entries: list[dict]
    facts: dict

    def read(self, entry: dict) -> bytes:
        """Bytes of one file, checked against the sha256 in the manifest."""
        path = self.folder / entry["file"]
        if not path.exists():
            raise FormatError(f"{self.label}: file grezzo mancante {entry['file']}")
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise FormatError(f"{self.label}: il file {entry['file']} non corrisponde al suo sha256 (alterato?)")
        return content

    def named(self, prefix: str) -> list[dict]:
        """Entries whose logical name starts with prefix, in download order."""
        return [e for e in self.entries if e["name"].startswith(prefix)]

    @property
    def label(self) -> str:
        """'<source>/<date>': where the set lives under data/raw (no machine path)."""
        return f"{self.source}/{self.folder.name}"

    @property
    def retrieved_at(self) -> datetime:
        """When the last file of the set was retrieved (UTC)."""
        return max(datetime.fromisoformat(e["retrieved_at"]) for e in self.entries)

    @property
    def sha256(self) -> str:
        """The file's sha256, or for several files one sha256 over their names and checksums."""
        if len(self.entries) == 1:
            return self.entries[0]["sha256"]
        lines = sorted(f"{e['name']} {e['sha256']}" for e in self.entries)
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


class RawRun:
    """One refresh of one source: stores responses in today's folder and commits the manifest at the end."""

    def __init__(self, raw_root: Path, source: str, day: date | None = None, force: bool = False):
        self.source = source
        self.folder = Path(raw_root) / source / (day or datetime.now(timezone.utc).date()).isoformat()
        self.entries: list[dict] = []
        self.facts: dict = {}
        self._cache: dict[str, dict] = {}
        self._previous: str | None = None
        if not force:
            for name in (MANIFEST, PARTIAL):
                path = self.folder / name
                if path.exists():
                    for entry in json.loads(path.read_text(encoding="utf-8"))["files"]:
                        self._cache[entry["key"]] = entry

    def cached(self, key: str) -> bytes | None:
        """Bytes already downloaded today for this request (and still intact), else None."""
        entry = self._cache.get(key)
        if entry is None:
            return None
        try:
            content = RawSet(self.source, self.folder, [entry], {}).read(entry)
        except FormatError:
            return None
        self._add(entry)
        return content

    def store(self, name: str, key: str, url: str, method: str, body: str | None, content: bytes, ext: str) -> dict:
        """Write a response unchanged and record it (URL, retrieval time, sha256, size)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        sha = hashlib.sha256(content).hexdigest()
        file_name = f"{name}-{sha[:12]}.{ext}"
        path = self.folder / file_name
        if not path.exists():
            tmp = path.with_name(file_name + ".tmp")
            tmp.write_bytes(content)
            os.replace(tmp, path)
        entry = {"name": name, "file": file_name, "url": url, "method": method, "body": body, "key": key,
                 "retrieved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "sha256": sha, "size": len(content)}
        self._cache[key] = entry
        self._add(entry)
        _write_json(self.folder / PARTIAL, {"source": self.source, "files": list(self._cache.values())})
        return entry

    def _add(self, entry: dict) -> None:
        """Record an entry of this run (a later one with the same name replaces it)."""
        self.entries = [e for e in self.entries if e["name"] != entry["name"]] + [entry]

    def staged(self) -> RawSet:
        """The files of this run, for validation before the commit."""
        return RawSet(self.source, self.folder, list(self.entries), dict(self.facts))

    def commit(self) -> RawSet:
        """Write manifest.json for this run's files: from now on the build reads this set."""
        if not self.entries:
            raise FormatError(f"{self.source}: nessun file scaricato")
        path = self.folder / MANIFEST
        self._previous = path.read_text(encoding="utf-8") if path.exists() else None
        _write_json(path, {"source": self.source, "files": self.entries, "facts": self.facts})
        (self.folder / PARTIAL).unlink(missing_ok=True)
        return self.staged()

    def rollback(self) -> None:
        """Undo the commit (the build refused the new set): the previous complete set is the latest again."""
        path = self.folder / MANIFEST
        if self._previous is None:
            path.unlink(missing_ok=True)
        else:
            _write_json(path, json.loads(self._previous))


def latest(raw_root: Path, source: str) -> RawSet | None:
    """The most recent complete download of a source (the newest dated folder with a manifest)."""
    base = Path(raw_root) / source
    if not base.is_dir():
        return None
    for folder in sorted((p for p in base.iterdir() if p.is_dir()), reverse=True):
        path = folder / MANIFEST
        if path.exists():
            manifest = json.loads(path.read_text(encoding="utf-8"))
            return RawSet(source, folder, manifest["files"], manifest.get("facts", {}))
    return None
