"""Plain-text phrases made from figures and registry rows, in the view's language: sources, dates, targets,
comparisons, what would fill a missing figure. Escape them for where they are shown (monitor/plain.py)."""
from __future__ import annotations

from core.bilingual import Text
from core.settings import load_settings
from monitor import fmt, plain
from monitor.i18n import L, field, lang

SEX_LABELS = {"T": Text("Totale", "Total"), "F": Text("Donne", "Women"), "M": Text("Uomini", "Men")}
OFFICES = Text("Uffici della Città metropolitana di Torino", "Offices of the Metropolitan City of Turin")


def uploader(name, lang: str, public: bool) -> str:
    """Who made an upload, as a view names them: the offices on the public instance (never a person), else the
    account's name (the offices when there is none)."""
    return OFFICES.in_(lang) if public or fmt.is_missing(name) or not name else str(name)


def uploaded_by(name) -> str:
    """uploader() in the view's language, on this instance."""
    return uploader(name, lang(), load_settings().is_public)


def loaded_on(timestamp) -> str:
    """A load time (or a release date) as a date in the view's language."""
    return fmt.day(timestamp, lang())


def provenance(producer: str | None, period, loaded_at, load_kind: str | None = None, loaded_by: str | None = None,
               released_on=None) -> str:
    """'Fonte: Istat, 2022 · pubblicato il 14/09/2026 · caricato il 01/11/2026'. «caricato il» is when the figure
    entered this warehouse (download, upload or, for bundled data, the build); «pubblicato il» the producer's
    release date, only when the source states it (load.released_on). Who uploaded it: uploaded_by()."""
    if not producer:
        return ""
    year = "" if fmt.is_missing(period) else f", {int(period)}"
    who = f" ({uploaded_by(loaded_by)})" if load_kind == "upload" and loaded_by else ""
    released = "" if fmt.is_missing(released_on) else L(" · pubblicato il ", " · released ") + loaded_on(released_on)
    return L(f"Fonte: {producer}{year}{released} · caricato il {loaded_on(loaded_at)}{who}",
             f"Source: {producer}{year}{released} · loaded on {loaded_on(loaded_at)}{who}")


def small(text: str) -> str:
    """Markdown for a caption-like line (small, grey) inside a larger Markdown element; the text shows as written."""
    return ":small[:gray[" + plain.markdown(text) + "]]" if text else ""


def sex_label(sex: str) -> str:
    """Label of F, M, T in the view's language."""
    return SEX_LABELS[sex].in_(lang()) if sex in SEX_LABELS else sex


def indicator_name(row) -> str:
    """Indicator name in the view's language from a registry row."""
    return field(row, "name")


def no_data_text(row) -> str:
    """'No data loaded. It would be filled by: …' for an indicator."""
    return L("Nessun dato caricato. Lo riempirebbe: ", "No data loaded. It would be filled by: ") + field(row, "fill")


def target_status(row) -> str:
    """'Obiettivo 2030: 60% · in linea / non in linea' (words and a symbol, never colour alone)."""
    target, value, polarity = row["target_value"], row["value"], row["polarity"]
    unit, decimals = row["unit"], int(row["decimals"])
    if polarity == "higher_better":
        on_track = value >= target
    elif polarity == "higher_worse":
        on_track = value <= target
    else:
        on_track = abs(value) <= abs(target)
    period = "" if fmt.is_missing(row["target_period"]) else f" {int(row['target_period'])}"
    status = L("✓ raggiunto o in linea", "✓ met or on track") if on_track else L("✗ non ancora raggiunto", "✗ not yet met")
    return L("Obiettivo", "Target") + f"{period}: {fmt.value(target, unit, decimals, lang())} · {status}"


def comparison_symbol(value, reference, polarity: str) -> str:
    """▲ better / ▼ worse / = equal than the reference, by the indicator's polarity; ○ when it has none."""
    if fmt.is_missing(value) or fmt.is_missing(reference):
        return ""
    if polarity == "neutral":
        return "○"
    if polarity == "zero_best":
        value, reference = -abs(value), -abs(reference)
    elif polarity == "higher_worse":
        value, reference = -value, -reference
    if abs(value - reference) < 1e-9:
        return "="
    better = value > reference
    return L("▲ migliore", "▲ better") if better else L("▼ peggiore", "▼ worse")


def references_line(references: list[tuple], unit: str, decimals: int) -> str:
    """'Città metropolitana 23.000 € · Piemonte 22.000 € · Italia 20.700 €', or '' when none."""
    return " · ".join(f"{name} {fmt.value(value, unit, decimals, lang())}" for value, name, *_ in references)
