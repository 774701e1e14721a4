"""The benchmarks run end to end in their tiny --quick mode (figures not asserted: they mean nothing at that size)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench import pandas_baseline, report, synthetic_warehouse
from monitor import queries
from tests.storage_order import observations_out_of_order

ROOT = Path(__file__).resolve().parent.parent
FIGURE_LINE = re.compile(r"^(?P<name>[^:]+): (?P<value>.+) \(budget (?P<budget>[^)]+)\) (?P<status>ok|over)$")


def _identity(path: Path):
    return (path.stat().st_ino, path.stat().st_mtime_ns) if path.exists() else None


@pytest.fixture(scope="module")
def quick_run() -> subprocess.CompletedProcess:
    """`python bench/run.py --quick`, once for the module; .default_before holds the default warehouse's identity."""
    before = _identity(ROOT / "warehouse.duckdb")
    done = subprocess.run([sys.executable, "bench/run.py", "--quick"], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    done.default_before = before
    return done


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[Path, Path]:
    """A small synthetic warehouse (330 comuni, 2 years, 25 indicators) and its CSV export folder."""
    folder = tmp_path_factory.mktemp("synthetic")
    warehouse = synthetic_warehouse.generate(folder, comuni=330, years=2, indicators=25)
    return warehouse, folder / "csv"


def test_quick_run_prints_one_line_per_figure(quick_run):
    assert quick_run.returncode in (0, 1), quick_run.stdout + quick_run.stderr  # 2 = a benchmark failed
    lines = quick_run.stdout.splitlines()
    assert lines
    for line in lines:
        assert FIGURE_LINE.match(line) or line == "upload: not available" or line.startswith("cold view: not available"), line


def test_quick_run_covers_every_page_query_and_benchmark(quick_run):
    names = [line.split(":")[0] for line in quick_run.stdout.splitlines()]
    pages = len(re.findall(r"st\.Page\(", (ROOT / "app.py").read_text(encoding="utf-8"))) - 1  # minus the bare page
    assert "rerun p95 bare frame" in names
    assert len([n for n in names if n.startswith("rerun p95 ")]) - 1 == pages
    assert {f"query {name}" for name in queries.PAGE_QUERIES} <= set(names)
    assert {"payload per rerun home", "build", "build national", "memory per session", "report pdf 5",
            "report pdf 001272"} <= set(names)
    assert {"cold view bare frame", "cold view home", "cold view servizi"} <= set(names) or "cold view" in names
    assert any(n.startswith("upload") for n in names) and any(n.startswith("memory after") for n in names)


def test_quick_run_leaves_the_default_warehouse_alone(quick_run):
    assert _identity(ROOT / "warehouse.duckdb") == quick_run.default_before


def test_pandas_equivalents_give_the_answers_of_the_page_queries(synthetic):
    warehouse, csv_folder = synthetic
    tables = pandas_baseline.CsvTables(synthetic_warehouse.export_csv(warehouse, csv_folder))
    for name, args in queries.PAGE_QUERIES.items():
        answer = getattr(queries, name)(warehouse, *args)
        if name in pandas_baseline.EQUIVALENTS:
            assert pandas_baseline.same_answer(answer, pandas_baseline.EQUIVALENTS[name](tables, *args)), name


def test_synthetic_warehouse_has_the_requested_grain(synthetic):
    con = duckdb.connect(str(synthetic[0]), read_only=True)
    try:
        counts = dict(con.execute("select level, count(*) from observation group by level").fetchall())
        duplicates = con.execute("""select count(*) from (select 1 from observation
            group by indicator_code, level, territory_code, period, sex having count(*) > 1)""").fetchone()[0]
    finally:
        con.close()
    assert counts["comune"] == 330 * 2 * 25 * 3 and counts["cm"] == 2 * 25 * 3 and duplicates == 0


def test_synthetic_observations_are_stored_in_the_build_order(synthetic):
    assert observations_out_of_order(synthetic[0]) == 0


def test_figure_lines_and_percentiles():
    assert report.Figure("x", "1.5×", "≤ 2×", report.verdict(True)).line() == "x: 1.5× (budget ≤ 2×) ok"
    assert report.Figure("upload", "", status=report.NOT_AVAILABLE).line() == "upload: not available"
    assert report.percentile([5, 1, 4, 2, 3], 0.95) == 5 and report.median([1, 2, 3, 4]) == 2
    assert report.emit([report.Figure("y", "3×", "≤ 2×", report.OVER)]) == 1


def test_query_workers_over_the_memory_cap_are_stopped_and_the_rest_still_timed(synthetic, monkeypatch):
    from bench import query_scale

    monkeypatch.setattr(queries, "PAGE_QUERIES", {"zones": (), "build_info": ()})
    seconds, capped = {"zones": [], "build_info": []}, set()
    query_scale.time_queries(synthetic[0], seconds, capped, repeats=1, cap_bytes=40 * 2**20)
    assert capped == {"zones", "build_info"}
    seconds, capped = {"zones": [], "build_info": []}, set()
    query_scale.time_queries(synthetic[0], seconds, capped, repeats=2, cap_bytes=4 * 2**30)
    assert not capped and len(seconds["zones"]) == len(seconds["build_info"]) == 2
