"""Loaders and checks for the bundled reference files (zones, plan, indicator registry, sources, headline figures)."""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent
ZONE_FILE = REFERENCE_DIR / "zone_omogenee.csv"
PLAN_FILE = REFERENCE_DIR / "plan_asse5.toml"
INDICATOR_FILE = REFERENCE_DIR / "indicators.csv"
SOURCE_FILE = REFERENCE_DIR / "sources.toml"
HEADLINE_FILE = REFERENCE_DIR / "headline_figures.csv"

ZONE_COLUMNS = ["codice_istat", "comune", "zona_id", "zona_nome", "confidence", "basis"]
# Published number of comuni per zone (DCM 14/04/2015, amended 2019 and 2021).
PUBLISHED_ZONE_COUNTS = {1: 1, 2: 14, 3: 18, 4: 8, 5: 45, 6: 40, 7: 40, 8: 46, 9: 54, 10: 24, 11: 22}


@dataclass
class Problem:
    """One problem in an input file: where it is and what is wrong."""

    file: str
    row: int | None  # 1-based line number in the file (header = 1), None for the whole file
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", riga {self.row}" if self.row else "") + (f", colonna {self.column}" if self.column else "")
        value = f" (valore: {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.message}{value}"


class ReferenceDataError(Exception):
    """Raised with every problem found in a reference file; the build stops on it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a reference CSV keeping every cell as text ("None" is a comune, not a missing value)."""
    path = Path(path)
    if not path.exists():
        raise ReferenceDataError([Problem(path.name, None, None, None, "file mancante")])
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReferenceDataError([Problem(path.name, None, None, None, f"file illeggibile: {exc}")]) from exc


def read_toml(path: Path) -> dict:
    """Read a reference TOML file, turning a syntax error into a ReferenceDataError."""
    path = Path(path)
    if not path.exists():
        raise ReferenceDataError([Problem(path.name, None, None, None, "file mancante")])
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReferenceDataError([Problem(path.name, None, None, None, f"file illeggibile: {exc}")]) from exc


def validate_zone_list(zones: pd.DataFrame, known_codes: set[str], file_name: str) -> list[Problem]:
    """Check a comune → zone list against the territory: columns, codes, one zone per comune, counts."""
    missing = [c for c in ("codice_istat", "zona_id", "zona_nome") if c not in zones.columns]
    if missing:
        return [Problem(file_name, 1, ", ".join(missing), None, "colonne mancanti")]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(zones.itertuples(index=False), start=2):
        code, zone = str(row.codice_istat).strip(), str(row.zona_id).strip()
        if not (len(code) == 6 and code.isdigit()):
            problems.append(Problem(file_name, i, "codice_istat", code, "il codice Istat deve avere 6 cifre"))
        elif code not in known_codes:
            problems.append(Problem(file_name, i, "codice_istat", code, "codice Istat sconosciuto nel territorio della CM"))
        elif code in seen:
            problems.append(Problem(file_name, i, "codice_istat", code, f"comune ripetuto (già alla riga {seen[code]})"))
        else:
            seen[code] = i
        if not zone.isdigit() or int(zone) not in PUBLISHED_ZONE_COUNTS:
            problems.append(Problem(file_name, i, "zona_id", zone, "zona sconosciuta (attese 1–11)"))
    for code in sorted(known_codes - set(seen)):
        problems.append(Problem(file_name, None, "codice_istat", code, "comune senza zona"))
    if not problems:
        counts = zones["zona_id"].astype(int).value_counts().to_dict()
        for zone_id, expected in PUBLISHED_ZONE_COUNTS.items():
            if counts.get(zone_id, 0) != expected:
                problems.append(Problem(file_name, None, "zona_id", str(zone_id),
                                        f"la zona ha {counts.get(zone_id, 0)} comuni, quelli pubblicati sono {expected}"))
        names = zones.groupby(zones["zona_id"].astype(int))["zona_nome"].nunique()
        for zone_id in names[names > 1].index:
            problems.append(Problem(file_name, None, "zona_nome", str(zone_id), "la stessa zona ha nomi diversi"))
    return problems


def load_zone_list(known_codes: set[str], path: Path | None = None) -> pd.DataFrame:
    """The bundled provisional zone list, validated; raises ReferenceDataError listing every problem."""
    path = path or ZONE_FILE
    zones = read_csv_text(path)
    problems = validate_zone_list(zones, known_codes, Path(path).name)
    if problems:
        raise ReferenceDataError(problems)
    zones = zones.assign(zona_id=zones["zona_id"].astype(int))
    return zones


def load_indicators(path: Path | None = None) -> pd.DataFrame:
    """The indicator registry with typed columns."""
    path = path or INDICATOR_FILE
    reg = read_csv_text(path)
    problems = [Problem(Path(path).name, i, "code", code, "codice indicatore ripetuto")
                for i, code in enumerate(reg["code"], start=2) if (reg["code"] == code).sum() > 1]
    if problems:
        raise ReferenceDataError(problems)
    return reg.assign(
        decimals=reg["decimals"].astype(int),
        scale=reg["scale"].astype(float),
        by_sex=reg["by_sex"] == "1",
        headline_order=pd.to_numeric(reg["headline_order"].replace("", None)).astype("Int64"),
        gap_of=reg["gap_of"].replace("", None),
        flag_of=reg["flag_of"].replace("", None),
    )


def load_sources(path: Path | None = None) -> dict[str, dict]:
    """Source metadata keyed by source code."""
    path = path or SOURCE_FILE
    return read_toml(path)


def load_plan(path: Path | None = None) -> dict:
    """Axis 5 with its strategies and actions as transcribed from the plan."""
    path = path or PLAN_FILE
    plan = read_toml(path)
    problems = [Problem(Path(path).name, None, "strategy_code", a["code"], "azione con strategia sconosciuta")
                for a in plan.get("action", [])
                if a["strategy_code"] not in {s["code"] for s in plan.get("strategy", [])}]
    if problems:
        raise ReferenceDataError(problems)
    return plan


def load_headline_figures(indicators: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """The figures of the plan's first page as observations, each of a headline indicator of the registry (whose
    source it takes: the registry is the one definition of a headline indicator, this file holds only its figures)."""
    path = path or HEADLINE_FILE
    figures = read_csv_text(path)
    headline = indicators.loc[indicators["headline_order"].notna(), ["code", "source_code"]]
    problems = [Problem(Path(path).name, i, "indicator_code", code, "non è un indicatore di sintesi del registro "
                        "(headline_order vuoto in indicators.csv)")
                for i, code in enumerate(figures["indicator_code"], start=2) if code not in set(headline["code"])]
    if problems:
        raise ReferenceDataError(problems)
    figures = figures.merge(headline.rename(columns={"code": "indicator_code"}), on="indicator_code", how="left")
    return figures.assign(period=figures["period"].astype(int), value=figures["value"].astype(float))
