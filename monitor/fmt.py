"""Number formatting in Italian (default) or English through babel; missing values say so."""
from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd
from babel import Locale
from babel.numbers import format_currency, format_decimal, parse_pattern

from core.bilingual import Text

LOCALES = {"it": "it_IT", "en": "en_GB"}  # babel locale of each language code
MISSING = Text("n.d.", "n/a")
UNIT_SUFFIX = {
    "pct": Text("%", "%"),
    "pp": Text(" p.p.", " pp"),
}  # other units: none
UNIT_LABEL = {
    "pct": Text("%", "%"),
    "pp": Text("punti percentuali", "percentage points"),
    "eur": Text("euro", "euro"),
    "per10k": Text("ogni 10.000 abitanti", "per 10,000 inhabitants"),
    "per100": Text("ogni 100 bambini 0–2 anni", "per 100 children aged 0–2"),
    "index": Text("indice", "index"),
    "count": Text("numero", "number"),
    "persons": Text("abitanti", "inhabitants"),
}


@lru_cache(maxsize=None)
def _pattern(pattern: str):
    """A babel number pattern parsed once (babel parses the text on every call: two thirds of a number's time)."""
    return parse_pattern(pattern)


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    """The babel locale of a language, parsed once."""
    return Locale.parse(LOCALES[lang])


def is_missing(value) -> bool:
    """True for None, NaN and pandas NA."""
    try:
        return value is None or (isinstance(value, float) and math.isnan(value)) or bool(value != value)
    except (TypeError, ValueError):
        return True


def number(value, decimals: int = 0, lang: str = "it") -> str:
    """1234.5 → '1.234,5' (it) or '1,234.5' (en); missing → 'n.d.'."""
    if is_missing(value):
        return MISSING.in_(lang)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=_pattern(pattern), locale=_locale(lang))


def value(value, unit: str, decimals: int, lang: str = "it", signed: bool = False) -> str:
    """A figure with its unit: 42,6% · -14,5 p.p. · -9.151,19 € · 147,9."""
    if is_missing(value):
        return MISSING.in_(lang)
    if unit == "eur":
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " ¤" if lang == "it" else \
                  "¤#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_currency(value, "EUR", format=_pattern(pattern), locale=_locale(lang), currency_digits=False)
    else:
        text = number(value, decimals, lang) + UNIT_SUFFIX.get(unit, Text("", "")).in_(lang)
    if signed and not is_missing(value) and value > 0:
        text = "+" + text
    return text


format_value = value  # alias for functions whose parameters are named `value`


def flag(value, lang: str = "it") -> str:
    """A comune-level yes/no indicator (100 = yes, 0 = no)."""
    if is_missing(value):
        return MISSING.in_(lang)
    return (Text("Sì", "Yes") if value > 0 else Text("No", "No")).in_(lang)


def day(value, lang: str = "it") -> str:
    """A date (or a time, its day) as 14/09/2026 or 14 Sep 2026; n.d. when missing."""
    if is_missing(value):
        return MISSING.in_(lang)
    return pd.Timestamp(value).strftime("%d/%m/%Y" if lang == "it" else "%d %b %Y")


def unit_label(unit: str, lang: str = "it") -> str:
    """Words for a unit, for axis titles and tables."""
    return UNIT_LABEL.get(unit, Text(unit, unit)).in_(lang)


def reading(template: str, value, unit: str, decimals: int, year, lang: str = "it") -> str:
    """A plain-language sentence from a registry template with {year}, {value}, {abs} and {dir} (below/above)."""
    if not template or is_missing(value):
        return ""
    direction = (Text("sotto", "below") if value < 0 else Text("sopra", "above") if value > 0 else
                 Text("pari a", "equal to")).in_(lang)
    absolute = number(abs(value), decimals, lang) if unit == "pp" else format_value(abs(value), unit, decimals, lang)
    return template.format(year=int(year), value=format_value(value, unit, decimals, lang), abs=absolute, dir=direction)
