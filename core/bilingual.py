"""The one bilingual shape: a text in Italian and English (Italian first), and data fields named `<field>_it/_en`."""
from __future__ import annotations

from typing import NamedTuple

LANGUAGES = {"it": "Italiano", "en": "English"}


class Text(NamedTuple):
    """A text written by us in both languages; `in_(lang)` picks one (Italian for any language but English)."""

    it: str
    en: str

    def in_(self, lang: str) -> str:
        """The text in the given language."""
        return self.en if lang == "en" else self.it


def in_language(texts: dict, lang: str) -> dict:
    """{key: Text} → {key: text in the given language} (table headers, words of codes)."""
    return {key: text.in_(lang) for key, text in texts.items()}


def localized(row, field: str, lang: str):
    """A data field in the given language: row['<field>_en'] in English when it has a value, else row['<field>_it']."""
    if lang == "en":
        english = row.get(f"{field}_en") if hasattr(row, "get") else row[f"{field}_en"]
        if isinstance(english, str) and english:
            return english
    return row[f"{field}_it"]


def localized_column(field: str, lang: str) -> str:
    """Name of the column holding a data field in the given language (for whole tables)."""
    return f"{field}_en" if lang == "en" else f"{field}_it"
