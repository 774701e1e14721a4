"""«Novità nei dati»: the published loads as a log (newest first) and, per indicator, its last and next update.

Pure functions of the warehouse: texts in the view's language, as plain text (escape them where they are shown).
In public mode who uploaded or reverted a file is the offices, never a person; the file names and notes of uploads
and reverts (written by officials) are not read either.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from monitor import fmt, queries
from monitor.i18n import picker

UPDATES = ("etl", "upload", "revert")     # the loads that change the data; bundled files come with the software
KINDS = {"etl": ("Aggiornamento dalla fonte", "Download from the source"),
         "upload": ("Caricamento degli uffici", "Upload by the offices"),
         "revert": ("Annullamento di un caricamento", "Upload reverted"),
         "bundled": ("Dati inclusi nel progetto", "Data bundled with the project")}
OFFICES = ("Uffici della Città metropolitana di Torino", "Offices of the Metropolitan City of Turin")
AUTOMATIC = ("aggiornamento automatico (python -m etl refresh)", "automatic refresh (python -m etl refresh)")
STATUS = {"superseded": ("poi sostituito da dati più recenti", "later replaced by newer data"),
          "reverted": ("poi annullato", "later reverted")}
LOG_COLUMNS = ["load_id", "date", "kind", "by", "source", "data", "period", "rows", "added", "changed", "removed",
               "touches", "status", "note"]


def day(value, lang: str) -> str:
    """A date (or time) as 14/09/2026 or 14 Sep 2026; n.d. when missing."""
    if fmt.is_missing(value):
        return fmt.MISSING[lang]
    return pd.Timestamp(value).strftime("%d/%m/%Y" if lang == "it" else "%d %b %Y")


def who(row: dict, lang: str, public: bool) -> str:
    """Who made a load: the offices in public mode (uploads and reverts), the account's name otherwise."""
    L = picker(lang)
    if row["kind"] in ("upload", "revert"):
        return L(*OFFICES) if public or not row.get("created_by") else str(row["created_by"])
    return L(*AUTOMATIC) if row["kind"] == "etl" else L(*KINDS["bundled"])


def period(first, last) -> str:
    """'2021–2023', '2022', or '' when the load covers no period."""
    if fmt.is_missing(first):
        return ""
    return f"{int(first)}" if int(first) == int(last) else f"{int(first)}–{int(last)}"


def touches(row: dict, lang: str) -> str:
    """The indicators (by name), actions and zone list a load touches."""
    L = picker(lang)
    parts = list(row["indicators_en" if lang == "en" else "indicators_it"])
    if len(row["actions"]):
        parts.append(L("azioni ", "actions ") + ", ".join(row["actions"]))
    if row["zone_list"]:
        parts.append(L("elenco delle zone omogenee", "list of homogeneous zones"))
    return "; ".join(parts)


def what(row: dict, lang: str) -> str:
    """The source's title and the load's file (for uploads the file name is left out where the query hid it)."""
    title = row["title_en" if lang == "en" else "title_it"]
    title = "" if fmt.is_missing(title) else str(title)
    file_name = row.get("file_name")
    return f"{title} ({file_name})" if title and not fmt.is_missing(file_name) else title


def count(value, lang: str) -> str:
    """A row count, n.d. when not recorded."""
    return fmt.MISSING[lang] if fmt.is_missing(value) else fmt.number(value, 0, lang)


def changes_log(db: Path, lang: str, public: bool) -> pd.DataFrame:
    """Every load, newest first, as texts: date, kind, who, source, period, rows, rows added/changed/removed, what it
    touches, its later status and (internal only) its note."""
    L = picker(lang)
    rows = []
    for row in queries.data_changes(db, public).to_dict("records"):
        later = STATUS.get(row["status"])
        note = "" if fmt.is_missing(row["note"]) else str(row["note"])
        rows.append({"load_id": row["load_id"], "date": day(row["created_at"], lang), "kind": L(*KINDS[row["kind"]]),
                     "by": who(row, lang, public), "source": row["producer"] or "", "data": what(row, lang),
                     "period": period(row["first_period"], row["last_period"]), "rows": count(row["rows"], lang),
                     "added": count(row["rows_added"], lang), "changed": count(row["rows_changed"], lang),
                     "removed": count(row["rows_removed"], lang), "touches": touches(row, lang),
                     "status": L(*later) if later else "", "note": note, "_kind": row["kind"]})
    return pd.DataFrame(rows, columns=[*LOG_COLUMNS, "_kind"])


def loads_for_public(loads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The loads table as the public sees it: uploads and reverts by the offices, without their file names and notes
    (written by officials)."""
    official = loads["kind"].isin(["upload", "revert"])
    return loads.assign(created_by=loads["created_by"].where(~official, picker(lang)(*OFFICES)),
                        file_name=loads["file_name"].where(~official, None), note=loads["note"].where(~official, None))


def next_release(row: dict, lang: str, today: date) -> str:
    """The next release the source's producer announced, or 'non previsto'; never a date worked out here."""
    L = picker(lang)
    if fmt.is_missing(row["next_release"]):
        return L("non previsto", "not scheduled")
    when = day(row["next_release"], lang)
    return when if pd.Timestamp(row["next_release"]).date() >= today else when + L(" (data passata)", " (date passed)")


def indicator_updates(db: Path, lang: str, today: date) -> pd.DataFrame:
    """Per indicator: name, source, last update (and the producer's release date), next expected, stated schedule."""
    L = picker(lang)
    rows = []
    for row in queries.indicator_updates(db).to_dict("records"):
        schedule = row["release_schedule_en" if lang == "en" else "release_schedule_it"]
        released = "" if fmt.is_missing(row["last_released_on"]) else \
            L(" (pubblicato il ", " (released ") + day(row["last_released_on"], lang) + ")"
        rows.append({"indicator": row["name_en" if lang == "en" else "name_it"], "source": row["producer"] or "",
                     "last_update": (L("nessun dato", "no data") if fmt.is_missing(row["last_loaded_at"])
                                     else day(row["last_loaded_at"], lang) + released),
                     "next_update": next_release(row, lang, today),
                     "schedule": "" if fmt.is_missing(schedule) else str(schedule),
                     "schedule_url": None if fmt.is_missing(row["release_calendar_url"])
                     else str(row["release_calendar_url"])})
    return pd.DataFrame(rows, columns=["indicator", "source", "last_update", "next_update", "schedule", "schedule_url"])
