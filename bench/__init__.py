"""Benchmarks of the PSM Asse 5 monitor: each figure a ratio to a baseline measured in the same run."""
