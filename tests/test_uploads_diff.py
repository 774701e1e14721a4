"""Preview of an upload against the published warehouse: added, changed old → new, largest change first."""
from __future__ import annotations

import pandas as pd

from bench.upload_check import upload_csv
from etl.uploads.diff import _summaries, counts, diff_against_published
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
    assert preview["new"].iloc[0].startswith("in_corso · 25.0 · 120000.0")


def test_summaries_leave_out_missing_fields_even_when_every_one_is_missing():
    frame = pd.DataFrame({"status": ["in_corso", None, None], "percent": [25.0, None, 50.0],
                          "zone_id": pd.array([3, None, None], dtype="Int64")}, index=[7, 8, 9])
    assert _summaries(frame, ["status", "percent", "zone_id"]).tolist() == ["in_corso · 25.0 · 3", "", "50.0"]


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
