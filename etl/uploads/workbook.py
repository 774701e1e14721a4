"""Reading a workbook the way officials keep it: the first sheet of an .xlsx or .ods file as the text cells a CSV
export of it would hold (numbers, dates and codes as the sheet shows them), numbered by sheet row."""
from __future__ import annotations

import html
import io
import itertools
import re
import warnings
import zipfile

import pandas as pd

from etl.uploads import sheet_cells
from etl.uploads.dialect import DialectError, Table, header_names, normalise_name

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"          # Excel 97-2003, and any workbook with a password
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
HEADER_SEARCH = 20               # rows looked at for the header (titles may come first)
MAX_CELLS = 1_000_000            # cells of the rows read; a larger table is a job for a CSV
MAX_UNZIPPED_BYTES = 256 * 2**20  # a workbook's parts once unzipped (a small file can hide a huge one)
SAVE_AS = "salvalo come «Cartella di lavoro di Excel (.xlsx)», come foglio OpenDocument (.ods) o come CSV UTF-8"
FORMATS = {"xlsx": "cartella di lavoro Excel (.xlsx)", "ods": "file OpenDocument (.ods)"}
# A formula cell saved without its value: <c r="B6"><f>1/0</f></c> or <v/> after it (Excel always saves the value;
# scripts may not). A text formula may keep an empty value (<c t="str">…<v></v>): that one is a value.
_TAG, _END = rb"<(?:\w+:)?", rb"</(?:\w+:)?"
FORMULA_WITHOUT_VALUE = re.compile(
    _TAG + rb'c\b(?![^>]*\bt="str")[^>]*\br="([A-Z]+[0-9]+)"[^>]*>\s*'         # a cell, not a text formula
    + _TAG + rb"f\b[^>]*?(?:/>|>[^<]*" + _END + rb"f>)\s*"                       # its formula
    + rb"(?:" + _TAG + rb"v\s*/>|" + _TAG + rb"v>\s*" + _END + rb"v>)?\s*" + _END + rb"c>")  # no value, or an empty one


class WorkbookRefused(DialectError):
    """A workbook that is read no further (macros, a password, too large): no connector gets to try it either."""


def workbook_format(raw: bytes) -> str | None:
    """'xlsx' or 'ods' for a workbook that can be read, None for bytes that are not one (Excel 97-2003 included:
    the CSV reader says what to do); WorkbookRefused for one with macros, a password, in binary .xlsb or too large
    once unzipped."""
    if raw.startswith(CFB_MAGIC):
        if ENCRYPTED_STREAM in raw:
            raise WorkbookRefused("il file è protetto da password: togli la password (in Excel: File › "
                                  "Informazioni › Proteggi cartella di lavoro) e caricalo di nuovo")
        return None
    if not raw.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            fmt = "xlsx" if "xl/workbook.xml" in names else "ods" if mimetype.startswith(ODS_MIMETYPE) else None
            if fmt is None:
                if "xl/workbook.bin" in names:
                    raise WorkbookRefused("il file è una cartella Excel binaria (.xlsb), formato non accettato: "
                                          + SAVE_AS)
                return None                           # another archive (a connector may know it)
            _refuse_unsafe(archive, names, fmt)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return None
    return fmt


def _refuse_unsafe(archive: zipfile.ZipFile, names: set[str], fmt: str) -> None:
    """WorkbookRefused for a workbook with macros, a password (ODS) or parts too large once unzipped."""
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    macros = "xl/vbaProject.bin" in names or b"macroEnabled" in types if fmt == "xlsx" else \
        any(n.startswith(("Basic/", "Scripts/")) for n in names)
    if macros:
        raise WorkbookRefused("il file contiene macro (per esempio un file .xlsm): per sicurezza non è accettato; "
                              + SAVE_AS)
    if fmt == "ods" and b"encryption-data" in archive.read("META-INF/manifest.xml"):
        raise WorkbookRefused("il file è protetto da password: togli la password (in LibreOffice: File › "
                              "Proprietà › Sicurezza) e caricalo di nuovo")
    if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
        raise WorkbookRefused(f"il file è troppo grande una volta decompresso (più di {MAX_UNZIPPED_BYTES // 2**20} "
                              "MB): dividilo in più file o salvalo come CSV UTF-8")


def read_workbook(raw: bytes, fmt: str, expected: set[str] | None = None) -> Table:
    """The first sheet of a workbook as a Table: cells by sheet row under the header (see table_of)."""
    rows, sheet, sheets = (_xlsx_rows if fmt == "xlsx" else _ods_rows)(raw)
    notes = () if len(sheets) < 2 else (
        f"la cartella ha {len(sheets)} fogli ({', '.join(f'«{s}»' for s in sheets)}): è stato letto solo il primo, "
        f"«{sheet}»",)
    return table_of(rows, f"{FORMATS[fmt]}, foglio «{sheet}»", notes, expected)


def table_of(rows, origin: str, notes: tuple[str, ...] = (), expected: set[str] | None = None) -> Table:
    """A Table from (sheet row, cell texts) of the non-blank rows. The header is the first of the first HEADER_SEARCH
    rows that names two expected columns (titles above it are left out, and said so), else the first row; a row with
    a cell beyond the header's last column is set apart, as a CSV line with more fields than its header."""
    rows = iter(rows)
    first = list(itertools.islice(rows, HEADER_SEARCH))
    if not first:
        raise DialectError("il primo foglio è vuoto")
    at = next((n for n, (_line, texts) in enumerate(first)
               if expected and len({normalise_name(t) for t in texts} & expected) >= 2), 0)
    header_line, header = first[at][0], header_names(first[at][1])
    if at:
        notes = (*notes, f"intestazione alla riga {header_line}: le righe sopra (titoli) non sono state lette")
    width, kept, lines, bad, cells = len(header), [], [], [], len(header)
    for line, texts in itertools.chain(first[at + 1:], rows):
        cells += len(texts)
        if cells > MAX_CELLS:
            raise WorkbookRefused(f"il foglio ha più di {MAX_CELLS:,} celle".replace(",", ".")
                                  + ": dividilo in più file o salvalo come CSV UTF-8")
        if len(texts) > width:
            bad.append((line, len(texts)))
            continue
        kept.append(texts + [""] * (width - len(texts)))
        lines.append(line)
    columns = list(zip(*kept)) if kept else [()] * width
    frame = pd.DataFrame({name: pd.array(list(column), dtype="str") for name, column in zip(header, columns)},
                         index=pd.Index(lines, name="line", dtype="int64"), columns=header)
    return Table("", ";", header, frame, bad, origin=origin, notes=notes)


def _unreadable(fmt: str, exc: Exception) -> DialectError:
    """The error for a workbook its library cannot read."""
    return DialectError(f"il file non si legge come {FORMATS[fmt]} ({type(exc).__name__}): è forse danneggiato; "
                        f"aprilo e {SAVE_AS}")


def _xlsx_rows(raw: bytes):
    """(rows of the first sheet, its name, every sheet's name) of an .xlsx, read by openpyxl."""
    import openpyxl  # NOTE: imported here, so that only a workbook upload pays for it

    try:
        with warnings.catch_warnings():                    # openpyxl warns about features it leaves out
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # NOTE: openpyxl gives no sign of a formula saved without its value (it reads as an empty cell): the sheet's
        # XML is searched for one, through the archive and path the read-only sheet keeps.
        missing = FORMULA_WITHOUT_VALUE.search(book._archive.read(sheet._worksheet_path))
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds of errors on a damaged file
        raise _unreadable("xlsx", exc) from exc
    if missing:
        book.close()
        raise WorkbookRefused(f"il foglio «{sheet.title}» ha formule salvate senza il loro valore (per esempio la "
                              f"cella {missing[1].decode()}): apri il file in Excel o LibreOffice, salvalo e "
                              "caricalo di nuovo")
    return _closing(book, sheet), sheet.title, book.sheetnames


def _closing(book, sheet):
    """(sheet row, texts) of the non-blank rows of an openpyxl sheet, the workbook closed at the end."""
    try:
        sheet.reset_dimensions()                            # rows as long as their cells, whatever the file claims
        for line, row in enumerate(sheet.iter_rows(), start=1):
            texts = sheet_cells.trimmed([sheet_cells.xlsx_text(cell) for cell in row])
            if texts:
                yield line, texts
    finally:
        book.close()


def _ods_rows(raw: bytes):
    """(rows of the first sheet, its name, every sheet's name) of an .ods, read from its content.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            content = archive.read("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _unreadable("ods", exc) from exc
    if b"<!ENTITY" in content:
        raise _unreadable("ods", ValueError("entity"))
    sheets = [html.unescape(name.decode("utf-8", "replace"))
              for name in re.findall(rb'<table:table\b[^>]*?\btable:name="([^"]*)"', content)]
    rows = sheet_cells.ods_rows(content, lambda exc: _unreadable("ods", exc))
    return rows, sheets[0] if sheets else "", sheets
