"""The parts of a territory report, as plain text ready for a page, a PDF or a print view."""
from __future__ import annotations

from dataclasses import dataclass, field

from monitor.fmt import MISSING
from monitor.report.mapshapes import MapShapes
from monitor.report.territory import Territory


NO_FIGURE = {"", *MISSING}


@dataclass(frozen=True)
class Table:
    """A table as shown: column names and rows of text; `weights` are the relative column widths on paper."""

    columns: list[str]
    rows: list[list[str]]
    weights: list[float]
    compare_column: int | None = None  # the column whose ▲/▼ cells get the page's blue/orange background

    def short_columns(self) -> set[int]:
        """Columns after the first whose every cell is short (figures, years, sexes, statuses): never wrapped."""
        return {i for i in range(1, len(self.columns)) if all(len(str(row[i]).strip()) <= 14 for row in self.rows)}

    def figure_columns(self) -> set[int]:
        """Short columns of figures (every cell has a digit, or is missing): right-aligned."""
        return {i for i in self.short_columns()
                if all(any(ch.isdigit() for ch in str(row[i])) or str(row[i]) in NO_FIGURE for row in self.rows)}


@dataclass(frozen=True)
class Section:
    """A heading, paragraphs of text before the table, the table (or none), paragraphs after it."""

    heading: str
    before: list[str] = field(default_factory=list)
    table: Table | None = None
    after: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """Everything a report shows, already formatted in its language; every string is plain text (data included)."""

    lang: str
    territory: Territory
    kicker: str
    title: str
    facts: str
    notices: list[str]
    data_date: str
    sections: list[Section]
    shapes: MapShapes
    map_caption: str
    footer: str
