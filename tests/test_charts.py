"""Charts: names from the data reach Plotly escaped (it reads HTML tags in text), long names shortened on the axis."""
import pandas as pd

from monitor import charts

ZONE = "<b>Zona</b> <a href='https://evil.example'>x</a> & co " + "lunghissimo" * 5
ESCAPED = "&lt;b&gt;Zona&lt;/b&gt; &lt;a href='https://evil.example'&gt;x&lt;/a&gt; &amp; co " + "lunghissimo" * 5


def tags_in(figure) -> list[str]:
    """Every text of a figure that Plotly would read as markup: category values, tick texts, annotations."""
    texts = [str(v) for trace in figure.data for axis in (trace.x, trace.y) if axis is not None for v in axis]
    texts += [str(v) for v in figure.layout.yaxis.ticktext or []]
    texts += [a.text for a in figure.layout.annotations or []]
    return [t for t in texts if "<" in t or ">" in t]


def test_heatmap_rows_are_escaped_and_shortened_on_the_axis():
    grid = pd.DataFrame({"5.1.1": [40.0, None], "5.1.2": [None, 10.0]}, index=["Intera CM", ZONE])
    figure = charts.progress_heatmap(grid, "it")
    assert list(figure.data[0].y) == ["Intera CM", ESCAPED] and not tags_in(figure)
    ticks = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext))
    assert ticks["Intera CM"] == "Intera CM" and ticks[ESCAPED].endswith("…")
    assert len(ticks[ESCAPED].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")) == charts.TICK_CHARACTERS


def test_bars_and_dumbbell_escape_names():
    rows = pd.DataFrame({"territory_name": ["Pinerolese", ZONE], "value": [1.0, 2.0]})
    bars = charts.ranked_bars(rows, "value", "territory_name", "pct", 1, "it", 1.5, "CM <i>x</i>")
    assert set(bars.data[0].y) == {"Pinerolese", ESCAPED} and not tags_in(bars)
    pairs = pd.DataFrame({"territory_name": ["Pinerolese", ZONE], "F": [1.0, 2.0], "M": [2.0, 1.0], "gap": [-1.0, 1.0]})
    dumbbell = charts.gap_dumbbell(pairs, "pct", 1, "it", {"F": "Donne", "M": "Uomini"})
    assert ESCAPED in set(dumbbell.data[-1].y) and not tags_in(dumbbell)


def test_short_names_keep_plotly_defaults():
    grid = pd.DataFrame({"5.1.1": [40.0]}, index=["Pinerolese"])
    assert charts.progress_heatmap(grid, "it").layout.yaxis.ticktext is None
