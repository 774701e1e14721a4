"""Files the connectors read (Ministero, Istat SDMX-CSV, MEF, Regione), recognised and parsed by the connectors' code.

etl.sources exposes NATIVE_FORMATS = {name: (detect(raw_bytes) -> bool, parse(raw_bytes, file_name) -> observations,
source_code)}; the parsed observations are then checked with the same model as the indicators template.
"""
from __future__ import annotations

import pandas as pd

import etl.sources
from etl.inputs import OBSERVATION_COLUMNS
from etl.uploads import problems
from etl.uploads.models import models
from etl.uploads.prepare import run_model
from etl.uploads.templates import TEMPLATES

PREFIX = "native:"


def formats() -> dict:
    """The native formats the connectors registered (none until they do)."""
    return dict(getattr(etl.sources, "NATIVE_FORMATS", {}) or {})


def name_of(kind: str | None) -> str | None:
    """'native:mef' or 'mef' → 'mef' when registered."""
    if kind is None:
        return None
    name = kind[len(PREFIX):] if kind.startswith(PREFIX) else kind
    return name if name in formats() else None


def detect(raw: bytes) -> str | None:
    """The first registered format whose detector accepts the bytes."""
    for name, (detector, _parse, _source) in formats().items():
        try:
            if detector(raw):
                return name
        except Exception:  # noqa: BLE001 - a detector that fails on foreign bytes just says no
            continue
    return None


def is_native(raw: bytes, kind: str | None) -> bool:
    """True when the kind names a registered format, or (kind None) a detector recognises the bytes."""
    return name_of(kind) is not None if kind is not None else detect(raw) is not None


def parse(raw: bytes, file_name: str, name: str) -> tuple[pd.DataFrame, str]:
    """Observations parsed by the connector's own code, with their source code."""
    _detect, parser, source_code = formats()[name]
    rows = parser(raw, file_name)
    columns = [c for c in (*OBSERVATION_COLUMNS, "source_code") if c in rows.columns]
    rows = rows[columns].reset_index(drop=True)
    rows.index = rows.index + 2  # as if the rows followed a one-line header
    return rows, source_code


def validate(raw: bytes, report, registry, kind: str | None):
    """Fill a ValidationReport for a native file: parse with the connector, check with the indicators model."""
    name = name_of(kind) or detect(raw)
    report.kind, report.dialect = PREFIX + name, f"formato nativo «{name}» letto dal connettore"
    try:
        rows, report.source_code = parse(raw, report.file_name, name)
    except Exception as exc:  # noqa: BLE001 - any parser failure is reported to the official, nothing is loaded
        report.problems = problems.frame([problems.problem(None, None, None,
                                                           f"file non leggibile come «{name}»: {exc}")])
        return report
    if rows.empty:
        report.problems = problems.frame([problems.problem(None, None, None, "il file non contiene righe di dati")])
        return report
    text = rows.astype(object).where(rows.notna(), None)
    checked, found, _ = run_model(models(registry)["indicators"], rows, text, TEMPLATES["indicators"].key, registry)
    report.rows, report.problems = len(rows), problems.frame(found)
    if checked is not None:
        report.parsed = checked
        report.parsed.attrs["kind"] = report.kind
    return report
