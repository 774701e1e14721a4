"""Reports in words for the command line and the pages: problems, previews, ledger entries, history."""
from __future__ import annotations

import numbers

import pandas as pd

from etl.uploads.diff import Preview
from core import progress_status

PROBLEM_HEADERS = {"it": {"row": "Riga", "column": "Colonna", "value": "Valore", "message": "Problema"},
                   "en": {"row": "Row", "column": "Column", "value": "Value", "message": "Problem"}}
CHANGE_WORDS = {"added": "aggiunta", "changed": "modificata", "removed": "tolta", "unchanged": "invariata"}
# The fields a preview compares (etl/uploads/diff.py SHAPES), in words.
FIELD_LABELS = {
    "it": {"value": "valore", "status": "stato", "percent": "avanzamento (%)",
           "funds_allocated": "risorse stanziate (€)", "funds_spent": "risorse spese (€)", "note": "nota",
           "baseline_period": "anno di partenza", "baseline_value": "valore di partenza",
           "target_period": "anno dell'obiettivo",
           "target_value": "valore obiettivo", "zona_id": "zona", "zona_nome": "nome della zona"},
    "en": {"value": "value", "status": "status", "percent": "progress (%)", "funds_allocated": "funds allocated (€)",
           "funds_spent": "funds spent (€)", "note": "note", "baseline_period": "baseline year",
           "baseline_value": "baseline value", "target_period": "target year", "target_value": "target value",
           "zona_id": "zone", "zona_nome": "zone name"},
}
YEARS_AND_CODES = {"baseline_period", "target_period", "zona_id"}   # numbers shown without thousands separators
WHOLE_ROW = {"it": "riga intera", "en": "whole row"}
ITALIAN_MARKS = str.maketrans(",.", ".,")                           # 1,234.5 → 1.234,5
ISO_DATE = r"\b(\d{4})-(\d{2})-(\d{2})\b"                          # in a key: 2026-10-31 → 31/10/2026


def summary_text(summary: dict | None) -> str:
    """'1 aggiunte, 2 modificate, 0 tolte' from an entry's counts."""
    if not summary:
        return ""
    return (f"{summary.get('added', 0)} aggiunte, {summary.get('changed', 0)} modificate, "
            f"{summary.get('removed', 0)} tolte")


def how_many(count: int, lang: str = "it") -> str:
    """'1 problema', '3 problemi' (or English)."""
    if lang == "en":
        return f"{count} problem" + ("" if count == 1 else "s")
    return f"{count} problema" if count == 1 else f"{count} problemi"


def problems_table(problems: pd.DataFrame, lang: str = "it") -> pd.DataFrame:
    """Problems with headers in the view's language; the whole-file ones say so in the row column."""
    shown = problems.copy()
    shown["row"] = shown["row"].astype(object).where(shown["row"].notna(), "file" if lang == "en" else "intero file")
    return shown.rename(columns=PROBLEM_HEADERS[lang])


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts with None for missing values."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def preview_dict(preview: Preview, limit: int = 50) -> dict:
    """Counts and the largest changes, for --json."""
    changes = preview.changes[preview.changes["change"] != "unchanged"]
    return {"counts": preview.counts, "changes": records(changes.head(limit))}


def report_text(report, preview: Preview | None) -> str:
    """A validation report as text: verdict, dialect, warnings, every problem, then the preview."""
    lines = [f"File: {report.file_name} ({report.size} byte, sha256 {report.sha256[:12]})"]
    if report.kind:
        lines.append(f"Tipo: {report.kind} · {report.dialect} · {report.rows} righe")
    lines += [f"Attenzione: {w}" for w in report.warnings]
    if not report.ok:
        lines.append(f"NON VALIDO: {how_many(len(report.problems))}, nulla è stato caricato.")
        lines.append(text_table(problems_table(report.problems)))
        return "\n".join(lines)
    lines.append("VALIDO.")
    if preview is not None:
        lines.append(preview_text(preview))
    return "\n".join(lines)


def preview_text(preview: Preview, limit: int = 30) -> str:
    """Counts of the change and the largest changes first."""
    total = preview.counts
    lines = [f"Anteprima: {total['added']} righe aggiunte, {total['changed']} modificate, {total['removed']} tolte, "
             f"{total['unchanged']} invariate."]
    shown = preview_table(preview).head(limit)
    if len(shown):
        lines.append(text_table(shown))
    return "\n".join(lines)


def text_table(frame: pd.DataFrame) -> str:
    """A table as text for the command line: missing cells blank (not None or NaN)."""
    return frame.astype(object).where(frame.notna(), "").to_string(index=False)


def refused_text(exc) -> str:
    """Why an upload or revert was refused, with its problems."""
    text = f"Rifiutato: {exc}"
    if exc.problems is not None and len(exc.problems):
        text += "\n" + text_table(problems_table(exc.problems))
    return text


def entry_text(entry: dict) -> str:
    """A ledger entry in one line."""
    what = f"annulla {entry['reverts']}" if entry["event"] == "revert" else f"{entry['kind']}, {entry['rows']} righe"
    return (f"{entry['id']} registrato il {entry['at']} da {entry['by']}: {entry.get('file_name')} ({what}); "
            f"{summary_text(entry.get('summary'))}. Warehouse aggiornato.")


def history_text(table: pd.DataFrame) -> str:
    """The history as a text table (newest first)."""
    if table.empty:
        return "Nessun caricamento registrato."
    shown = table.assign(at=table["at"].dt.strftime("%d/%m/%Y %H:%M"))
    return text_table(shown[["id", "at", "by", "file_name", "kind", "rows", "summary", "status", "reverts"]])


PREVIEW_HEADERS = {"it": {"change": "Modifica", "table": "Tabella", "key": "Chiave", "field": "Campo", "old": "Prima",
                          "new": "Dopo"},
                   "en": {"change": "Change", "table": "Table", "key": "Key", "field": "Field", "old": "Before",
                          "new": "After"}}
CHANGE_WORDS_EN = {"added": "added", "changed": "changed", "removed": "removed", "unchanged": "unchanged"}
# An upload's status in the ledger (not an action's progress status: see prepare.STATUS_BY_LABEL), in words.
LOAD_STATUS_WORDS = {"it": {"active": "attivo", "reverted": "annullato"},
                     "en": {"active": "active", "reverted": "reverted"}}
HISTORY_HEADERS = {"it": {"id": "Identificativo", "at": "Data e ora", "by": "Chi", "file_name": "File", "kind": "Tipo",
                          "rows": "Righe", "summary": "Modifiche", "status": "Stato", "reverts": "Annulla",
                          "reason": "Motivo"},
                   "en": {"id": "Id", "at": "Date and time", "by": "Who", "file_name": "File", "kind": "Kind",
                          "rows": "Rows", "summary": "Changes", "status": "Status", "reverts": "Undoes",
                          "reason": "Reason"}}


def preview_table(preview: Preview, lang: str = "it") -> pd.DataFrame:
    """The changes of a preview (unchanged rows left out) with headers, field names, dates and numbers in the view's
    language, as text; an added or removed row of several fields as «field: value» pairs; the table column only when
    the preview spans more than one table."""
    words = CHANGE_WORDS if lang == "it" else CHANGE_WORDS_EN
    changes = preview.changes[preview.changes["change"] != "unchanged"].drop(columns=["delta"])
    if changes["table"].nunique() < 2:
        changes = changes.drop(columns=["table"])
    fields = [_fields_shown(field, old, new, lang) for field, old, new in
              zip(changes["field"], changes["old"], changes["new"])]
    shown = changes.assign(change=changes["change"].map(words),
                           key=changes["key"].astype(str).str.replace(ISO_DATE, r"\3/\2/\1", regex=True),
                           field=[field for field, _old, _new in fields],
                           old=[old for _field, old, _new in fields], new=[new for _field, _old, new in fields])
    return shown.rename(columns=PREVIEW_HEADERS[lang])


def _fields_shown(field: str, old, new, lang: str) -> tuple[str, str, str]:
    """(field, old, new) of one preview row in words; a whole row's fields as 'name: value · name: value'."""
    labels = FIELD_LABELS[lang]
    if not isinstance(old, dict) and not isinstance(new, dict):
        return labels.get(field, field), cell_text(old, field, lang), cell_text(new, field, lang)
    return WHOLE_ROW[lang], *(" · ".join(f"{labels.get(name, name)}: {cell_text(value, name, lang)}"
                                         for name, value in side.items()) if isinstance(side, dict) else ""
                              for side in (old, new))


def cell_text(value, field: str = "", lang: str = "it") -> str:
    """A previewed value as the view's language writes it: 1.234,5 (it) or 1,234.5 (en) with up to six decimals, a
    status by its label, years and zone numbers without separators, empty for a missing one."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if field == "status":
        return progress_status.label(str(value), lang)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        if field in YEARS_AND_CODES and float(value).is_integer():
            return str(int(value))
        text = f"{value:,}" if isinstance(value, numbers.Integral) else f"{value:,.6f}".rstrip("0").rstrip(".")
        return text.translate(ITALIAN_MARKS) if lang == "it" else text
    return str(value)


def history_display(history: pd.DataFrame, lang: str = "it") -> pd.DataFrame:
    """The ledger history with headers and statuses in the view's language."""
    shown = history.drop(columns=["event", "sha256"])
    shown = shown.assign(status=shown["status"].map(LOAD_STATUS_WORDS[lang]),
                         at=shown["at"].dt.strftime("%d/%m/%Y %H:%M"))
    return shown.rename(columns=HISTORY_HEADERS[lang])
