"""Upload files for the tests: good ones and every kind of bad input, with the message the official must see."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date, datetime

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


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    """A ZIP archive holding the given parts (a workbook's skeleton)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx_bytes(rows: list[list], formats: dict[str, str] | None = None, sheets: tuple[str, ...] = ("Dati",)) -> bytes:
    """An .xlsx written by openpyxl: the rows on the first sheet (None = empty cell), number formats by cell
    ({"C2": "000000"}), and further empty sheets."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheets[0]
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    for name in sheets[1:]:
        book.create_sheet(name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(rows: list[list], sheets: tuple[str, ...] = ("Dati",)) -> bytes:
    """An .ods written by odfpy: str cells as text, numbers as floats, dates as dates, None empty; a (text, number)
    pair is a number shown as that text (a code formatted 000000)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for n, name in enumerate(sheets):
        table = Table(name=name)
        for row in rows if n == 0 else []:
            line = TableRow()
            for value in row:
                line.addElement(_ods_cell(value, TableCell, P))
            table.addElement(line)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _ods_cell(value, TableCell, P):  # noqa: N803 - odfpy's element classes
    """One odfpy cell for ods_bytes."""
    if value is None:
        return TableCell()
    if isinstance(value, tuple):
        text, number = value
        cell = TableCell(valuetype="float", value=number)
    elif isinstance(value, (date, datetime)):
        text, cell = f"{value:%d/%m/%Y}", TableCell(valuetype="date", datevalue=value.isoformat())
    elif isinstance(value, (int, float)):
        text, cell = str(value).replace(".", ","), TableCell(valuetype="float", value=value)
    else:
        text, cell = value, TableCell(valuetype="string")
    cell.addElement(P(text=text))
    return cell


def unicode_text(csv: bytes) -> bytes:
    """The «Testo Unicode» Excel saves of the sheet a template CSV holds: UTF-16 with a BOM, tabs, CR LF."""
    return csv.decode("utf-8").replace(";", "\t").replace("\n", "\r\n").encode("utf-16")


MACRO_WORKBOOK = zip_bytes({"[Content_Types].xml": b'<Types><Override ContentType="application/'
                                                   b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
                            "xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"\x00" * 64})
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)          # the header of an OLE compound file
ENCRYPTED_WORKBOOK = CFB + "EncryptionInfo".encode("utf-16-le") + bytes(64)

# (case id, file bytes, text the official must read in the report)
BAD_INPUTS = [
    ("wrong_separator", indicators(NIDO_2023).replace(b";", b"|"), "separatore non riconosciuto"),
    ("comma_separator_with_decimal_comma", indicators(NIDO_2023).replace(b";", b","), "più dell'intestazione"),
    ("utf16_with_invalid_text", indicators(NIDO_2023).decode().encode("utf-16") + b"\x00\xd8\x41\x00",
     "codifica non riconosciuta"),
    ("wrong_encoding_bytes", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;nota X\n").replace(b"X", b"\x81\x8d"),
     "codifica non riconosciuta"),
    ("mixed_encodings", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;Agliè\n") + "Caselle è\n".encode("cp1252"),
     "mescola due codifiche"),
    ("converted_twice", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;AgliÃ¨\n"), "convertito due volte"),
    ("converted_twice_euro", indicators("share_comuni_nido;cm;001;2023;T;45,2;;;costo 5 â€ al mese\n"),
     "convertito due volte"),
    ("binary_png_renamed", png_bytes(), "immagine PNG"),
    ("excel_renamed", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel"),
    ("excel_97_2003", CFB, "Excel 97-2003"),
    ("macro_workbook", MACRO_WORKBOOK, "contiene macro"),
    ("encrypted_workbook", ENCRYPTED_WORKBOOK, "protetto da password"),
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
