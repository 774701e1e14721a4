"""Reading a CSV the way officials export it: encoding, separator and header, every cell kept as text."""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

import pandas as pd

SEPARATORS = (";", ",", "\t")
SEPARATOR_NAMES = {";": "punto e virgola (;)", ",": "virgola (,)", "\t": "tabulazione"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 con BOM", "cp1252": "Windows-1252"}
# First bytes of files that are not text, and what to tell the official.
MAGIC = {
    b"PK\x03\x04": "un file Excel (.xlsx) o un archivio ZIP",
    b"\xd0\xcf\x11\xe0": "un file Excel 97-2003 (.xls)",
    b"%PDF": "un documento PDF",
    b"\x89PNG": "un'immagine PNG",
    b"\xff\xd8\xff": "un'immagine JPEG",
    b"\x1f\x8b": "un archivio compresso (gzip)",
}
SAVE_AS_CSV = "apri il file in Excel e salvalo come «CSV UTF-8» o «CSV (delimitato dal separatore di elenco)»"
MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€")


class DialectError(Exception):
    """The file cannot be read as a CSV; the message says why, in Italian, and what to do."""


@dataclass(frozen=True)
class Table:
    """A CSV read as text: its encoding and separator, normalised header, cells by physical line number."""

    encoding: str
    separator: str
    header: list[str]
    cells: pd.DataFrame          # one column per header name, str cells; index = line number in the file
    bad_lines: list[tuple[int, int]]  # (line, number of fields) of rows that do not match the header

    def describe(self) -> str:
        """The dialect in words: 'codifica UTF-8, separatore punto e virgola (;)'."""
        return f"codifica {ENCODING_NAMES[self.encoding]}, separatore {SEPARATOR_NAMES[self.separator]}"


def normalise_name(name: str) -> str:
    """Header cell → column name: trimmed, lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().lower())


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding) for UTF-8, UTF-8 with BOM or Windows-1252; DialectError for anything else."""
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise DialectError("il file è vuoto")
    for magic, what in MAGIC.items():
        if raw.startswith(magic):
            raise DialectError(f"il file sembra {what}, non un CSV: {SAVE_AS_CSV}")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw[1:400:2].count(0) > 50:
        raise DialectError(f"il file è in UTF-16 («Testo Unicode» di Excel), codifica non accettata: {SAVE_AS_CSV}")
    head = raw[:65536]
    control = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127)
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
    if MOJIBAKE.search(text):
        raise DialectError("il testo contiene lettere alterate (per esempio «Ã¨» al posto di «è»): il file è stato "
                           f"convertito due volte; {SAVE_AS_CSV}")
    return text, encoding


def _strict(raw: bytes, codec: str, encoding: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DialectError(f"codifica non riconosciuta (byte non valido alla riga {line}): sono accettati UTF-8, "
                           f"UTF-8 con BOM e Windows-1252; {SAVE_AS_CSV}") from None


def _records(text: str, separator: str):
    """(line number, fields) of each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    start = 1
    for fields in reader:
        if any(f.strip() for f in fields):
            yield start, fields
        start = reader.line_num + 1


def _score(text: str, separator: str, expected: set[str] | None) -> tuple:
    sample = []
    for record in _records(text, separator):
        sample.append(record[1])
        if len(sample) > 100:
            break
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
    records = list(_records(text, separator))
    raw_header = _trim(records[0][1])
    header = [normalise_name(h) for h in raw_header]
    if len(set(header)) != len(header):
        repeated = sorted({h for h in header if header.count(h) > 1})
        raise DialectError(f"colonne ripetute nell'intestazione: {', '.join(repeated)}")
    width, raw_width, rows, lines, bad = len(header), len(records[0][1]), [], [], []
    for line, fields in records[1:]:
        # A row may stop early (its last cells are empty) but never have more fields than the header:
        # that happens when the separator also appears inside values (e.g. decimal commas with ',').
        if len(fields) > raw_width:
            bad.append((line, len(fields)))
            continue
        padded = fields + [""] * (width - len(fields))
        rows.append([f.strip() for f in padded[:width]])
        lines.append(line)
    cells = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    return Table(encoding, separator, header, cells, bad)
