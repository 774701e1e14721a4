"""Preview of an upload against the published warehouse: added, changed old → new, largest change first."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from bench.upload_check import upload_csv
from etl.uploads.diff import (
    SHAPES,
    _summaries,
    compare,
    counts,
    diff_against_published,
    observation_changes,
    published,
)
from etl.uploads.validate import validate_file
from tests.upload_cases import NIDO_2023, indicators, progress


def test_preview_lists_added_and_changed_rows_largest_first(warehouse):
    raw = indicators("population;comune;1272;2023;T;841.700;841.700;;\n",     # +100 on 841,600: tiny change
                     "share_comuni_nido;cm;001;2021;T;40;;;\n",               # 42.6 → 40: large change
                     NIDO_2023)                                               # new row
    preview = diff_against_published(validate_file(raw, "p.csv").parsed, warehouse)
    changed = preview[preview["change"] == "changed"]
    assert changed["key"].tolist()[:2] == ["share_comuni_nido · cm · 001 · 2021 · T",
                                           "population · comune · 001272 · 2023 · T"]
    assert changed.iloc[0][["old", "new"]].tolist() == [42.6, 40.0]
    added = preview[preview["change"] == "added"]
    assert added["key"].tolist() == ["share_comuni_nido · cm · 001 · 2023 · T"] and added["new"].tolist() == [45.2]
    assert counts(preview)["added"] == 1 and counts(preview)["removed"] == 0


def test_preview_of_progress_rows(warehouse):
    parsed = validate_file(progress("5.4.1;;31/10/2026;in_corso;25;120.000;;\n"), "p.csv").parsed
    preview = diff_against_published(parsed, warehouse)
    assert preview[["change", "key"]].values.tolist() == [["added", "5.4.1 · CM · 2026-10-31"]]
    assert preview["new"].iloc[0] == {"status": "in_corso", "percent": 25.0, "funds_allocated": 120000.0}


def test_summaries_leave_out_missing_fields_even_when_every_one_is_missing():
    frame = pd.DataFrame({"status": ["in_corso", None, None], "percent": [25.0, None, 50.0],
                          "zone_id": pd.array([3, None, None], dtype="Int64")}, index=[7, 8, 9])
    assert _summaries(frame, ["status", "percent", "zone_id"]).tolist() == [
        {"status": "in_corso", "percent": 25.0, "zone_id": 3}, {}, {"percent": 50.0}]


def test_preview_of_a_big_upload_labels_every_row_and_puts_the_largest_change_first(warehouse):
    parsed = validate_file(upload_csv(3_000), "grande.csv").parsed
    preview = diff_against_published(parsed, warehouse)
    key = ["indicator_code", "level", "territory_code", "period", "sex"]
    labels = {" · ".join(str(v) for v in row) for row in parsed[key].itertuples(index=False)}
    assert set(preview["key"]) == labels and len(preview) == len(parsed)
    changed = preview[preview["change"] == "changed"]
    relative = (changed["delta"].abs() / changed["old"].astype(float).abs()).tolist()
    assert relative == sorted(relative, reverse=True)
    added = preview[preview["change"] == "added"]
    assert added["delta"].abs().tolist() == sorted(added["delta"].abs(), reverse=True)
    assert preview["change"].tolist() == sorted(preview["change"], key=["changed", "added"].index)


def test_the_preview_of_observations_matched_by_key_label_is_the_pandas_comparison(warehouse):
    con = duckdb.connect(str(warehouse))
    con.execute("update observation set value = null where rowid in (select rowid from observation limit 3)")
    con.execute("update observation set value = 0 where rowid in (select rowid from observation limit 3 offset 3)")
    con.close()
    query, key, fields, table = SHAPES["indicators"]
    current = published(warehouse, query)
    rows = current.iloc[current["value"].fillna(0).ne(0).to_numpy().argsort(kind="stable")].head(400)  # missing, 0
    rows = rows.astype({c: "str" for c in key if c != "period"}).astype({"period": "int64"})
    value = rows["value"].fillna(7.0).to_numpy(copy=True)
    value[:10] += 1.0                                          # changed from missing or 0
    value[10:60] *= 1.5                                        # changed
    value[60:80] += 1e-12                                      # unchanged within the tolerance
    value[80:100] = 3.0                                        # ties keep the file order
    rows = rows.assign(value=value)
    added = rows.head(50).assign(period=1995, value=np.r_[np.full(25, 2.0), np.arange(25.0)])
    upload = pd.concat([added, rows], ignore_index=True).sample(frac=1, random_state=5, ignore_index=True)
    preview = observation_changes(upload, warehouse)
    expected = compare(published(warehouse, query, sorted(upload["indicator_code"].unique())), upload, key, fields,
                       table, removed=False)
    assert set(preview["change"]) == {"added", "changed", "unchanged"}
    old = preview.loc[preview["change"] == "changed", "old"].astype(float)
    assert old.isna().any() and (old == 0).any()
    pd.testing.assert_frame_equal(preview, expected)
    pd.testing.assert_frame_equal(diff_against_published(upload, warehouse), expected)


def test_a_key_holding_the_label_separator_is_compared_by_columns(warehouse):
    query, key, fields, table = SHAPES["indicators"]
    rows = published(warehouse, query).head(3).astype({c: "str" for c in key if c != "period"})
    rows = rows.astype({"period": "int64"}).assign(value=[1.0, 2.0, 3.0])
    rows.loc[rows.index[0], "territory_code"] = "001 · 002"              # would read as another key's label
    expected = compare(published(warehouse, query), rows, key, fields, table, removed=False)
    pd.testing.assert_frame_equal(diff_against_published(rows, warehouse), expected)
