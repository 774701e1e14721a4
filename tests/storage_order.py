"""Test helper: rows of a warehouse's observation table stored out of the order the build inserts them in."""
from __future__ import annotations

import duckdb

OUT_OF_ORDER = """
select count(*) from (
    select (indicator_code, level, territory_code, period, sex) as key,
           lag((indicator_code, level, territory_code, period, sex)) over (order by rowid) as previous
    from observation) where previous > key"""


def observations_out_of_order(path) -> int:
    """How many observation rows follow a row with a larger (indicator, level, territory, period, sex) key."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(OUT_OF_ORDER).fetchone()[0]
    finally:
        con.close()
