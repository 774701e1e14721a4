"""pandera failure cases → one Italian message per file row and column, with the value as the file has it."""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import pandas as pd

from core.progress_status import STATUSES

if TYPE_CHECKING:  # pandera loads with the models, when a file is validated
    import pandera.pandas as pa

PROBLEM_COLUMNS = ["row", "column", "value", "message"]
NOT_A_NUMBER = "non è un numero"
NUMBER_HINTS = {",": "scrivi i decimali con la virgola (12,5), le migliaia con il punto o senza (117.946), senza % o €",
                ".": "scrivi i decimali con il punto (12.5), senza separatore delle migliaia, senza % o €"}
TYPE_MESSAGES = {
    "float64": NOT_A_NUMBER,
    "int64": "non è un numero intero",
    "Int64": "non è un numero intero",
    "datetime64[ns]": "non è una data valida (usa gg/mm/aaaa o aaaa-mm-gg)",
}
CHECK_MESSAGES = {
    "known_indicator": "indicatore sconosciuto: non è nel registro degli indicatori",
    "known_source": "fonte sconosciuta: non è tra le fonti del progetto",
    "not_future": "anno futuro: il dato non può riferirsi a un anno non ancora iniziato",
    "known_territory": "territorio sconosciuto per il livello indicato (comune: codice Istat; zona: 1–11; cm: 001)",
    "sex_for_indicator": "l'indicatore non è distinto per sesso: usa T",
    "flag_value": "per questo indicatore il valore di un comune è 100 (sì) o 0 (no)",
    "matches_ratio": "il valore non corrisponde a numeratore / denominatore",
    "sum_is_value": "per un conteggio il numeratore deve essere uguale al valore",
    "known_action": "azione sconosciuta: non è tra le azioni dell'Asse 5 (5.1.1 … 5.5.3)",
    "known_plan_code": "codice sconosciuto: non è una strategia (5.1 … 5.5) né un'azione (5.1.1 … 5.5.3) dell'Asse 5",
    "known_zone": "zona sconosciuta: le zone omogenee sono numerate da 1 a 11",
    "plausible_date": "data non plausibile: deve essere tra il 01/01/2015 e oggi",
    "known_comune": "codice Istat sconosciuto: non è un comune della Città metropolitana di Torino",
    "pair": "anno e valore vanno indicati insieme",
    "something_given": "manca sia il valore di partenza sia l'obiettivo",
    "after_baseline": "l'anno dell'obiettivo deve venire dopo l'anno di partenza",
}
WRONG_TYPE = "tipo di dato non valido"
_BOUND = re.compile(r"^(greater_than_or_equal_to|greater_than|less_than_or_equal_to|less_than)\((.*)\)$")
_BOUND_WORDS = {"greater_than_or_equal_to": "almeno", "greater_than": "maggiore di",
                "less_than_or_equal_to": "al massimo", "less_than": "minore di"}


def with_number_hint(problems: list[dict], decimal: str) -> list[dict]:
    """Say how numbers are written in this file next to every 'not a number' problem."""
    return [{**p, "message": f"{NOT_A_NUMBER}: {NUMBER_HINTS[decimal]}"} if p["message"] == NOT_A_NUMBER else p
            for p in problems]


def is_wrong_type(message: str) -> bool:
    """True for the message of a cell that could not be read as its column's type."""
    return message == WRONG_TYPE or message in TYPE_MESSAGES.values()


def frame(problems: list[dict]) -> pd.DataFrame:
    """Problems as a table sorted by row, one row per (row, column, message)."""
    if not problems:
        return pd.DataFrame({c: pd.array([], dtype="Int64" if c == "row" else object) for c in PROBLEM_COLUMNS})
    table = pd.DataFrame(problems, columns=PROBLEM_COLUMNS).drop_duplicates(["row", "column", "message"])
    table["row"] = pd.array(table["row"], dtype="Int64")
    return table.sort_values(["row", "column"], na_position="first", kind="stable", ignore_index=True)


def too_large(size: int, max_bytes: int) -> str:
    """The message for a file over the configured limit."""
    return f"file troppo grande: {size / 1e6:.1f} MB, il limite è {max_bytes / 1e6:.1f} MB (nulla è stato letto)"


def problem(row, column, value, message: str) -> dict:
    """One problem: file row (header = 1, None = whole file), column, value as written, message."""
    return {"row": row, "column": column, "value": None if value is None else str(value), "message": message}


def _range_message(row: pd.Series, registry) -> str:
    low, high, reason = registry.ranges.get(row.get("indicator_code"), (-math.inf, math.inf, ""))
    if high == math.inf:
        bounds = f"almeno {low:g}"
    elif low == -math.inf:
        bounds = f"al massimo {high:g}"
    else:
        bounds = f"tra {low:g} e {high:g}"
    return f"valore fuori dall'intervallo ammesso ({bounds}): {reason}"


def _message(check: str, column: str, value, row: pd.Series | None, registry) -> str:
    name = check.split(":", 1)[1] if ":" in check else check
    if name == "known_comune" or (name == "known_territory" and row is not None and row.get("level") == "comune"):
        code = row.get(column) if row is not None else value
        merged = registry.merged_message(str(code))
        if merged:
            return merged
    if name == "in_range" and row is not None:
        return _range_message(row, registry)
    if name in CHECK_MESSAGES:
        return CHECK_MESSAGES[name]
    if check.startswith(("coerce_dtype", "dtype")):
        dtype = re.search(r"'(.+)'", check)
        return TYPE_MESSAGES.get(dtype[1] if dtype else "", WRONG_TYPE)
    if check == "not_nullable":
        return "valore obbligatorio mancante"
    if check.startswith("isin"):
        allowed = ", ".join(STATUSES) if column == "status" else re.sub(r"^isin\(\[(.*)\]\)$", r"\1", check)
        return f"valore non ammesso (ammessi: {allowed.replace(chr(39), '')})"
    bound = _BOUND.match(check)
    if bound:
        return f"deve essere {_BOUND_WORDS[bound[1]]} {bound[2]}"
    if check.startswith("in_range"):
        return "valore fuori dall'intervallo " + check[len("in_range"):]
    return f"controllo non superato: {check}"


def from_pandera(error: pa.errors.SchemaErrors, cells: pd.DataFrame, checked: pd.DataFrame,
                 key: tuple[str, ...], registry) -> list[dict]:
    """Italian problems from pandera's failure cases; values come from the file's own cells, merged comuni and value
    ranges from the registry."""
    problems, duplicated, row_checks = [], False, set()
    for case in error.failure_cases.itertuples(index=False):
        check, column, index = str(case.check), str(case.column), case.index
        if ":" in check and index is not None and not pd.isna(index):
            named = check.split(":")[0]
            if (check, index) in row_checks:
                continue
            row_checks.add((check, index))
            column = named  # a row-level check lists the row's filled cells, maybe not the empty one it names
        if check == "column_in_schema":
            problems.append(problem(1, case.failure_case, None, "colonna non prevista da questo modello: toglierla"))
        elif check == "column_in_dataframe":
            problems.append(problem(1, case.failure_case, None, "colonna mancante"))
        elif "uniqueness" in check:
            duplicated = True
        elif index is None or pd.isna(index):
            continue  # whole-column side effects
        else:
            row = checked.loc[index] if index in checked.index else None
            value = cells.at[index, column] if column in cells.columns and index in cells.index else case.failure_case
            problems.append(problem(int(index), column, value, _message(check, column, value, row, registry)))
    if duplicated:
        problems.extend(duplicates(checked, key))
    return problems


def duplicates(checked: pd.DataFrame, key: tuple[str, ...]) -> list[dict]:
    """One problem per repeated key, naming the row where the key first appears."""
    columns = [c for c in key if c in checked.columns]
    parts = checked[columns].astype(str)
    keys = parts[columns[0]].str.cat([parts[c] for c in columns[1:]], sep=" · ", na_rep="")
    repeated = keys.duplicated(keep="first")
    firsts = keys[~repeated]
    first_line = pd.Series(firsts.index, index=firsts.to_numpy())
    return [problem(int(line), ", ".join(columns), text, f"riga ripetuta: stessa chiave della riga {first_line[text]}")
            for line, text in keys[repeated].items()]
