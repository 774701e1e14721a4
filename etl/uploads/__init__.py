"""Accepted uploads: the ledger of files officials committed, turned into LoadBatches for the build."""
from __future__ import annotations


def collect_batches(settings) -> list:
    """LoadBatches from the ledger, in commit order (no upload workflow registered yet)."""
    return []
