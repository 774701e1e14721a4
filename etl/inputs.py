"""LoadBatch: what one load (bundled file, connector download or accepted upload) contributes to a build."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

OBSERVATION_COLUMNS = ["indicator_code", "level", "territory_code", "period", "sex",
                       "value", "numerator", "denominator", "note"]
PROGRESS_COLUMNS = ["action_code", "zone_id", "as_of", "status", "percent",
                    "funds_allocated", "funds_spent", "note"]
COVERAGE_COLUMNS = ["subject", "code", "rows", "first_period", "last_period"]
TARGET_COLUMNS = ["indicator_code", "level", "territory_code", "sex", "baseline_period", "baseline_value",
                  "target_period", "target_value", "note"]
PRIORITY_COLUMNS = ["plan_code", "zone_id", "note"]


@dataclass
class LoadBatch:
    """One load: its ledger facts and the tidy rows it brings. Later batches win on the same key."""

    load_id: str
    kind: str                      # bundled | etl | upload | revert
    source_code: str | None
    created_at: datetime           # when the rows entered the warehouse: download, upload or (bundled) build time
    created_by: str
    file_name: str | None = None
    file_sha256: str | None = None
    status: str = "active"         # a reverted upload is listed with status "reverted" and brings no rows
    note: str | None = None
    released_on: date | None = None  # the producer's release date of the data, when the source states it
    changes: dict | None = None      # rows added, changed, removed when it entered (recorded at commit or refresh)
    coverage: pd.DataFrame | None = None  # COVERAGE_COLUMNS, for a load that brings no rows (reverted, revert)
    observations: pd.DataFrame | None = None   # OBSERVATION_COLUMNS (+ optional source_code per row)
    action_progress: pd.DataFrame | None = None  # PROGRESS_COLUMNS
    targets: pd.DataFrame | None = None        # TARGET_COLUMNS
    zones: pd.DataFrame | None = None          # official zone list: codice_istat, zona_id, zona_nome
    priority_zones: pd.DataFrame | None = None  # PRIORITY_COLUMNS: the plan's priority zones of a strategy or action
    national: pd.DataFrame | None = None       # every comune of Italy (OBSERVATION_COLUMNS), for the benchmark levels
    extra: dict = field(default_factory=dict)

    def row_count(self) -> int:
        """Rows this load brings, all tables together (national rows include the CM's observations)."""
        observations = self.national if self.national is not None else self.observations
        frames = (observations, self.action_progress, self.targets, self.zones, self.priority_zones)
        return sum(len(f) for f in frames if f is not None)
