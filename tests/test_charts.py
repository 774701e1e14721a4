"""Charts: names from the data reach Plotly escaped (it reads HTML tags in text), long names shortened on the axis."""
import pandas as pd

from monitor import charts

ZONE = "<b>Zona</b> <a href='https://evil.example'>x</a> & co " + "lunghissimo" * 5
ESCAPED = "&lt;b&gt;Zona&lt;/b&gt; &lt;a href='https://evil.example'&gt;x&lt;/a&gt; &amp; co " + "lunghissimo" * 5


def tags_in(figure) -> list[str]:
    """Every text of a figure that Plotly would read as markup: category values, tick texts, annotations."""
    texts = [str(v) for trace in figure.data for axis in (trace.x, trace.y) if axis is not None for v in axis]
    texts += [str(v) for v in figure.layout.yaxis.ticktext or []]
    texts += [a.text for a in figure.layout.annotations or []] + [s.name for s in figure.layout.shapes or [] if s.name]
    texts += [trace.name for trace in figure.data if trace.name]
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
    bars = charts.ranked_bars(rows, "value", "territory_name", "pct", 1, "it", [(1.5, "CM <i>x</i>", "cm")], highlight=ZONE)
    assert set(bars.data[0].y) == {"Pinerolese", ESCAPED} and not tags_in(bars)
    pairs = pd.DataFrame({"territory_name": ["Pinerolese", ZONE], "F": [1.0, 2.0], "M": [2.0, 1.0], "gap": [-1.0, 1.0]})
    references = pairs.assign(territory_name=["<i>Piemonte</i>", "Italia"])
    dumbbell = charts.gap_dumbbell(pairs, "pct", 1, "it", {"F": "Donne", "M": "Uomini"}, references, "<b>rif.</b>")
    assert ESCAPED in {y for trace in dumbbell.data for y in trace.y} and not tags_in(dumbbell)


def test_bars_name_each_reference_with_its_value_and_mark_the_highlighted_bar():
    rows = pd.DataFrame({"name": ["Milano", "Torino", "Bari"], "value": [30.0, 20.0, 10.0]})
    bars = charts.ranked_bars(rows, "value", "name", "eur", 0, "it", [(25.0, "Piemonte", "regione"),
                                                                         (None, "n.d.", "cm"),
                                                                         (22.0, "Italia", "italia")], highlight="Torino")
    assert [(s.x0, s.name, s.line.dash) for s in bars.layout.shapes] == [(25.0, "Piemonte: 25 €", "dot"),
                                                                          (22.0, "Italia: 22 €", "dashdot")]
    assert list(bars.layout.yaxis.ticktext) == ["Bari", "▶ Torino", "Milano"]
    assert list(bars.data[0].marker.pattern.shape) == ["", "/", ""]


def test_dumbbell_puts_the_references_below_the_zones_with_hollow_symbols():
    pairs = pd.DataFrame({"territory_name": ["Zona 1", "Zona 2"], "F": [1.0, 3.0], "M": [2.0, 1.0], "gap": [-1.0, 2.0]})
    references = pd.DataFrame({"territory_name": ["Piemonte", "Italia"], "F": [2.0, 2.5], "M": [2.2, 2.4],
                               "gap": [-0.2, 0.1]})
    figure = charts.gap_dumbbell(pairs, "pct", 1, "it", {"F": "Donne", "M": "Uomini"}, references, "riferimento")
    assert list(figure.layout.yaxis.categoryarray) == ["Piemonte", "Italia", "Zona 2", "Zona 1"]
    hollow = [trace for trace in figure.data if trace.marker.symbol and trace.marker.symbol.endswith("-open")]
    assert [trace.name for trace in hollow] == ["Donne · riferimento", "Uomini · riferimento"]


def test_short_names_keep_plotly_defaults():
    grid = pd.DataFrame({"5.1.1": [40.0]}, index=["Pinerolese"])
    assert charts.progress_heatmap(grid, "it").layout.yaxis.ticktext is None


def test_heatmap_marks_priority_cells_with_a_symbol_a_border_and_a_legend_entry():
    grid = pd.DataFrame({"5.1.1": [40.0, None, 5.0], "5.1.2": [None, 10.0, None]}, index=["Intera CM", ZONE, "Due"])
    marks = pd.DataFrame({"5.1.1": [False, True, True], "5.1.2": [False, False, True]}, index=grid.index)
    figure = charts.progress_heatmap(grid, "it", marks, "zona <i>prioritaria</i>")
    text = figure.data[0].text
    assert text[2][0] == charts.PRIORITY_MARK + " 5%" and text[0][0] == "40%" and text[1][1] == "10%"
    borders = [(s.x0, s.y0) for s in figure.layout.shapes]              # one heavy border per marked cell
    assert sorted(borders) == [(-0.5, 0.5), (-0.5, 1.5), (0.5, 1.5)]
    symbols = figure.data[1]                                             # the symbol where the heatmap has no text
    assert list(zip(symbols.x, symbols.y)) == [("5.1.1", ESCAPED), ("5.1.2", "Due")]
    assert set(symbols.text) == {charts.PRIORITY_MARK}
    legend = [t for t in figure.data if t.showlegend is not False and t.name]
    assert [t.name for t in legend] == ["zona &lt;i&gt;prioritaria&lt;/i&gt;"] and not tags_in(figure)
    assert list(figure.layout.yaxis.categoryarray) == list(figure.data[0].y)  # rows in order even when empty
