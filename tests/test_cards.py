"""Figure cards: every text escaped, links relative to the app with their query string, reading order kept."""
from monitor import cards


def test_texts_are_escaped_and_links_are_relative():
    html = cards.cards_html([
        cards.Card("Tasso <b>x</b>", "42,6%", "+1,2 p.p. dal 2021", reading="Nel 2021 …", target="",
                   note="", provenance="Fonte: Istat · caricato il 01/11/2026 (M. <script>)",
                   link_label="Dettaglio", link_path="servizi",
                   link_params=(("indicatore", "share_nidi"), ("lang", "it"), ("zona", None))),
        cards.Card("Secondo", "n.d.", note="Nessun dato caricato. Lo riempirebbe: Istat & Inps")], "Indicatori")
    assert "<b>x</b>" not in html and "Tasso &lt;b&gt;x&lt;/b&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "Istat &amp; Inps" in html
    assert 'href="servizi?indicatore=share_nidi&amp;lang=it"' in html  # no zona: absent, not "None"
    assert html.index("Tasso") < html.index("Secondo") and html.count("<article") == 2
    assert 'aria-label="Indicatori"' in html and "psm-change" in html and "<a " in html.split("Secondo")[0]


def test_the_benchmark_line_is_escaped_and_follows_the_target():
    html = cards.card_html(cards.Card("Reddito", "22.921 €", target="Obiettivo 2030: 25.000 €",
                                      benchmark="Piemonte <i>22.064 €</i> · Italia 20.746 € (2021)"))
    assert "<i>" not in html and "Piemonte &lt;i&gt;22.064 €&lt;/i&gt; · Italia 20.746 € (2021)" in html
    assert html.index("Obiettivo") < html.index("Piemonte")
