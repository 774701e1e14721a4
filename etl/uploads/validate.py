"""Validate an uploaded file (CSV, Excel's Unicode text, .xlsx or .ods): read it, recognise its kind, check every row,
report every problem at once."""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from etl.cell_rules import NOT_READABLE
from etl.uploads import native, prepare, problems
from etl.uploads.arrow_strings import arrow_text, may_contain, starts_with_any
from etl.uploads.column_kernels import column_to_number
from etl.uploads.dialect import DialectError, Table, read_table
from etl.uploads.registry import Registry, current_registry
from etl.uploads.templates import EXAMPLE_NOTE, KINDS, TEMPLATES
from etl.uploads.workbook import WorkbookRefused, read_workbook, workbook_format

FORMULA_START = ("=", "+", "-", "@")
ZONE_LIST_FORMAT = "cmt_zones"  # the connector format that yields a zone list, not observations
# hashlib lets go of the interpreter while it hashes: the file's sha256 is computed beside the checks.
_HASHING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-sha256")


@dataclass
class ValidationReport:
    """What validation found: the kind, the dialect, every problem, and the typed rows when there is none."""

    file_name: str
    sha256: str
    size: int
    kind: str | None = None
    source_code: str | None = None
    dialect: str = ""
    problems: pd.DataFrame = field(default_factory=lambda: problems.frame([]))
    parsed: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        """True when there is no problem and the rows are ready to be committed."""
        return self.problems.empty and self.parsed is not None

    @property
    def has_example_rows(self) -> bool:
        """True when a template's example row is still in the file."""
        return self.parsed is not None and "note" in self.parsed and (self.parsed["note"] == EXAMPLE_NOTE).any()

    def to_dict(self) -> dict:
        """Plain data for --json output."""
        table = self.problems.astype(object).where(self.problems.notna(), None)
        return {"file_name": self.file_name, "sha256": self.sha256, "size": self.size, "ok": self.ok,
                "kind": self.kind, "source_code": self.source_code, "dialect": self.dialect, "rows": self.rows,
                "warnings": self.warnings, "problems": table.to_dict("records")}


def refused(file_name: str, size: int, message: str, sha: str = "") -> ValidationReport:
    """A report for a file refused as a whole (too large, unreadable)."""
    return ValidationReport(file_name, sha, size, problems=problems.frame([problems.problem(None, None, None, message)]))


def validate_file(raw_bytes: bytes, file_name: str, kind: str | None = None, *, registry: Registry | None = None,
                  max_bytes: int | None = None) -> ValidationReport:
    """Validate an upload: kind one of KINDS, a native format name, or None to recognise it from the file."""
    if max_bytes is not None and len(raw_bytes) > max_bytes:
        return refused(file_name, len(raw_bytes), problems.too_large(len(raw_bytes), max_bytes))
    hashing = _HASHING.submit(lambda: hashlib.sha256(raw_bytes).hexdigest())
    report = _validated(raw_bytes, file_name, kind, registry or current_registry())
    report.sha256 = hashing.result()
    return report


def _validated(raw_bytes: bytes, file_name: str, kind: str | None, registry: Registry) -> ValidationReport:
    """validate_file's report, but for its sha256."""
    report = ValidationReport(file_name, "", len(raw_bytes))
    if kind is not None and kind not in KINDS and native.is_native(raw_bytes, kind):
        if native.name_of(kind) == ZONE_LIST_FORMAT:
            return official_zone_list(raw_bytes, report, registry)
        return native.validate(raw_bytes, report, registry, kind)
    expected = set(TEMPLATES[kind].columns) if kind in KINDS else {c for t in TEMPLATES.values() for c in t.columns}
    try:
        workbook = workbook_format(raw_bytes)
        table = read_workbook(raw_bytes, workbook, expected) if workbook else read_table(raw_bytes, expected)
    except DialectError as exc:
        name = native.detect(raw_bytes) if kind in (None, "zones") and not isinstance(exc, WorkbookRefused) else None
        if name == ZONE_LIST_FORMAT:  # e.g. the CMT's own ODS file
            return official_zone_list(raw_bytes, report, registry)
        if name is not None and kind is None:
            return native.validate(raw_bytes, report, registry, None)
        report.problems = problems.frame([problems.problem(None, None, None, str(exc))])
        return report
    report.dialect = table.describe()
    report.kind = kind if kind in KINDS else recognise(table.header)
    if report.kind is None or (kind is None and missing_columns(table.header, report.kind)):
        name = native.detect(raw_bytes)   # e.g. the CMT's zone list: «Codice ISTAT», «Comune», «Zona omogenea»
        if name == ZONE_LIST_FORMAT:
            return official_zone_list(raw_bytes, report, registry)
        if name is not None:
            return native.validate(raw_bytes, report, registry, None)
    if report.kind is None:
        report.problems = problems.frame([unknown_kind(table.header)])
        return report
    return _check_rows(table, report, registry)


def official_zone_list(raw_bytes: bytes, report: ValidationReport, registry: Registry) -> ValidationReport:
    """The CMT's own zone list (ODS or CSV in its layout), read by the connector, then checked as the zones template."""
    from etl.sources import FormatError
    from etl.sources.cmt_zones import parse_cmt_zones

    try:
        zones = parse_cmt_zones(raw_bytes, report.file_name)
    except FormatError as exc:
        report.problems = problems.frame([problems.problem(None, None, None, str(exc))])
        return report
    rows = zones.assign(comune=zones["codice_istat"].map(registry.comuni).fillna(""))[list(TEMPLATES["zones"].columns)]
    report.kind = "zones"
    checked = _check_rows(Table("utf-8", ";", list(rows.columns), _as_cells(rows), []), report, registry)
    checked.dialect = "elenco CMT letto dal connettore «cmt_zones»"
    return checked


def _as_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame's values as the cells read_table would give of it written as a CSV: stripped text by line number
    (the header is line 1), empty for a missing value, rows with no text left out."""
    cells = pd.DataFrame({column: pd.array(["" if pd.isna(v) else str(v).strip() for v in frame[column]], dtype="str")
                          for column in frame.columns})
    cells.index = pd.Index(range(2, len(cells) + 2), name="line", dtype="int64")
    return cells[(cells != "").any(axis=1)]


def recognise(header: list[str]) -> str | None:
    """The template whose columns the header matches best (at least two in common), or None."""
    scores = {kind: len(set(header) & set(t.columns)) - len(set(header) - set(t.columns)) / 100
              for kind, t in TEMPLATES.items()}
    best = max(scores, key=scores.get)
    return best if len(set(header) & set(TEMPLATES[best].columns)) >= 2 else None


def missing_columns(header: list[str], kind: str) -> list[str]:
    """The required columns of a template that the header lacks."""
    template = TEMPLATES[kind]
    return [c for c in template.columns if c not in header and c not in template.optional]


def unknown_kind(header: list[str]) -> dict:
    """The problem for a file that matches no template and no native format."""
    kinds = "; ".join(f"{k}: {', '.join(t.columns)}" for k, t in TEMPLATES.items())
    return problems.problem(1, None, ", ".join(header),
                            f"tipo di file non riconosciuto: le colonne non corrispondono a nessun modello ({kinds})")


def _check_rows(table, report: ValidationReport, registry: Registry) -> ValidationReport:
    """Fill the report for a table of a known kind: long rows, cell problems, warnings, typed rows."""
    template = TEMPLATES[report.kind]
    found = [problems.problem(line, None, f"{n} campi", f"la riga ha {n} campi, più dell'intestazione"
                              + (": la virgola è forse usata sia come separatore sia per i decimali; usa il punto e"
                                 " virgola (;) come separatore" if table.separator == "," else ""))
             for line, n in table.bad_lines]
    if table.cells.empty:
        if not found:
            found.append(problems.problem(None, None, None, "il file ha solo l'intestazione: nessuna riga di dati"))
        report.problems = problems.frame(found)
        return report
    typed, decimal = prepare.typed_cells(table, template)
    if not table.origin:              # a workbook's numbers are numbers: only a CSV's decimal mark is worth telling
        report.dialect += ", decimali con " + ("la virgola" if decimal == "," else "il punto")
    checked, row_problems = prepare.check(typed, table.cells, template, registry)
    found.extend(problems.with_number_hint(row_problems, decimal))
    report.rows = len(table.cells)
    report.problems = problems.frame(found)
    report.warnings = [*table.notes, *_warnings(table.cells, decimal)]
    if report.problems.empty:
        report.parsed = checked
        report.parsed.attrs["kind"] = report.kind
        if report.has_example_rows:
            report.warnings.append("il file contiene la riga di esempio del modello: sostituiscila con i dati reali "
                                   "prima di pubblicare")
    return report


def _warnings(cells: pd.DataFrame, decimal: str) -> list[str]:
    """A warning for the cells that start like a formula (=, +, - or @) and are not numbers (by the cell rules, with
    the file's decimal mark)."""
    count = 0
    for column in cells.columns:
        if not may_contain(arrow_text(cells[column]), "".join(FORMULA_START)):
            continue
        text = arrow_text(cells[column].dropna().astype(str))
        formula_like = starts_with_any(text, FORMULA_START)
        if formula_like.any():
            read = column_to_number(pd.Series(text.filter(pa.array(formula_like)), dtype="str"), decimal)
            count += int(read.str.startswith(NOT_READABLE).sum())
    if not count:
        return []
    return [f"{count} celle iniziano con =, +, - o @: sono conservate come testo e neutralizzate in ogni "
            "esportazione (non sono formule)"]
