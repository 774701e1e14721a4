"""Italian and English number formats."""
import pytest

from monitor import fmt


@pytest.mark.parametrize("value, unit, decimals, lang, expected", [
    (-14.5, "pp", 1, "it", "-14,5 p.p."),
    (-9151.19, "eur", 2, "it", "-9.151,19 €"),
    (42.6, "pct", 1, "it", "42,6%"),
    (147.9, "per10k", 1, "it", "147,9"),
    (2198237, "persons", 0, "it", "2.198.237"),
    (117946, "count", 0, "it", "117.946"),
    (-14.5, "pp", 1, "en", "-14.5 pp"),
    (-9151.19, "eur", 2, "en", "-€9,151.19"),
    (2198237, "persons", 0, "en", "2,198,237"),
    (None, "pct", 1, "it", "n.d."),
    (float("nan"), "pct", 1, "en", "n/a"),
])
def test_value(value, unit, decimals, lang, expected):
    assert fmt.value(value, unit, decimals, lang) == expected


def test_flag():
    assert fmt.flag(100, "it") == "Sì" and fmt.flag(0, "en") == "No" and fmt.flag(None, "it") == "n.d."


def test_parsed_patterns_give_babels_own_text():
    # fmt keeps babel's parsed patterns and locales; the text must be what babel writes from the pattern text.
    import random

    from babel.numbers import format_currency, format_decimal

    rnd = random.Random(15)
    values = [0.0, -0.0, 0.5, 2.5, -1234.5, 1e-9, 999999.995] + [rnd.uniform(-1e7, 1e7) for _ in range(300)]
    for value in values:
        for decimals in range(4):
            for lang, locale in fmt.LOCALES.items():
                pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
                assert fmt.number(value, decimals, lang) == format_decimal(value, format=pattern, locale=locale)
                money = pattern + " ¤" if lang == "it" else "¤" + pattern
                assert fmt.value(value, "eur", decimals, lang) == format_currency(
                    value, "EUR", format=money, locale=locale, currency_digits=False)
