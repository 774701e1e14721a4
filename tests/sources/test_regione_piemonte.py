"""Regione Piemonte esercizi di vicinato: the Osservatorio's export per comune, as an official downloads it."""
from __future__ import annotations

import pytest

from etl.sources import regione_piemonte
from etl.sources.common import FormatError
from tests.sources.fake_servers import FIXTURES

EXPORT = FIXTURES / "regione_piemonte" / "esercizi_vicinato_2024.csv"


def test_shops_and_shops_per_10k_from_the_total_column():
    raw = EXPORT.read_bytes()
    assert regione_piemonte.detect_regione_piemonte(raw)
    obs = regione_piemonte.parse_regione_piemonte(raw, EXPORT.name)
    torino = obs[obs.territory_code == "001272"].set_index("indicator_code")
    shops = round(841_600 * (0.0148 + 0.0004 * 7))
    assert torino.at["shops_vicinato", "value"] == shops
    assert torino.at["shops_vicinato_per_10k", "value"] == pytest.approx(10_000 * shops / 841_600)
    assert torino.at["shops_vicinato_per_10k", "denominator"] == 841_600
    assert set(obs.period) == {2024} and obs.territory_code.nunique() == 10


def test_without_population_only_the_count_is_loaded():
    raw = "Comune;Esercizi di vicinato\nTorino;12000\nSettimo Torinese;300\n".encode()
    parsed = regione_piemonte.read(raw, "vicinato_2023.csv")
    assert set(parsed.observations.indicator_code) == {"shops_vicinato"}
    assert set(parsed.observations.territory_code) == {"001272", "001265"} and set(parsed.observations.period) == {2023}
    assert "esercizi ogni 10.000 abitanti non calcolati" in next(iter(parsed.skipped))


def test_ambiguous_shop_columns_are_refused():
    raw = "Comune;Vicinato alimentari;Vicinato non alimentari;Anno\nTorino;1;2;2024\n".encode()
    with pytest.raises(FormatError, match="serve una colonna del totale"):
        regione_piemonte.parse_regione_piemonte(raw, "vicinato.csv")
