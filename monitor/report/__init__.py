"""Territory report (a zone, a comune or the CM) as a PDF or a print view, from the profile page's figures."""
from __future__ import annotations

from pathlib import Path

from monitor.report.content import build
from monitor.report.pdf import pdf_bytes
from monitor.report.territory import Territory, TerritoryError, parse as parse_territory

__all__ = ["Territory", "TerritoryError", "build", "file_name", "parse_territory", "pdf_bytes", "territory_pdf"]


def territory_pdf(db: Path, territory: Territory, lang: str) -> bytes:
    """The PDF report of a territory from the warehouse at db, in 'it' or 'en'."""
    return pdf_bytes(build(db, territory, lang))


def file_name(territory: Territory, lang: str) -> str:
    """'profilo_zona_5_it.pdf', 'profilo_comune_001272_en.pdf', 'profilo_cm_it.pdf' (codes only, never names)."""
    return f"profilo_{territory.file_stem}_{lang}.pdf"
