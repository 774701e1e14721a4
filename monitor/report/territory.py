"""Which territory a report is about (a zone, a comune or the CM), read from text as the CLI and the URL give it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor import fmt, queries
from core.bilingual import Text
from core.territory import CM_CODE



class TerritoryError(ValueError):
    """The text names no zone, comune or CM of the warehouse; the message says what is accepted."""


@dataclass(frozen=True)
class Territory:
    """A report's territory: level as in observation ('zona', 'comune', 'cm'), its code, the zone it lies in."""

    level: str
    code: str
    zone_id: int | None = None

    @property
    def file_stem(self) -> str:
        """Part of a file name: 'zona_5', 'comune_001272', 'cm' (codes only, never names)."""
        return "cm" if self.level == "cm" else f"{self.level}_{self.code}"


def parse(db: Path, text: str) -> Territory:
    """'5' → zone 5, '001272' (or '1272') → the comune, 'cm' → the Metropolitan City; TerritoryError otherwise."""
    raw = str(text or "").strip().lower()
    if raw in ("cm", CM_CODE):
        return Territory("cm", CM_CODE)
    if raw.isdigit() and len(raw) <= 2:
        zones = set(queries.zones(db)["zone_id"])
        if int(raw) in zones:
            return Territory("zona", str(int(raw)), int(raw))
    elif raw.isdigit() and len(raw) <= 6:
        comuni = queries.municipalities(db).set_index("istat_code")["zone_id"]
        code = raw.zfill(6)
        if code in comuni.index:
            return Territory("comune", code, int(comuni[code]))
    raise TerritoryError(f"territorio sconosciuto / unknown territory: {str(text)[:40]!r}. Usare il numero di una "
                         "zona omogenea (1–11), il codice Istat di un comune della Città metropolitana (es. 001272) "
                         "o «cm» / use a zone number, a comune's Istat code or 'cm'.")


def heading(db: Path, territory: Territory, lang: str) -> tuple[str, str, list[str]]:
    """The title, the facts line and the notices of the territory, as the profile page writes them."""
    def L(italian: str, english: str) -> str:  # noqa: N802 - reads like the pages' translation marker
        return Text(italian, english).in_(lang)
    if territory.level == "comune":
        place = queries.municipalities(db).set_index("istat_code").loc[territory.code]
        facts = (f" · {place['zone_name']} · {fmt.number(place['population'], 0, lang)} ",
                 f" ({int(place['population_year'])}) · {fmt.number(place['area_km2'], 1, lang)} km²")
        notices = [L("L'assegnazione di questo comune alla zona è incerta nell'elenco provvisorio.",
                     "This municipality's zone assignment is uncertain in the provisional list.")] \
            if place["zone_confidence"] == "medium" else []
        return (str(place["name"]), L(f"Zona omogenea {int(place['zone_id'])}{facts[0]}residenti{facts[1]}",
                                      f"Homogeneous zone {int(place['zone_id'])}{facts[0]}residents{facts[1]}"),
                notices)
    zones = queries.zones(db)
    if territory.level == "zona":
        row = zones.set_index("zone_id").loc[territory.zone_id]
        people, area = fmt.number(row["population"], 0, lang), fmt.number(row["area_km2"], 0, lang)
        return (L(f"Zona omogenea {territory.zone_id} · {row['name']}",
                  f"Homogeneous zone {territory.zone_id} · {row['name']}"),
                L(f"{int(row['comuni'])} comuni · {people} residenti · {area} km²",
                  f"{int(row['comuni'])} municipalities · {people} residents · {area} km²"), [])
    return (L("Città metropolitana di Torino", "Metropolitan City of Turin"),
            L(f"{int(zones['comuni'].sum())} comuni in {len(zones)} zone omogenee",
              f"{int(zones['comuni'].sum())} municipalities in {len(zones)} homogeneous zones"), [])


def comuni_of(db: Path, territory: Territory) -> pd.Series:
    """Istat codes of the comuni the territory is made of."""
    comuni = queries.municipalities(db)
    if territory.level == "comune":
        return comuni.loc[comuni["istat_code"] == territory.code, "istat_code"]
    if territory.level == "zona":
        return comuni.loc[comuni["zone_id"] == territory.zone_id, "istat_code"]
    return comuni["istat_code"]
