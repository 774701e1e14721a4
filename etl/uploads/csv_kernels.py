"""A CSV without quotes read by whole columns: the same cells and long rows as dialect.record_cells, much faster.

When nothing can be quoted (no '"') and every CR ends a line with LF, a record is a line, so whole columns can be split
at once: by Arrow's CSV reader when every line has as many fields as the header, else by splitting the lines.
tests/test_uploads_columns.py compares both readers with the csv module's.
"""
from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv


def after_line(text: str | bytes, line: int) -> str | bytes:
    """The text (or UTF-8 bytes) after its first `line` lines."""
    newline = b"\n" if isinstance(text, bytes) else "\n"
    start = 0
    for _ in range(line):
        start = text.find(newline, start) + 1
        if start == 0:
            return text[:0]
    return text[start:]


def _pieces(strings) -> list:
    """The Arrow arrays of a column (its chunks, or itself)."""
    return strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]


def _offsets(strings: pa.Array) -> np.ndarray:
    """The start of each string in the data buffer, and the end of the last."""
    width = 8 if pa.types.is_large_string(strings.type) else 4
    return np.frombuffer(strings.buffers()[1], dtype=np.int64 if width == 8 else np.int32,
                         count=len(strings) + 1, offset=strings.offset * width)


def _byte_lengths(strings) -> np.ndarray:
    """The length in bytes of each string (missing ones 0)."""
    return np.concatenate([np.diff(_offsets(piece)) for piece in _pieces(strings)] or [np.zeros(0, np.int64)])


def _may_need_trim(strings) -> bool:
    """Whether a string may start or end with whitespace: first or last byte a space, a control or not ASCII."""
    for piece in _pieces(strings):
        offsets, data = _offsets(piece), piece.buffers()[2]
        filled = offsets[1:] > offsets[:-1]
        if data is None or not filled.any():
            continue
        data = np.frombuffer(data, dtype=np.uint8)
        edges = np.concatenate([data[offsets[:-1][filled]], data[offsets[1:][filled] - 1]])
        if ((edges <= 0x20) | (edges >= 0x7f)).any():
            return True
    return False


def _stripped_cells(columns: list, first_line: int, header: list[str], trimmed: bool = False) -> pd.DataFrame:
    """Cells of consecutive lines from their split columns (the header's first): stripped, blank rows left out.

    trimmed: the caller knows that no cell starts or ends with whitespace.
    """
    stripped = [column if trimmed or not _may_need_trim(column) else pc.utf8_trim_whitespace(column)
                for column in columns]
    filled = np.zeros(len(stripped[0]), dtype=bool)
    for column in stripped:
        filled |= _byte_lengths(column) > 0
    kept = pa.array(filled)
    named = stripped[:len(header)]
    cells = pa.table(named if filled.all() else [column.filter(kept) for column in named], names=header).to_pandas()
    cells.index = pd.Index(np.flatnonzero(filled) + first_line, name="line", dtype="int64")
    return cells


def _too_long(strings) -> bool:
    """Whether a string has more characters than the csv module reads in one field."""
    limit = csv.field_size_limit()
    if not len(strings) or int(_byte_lengths(strings).max()) <= limit:
        return False                                        # never more characters than bytes
    return (pc.max(pc.utf8_length(strings)).as_py() or 0) > limit


def regular_cells(text: str, separator: str, header_line: int, header: list[str], raw_width: int,
                  body: bytes | None = None) -> tuple[pd.DataFrame, list] | None:
    """Cells read by Arrow's CSV reader when every line after the header has raw_width fields; else None.

    body: the file's UTF-8 bytes after the header, when it has them (saves encoding the text again).
    """
    data = body if body is not None else after_line(text, header_line).encode("utf-8")
    if not data:
        return None
    names = [str(n) for n in range(raw_width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data), read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=separator, quote_char=False, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()),
                                                  strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None  # a line with another number of fields
    columns, octets = table.columns, np.frombuffer(data, dtype=np.uint8)
    lines = int(np.count_nonzero(octets == ord("\n")))
    if table.num_rows != lines + (not data.endswith(b"\n")) or any(_too_long(column) for column in columns):
        return None
    return _stripped_cells(columns, header_line + 1, header, _without_blanks(data, octets, lines, separator)), []


def _without_blanks(data: bytes, octets: np.ndarray, lines: int, separator: str) -> bool:
    """True when the bytes are ASCII and hold no whitespace or control character but the line ends and the
    separator: then no cell can start or end with whitespace."""
    if not data.isascii():
        return False
    allowed = lines + int(np.count_nonzero(octets == ord("\r")))
    if separator == "\t":
        allowed += int(np.count_nonzero(octets == ord("\t")))
    return int(np.count_nonzero(octets <= 0x20)) + int(np.count_nonzero(octets == 0x7f)) == allowed


def line_cells(text: str, separator: str, header_line: int, header: list[str],
               raw_width: int) -> tuple[pd.DataFrame, list[tuple[int, int]]] | None:
    """Cells of the lines after the header split on the separator as whole columns; None for overlong lines."""
    lines = pc.utf8_rtrim(pc.list_flatten(pc.split_pattern(pa.array([after_line(text, header_line)]), "\n")),
                          characters="\r")
    if _too_long(lines):
        return None  # the csv module may refuse one of its fields: let it say so
    fields = pc.add(pc.count_substring(lines, separator), 1).to_numpy(zero_copy_only=False)
    too_long = fields > raw_width
    blank = pc.equal(pc.utf8_trim_whitespace(pc.replace_substring(lines, separator, "")), "")
    long_rows = np.flatnonzero(too_long & ~blank.to_numpy(zero_copy_only=False))
    bad = [(int(n) + header_line + 1, int(fields[n])) for n in long_rows]
    padded = pc.binary_join_element_wise(lines.filter(pa.array(~too_long)), separator * raw_width, "")
    split = pc.split_pattern(padded, separator)                      # at least raw_width fields each
    starts = split.offsets.to_numpy()[:-1]
    cells = _stripped_cells([split.values.take(pa.array(starts + j)) for j in range(raw_width)], 0, header)
    cells.index = pd.Index(np.flatnonzero(~too_long)[cells.index] + header_line + 1, name="line", dtype="int64")
    return cells, bad
