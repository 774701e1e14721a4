"""Reports in words for the command line and the pages: problems, previews, ledger entries, history."""
from __future__ import annotations

import pandas as pd

from etl.uploads.diff import Preview

PROBLEM_HEADERS = {"it": {"row": "Riga", "column": "Colonna", "value": "Valore", "message": "Problema"},
                   "en": {"row": "Row", "column": "Column", "value": "Value", "message": "Problem"}}
CHANGE_WORDS = {"added": "aggiunta", "changed": "modificata", "removed": "tolta", "unchanged": "invariata"}


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
        lines.append(problems_table(report.problems).to_string(index=False))
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
    changes = preview.changes[preview.changes["change"] != "unchanged"].head(limit)
    if len(changes):
        shown = changes.assign(change=changes["change"].map(CHANGE_WORDS))[["change", "key", "field", "old", "new"]]
        lines.append(shown.to_string(index=False))
    return "\n".join(lines)


def refused_text(exc) -> str:
    """Why an upload or revert was refused, with its problems."""
    text = f"Rifiutato: {exc}"
    if exc.problems is not None and len(exc.problems):
        text += "\n" + problems_table(exc.problems).to_string(index=False)
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
    return shown[["id", "at", "by", "file_name", "kind", "rows", "summary", "status", "reverts"]].to_string(index=False)


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
    """The changes of a preview (unchanged rows left out) with headers in the view's language, as text."""
    words = CHANGE_WORDS if lang == "it" else CHANGE_WORDS_EN
    changes = preview.changes[preview.changes["change"] != "unchanged"].drop(columns=["delta"])
    shown = changes.assign(change=changes["change"].map(words),
                           old=changes["old"].map(_cell), new=changes["new"].map(_cell))
    return shown.rename(columns=PREVIEW_HEADERS[lang])


def history_display(history: pd.DataFrame, lang: str = "it") -> pd.DataFrame:
    """The ledger history with headers and statuses in the view's language."""
    shown = history.drop(columns=["event", "sha256"])
    shown = shown.assign(status=shown["status"].map(LOAD_STATUS_WORDS[lang]),
                         at=shown["at"].dt.strftime("%d/%m/%Y %H:%M"))
    return shown.rename(columns=HISTORY_HEADERS[lang])


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)
