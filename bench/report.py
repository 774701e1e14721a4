"""Benchmark figures and how they print: `name: value (budget …) ok|over`."""
from __future__ import annotations

import math
from dataclasses import dataclass

OK, OVER, NOT_AVAILABLE = "ok", "over", "not available"


@dataclass
class Figure:
    """One benchmark figure: its value as text, the budget it is held to, and the verdict."""

    name: str
    value: str
    budget: str = ""
    status: str = OK

    def line(self) -> str:
        """The printed form; a figure that cannot be measured prints `name: not available`."""
        if self.status == NOT_AVAILABLE:
            return f"{self.name}: not available" + (f" ({self.value})" if self.value else "")
        return f"{self.name}: {self.value} (budget {self.budget}) {self.status}"

    @property
    def missed(self) -> bool:
        return self.status == OVER


def verdict(passed: bool) -> str:
    """ok or over."""
    return OK if passed else OVER


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    """Median of a non-empty list (the 50th percentile)."""
    return percentile(values, 0.5)


def ms(seconds: float) -> str:
    """Seconds as milliseconds text."""
    return f"{seconds * 1000:.0f} ms"


def emit(figures: list[Figure]) -> int:
    """Print every figure and return the exit code: 1 when a budget was missed, else 0."""
    for figure in figures:
        print(figure.line(), flush=True)
    return 1 if any(f.missed for f in figures) else 0
