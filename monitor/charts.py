"""Plotly charts of the pages: pure functions from DataFrames to figures (Okabe-Ito colours, shapes as well as colour).

Names from the data (zones, territories) reach Plotly through plain.chart_label: Plotly reads HTML tags in text.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor import fmt, plain

FEMALE, MALE, NEUTRAL, ACCENT = "#D55E00", "#0072B2", "#7F7F7F", "#009E73"
SEPARATORS = {"it": ",.", "en": ".,"}
TICK_CHARACTERS = 40  # longer names are shortened on the axis (the hover text keeps them whole)


def category_labels(names) -> list[str]:
    """Names from the data as Plotly category labels, shown as written."""
    return [plain.chart_label(name) for name in names]


def _short_ticks(names) -> dict:
    """Axis settings shortening long category names, so a long name cannot squeeze the plot ({} when none is long)."""
    names = [str(name) for name in names]
    if not any(len(name) > TICK_CHARACTERS for name in names):
        return {}
    short = [name if len(name) <= TICK_CHARACTERS else name[:TICK_CHARACTERS - 1] + "…" for name in names]
    return dict(tickmode="array", tickvals=category_labels(names), ticktext=category_labels(short))


def _layout_of(lang: str, height: int, x_title: str = "", y_title: str = "", xaxis: dict | None = None,
               yaxis: dict | None = None, right: int = 8, **more) -> dict:
    """The pages' common layout (size, margins, number separators, legend on top, light grid) with axis extras;
    right: the right margin in px (room for labels beside the longest bar)."""
    return dict(height=height, margin=dict(l=8, r=right, t=30, b=8), separators=SEPARATORS[lang],
                legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), plot_bgcolor="white", font=dict(size=13),
                xaxis=dict(title=dict(text=x_title), showgrid=True, gridcolor="#E5E5E5", zeroline=True,
                           zerolinecolor="#999", **(xaxis or {})),
                yaxis=dict(title=dict(text=y_title), **(yaxis or {})), **more)


def _layout(fig: go.Figure, lang: str, height: int, x_title: str = "", y_title: str = "") -> go.Figure:
    fig.update_layout(_layout_of(lang, height, x_title, y_title))
    return fig


def gap_dumbbell(pairs: pd.DataFrame, unit: str, decimals: int, lang: str, labels: dict,
                 references: pd.DataFrame | None = None, reference_label: str = "") -> go.Figure:
    """One row per territory: the F value (circle) and the M value (square) joined by a line, sorted by gap;
    references (Piemonte, Italia: same columns) below them with hollow symbols, labelled in the legend.

    Built in one go (one trace draws every joining line, None between rows): Plotly checks a figure's parts each
    time one is added, which made a new chart cost 10 ms."""
    pairs = pairs.sort_values("gap", ascending=False)  # plotly draws the first row at the bottom
    references = references if references is not None else pairs.iloc[0:0]
    rows = pd.concat([references, pairs])
    names = list(references["territory_name"]) + list(pairs["territory_name"])
    joins_x = [v for row in rows.itertuples() for v in (row.F, row.M, None)]
    joins_y = [v for name in category_labels(rows["territory_name"]) for v in (name, name, None)]
    traces = [go.Scatter(x=joins_x, y=joins_y, mode="lines", line=dict(color="#BBBBBB", width=3), showlegend=False,
                         hoverinfo="skip")]
    for part, hollow in ((pairs, ""), (references, "-open")):
        for sex, color, symbol in (("F", FEMALE, "circle"), ("M", MALE, "square")):
            if part.empty:
                continue
            name = labels[sex] + (f" · {reference_label}" if hollow else "")
            text = [fmt.value(v, unit, decimals, lang) for v in part[sex]]
            traces.append(go.Scatter(x=part[sex], y=category_labels(part["territory_name"]), mode="markers",
                                     name=plain.chart_label(name), text=text,
                                     marker=dict(color=color, symbol=symbol + hollow, size=12, line=dict(width=2)),
                                     hovertemplate="%{y}: %{text}<extra>" + plain.chart_label(name) + "</extra>"))
    layout = _layout_of(lang, 120 + 28 * len(names), x_title=fmt.unit_label(unit, lang),
                        yaxis=dict(categoryorder="array", categoryarray=category_labels(names), **_short_ticks(names)))
    return go.Figure(data=traces, layout=layout)


# Reference lines of ranked bars by the level they show: colour and dash (a dash as well as a colour).
REFERENCE_STYLES = {"cm": (FEMALE, "dash"), "regione": (ACCENT, "dot"), "italia": (NEUTRAL, "dashdot")}


def ranked_bars(rows: pd.DataFrame, value_col: str, label_col: str, unit: str, decimals: int, lang: str,
                references: list[tuple[float, str, str]] = (), highlight: str | None = None) -> go.Figure:
    """Horizontal bars ranked by value, each labelled with its formatted value; reference lines (value, label, level
    of REFERENCE_STYLES) named in the legend with their value; the bar named `highlight` in another colour, hatched,
    its name marked ▶. Built in one go, as gap_dumbbell."""
    rows = rows.sort_values(value_col)
    names = list(rows[label_col])
    text = [fmt.value(v, unit, decimals, lang) for v in rows[value_col]]
    chosen = [name == highlight for name in names]
    bars = go.Bar(x=rows[value_col], y=category_labels(names), orientation="h",
                  marker=dict(color=[FEMALE if c else MALE for c in chosen],
                              pattern=dict(shape=["/" if c else "" for c in chosen], fillmode="overlay",
                                           fgcolor="white", fgopacity=0.5)),
                  text=text, textposition="outside", cliponaxis=False, showlegend=False,
                  hovertemplate="%{y}: %{text}<extra></extra>")
    lines = [dict(type="line", xref="x", yref="y domain", x0=value, x1=value, y0=0, y1=1,
                  line=dict(color=REFERENCE_STYLES[level][0], dash=REFERENCE_STYLES[level][1], width=2),
                  showlegend=True, name=plain.chart_label(f"{label}: {fmt.value(value, unit, decimals, lang)}"))
             for value, label, level in references if not fmt.is_missing(value)]
    ticks = _short_ticks(names)
    if highlight is not None and highlight in set(names):
        shown = ticks.get("ticktext") or category_labels(names)
        ticks = dict(tickmode="array", tickvals=category_labels(names),
                     ticktext=[f"▶ {tick}" if c else tick for tick, c in zip(shown, chosen)])
    # The longest bar's label is drawn past the plot area: a right margin as wide as the longest label (about 8 px
    # a character at the layout's font size) keeps it whole.
    layout = _layout_of(lang, 140 + 28 * len(rows), x_title=fmt.unit_label(unit, lang), yaxis=ticks,
                        right=8 + 8 * max((len(t) for t in text), default=0), **({"shapes": lines} if lines else {}))
    return go.Figure(data=[bars], layout=layout)


def trend(rows: pd.DataFrame, unit: str, decimals: int, lang: str, labels: dict) -> go.Figure:
    """Values over the years, one line per sex present (F, M, T), markers with distinct shapes."""
    fig = go.Figure()
    styles = {"F": (FEMALE, "circle"), "M": (MALE, "square"), "T": (NEUTRAL, "diamond")}
    for sex, (color, symbol) in styles.items():
        part = rows[rows["sex"] == sex].sort_values("period")
        if part.empty:
            continue
        text = [fmt.value(v, unit, decimals, lang) for v in part["value"]]
        fig.add_trace(go.Scatter(x=part["period"], y=part["value"], mode="lines+markers+text", name=labels[sex],
                                 line=dict(color=color), marker=dict(symbol=symbol, size=10), text=text,
                                 textposition="top center", hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_xaxes(dtick=1, tickformat="d")
    return _layout(fig, lang, height=320, y_title=fmt.unit_label(unit, lang))


PRIORITY_MARK, PRIORITY_LINE = "◆", "#D55E00"   # a priority cell: the symbol in it and its heavy vermillion border


def progress_heatmap(grid: pd.DataFrame, lang: str, marks: pd.DataFrame | None = None,
                     mark_label: str = "") -> go.Figure:
    """Zones (rows) × actions (columns): percent complete, written in each cell; empty cells = no update.

    marks (booleans, same shape as grid): priority cells, drawn with PRIORITY_MARK before their text and a heavy
    border, named mark_label in the legend."""
    marked = marks.to_numpy(dtype=bool) if marks is not None else np.zeros(grid.shape, dtype=bool)
    text = grid.map(lambda v: "" if fmt.is_missing(v) else fmt.number(v, 0, lang) + "%").to_numpy(dtype=object)
    text = np.where(marked, np.char.add(PRIORITY_MARK + " ", text.astype(str)), text)
    columns, rows = category_labels(grid.columns), category_labels(grid.index)
    fig = go.Figure(go.Heatmap(z=grid.values, x=columns, y=rows, zmin=0, zmax=100,
                               colorscale="Viridis", text=text, texttemplate="%{text}",
                               hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
                               colorbar=dict(title="%", thickness=12)))
    if marked.any():
        _mark_cells(fig, grid, marked, rows, columns, mark_label)
    # Every row and column in the grid's order, even without a value (a cell's border is drawn at its index); the
    # first row (whole CM) at the top.
    fig.update_xaxes(side="top", tickangle=-45, type="category", categoryorder="array", categoryarray=columns,
                     range=[-0.5, len(columns) - 0.5])
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=rows, range=[len(rows) - 0.5, -0.5])
    fig.update_yaxes(_short_ticks(grid.index))
    fig = _layout(fig, lang, height=140 + 30 * len(grid.index))
    if marked.any():                        # the legend under the chart: the action codes are on top
        fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.02, x=0))
    return fig


def _mark_cells(fig: go.Figure, grid: pd.DataFrame, marked: np.ndarray, rows: list, columns: list, label: str) -> None:
    """A heavy border around each marked cell, the symbol in the marked cells without a value (the heatmap writes
    no text where it has no value), and the legend entry."""
    row_at, column_at = np.nonzero(marked)
    for i, j in zip(row_at, column_at):
        fig.add_shape(type="rect", x0=j - 0.5, x1=j + 0.5, y0=i - 0.5, y1=i + 0.5, xref="x", yref="y",
                      line=dict(color=PRIORITY_LINE, width=2.5), fillcolor="rgba(0,0,0,0)", layer="above")
    empty = [(i, j) for i, j in zip(row_at, column_at) if fmt.is_missing(grid.iat[i, j])]
    fig.add_trace(go.Scatter(x=[columns[j] for _i, j in empty], y=[rows[i] for i, _j in empty], mode="text",
                             text=[PRIORITY_MARK] * len(empty), textfont=dict(size=14, color="#222222"),
                             hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=plain.chart_label(label),
                             marker=dict(symbol="square-open", size=16, color=PRIORITY_LINE, line=dict(width=3))))
