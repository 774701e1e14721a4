"""From text cells to checked rows: normalise what officials type, then run the template's pandera model lazily."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from etl import reference
from etl.uploads import problems
from etl.uploads.arrow_strings import arrow_text, per_distinct, text_series
from etl.uploads.column_kernels import (column_as_number, column_to_comune_code, column_to_iso_date, column_to_number,
                                       column_to_territory_code, decimal_of_columns)
from etl.uploads.models import models
from etl.uploads.registry import Registry
from etl.uploads.templates import Template
from core.progress_status import STATUSES

# Status labels in either language are accepted for the status code: "In corso" → in_corso.
STATUS_BY_LABEL = {**{code: code for code in STATUSES},
                   **{label.lower(): code for code, labels in STATUSES.items() for label in labels}}


def _text(series: pd.Series) -> pd.Series:
    """Stripped cells (as read_table gives them) with the empty ones missing."""
    if series.dtype != object and len(series):
        whole = pyarrow.array(series, from_pandas=True)    # no copy
        if not whole.null_count and pc.min(pc.binary_length(whole)).as_py() > 0:
            return series                                   # no empty cell: the column as it is
    cells = arrow_text(series)
    empty = pyarrow.scalar(None, pyarrow.large_string())
    return text_series(pc.if_else(pc.equal(cells, ""), empty, cells), series.index)


def typed_cells(table, template: Template) -> tuple[pd.DataFrame, str]:
    """Cells normalised for the model: codes with zeros, numbers (as numbers when every cell is plain, else as text
    with a decimal point), ISO dates; empty → None."""
    cells = table.cells.copy(deep=False)                    # pandas copies a column only when it is replaced
    for column in table.cells.columns:
        text = _text(table.cells[column])
        if text is not table.cells[column]:
            cells[column] = text
    numeric = [c for c in (*template.numbers, *template.integers) if c in cells]
    decimal = decimal_of_columns([cells[c] for c in numeric], table.separator)
    for column in numeric:          # plain columns read as numbers at once, others as to_number's text
        number = column_as_number(cells[column], decimal, integer=column in template.integers)
        cells[column] = number if number is not None else column_to_number(cells[column], decimal)
    for column in template.dates:
        if column in cells:
            cells[column] = column_to_iso_date(cells[column])
    for column in ("level", "source_code"):
        if column in cells:
            cells[column] = cells[column].str.lower()
    if "sex" in cells:
        cells["sex"] = cells["sex"].str.upper().fillna("T")
    if "status" in cells:
        cells["status"] = text_series(pyarrow.array(per_distinct(
            cells["status"], lambda v: STATUS_BY_LABEL.get(v.lower(), v) if isinstance(v, str) else None),
            pyarrow.large_string()), cells.index)
    if "territory_code" in cells:
        levels = cells["level"] if "level" in cells else pd.Series(None, index=cells.index)
        cells["territory_code"] = column_to_territory_code(levels, cells["territory_code"])
    if "plan_code" in cells:        # a strategy typed as a number in a sheet reads 5,1: the plan writes 5.1
        cells["plan_code"] = cells["plan_code"].str.replace(",", ".", regex=False)
    if "codice_istat" in cells:
        cells["codice_istat"] = column_to_comune_code(cells["codice_istat"])
    return cells, decimal


def _coercion_failures(error: pa.errors.SchemaErrors) -> set[tuple]:
    """(index, column) of the cells pandera could not coerce to the column's type."""
    cases = error.failure_cases
    wrong_type = cases[cases["check"].astype(str).str.startswith(("coerce_dtype", "dtype")) & cases["index"].notna()]
    return {(index, column) for index, column in zip(wrong_type["index"], wrong_type["column"])}


def _numbers_read(typed: pd.DataFrame, columns, model) -> pd.DataFrame:
    """typed with columns of to_number's text read as the model's float or int columns when every cell reads,
    and the empty text columns as str.

    Such text is an integer or a decimal with a point, which Arrow's cast reads as pandas' astype does; a column with
    an unreadable cell is left as text for pandera to coerce (and report).
    """
    dtypes = model.to_schema().dtypes
    read = {}
    for column in columns:
        target = str(dtypes[column]) if column in dtypes else ""
        if column not in typed or typed[column].dtype == object or target not in ("float64", "int64") \
                or str(typed[column].dtype) == target:
            continue
        text = arrow_text(typed[column])
        if target == "int64" and text.null_count:
            continue
        try:
            read[column] = pc.cast(text, pyarrow.float64() if target == "float64" else pyarrow.int64()) \
                .to_numpy(zero_copy_only=False)
        except pyarrow.ArrowInvalid:
            continue
    for column, dtype in dtypes.items():       # an empty text column as str, which coercing it would give
        empty = column in typed and typed[column].dtype == object and typed[column].isna().all()
        if str(dtype) == "string[pyarrow]" and empty:
            read[column] = pd.Series(pyarrow.nulls(len(typed), pyarrow.large_string()).to_pandas().array,
                                     index=typed.index)
    return typed.assign(**read) if read else typed


def run_model(model, typed: pd.DataFrame, cells: pd.DataFrame, key, registry: Registry,
              numeric: tuple[str, ...] = ()) -> tuple[pd.DataFrame | None, list[dict], set]:
    """Validate lazily: (coerced rows or None, Italian problems, cells whose type could not be read).

    numeric: columns holding to_number's text, read before pandera sees them; problems still show typed's text.
    """
    try:
        # A shallow copy (pandas copies on write) that pandera may coerce in place: typed itself stays as it is.
        rows = _numbers_read(typed, numeric, model).copy(deep=False)
        return model.validate(rows, lazy=True, inplace=True), [], set()
    except pa.errors.SchemaErrors as error:
        return None, problems.from_pandera(error, cells, typed, key, registry), _coercion_failures(error)


def _blank(typed: pd.DataFrame, cells_to_blank: set[tuple]) -> pd.DataFrame:
    """typed with the given (index, column) cells emptied."""
    blanked = typed.copy()
    for column in {column for _index, column in cells_to_blank}:
        rows = blanked.index.isin([index for index, c in cells_to_blank if c == column])
        blanked[column] = blanked[column].where(~rows, None)
    return blanked


def check(typed: pd.DataFrame, cells: pd.DataFrame, template: Template, registry: Registry,
          file_name: str = "") -> tuple[pd.DataFrame | None, list[dict]]:
    """Validate with the template's model; (typed rows or None, every problem). Cells give the values shown."""
    model = models(registry)[template.kind]
    missing = [c for c in template.columns if c not in typed.columns and c not in template.optional]
    found = [problems.problem(1, c, None, "colonna mancante") for c in missing]
    typed = typed.assign(**{c: None for c in missing})
    numeric = (*template.numbers, *template.integers)
    checked, first, wrong_type = run_model(model, typed, cells, template.key, registry, numeric)
    found += first
    if wrong_type:  # a second pass with unreadable cells emptied finds the other problems of those columns
        unreadable = {column for _index, column in wrong_type}    # the first pass checked their text, not their values
        found = [p for p in found if p["column"] not in unreadable or problems.is_wrong_type(p["message"])]
        _, second, _ = run_model(model, _blank(typed, wrong_type), cells, template.key, registry, numeric)
        found += [p for p in second if (p["row"], p["column"]) not in wrong_type]
    if checked is not None and template.kind == "zones" and not found:
        found += _zone_list_problems(checked, registry, file_name)
    found = [p for p in found if p["column"] not in missing or p["row"] == 1]
    return (checked if not found else None), found


def _zone_list_problems(zones: pd.DataFrame, registry: Registry, file_name: str) -> list[dict]:
    """The whole-list checks of the build: every comune once, published counts per zone, one name per zone."""
    as_text = zones.assign(zona_id=zones["zona_id"].astype(str))
    return [problems.problem(p.row, p.column, p.value, p.message)
            for p in reference.validate_zone_list(as_text, set(registry.comuni), file_name)]
