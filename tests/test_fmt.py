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
