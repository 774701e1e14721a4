"""Downloads: the full data as a ZIP with a README of sources and licences; formula-like cells neutralised."""
from __future__ import annotations

import io
import zipfile

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    safe = frame.copy()
    for column in safe.select_dtypes(include=["object", "string"]).columns:
        safe[column] = safe[column].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of a frame, formula-like cells neutralised."""
    return neutralise(frame).to_csv(index=False).encode("utf-8")


def readme(sources: pd.DataFrame, info: dict) -> str:
    """README text for the full download: what the files hold, sources and licences."""
    lines = ["PSM Asse 5 monitor — dati completi / full data", "",
             f"Warehouse costruito il / built on: {info.get('built_at', 'n.d.')}",
             f"Elenco delle zone / zone list: {info.get('zone_list_status', 'n.d.')}", "",
             "osservazioni.csv: una riga per indicatore × livello × territorio × anno × sesso (F, M, T).",
             "indicatori.csv: il registro degli indicatori (unità, polarità, aggregazione, fonte).", "",
             "Fonti e licenze / sources and licences:"]
    for s in sources.to_dict("records"):
        lines.append(f"- {s['producer']}: {s['title_it']} — {s['licence']} — {s['citation']} — {s.get('url') or ''}")
    return "\n".join(lines) + "\n"


def full_zip(observations: pd.DataFrame, sources: pd.DataFrame, indicators: pd.DataFrame, info: dict) -> bytes:
    """ZIP with osservazioni.csv, indicatori.csv, fonti.csv and LEGGIMI.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("osservazioni.csv", csv_bytes(observations))
        archive.writestr("indicatori.csv", csv_bytes(indicators.drop(columns=["levels", "periods"], errors="ignore")))
        archive.writestr("fonti.csv", csv_bytes(sources))
        archive.writestr("LEGGIMI.txt", readme(sources, info))
    return buffer.getvalue()
