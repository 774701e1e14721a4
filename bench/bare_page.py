"""Benchmark baseline: a page with no content, so a run costs only the app frame (enabled by PSM_BENCH_BARE=1)."""
