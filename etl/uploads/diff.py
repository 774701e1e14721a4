"""Preview of a change: rows added, changed (old → new) and removed against what is published, largest first."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.uploads.arrow_strings import arrow_text, may_contain
from core.warehouse import connect
from core.warehouse import version as warehouse_version

SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "uploads"
DIFF_COLUMNS = ["change", "table", "key", "field", "old", "new", "delta"]
_SEPARATOR = pa.scalar(" · ", pa.large_string())   # between the parts of a key
CHANGE_ORDER = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
# What each kind of upload compares: published query, key columns, compared fields, table label.
SHAPES = {
    "indicators": ("published_observations", ["indicator_code", "level", "territory_code", "period", "sex"],
                   ["value"], "osservazioni"),
    "progress": ("published_progress", ["action_code", "zone_id", "as_of"],
                 ["status", "percent", "funds_allocated", "funds_spent", "note"], "avanzamento azioni"),
    "targets": ("published_targets", ["indicator_code", "level", "territory_code", "sex"],
                ["baseline_period", "baseline_value", "target_period", "target_value"], "obiettivi"),
    "zones": ("published_zones", ["codice_istat"], ["zona_id", "zona_nome"], "zone omogenee"),
    "priority_zones": ("published_priority_zones", ["plan_code", "zone_id"], ["note"], "zone prioritarie"),
}


def published(warehouse_path: Path, name: str, codes: list[str] | None = None) -> pd.DataFrame:
    """Rows of etl/sql/uploads/<name>.sql from a warehouse, read-only."""
    sql = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    con = connect(Path(warehouse_path))
    try:
        return con.execute(sql, {"codes": codes} if "$codes" in sql else {}).df()
    finally:
        con.close()


def kind_of(parsed: pd.DataFrame) -> str:
    """The upload kind of a parsed frame (its attrs, or its columns)."""
    kind = parsed.attrs.get("kind", "")
    if kind in SHAPES:
        return kind
    if kind.startswith("native:") or "value" in parsed.columns:
        return "indicators"
    return next(k for k, (_q, key, _f, _t) in SHAPES.items() if set(key) <= set(parsed.columns))


def _same_series(old: pd.Series, new: pd.Series) -> pd.Series:
    """Element-wise equality: both missing, numbers equal to 1e-9 (relative), or the same text."""
    old_num, new_num = pd.to_numeric(old, errors="coerce"), pd.to_numeric(new, errors="coerce")
    numeric = old_num.notna() & new_num.notna()
    close = (old_num - new_num).abs() <= 1e-9 * old_num.abs().clip(lower=1.0)
    both_missing = old.isna() & new.isna()
    texts = ~numeric & old.notna() & new.notna()          # compared as text: only where not both numbers
    text = pd.Series(False, index=old.index)
    text[texts] = old[texts].astype(str) == new[texts].astype(str)
    return both_missing | (numeric & close) | (~numeric & text)


def _text_parts(frame: pd.DataFrame, columns: list[str], missing: str | None) -> list[pa.Array]:
    """Each column's cells as text (str of the value), missing ones as `missing` (None: left missing)."""
    parts = []
    for column in columns:
        values = frame[column]
        if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":    # years: text once per distinct one
            codes, distinct = pd.factorize(values)
            parts.append(pc.take(pa.array([str(v) for v in distinct], pa.large_string()), codes))
            continue
        if pd.api.types.is_string_dtype(values) and values.dtype != object:
            text = values                                   # already text: str() leaves it as it is
        elif pd.api.types.is_integer_dtype(values):
            text = values.astype("str")                     # str() of an integer, missing left missing
        else:
            values = values.astype(object)
            text = values.where(values.notna(), None).map(str, na_action="ignore")
        text = text.fillna(missing) if missing is not None else text
        parts.append(pa.array(text, pa.large_string(), from_pandas=True))
    return parts


def _labels(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """The key of each row as 'a · b · c', a missing part as 'CM'."""
    if not len(frame):
        return pd.Series(dtype=object)
    return pd.Series(pc.binary_join_element_wise(*_text_parts(frame, key, "CM"), _SEPARATOR), index=frame.index,
                     dtype="str")


def _summaries(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The given fields of each row as {field: value} (the merge's _old/_new suffix dropped, missing values left out);
    one field: its values."""
    if len(columns) == 1:
        return frame[columns[0]].astype(object)
    names = [column.removesuffix("_old").removesuffix("_new") for column in columns]
    values = frame[columns].astype(object)
    values = values.where(values.notna(), None)
    return pd.Series([{name: value for name, value in zip(names, row) if value is not None}
                      for row in values.itertuples(index=False)], index=frame.index, dtype=object)


def _block(change: str, table: str, frame: pd.DataFrame, key: list[str], field: str, old, new, delta) -> pd.DataFrame:
    """Preview rows of one kind of change, labelled by their key."""
    return pd.DataFrame({"change": change, "table": table, "key": _labels(frame, key), "field": field,
                         "old": old, "new": new, "delta": delta}, columns=DIFF_COLUMNS)


def compare(old: pd.DataFrame, new: pd.DataFrame, key: list[str], fields: list[str], table: str,
            removed: bool) -> pd.DataFrame:
    """Row-by-row comparison on the key; with removed=False (an upload), keys only in `old` are left out."""
    old, new = _normalise_keys(old, key), _normalise_keys(new, key)
    merged = old[key + fields].merge(new[key + fields], on=key, how="outer" if removed else "right",
                                     suffixes=("_old", "_new"), indicator=True)
    olds, news = [f + "_old" for f in fields], [f + "_new" for f in fields]
    same = {f: _same_series(merged[f + "_old"], merged[f + "_new"]) for f in fields}
    both = merged["_merge"] == "both"
    quiet = both & pd.concat(same.values(), axis=1).all(axis=1)
    everything = ", ".join(fields)
    single = len(fields) == 1
    added, gone = merged[merged["_merge"] == "right_only"], merged[merged["_merge"] == "left_only"]
    blocks = [_block("added", table, added, key, everything, None, _summaries(added, news),
                     pd.to_numeric(added[news[0]], errors="coerce") if single else None),
              _block("removed", table, gone, key, everything, _summaries(gone, olds), None, None),
              _block("unchanged", table, merged[quiet], key, everything, None, None, None)]
    for f in fields:
        rows = merged[both & ~same[f]]
        delta = pd.to_numeric(rows[f + "_new"], errors="coerce") - pd.to_numeric(rows[f + "_old"], errors="coerce")
        blocks.append(_block("changed", table, rows, key, f, rows[f + "_old"], rows[f + "_new"], delta))
    blocks = [b for b in blocks if len(b)]
    diff = pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(columns=DIFF_COLUMNS)
    return sort_largest_first(diff)


def _normalise_keys(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """A copy with the key columns in one form on both sides: ISO dates, nullable integers, text."""
    frame = frame.copy()
    for column in key:
        if column == "as_of":
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
        elif column in ("zone_id", "zona_id", "period"):
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
        else:
            frame[column] = frame[column].astype(str)
    return frame


def sort_largest_first(diff: pd.DataFrame) -> pd.DataFrame:
    """Changed rows first, then added, removed, unchanged; within each, the largest (relative) change first."""
    delta = pd.to_numeric(diff["delta"], errors="coerce").abs()
    old = pd.to_numeric(diff["old"], errors="coerce").abs()
    size = (delta / old.where(old > 0)).fillna(delta.where(old.isna() | (old == 0)) * math.inf).fillna(0.0)
    size = size.where(diff["change"] == "changed", delta.fillna(0.0))
    order = np.full(len(diff), np.nan)
    for change, rank in CHANGE_ORDER.items():
        order[(diff["change"] == change).to_numpy(dtype=bool)] = rank
    return diff.take(np.lexsort((-size.to_numpy(), order))).reset_index(drop=True)   # stable: ties keep their order


def _labelled_by_key(parsed: pd.DataFrame, key: list[str]) -> bool:
    """True when an indicators upload can be matched by its key labels as compare() matches it: numbers as numbers,
    no missing key, no key part holding the label separator (validated uploads never do)."""
    if parsed["value"].dtype != np.float64 or parsed["period"].dtype != np.int64:
        return False
    separator = _SEPARATOR.as_py().strip()
    for column in (c for c in key if c != "period"):
        if not pd.api.types.is_string_dtype(parsed[column]) or parsed[column].dtype == object:
            return False
        text = arrow_text(parsed[column])
        if text.null_count or may_contain(text, separator):
            return False
    return True


def _repeated_text(text: str, length: int) -> pd.api.extensions.ExtensionArray:
    """A str column holding the same text `length` times."""
    return pa.repeat(pa.scalar(text, pa.large_string()), length).to_pandas().array


@lru_cache(maxsize=2)
def _published_observations(path: str, version: str) -> tuple[pa.Array, np.ndarray] | None:
    """Key labels and values of every published observation, read once per warehouse version (a few MB at most);
    None if a label repeats (it cannot in a warehouse the build checked)."""
    _query, key, _fields, _table = SHAPES["indicators"]
    rows = published(Path(path), "published_observations")
    labels = pa.array(_labels(rows, key), pa.large_string()) if len(rows) else pa.array([], pa.large_string())
    if len(pc.unique(labels)) != len(labels):
        return None
    return labels, rows["value"].to_numpy(dtype=np.float64, na_value=np.nan)


def published_observations(warehouse_path: Path) -> tuple[pa.Array, np.ndarray] | None:
    """The published observations of the warehouse as it is now (cached by its version): key labels, values."""
    return _published_observations(str(warehouse_path), warehouse_version(Path(warehouse_path)))


CHANGE_NAMES = pa.array(["changed", "added", "unchanged"], pa.large_string())   # by rank: the preview's order


def observation_changes(parsed: pd.DataFrame, warehouse_path: Path) -> pd.DataFrame:
    """compare() of an indicators upload against the published observations, matched by key label in Arrow."""
    query, key, fields, table = SHAPES["indicators"]
    current = published_observations(warehouse_path)
    if current is None:
        return compare(published(warehouse_path, query), parsed, key, fields, table, removed=False)
    published_labels, published_values = current
    labels = pc.binary_join_element_wise(*_text_parts(parsed, key, "CM"), _SEPARATOR)
    match = pc.index_in(labels, value_set=published_labels)
    found = match.is_valid().to_numpy(zero_copy_only=False)
    new = parsed[fields[0]].to_numpy(dtype=np.float64)
    old = np.full(len(parsed), np.nan)
    old[found] = published_values[match.drop_null().to_numpy()]
    with np.errstate(invalid="ignore", divide="ignore"):
        same = (np.isnan(old) & np.isnan(new)) | (np.abs(old - new) <= 1e-9 * np.maximum(np.abs(old), 1.0))
        rank = np.where(found, np.where(same, 2, 0), 1).astype(np.int8)      # 0 changed, 1 added, 2 unchanged
        changed, added = rank == 0, rank == 1
        delta = np.full(len(parsed), np.nan)
        delta[changed], delta[added] = new[changed] - old[changed], new[added]
        size = np.nan_to_num(np.abs(delta), nan=0.0)  # added: the new value; changed: relative to the old one
        base = np.abs(old[changed])
        size[changed] = np.where(base > 0, size[changed] / base, np.where(size[changed] > 0, np.inf, 0.0))
    order = np.lexsort((-size, rank))                    # stable: ties in file order
    rank, delta = rank[order], delta[order]
    changed, unchanged = rank == 0, rank == 2
    old_shown = np.full(len(rank), None, dtype=object)   # as compare()'s blocks make them
    old_shown[changed] = old[order][changed]
    new_shown = new[order].astype(object)
    new_shown[unchanged] = None
    if unchanged.any():
        delta = delta.astype(object)
        delta[unchanged] = None
    return pd.DataFrame({"change": pc.take(CHANGE_NAMES, rank).to_pandas().array,
                         "table": _repeated_text(table, len(rank)),
                         "key": pc.take(labels, order).to_pandas().array,
                         "field": _repeated_text(fields[0], len(rank)), "old": old_shown, "new": new_shown,
                         "delta": delta},
                        columns=DIFF_COLUMNS)


def diff_against_published(parsed: pd.DataFrame, warehouse_path: Path) -> pd.DataFrame:
    """What an upload would change in the published warehouse: one row per added row or changed field."""
    kind = kind_of(parsed)
    query, key, fields, table = SHAPES[kind]
    if not Path(warehouse_path).exists():
        return compare(parsed.iloc[0:0], parsed, key, fields, table, removed=False)
    if kind == "indicators" and len(parsed) and _labelled_by_key(parsed, key):
        return observation_changes(parsed, warehouse_path)
    if kind == "priority_zones":     # a file gives the whole set of each code it lists: the rest of it goes
        current = published(warehouse_path, query)
        listed = current[current["plan_code"].isin(parsed["plan_code"])]
        return compare(listed, parsed, key, fields, table, removed=True)
    codes = sorted(parsed["indicator_code"].unique().tolist()) if "indicator_code" in parsed else None
    current = published(warehouse_path, query, codes) if kind != "zones" else published(warehouse_path, query)
    return compare(current, parsed, key, fields, table, removed=False)


def diff_warehouses(before: Path, after: Path) -> pd.DataFrame:
    """Every published row that differs between two warehouses (for the preview of a revert)."""
    parts = [compare(published(before, query), published(after, query), key, fields, table, removed=True)
             for query, key, fields, table in SHAPES.values()]
    return sort_largest_first(pd.concat(parts, ignore_index=True))


def counts(diff: pd.DataFrame) -> dict[str, int]:
    """Rows per change type (a changed row counts once however many fields changed)."""
    distinct = diff.drop_duplicates(["change", "table", "key"])
    return {change: int((distinct["change"] == change).sum()) for change in CHANGE_ORDER}


@dataclass(frozen=True)
class Preview:
    """What an upload or a revert would change in the published warehouse, and the version of it compared with."""

    changes: pd.DataFrame       # DIFF_COLUMNS: one row per added, removed or unchanged row and per changed field
    counts: dict[str, int]      # rows added, changed, removed, unchanged
    warehouse_version: str      # core.warehouse.version of the warehouse compared with


def preview_of(changes: pd.DataFrame, warehouse_version_seen: str) -> Preview:
    """A Preview of the given changes, made against that version of the warehouse."""
    return Preview(changes, counts(changes), warehouse_version_seen)


def preview_against_published(parsed: pd.DataFrame, warehouse_path: Path) -> Preview:
    """diff_against_published as a Preview (the version is read first: a swap during the diff makes it look older,
    never newer, than the rows it compared)."""
    seen = warehouse_version(Path(warehouse_path))
    return preview_of(diff_against_published(parsed, warehouse_path), seen)
