"""From text cells to checked rows: normalise what officials type, then run the template's pandera model lazily."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from etl import reference
from etl.uploads import numbers, problems
from etl.uploads.checks import REGISTRY
from etl.uploads.models import MODELS
from etl.uploads.registry import Registry
from etl.uploads.templates import Template
from monitor.progress_status import STATUSES

# Status labels in either language are accepted for the status code: "In corso" → in_corso.
STATUS_WORDS = {**{code: code for code in STATUSES},
                **{label.lower(): code for code, labels in STATUSES.items() for label in labels}}


def _text(series: pd.Series) -> pd.Series:
    return series.map(lambda v: v.strip() if isinstance(v, str) and v.strip() else None)


def typed_cells(table, template: Template) -> tuple[pd.DataFrame, str]:
    """Cells normalised for the model: codes with zeros, numbers with a decimal point, ISO dates; empty → None."""
    cells = table.cells.apply(_text)
    numeric = [c for c in (*template.numbers, *template.integers) if c in cells]
    decimal = numbers.detect_decimal(cells[numeric].stack().tolist(), table.separator)
    for column in numeric:
        cells[column] = cells[column].map(lambda v: numbers.to_number(v, decimal))
    for column in template.dates:
        if column in cells:
            cells[column] = cells[column].map(numbers.to_iso_date)
    for column in ("level", "source_code"):
        if column in cells:
            cells[column] = cells[column].str.lower()
    if "sex" in cells:
        cells["sex"] = cells["sex"].str.upper().fillna("T")
    if "status" in cells:
        cells["status"] = cells["status"].map(lambda v: STATUS_WORDS.get(v.lower(), v) if isinstance(v, str) else v)
    if "territory_code" in cells:
        levels = cells["level"] if "level" in cells else pd.Series(None, index=cells.index)
        cells["territory_code"] = [numbers.to_territory_code(lv, c) for lv, c in zip(levels, cells["territory_code"])]
    if "codice_istat" in cells:
        cells["codice_istat"] = cells["codice_istat"].map(numbers.to_comune_code)
    return cells, decimal


def _coercion_failures(error: pa.errors.SchemaErrors) -> set[tuple]:
    cases = error.failure_cases
    wrong_type = cases[cases["check"].astype(str).str.startswith(("coerce_dtype", "dtype")) & cases["index"].notna()]
    return {(index, column) for index, column in zip(wrong_type["index"], wrong_type["column"])}


def run_model(model, typed: pd.DataFrame, cells: pd.DataFrame, key) -> tuple[pd.DataFrame | None, list[dict], set]:
    """Validate lazily: (coerced rows or None, Italian problems, cells whose type could not be read)."""
    try:
        return model.validate(typed, lazy=True), [], set()
    except pa.errors.SchemaErrors as error:
        return None, problems.from_pandera(error, cells, typed, key), _coercion_failures(error)


def check(typed: pd.DataFrame, cells: pd.DataFrame, template: Template, registry: Registry,
          file_name: str = "") -> tuple[pd.DataFrame | None, list[dict]]:
    """Validate with the template's model; (typed rows or None, every problem). Cells give the values shown."""
    model = MODELS[template.kind]
    missing = [c for c in template.columns if c not in typed.columns and c not in template.optional]
    found = [problems.problem(1, c, None, "colonna mancante") for c in missing]
    typed = typed.assign(**{c: None for c in missing})
    token = REGISTRY.set(registry)
    try:
        checked, first, wrong_type = run_model(model, typed, cells, template.key)
        found += first
        if wrong_type:  # a second pass with unreadable cells emptied finds the other problems of those columns
            blanked = typed.copy()
            for index, column in wrong_type:
                blanked.at[index, column] = None
            _, second, _ = run_model(model, blanked, cells, template.key)
            found += [p for p in second if (p["row"], p["column"]) not in wrong_type]
        if checked is not None and template.kind == "zones" and not found:
            found += _zone_list_problems(checked, registry, file_name)
    finally:
        REGISTRY.reset(token)
    found = [p for p in found if p["column"] not in missing or p["row"] == 1]
    return (checked if not found else None), found


def _zone_list_problems(zones: pd.DataFrame, registry: Registry, file_name: str) -> list[dict]:
    """The whole-list checks of the build: every comune once, published counts per zone, one name per zone."""
    as_text = zones.assign(zona_id=zones["zona_id"].astype(str))
    return [problems.problem(p.row, p.column, p.value, p.message)
            for p in reference.validate_zone_list(as_text, set(registry.comuni), file_name)]
