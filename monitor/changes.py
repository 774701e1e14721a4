"""«Novità nei dati»: the published loads as a log (newest first) and, per indicator, its last and next update.

Pure functions of the warehouse: texts in the view's language, as plain text (escape them where they are shown).
In public mode who uploaded or reverted a file is the offices, never a person; the file names and notes of uploads
and reverts (written by officials) are not read either.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from core.bilingual import Text, localized, localized_column
from monitor import fmt, phrases, plain, queries
from monitor.phrases import OFFICES

UPDATES = ("etl", "upload", "revert")     # the loads that change the data; bundled files come with the software
KINDS = {"etl": Text("Aggiornamento dalla fonte", "Download from the source"),
         "upload": Text("Caricamento degli uffici", "Upload by the offices"),
         "revert": Text("Annullamento di un caricamento", "Upload reverted"),
         "bundled": Text("Dati inclusi nel progetto", "Data bundled with the project")}
AUTOMATIC = Text("aggiornamento automatico (python -m etl refresh)", "automatic refresh (python -m etl refresh)")
STATUS = {"superseded": Text("poi sostituito da dati più recenti", "later replaced by newer data"),
          "reverted": Text("poi annullato", "later reverted")}
LOG_COLUMNS = ["load_id", "date", "kind", "by", "source", "data", "period", "rows", "added", "changed", "removed",
               "touches", "status", "note"]


def who(row: dict, lang: str, public: bool) -> str:
    """Who made a load: the offices in public mode (uploads and reverts), the account's name otherwise."""
    if row["kind"] in ("upload", "revert"):
        return phrases.uploader(row.get("created_by"), lang, public)
    return AUTOMATIC.in_(lang) if row["kind"] == "etl" else KINDS["bundled"].in_(lang)


def period(first, last) -> str:
    """'2021–2023', '2022', or '' when the load covers no period."""
    if fmt.is_missing(first):
        return ""
    return f"{int(first)}" if int(first) == int(last) else f"{int(first)}–{int(last)}"


def touches(row: dict, lang: str) -> str:
    """The indicators (by name), actions, priority zones (by plan code) and zone list a load touches."""
    parts = list(row[localized_column("indicators", lang)])   # lists: localized() reads text
    if len(row["actions"]):
        parts.append(Text("azioni ", "actions ").in_(lang) + ", ".join(row["actions"]))
    if len(row.get("priorities", [])):
        parts.append(Text("zone prioritarie di ", "priority zones of ").in_(lang) + ", ".join(row["priorities"]))
    if row["zone_list"]:
        parts.append(Text("elenco delle zone omogenee", "list of homogeneous zones").in_(lang))
    return "; ".join(parts)


def what(row: dict, lang: str) -> str:
    """The source's title and the load's file (for uploads the file name is left out where the query hid it)."""
    title = localized(row, "title", lang)
    title = "" if fmt.is_missing(title) else str(title)
    file_name = row.get("file_name")
    return f"{title} ({file_name})" if title and not fmt.is_missing(file_name) else title


def count(value, lang: str) -> str:
    """A row count, n.d. when not recorded."""
    return fmt.MISSING.in_(lang) if fmt.is_missing(value) else fmt.number(value, 0, lang)


def changes_log(db: Path, lang: str, public: bool) -> pd.DataFrame:
    """Every load, newest first, as texts: date, kind, who, source, period, rows, rows added/changed/removed, what it
    touches, its later status and (internal only) its note."""
    rows = []
    for row in queries.data_changes(db, public).to_dict("records"):
        later = STATUS.get(row["status"])
        note = "" if fmt.is_missing(row["note"]) else str(row["note"])
        rows.append({"load_id": row["load_id"], "date": fmt.day(row["created_at"], lang),
                     "kind": KINDS[row["kind"]].in_(lang),
                     "by": who(row, lang, public), "source": row["producer"] or "", "data": what(row, lang),
                     "period": period(row["first_period"], row["last_period"]), "rows": count(row["rows"], lang),
                     "added": count(row["rows_added"], lang), "changed": count(row["rows_changed"], lang),
                     "removed": count(row["rows_removed"], lang), "touches": touches(row, lang),
                     "status": later.in_(lang) if later else "", "note": note, "_kind": row["kind"]})
    return pd.DataFrame(rows, columns=[*LOG_COLUMNS, "_kind"])


def loads_for_public(loads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The loads table as the public sees it: uploads and reverts by the offices, without their file names and notes
    (written by officials)."""
    official = loads["kind"].isin(["upload", "revert"])
    return loads.assign(created_by=loads["created_by"].where(~official, OFFICES.in_(lang)),
                        file_name=loads["file_name"].where(~official, None), note=loads["note"].where(~official, None))


def next_release(row: dict, lang: str, today: date) -> str:
    """The next release the source's producer announced, or 'non previsto'; never a date worked out here."""
    if fmt.is_missing(row["next_release"]):
        return Text("non previsto", "not scheduled").in_(lang)
    when = fmt.day(row["next_release"], lang)
    passed = Text(" (data passata)", " (date passed)").in_(lang)
    return when if pd.Timestamp(row["next_release"]).date() >= today else when + passed


def indicator_updates(db: Path, lang: str, today: date) -> pd.DataFrame:
    """Per indicator: name, source, last update (and the producer's release date), next expected, stated schedule."""
    rows = []
    for row in queries.indicator_updates(db).to_dict("records"):
        schedule = localized(row, "release_schedule", lang)
        released = "" if fmt.is_missing(row["last_released_on"]) else \
            Text(" (pubblicato il ", " (released ").in_(lang) + fmt.day(row["last_released_on"], lang) + ")"
        rows.append({"indicator": localized(row, "name", lang), "source": row["producer"] or "",
                     "last_update": (Text("nessun dato", "no data").in_(lang) if fmt.is_missing(row["last_loaded_at"])
                                     else fmt.day(row["last_loaded_at"], lang) + released),
                     "next_update": next_release(row, lang, today),
                     "schedule": "" if fmt.is_missing(schedule) else str(schedule),
                     "schedule_url": plain.web_address(row["release_calendar_url"]) or ""})
    return pd.DataFrame(rows, columns=["indicator", "source", "last_update", "next_update", "schedule", "schedule_url"])
