"""Source connectors: bundled territory data and, per source, fetch() raw bytes and load() tidy rows."""
from __future__ import annotations


def collect_batches(settings) -> list:
    """LoadBatches from the latest raw file of each source connector (none registered yet)."""
    return []
