"""Preview of an upload against the published warehouse: added, changed old → new, largest change first."""
from __future__ import annotations

from etl.uploads.diff import counts, diff_against_published
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
