"""Reading a CSV the way officials export it (Excel's «Testo Unicode» too): encoding, separator and header, every cell
kept as text."""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass

import pandas as pd

from etl.uploads.csv_kernels import after_line, line_cells, regular_cells

SEPARATORS = (";", ",", "\t")
SEPARATOR_NAMES = {";": "punto e virgola (;)", ",": "virgola (,)", "\t": "tabulazione"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 con BOM", "cp1252": "Windows-1252",
                  "utf-16": "UTF-16 («Testo Unicode» di Excel)"}
# First bytes of files that are not text, and what to tell the official.
MAGIC = {
    b"PK\x03\x04": "un archivio ZIP o una cartella di lavoro Excel danneggiata",
    b"\xd0\xcf\x11\xe0": "un file Excel 97-2003 (.xls)",
    b"%PDF": "un documento PDF",
    b"\x89PNG": "un'immagine PNG",
    b"\xff\xd8\xff": "un'immagine JPEG",
    b"\x1f\x8b": "un archivio compresso (gzip)",
}
SAVE_AS_CSV = ("apri il file in Excel e salvalo come «Cartella di lavoro di Excel (.xlsx)», «CSV UTF-8» o «CSV "
               "(delimitato dal separatore di elenco)»")
MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€")
CONTROL_BYTES = bytes(b for b in range(256) if b < 9 or 13 < b < 32 or b == 127)
SNIFF_RECORDS = 101          # records read to detect the separator (header + 100 rows)
SNIFF_CHARS = 65536          # text read first to find them; more only when they do not fit


class DialectError(Exception):
    """The file cannot be read as a CSV; the message says why, in Italian, and what to do."""


@dataclass(frozen=True)
class Table:
    """A CSV (or a workbook's sheet) read as text: its encoding and separator, normalised header, cells by physical
    line number (sheet row)."""

    encoding: str
    separator: str
    header: list[str]
    cells: pd.DataFrame          # one column per header name, stripped str cells; index = line number in the file
    bad_lines: list[tuple[int, int]]  # (line, number of fields) of rows that do not match the header
    origin: str = ""             # what a table not read from a CSV was read from: 'file OpenDocument (.ods), …'
    notes: tuple[str, ...] = ()  # what the official should know about the reading (a workbook's other sheets)

    def describe(self) -> str:
        """The dialect in words: 'codifica UTF-8, separatore punto e virgola (;)', or the table's origin."""
        if self.origin:
            return self.origin
        return f"codifica {ENCODING_NAMES[self.encoding]}, separatore {SEPARATOR_NAMES[self.separator]}"


def normalise_name(name: str) -> str:
    """Header cell → column name: trimmed, lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().lower())


def header_names(fields: list[str]) -> list[str]:
    """The header's cells as column names; DialectError when a name repeats."""
    header = [normalise_name(h) for h in fields]
    if len(set(header)) != len(header):
        repeated = sorted({h for h in header if header.count(h) > 1})
        raise DialectError(f"colonne ripetute nell'intestazione: {', '.join(repeated)}")
    return header


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding) for UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16 (Excel's «Testo Unicode»);
    DialectError for anything else."""
    if not raw.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise DialectError("il file è vuoto")
    for magic, what in MAGIC.items():
        if raw.startswith(magic):
            raise DialectError(f"il file sembra {what}, non un CSV: {SAVE_AS_CSV}")
    if utf16 := _utf16_codec(raw):
        return _strict(raw, utf16, "utf-16"), "utf-16"
    head = raw[:65536]
    control = len(head) - len(head.translate(None, CONTROL_BYTES))
    if control > max(2, len(head) // 200):
        raise DialectError(f"il file contiene dati binari, non testo: non è un CSV ({SAVE_AS_CSV})")
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], "utf-8", "utf-8-sig"), "utf-8-sig"
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        if re.search(rb"[\xc2-\xdf][\x80-\xbf]|\xe2\x80[\x90-\xbf]", raw):
            raise DialectError("il file mescola due codifiche (UTF-8 e Windows-1252): alcune lettere accentate "
                               f"risulterebbero alterate; {SAVE_AS_CSV}") from None
        text, encoding = _strict(raw, "cp1252", "cp1252"), "cp1252"
    if _may_be_double_encoded(raw if encoding == "utf-8" else None, text) and MOJIBAKE.search(text):
        raise DialectError("il testo contiene lettere alterate (per esempio «Ã¨» al posto di «è»): il file è stato "
                           f"convertito due volte; {SAVE_AS_CSV}")
    return text, encoding


def _utf16_codec(raw: bytes) -> str | None:
    """The codec of a UTF-16 text (Excel's «Testo Unicode» starts with a BOM; without one, the zero bytes of its
    ASCII characters tell the byte order), None for other bytes."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"                                 # the BOM says the order, and is dropped
    head = raw[:400]
    if head[1::2].count(0) > 50 and head[1::2].count(0) > 4 * head[0::2].count(0):
        return "utf-16-le"
    if head[0::2].count(0) > 50 and head[0::2].count(0) > 4 * head[1::2].count(0):
        return "utf-16-be"
    return None


def _may_be_double_encoded(utf8: bytes | None, text: str) -> bool:
    """Whether the text holds «Ã» or «â€», looked for in its UTF-8 bytes when there are (a byte search is much
    faster than one in the decoded text; each looks for a rare byte of the sequence first)."""
    if utf8 is None:
        return "Ã" in text or "â€" in text
    return any(needle[1:2] in utf8 and needle in utf8 for needle in ("Ã".encode(), "â€".encode()))


def _strict(raw: bytes, codec: str, encoding: str) -> str:
    """The bytes decoded with the codec; DialectError naming the line of the first invalid byte."""
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].decode(codec, errors="replace").count("\n") + 1
        raise DialectError(f"codifica non riconosciuta (byte non valido alla riga {line}): sono accettati UTF-8, "
                           f"UTF-8 con BOM, Windows-1252 e UTF-16; {SAVE_AS_CSV}") from None


def _records(text: str, separator: str):
    """(line number, fields) of each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    start = 1
    for fields in reader:
        if any(f.strip() for f in fields):
            yield start, fields
        start = reader.line_num + 1


def _header_record(text: str, separator: str) -> tuple[int, list[str]]:
    """(line number, fields) of the first non-blank record, read from the start of the text when it ends there."""
    head = text[:SNIFF_CHARS]
    if len(head) < len(text):
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=separator)
        start, whole_lines = 1, head.count("\n")
        for fields in reader:
            if reader.line_num >= whole_lines:
                break                           # the record may go on after the head: read the whole text
            if any(f.strip() for f in fields):
                return start, fields
            start = reader.line_num + 1
    return next(_records(text, separator))


def _first_records(text: str, separator: str) -> list[list[str]]:
    """The fields of the first SNIFF_RECORDS non-blank records, reading only as much of the text as they need."""
    size = SNIFF_CHARS
    while True:
        end = text.find("\n", size)
        whole = end < 0 or end + 1 == len(text)
        head = text if whole else text[:end + 1]
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=separator)
        sample = []
        for fields in reader:
            if any(f.strip() for f in fields):
                sample.append(fields)
                if len(sample) == SNIFF_RECORDS:
                    break
        # Lines left after the last record kept: it ended inside the head, as it does in the whole text.
        if whole or (len(sample) == SNIFF_RECORDS and reader.line_num < head.count("\n")):
            return sample
        size *= 4


def _score(text: str, separator: str, expected: set[str] | None) -> tuple:
    """How well a separator splits the first records: more than one column, known names, same widths."""
    sample = _first_records(text, separator)
    header = _trim(sample[0]) if sample else []
    width = len(sample[0]) if sample else 0
    rows = sample[1:]
    consistent = sum(len(r) == width for r in rows) / len(rows) if rows else 1.0
    matches = len({normalise_name(h) for h in header} & expected) if expected else 0
    return (len(header) > 1, matches, consistent, len(header))


def _trim(fields: list[str]) -> list[str]:
    """Fields without the empty ones Excel leaves at the end of a line."""
    end = len(fields)
    while end and not fields[end - 1].strip():
        end -= 1
    return fields[:end]


def detect_separator(text: str, expected: set[str] | None = None) -> str:
    """The separator that splits the header into columns and the rows into as many fields."""
    scores = {sep: _score(text, sep, expected) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: scores[sep])  # ties: the earlier separator (; first)
    if not scores[best][0]:
        raise DialectError("separatore non riconosciuto: l'intestazione ha una sola colonna. Le colonne devono essere "
                           "separate da punto e virgola (;), virgola (,) o tabulazione")
    return best


def read_table(raw: bytes, expected_columns: set[str] | None = None) -> Table:
    """Decode, detect the separator, and read every record as text keyed by its line number."""
    text, encoding = decode(raw)
    separator = detect_separator(text, expected_columns)
    header_line, header_fields = _header_record(text, separator)
    header = header_names(_trim(header_fields))
    # A row may stop early (its last cells are empty) but never have more fields than the header:
    # that happens when the separator also appears inside values (e.g. decimal commas with ',').
    # In UTF-8 and Windows-1252 '"', CR and LF are the bytes 0x22, 0x0D and 0x0A: looked for in the bytes (faster).
    bytes_or_text = (raw, b'"', b"\r", b"\r\n") if encoding != "utf-16" else (text, '"', "\r", "\r\n")
    whole, quote, cr, crlf = bytes_or_text
    plain = quote not in whole and (cr not in whole or whole.count(cr) == whole.count(crlf))
    body = after_line(raw[3:] if encoding == "utf-8-sig" else raw, header_line) if encoding.startswith("utf-8") \
        else None
    read = (plain and (regular_cells(text, separator, header_line, header, len(header_fields), body)
                       or line_cells(text, separator, header_line, header, len(header_fields))))
    cells, bad = read or record_cells(text, separator, header, len(header_fields))
    return Table(encoding, separator, header, cells, bad)


def record_cells(text: str, separator: str, header: list[str],
                 raw_width: int) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """Cells of the records after the header, read by the csv module: padded, stripped; longer rows set apart.

    The rules: a cell is its field stripped of whitespace; a row with fewer fields is padded with empty cells, one
    with more fields than the header line is set apart (line, fields); blank rows are left out. Any file reads this
    way; csv_kernels reads files without quotes by whole columns, to the same cells.
    """
    width, rows, lines, bad = len(header), [], [], []
    for line, fields in itertools.islice(_records(text, separator), 1, None):
        if len(fields) > raw_width:
            bad.append((line, len(fields)))
            continue
        padded = fields + [""] * (width - len(fields))
        rows.append([f.strip() for f in padded[:width]])
        lines.append(line)
    columns = list(zip(*rows)) if rows else [()] * width
    cells = pd.DataFrame({name: pd.array(list(column), dtype="str") for name, column in zip(header, columns)},
                         index=pd.Index(lines, name="line", dtype="int64"), columns=header)
    return cells, bad
