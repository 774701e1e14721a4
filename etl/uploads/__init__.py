"""Accepted uploads: the ledger of files officials committed, turned into LoadBatches for the build."""
from __future__ import annotations


def collect_batches(settings) -> list:
    """LoadBatches from the ledger in commit order (plus a commit in progress); reverted uploads bring no rows."""
    from etl.uploads import ledger

    entries = ledger.read_entries(settings, with_pending=True)
    if not entries:
        return []
    from etl.uploads.batches import batch_of

    status = ledger.statuses(entries)
    return [batch_of(entry, status[entry["id"]], settings) for entry in entries]
