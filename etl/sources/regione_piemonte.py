"""Regione Piemonte esercizi di vicinato: shops per comune and per 10,000 inhabitants, from the official export."""
from __future__ import annotations

import pandas as pd

from etl.sources.common import (FormatError, Parsed, cm_comuni, comuni_column, decimal_mark, decode_text, find_column,
                                load_meta, norm_label, observations, read_delimited, read_number, read_numbers,
                                year_from_name)

SOURCE = "regione_piemonte"
META = load_meta(__file__)
ALIASES = META["aliases"]


def detect_regione_piemonte(raw: bytes) -> bool:
    """True for a table with a comune column and an 'esercizi di vicinato' column."""
    header = norm_label(decode_text(raw[:2000]).splitlines()[0]) if raw else ""
    return ALIASES["shops_word"] in header and "comun" in header


def _shops_column(table: pd.DataFrame, file_name: str) -> str:
    """The column with the number of esercizi di vicinato (the total one if the export splits them)."""
    word, totals = ALIASES["shops_word"], ALIASES["total_words"]
    candidates = [c for c in table.columns if word in norm_label(c)]
    if len(candidates) > 1:
        candidates = [c for c in candidates if any(t in norm_label(c) for t in totals)] or candidates
    if len(candidates) != 1:
        found = ", ".join(candidates) or "nessuna"
        raise FormatError(f"{file_name}: serve una colonna del totale degli esercizi di vicinato (trovate: {found})")
    return candidates[0]


def read(raw: bytes, file_name: str) -> Parsed:
    """Shops per comune of the CM (and per 10,000 inhabitants where the export gives the population)."""
    # Load inputs
    table, parsed = read_delimited(raw, file_name), Parsed()
    codes = comuni_column(table, ALIASES["code"], ALIASES["name"], file_name)
    shops_column = _shops_column(table, file_name)
    population_column = find_column(table, ALIASES["population"], file_name, required=False)
    year_column = find_column(table, ALIASES["year"], file_name, required=False)
    decimal = decimal_mark(table, [c for c in (shops_column, population_column, year_column) if c])
    shops = read_numbers(table[shops_column], decimal)
    years = (read_numbers(table[year_column], decimal) if year_column
             else pd.Series(year_from_name(file_name), index=table.index))
    if years.isna().any():
        raise FormatError(f"{file_name}: anno di rilevazione assente (colonna 'anno' o anno nel nome del file)")
    # Process data
    rows = []
    for i, code in codes.items():
        if code not in cm_comuni():
            parsed.skip("comuni fuori dalla Città metropolitana o non riconosciuti")
            continue
        if shops[i] is None or pd.isna(shops[i]):
            parsed.skip("numero di esercizi mancante")
            continue
        base = {"level": "comune", "territory_code": code, "period": int(years[i]), "sex": "T",
                "numerator": shops[i], "note": "esercizi di vicinato al 1° gennaio"}
        rows.append({**base, "indicator_code": "shops_vicinato", "value": shops[i]})
        population = read_number(table.at[i, population_column], decimal) if population_column else None
        if population:
            rows.append({**base, "indicator_code": "shops_vicinato_per_10k", "denominator": population,
                         "value": 10000 * shops[i] / population})
        elif population_column:
            parsed.skip("popolazione mancante: solo il numero di esercizi")
    if not rows:
        raise FormatError(f"{file_name}: nessun comune della Città metropolitana di Torino nel file")
    if population_column is None:
        parsed.skip("comuni senza popolazione nel file: esercizi ogni 10.000 abitanti non calcolati", len(rows))
    # Save outputs
    parsed.observations = observations(rows)
    return parsed


def parse_regione_piemonte(raw_bytes: bytes, file_name: str) -> pd.DataFrame:
    """Observations from the Osservatorio's export per comune."""
    return read(raw_bytes, file_name).observations
