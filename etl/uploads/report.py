"""Reports in words for the command line and the pages: problems, previews, ledger entries, history."""
from __future__ import annotations

import numbers

import pandas as pd

from etl.uploads.diff import Preview
from core import progress_status
from core.bilingual import Text, in_language

PROBLEM_HEADERS = {"row": Text("Riga", "Row"), "column": Text("Colonna", "Column"), "value": Text("Valore", "Value"),
                   "message": Text("Problema", "Problem")}
CHANGE_WORDS = {"added": Text("aggiunta", "added"), "changed": Text("modificata", "changed"),
                "removed": Text("tolta", "removed"), "unchanged": Text("invariata", "unchanged")}
# The fields a preview compares (etl/uploads/diff.py SHAPES), in words.
FIELD_LABELS = {
    "value": Text("valore", "value"), "status": Text("stato", "status"), "percent": Text("avanzamento (%)", "progress (%)"),
    "funds_allocated": Text("risorse stanziate (€)", "funds allocated (€)"),
    "funds_spent": Text("risorse spese (€)", "funds spent (€)"), "note": Text("nota", "note"),
    "baseline_period": Text("anno di partenza", "baseline year"),
    "baseline_value": Text("valore di partenza", "baseline value"),
    "target_period": Text("anno dell'obiettivo", "target year"), "target_value": Text("valore obiettivo", "target value"),
    "zona_id": Text("zona", "zone"), "zona_nome": Text("nome della zona", "zone name"),
}
YEARS_AND_CODES = {"baseline_period", "target_period", "zona_id"}   # numbers shown without thousands separators
WHOLE_ROW = Text("riga intera", "whole row")
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
    return (Text(f"{count} problema", f"{count} problem") if count == 1 else
            Text(f"{count} problemi", f"{count} problems")).in_(lang)


def problems_table(problems: pd.DataFrame, lang: str = "it") -> pd.DataFrame:
    """Problems with headers in the view's language; the whole-file ones say so in the row column."""
    shown = problems.copy()
    shown["row"] = shown["row"].astype(object).where(shown["row"].notna(), Text("intero file", "file").in_(lang))
    return shown.rename(columns=in_language(PROBLEM_HEADERS, lang))


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


PREVIEW_HEADERS = {"change": Text("Modifica", "Change"), "table": Text("Tabella", "Table"), "key": Text("Chiave", "Key"),
                   "field": Text("Campo", "Field"), "old": Text("Prima", "Before"), "new": Text("Dopo", "After")}
# An upload's status in the ledger (not an action's progress status: see prepare.STATUS_BY_LABEL), in words.
LOAD_STATUS_WORDS = {"active": Text("attivo", "active"), "reverted": Text("annullato", "reverted")}
HISTORY_HEADERS = {"id": Text("Identificativo", "Id"), "at": Text("Data e ora", "Date and time"), "by": Text("Chi", "Who"),
                   "file_name": Text("File", "File"), "kind": Text("Tipo", "Kind"), "rows": Text("Righe", "Rows"),
                   "summary": Text("Modifiche", "Changes"), "status": Text("Stato", "Status"),
                   "reverts": Text("Annulla", "Undoes"), "reason": Text("Motivo", "Reason")}


def preview_table(preview: Preview, lang: str = "it") -> pd.DataFrame:
    """The changes of a preview (unchanged rows left out) with headers, field names, dates and numbers in the view's
    language, as text; an added or removed row of several fields as «field: value» pairs; the table column only when
    the preview spans more than one table."""
    words = in_language(CHANGE_WORDS, lang)
    changes = preview.changes[preview.changes["change"] != "unchanged"].drop(columns=["delta"])
    if changes["table"].nunique() < 2:
        changes = changes.drop(columns=["table"])
    fields = [_fields_shown(field, old, new, lang) for field, old, new in
              zip(changes["field"], changes["old"], changes["new"])]
    shown = changes.assign(change=changes["change"].map(words),
                           key=changes["key"].astype(str).str.replace(ISO_DATE, r"\3/\2/\1", regex=True),
                           field=[field for field, _old, _new in fields],
                           old=[old for _field, old, _new in fields], new=[new for _field, _old, new in fields])
    return shown.rename(columns=in_language(PREVIEW_HEADERS, lang))


def _fields_shown(field: str, old, new, lang: str) -> tuple[str, str, str]:
    """(field, old, new) of one preview row in words; a whole row's fields as 'name: value · name: value'."""
    labels = in_language(FIELD_LABELS, lang)
    if not isinstance(old, dict) and not isinstance(new, dict):
        return labels.get(field, field), cell_text(old, field, lang), cell_text(new, field, lang)
    return WHOLE_ROW.in_(lang), *(" · ".join(f"{labels.get(name, name)}: {cell_text(value, name, lang)}"
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
    shown = shown.assign(status=shown["status"].map(in_language(LOAD_STATUS_WORDS, lang)),
                         at=shown["at"].dt.strftime("%d/%m/%Y %H:%M"))
    return shown.rename(columns=in_language(HISTORY_HEADERS, lang))
