"""Downloads: CSVs of the rows shown, and the full data as a ZIP streamed to a file once per warehouse content."""
from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from core import warehouse

from monitor import queries

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FULL_DOWNLOAD_STEM = "psm_asse5_dati"
OBSERVATIONS_BATCH_ROWS = 50_000     # rows per record batch of the full download: bounds its memory
_writing = threading.Lock()          # one full download written at a time in a process
_digests: dict[str, tuple[str, str]] = {}   # warehouse path -> (file version, sha256)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    safe = frame.copy()
    for column in safe.select_dtypes(include=["object", "string"]).columns:
        values = safe[column]
        if isinstance(values.dtype, pd.StringDtype):  # text only: one vectorised test per column
            risky = values.str.startswith(FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                safe[column] = values.where(~risky, "'" + values)
        else:
            safe[column] = values.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return safe


def csv_bytes(frame: pd.DataFrame, header: bool = True) -> bytes:
    """UTF-8 CSV of a frame, formula-like cells neutralised."""
    return neutralise(frame).to_csv(index=False, header=header).encode("utf-8")


def readme(sources: pd.DataFrame, info: dict) -> str:
    """README text for the full download: what the files hold, sources and licences."""
    lines = ["PSM Asse 5 monitor — dati completi / full data", "",
             f"Warehouse costruito il / built on: {info.get('built_at', 'n.d.')}",
             f"Elenco delle zone / zone list: {info.get('zone_list_status', 'n.d.')}", "",
             "osservazioni.csv: una riga per indicatore × livello × territorio × anno × sesso (F, M, T). Livelli: comune, "
             "zona, cm (Città metropolitana di Torino); per confronto italia, regione, citta_metropolitana (le 14).",
             "indicatori.csv: il registro degli indicatori (unità, polarità, aggregazione, fonte).", "",
             "Fonti e licenze / sources and licences:"]
    for s in sources.to_dict("records"):
        lines.append(f"- {s['producer']}: {s['title_it']} — {s['licence']} — {s['citation']} — {s.get('url') or ''}")
    return "\n".join(lines) + "\n"


def folder(settings) -> Path:
    """Where full downloads are written: data_dir/downloads (the publish step and the app agree on it)."""
    return Path(settings.data_dir) / "downloads"


def warehouse_digest(db: Path) -> str:
    """SHA-256 of the warehouse file, computed once per file version: the published copy shares its live file's."""
    version = warehouse.version(db)
    known = _digests.get(str(db))
    if known and known[0] == version:
        return known[1]
    digest = hashlib.sha256()
    with open(db, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    _digests[str(db)] = (version, digest.hexdigest())
    return digest.hexdigest()


def full_download(db: Path, target_folder: Path) -> Path:
    """Path of the full-data ZIP of a warehouse, named by the warehouse's content and written only if missing."""
    target = target_folder / f"{FULL_DOWNLOAD_STEM}-{warehouse_digest(db)[:16]}.zip"
    with _writing:
        if not target.exists():
            target_folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            try:
                write_full_zip(db, partial)
                os.chmod(partial, 0o644)  # the public replicas may run as another user
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
    return target


def write_full_zip(db: Path, target: Path) -> None:
    """Write osservazioni.csv (streamed), indicatori.csv, fonti.csv and LEGGIMI.txt to a ZIP file."""
    sources, indicators, info = queries.sources(db), queries.indicators(db), queries.build_info(db)
    stamp = zip_time(info.get("built_at"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(zip_entry("osservazioni.csv", stamp), "w", force_zip64=True) as entry:
            write_observations_csv(db, entry)
        archive.writestr(zip_entry("indicatori.csv", stamp),
                         csv_bytes(indicators.drop(columns=["levels", "periods"], errors="ignore")))
        archive.writestr(zip_entry("fonti.csv", stamp), csv_bytes(sources))
        archive.writestr(zip_entry("LEGGIMI.txt", stamp), readme(sources, info))


def zip_time(built_at: str | None) -> tuple[int, ...]:
    """The build time as a ZIP entry time (1980-01-01 when unknown), so one warehouse gives one ZIP."""
    try:
        return datetime.fromisoformat(built_at).timetuple()[:6]
    except (TypeError, ValueError):
        return (1980, 1, 1, 0, 0, 0)


def zip_entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    """A deflated, world-readable ZIP entry with a fixed time."""
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_observations_csv(db: Path, out: BinaryIO, codes: list[str] | None = None) -> int:
    """Write every observation (or those of the given indicators) as CSV to a binary stream, one indicator's record
    batches at a time; return the rows."""
    con = warehouse.connect(db)
    try:
        if codes is None:
            codes = [code for (code,) in con.execute(queries.read_sql("export_indicator_codes")).fetchall()]
        return observations_csv(con, out, codes, load_time_texts(con))
    finally:
        con.close()


def observations_csv(con, out: BinaryIO, codes: list[str], load_times: dict) -> int:
    """Write the observations of the given indicators as one CSV through an open connection; return the rows."""
    sql = queries.read_sql("export_observations")
    rows = 0
    for code in codes:
        with con.sql(sql, params={"indicator": code}).to_arrow_reader(OBSERVATIONS_BATCH_ROWS) as reader:
            for batch in reader:
                if batch.num_rows:
                    frame = batch.to_pandas()
                    frame["loaded_at"] = frame["loaded_at"].map(load_times)
                    out.write(csv_bytes(frame, header=rows == 0))
                    rows += batch.num_rows
    if rows == 0:
        columns = con.sql(sql, params={"indicator": ""}).columns
        out.write(pd.DataFrame(columns=columns).to_csv(index=False).encode("utf-8"))
    return rows


def load_time_texts(con) -> dict:
    """Load time -> its CSV text, formatted as pandas formats the whole loaded_at column (dates only when all are)."""
    times = con.sql(queries.read_sql("export_load_times")).to_arrow_table().to_pandas()["loaded_at"].dropna()
    texts = times.to_frame().to_csv(index=False, header=False).splitlines()
    return dict(zip(times, texts))
