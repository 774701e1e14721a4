"""Bilingual text: Italian first, English second, chosen per view."""
from __future__ import annotations

from typing import Callable

LANGUAGES = {"it": "Italiano", "en": "English"}


def picker(lang: str) -> Callable[[str, str], str]:
    """Return L(it, en) that picks the text of the current language."""
    def pick(italian: str, english: str) -> str:
        return english if lang == "en" else italian
    return pick


def name(row, lang: str, field: str = "name") -> str:
    """The Italian or English variant of a named field of a row (name_it / name_en)."""
    english = row.get(f"{field}_en") if hasattr(row, "get") else None
    return english if lang == "en" and english else row[f"{field}_it"]
