"""Columns of text as Arrow strings: to and from pandas, quick looks at their bytes, work once per distinct value."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def arrow_text(series: pd.Series) -> pa.Array:
    """A column of text (missing where empty) as Arrow strings, without copying str columns."""
    array = pa.array(series, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string()) if array.type != pa.large_string() else array


def text_series(array, index: pd.Index) -> pd.Series:
    """Arrow strings as a str column on the given index, or object (all None) when no cell is left, as map gives."""
    series = array.to_pandas().set_axis(index)
    if series.isna().all():
        return pd.Series(np.full(len(index), None, dtype=object), index=index, dtype=object)
    return series


def data_bytes(text: pa.Array) -> bytes:
    """The character bytes of Arrow large strings: those of every cell, perhaps with some of cells sliced away."""
    data = text.buffers()[2]
    return data.to_pybytes() if data is not None else b""


def may_contain(text: pa.Array, characters: str) -> bool:
    """False when no cell holds any of the characters (a quick look at the bytes; True means perhaps). A character
    beyond ASCII is looked for by its last byte first: one byte is searched much faster than a sequence."""
    data = data_bytes(text)
    return any(encoded[-1:] in data and encoded in data
               for encoded in (character.encode("utf-8") for character in characters))


def starts_with_any(text: pa.Array, starts: tuple[str, ...]) -> np.ndarray:
    """True where a cell of Arrow large strings (no missing cell) starts with one of the given ASCII characters."""
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64, count=len(text) + 1, offset=text.offset * 8)
    data = text.buffers()[2]
    filled = offsets[1:] > offsets[:-1]
    first = np.zeros(len(text), dtype=np.uint8)
    if data is not None and filled.any():
        first[filled] = np.frombuffer(data, dtype=np.uint8)[offsets[:-1][filled]]
    return np.isin(first, np.frombuffer("".join(starts).encode("ascii"), dtype=np.uint8))


def per_distinct(values: pd.Series, function) -> list:
    """function(value) for every value, computed once per distinct value."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    results = [function(value) for value in distinct]
    return [results[code] for code in codes]
