"""Upload files for the tests: good ones and every kind of bad input, with the message the official must see."""
from __future__ import annotations

import struct
import zlib

INDICATOR_HEADER = "indicator_code;level;territory_code;period;sex;value;numerator;denominator;note\n"
PROGRESS_HEADER = "action_code;zone_id;as_of;status;percent;funds_allocated;funds_spent;note\n"
TARGETS_HEADER = ("indicator_code;level;territory_code;sex;baseline_period;baseline_value;target_period;target_value;"
                  "note\n")
NIDO_2023 = "share_comuni_nido;cm;001;2023;T;45,2;;;Dato comunicato dall'ufficio\n"


def indicators(*rows: str) -> bytes:
    """An indicators file (';', decimal comma, UTF-8) with the given data lines."""
    return (INDICATOR_HEADER + "".join(rows)).encode("utf-8")


def progress(*rows: str) -> bytes:
    """An action progress file with the given data lines."""
    return (PROGRESS_HEADER + "".join(rows)).encode("utf-8")


def targets(*rows: str) -> bytes:
    """A baselines and targets file with the given data lines."""
    return (TARGETS_HEADER + "".join(rows)).encode("utf-8")


def png_bytes() -> bytes:
    """A real (tiny) PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + \
        chunk(b"IEND", b"")


# (case id, file bytes, text the official must read in the report)
BAD_INPUTS = [
    ("wrong_separator", indicators(NIDO_2023).replace(b";", b"|"), "separatore non riconosciuto"),
    ("comma_separator_with_decimal_comma", indicators(NIDO_2023).replace(b";", b","), "più dell'intestazione"),
    ("wrong_encoding_utf16", indicators(NIDO_2023).decode().encode("utf-16"), "UTF-16"),
    ("wrong_encoding_bytes", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;nota X\n").replace(b"X", b"\x81\x8d"),
     "codifica non riconosciuta"),
    ("mixed_encodings", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;Agliè\n") + "Caselle è\n".encode("cp1252"),
     "mescola due codifiche"),
    ("converted_twice", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;AgliÃ¨\n"), "convertito due volte"),
    ("converted_twice_euro", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;costo 5 â€ al mese\n"),
     "convertito due volte"),
    ("binary_png_renamed", png_bytes(), "immagine PNG"),
    ("excel_renamed", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel"),
    ("random_binary", bytes((i * 37 + 11) % 256 for i in range(4000)), "dati binari"),
    ("empty_file", b"", "il file è vuoto"),
    ("header_only", indicators(), "solo l'intestazione"),
    ("extra_column", indicators(NIDO_2023).replace(b"note\n", b"note;colore\n").replace(b"ufficio\n", b"ufficio;blu\n"),
     "colonna non prevista"),
    ("missing_column", indicators(NIDO_2023).replace(b";note\n", b"\n").replace(b";Dato comunicato dall'ufficio", b""),
     "colonna mancante"),
    ("text_in_numeric_cell", indicators("share_comuni_nido;cm;001;2023;T;quarantacinque;;;\n"), "non è un numero"),
    ("unknown_indicator", indicators("asili_nido;cm;001;2023;T;45,2;;;\n"), "indicatore sconosciuto"),
    ("unknown_comune", indicators("pharmacies;comune;999999;2023;T;3;3;;\n"), "territorio sconosciuto"),
    ("merged_comune", indicators("pharmacies;comune;1182;2023;T;3;3;;\n"),
     "il comune Pecco (001182) non esiste più: dal 01/01/2019 è confluito in Val di Chy (001317)"),
    ("unknown_zone", progress("5.4.1;12;31/10/2026;in_corso;25;;;\n"), "zona sconosciuta"),
    ("unknown_action", progress("5.9.9;;31/10/2026;in_corso;25;;;\n"), "azione sconosciuta"),
    ("duplicate_rows", indicators(NIDO_2023, NIDO_2023), "riga ripetuta: stessa chiave della riga 2"),
    ("percent_over_100", progress("5.4.1;;31/10/2026;in_corso;120;;;\n"), "deve essere al massimo 100"),
    ("share_over_100", indicators("share_comuni_nido;cm;001;2023;T;145,2;;;\n"), "tra 0 e 100"),
    ("superscript_zone_code", indicators("share_comuni_nido;zona;\u00b3;2023;T;45,2;;;\n"), "territorio sconosciuto"),
    ("superscript_cm_code", indicators("share_comuni_nido;cm;\u00b9;2023;T;45,2;;;\n"), "territorio sconosciuto"),
    ("baseline_year_without_value", targets("share_comuni_nido;cm;001;T;2020;;2030;60;\n"),
     "anno e valore vanno indicati insieme"),
    ("target_year_without_value", targets("share_comuni_nido;cm;001;T;2020;40;2030;;\n"),
     "anno e valore vanno indicati insieme"),
    ("negative_count", indicators("pharmacies;comune;001272;2023;T;-3;;;\n"), "un conteggio non è negativo"),
]
