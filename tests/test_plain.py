"""Text from uploads, accounts and files made inert: Markdown, HTML, Plotly labels and link addresses."""
import re

import pytest

from monitor import plain

WJ = plain.WORD_JOINER
HOSTILE = [
    "<img src=x onerror=window.__pwned=1>",
    "<script>window.__pwned=1</script>",
    "[clicca](https://evil.example/x) ![i](https://evil.example/i.png) [js](javascript:window.__pwned=1)",
    "https://evil.example/a www.evil.example WWW.EVIL.EXAMPLE posta@evil.example <https://evil.example>",
    "]] :red[x] :material/warning: :material_warning: :streamlit: :smile: :+1:",
    "$x^2$ $$y$$ **b** __b__ *i* _i_ ~~s~~ `c` # h > q | a | b | [^1] &lt;b&gt; &amp; \\",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "riga\n\n# titolo\n- voce\n1. voce\n    codice\r\n---\t===",
    "Zoë Ångström 東京 🚀 — «citazione» " + "lunghissimo" * 40,
]


@pytest.mark.parametrize("text, expected", [
    ("Agliè", "Agliè"),
    ("Fonte: Istat, 2022", f"Fonte\\:{WJ} Istat\\, 2022"),
    ("**nota** _x_", "\\*\\*nota\\*\\* \\_x\\_"),
    ("[a](https://e.x)", f"\\[a\\]\\(https\\:{WJ}\\/\\/e\\.x\\)"),
    ("![i](x.png)", "\\!\\[i\\]\\(x\\.png\\)"),
    ("<img src=x onerror=f()>", "\\<img src\\=x onerror\\=f\\(\\)\\>"),
    ("]] :red[x]", f"\\]\\] \\:{WJ}red\\[x\\]"),
    (":material/warning:", f"\\:{WJ}material\\/warning\\:{WJ}"),
    ("$x$ `c` ~s~ #1 | &amp; \\", "\\$x\\$ \\`c\\` \\~s\\~ \\#1 \\| \\&amp\\; \\\\"),
    ("www.e.it a@b.it", f"www{WJ}\\.e\\.it a{WJ}\\@b\\.it"),
    ("a -> b -- c >= d", f"a \\-{WJ}\\> b \\-{WJ}\\- c \\>{WJ}\\= d"),
    ("  riga\n\n# titolo\t\tfine  ", "riga \\# titolo fine"),
    ("東京 🚀 «»", "東京 🚀 «»"),
    (None, ""),
    (42, "42"),
])
def test_markdown_escapes_every_active_character(text, expected):
    assert plain.markdown(text) == expected


def shown_by_commonmark(markdown: str) -> str:
    """What CommonMark shows for escaped text: a backslash before ASCII punctuation is dropped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_shows_the_text_as_written(text):
    escaped = plain.markdown(text)
    assert re.fullmatch(r"(?:\\[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~])*", escaped)   # no punctuation left unescaped
    shown = shown_by_commonmark(escaped)
    assert shown.replace(WJ, "") == " ".join(text.split())  # the same text, whitespace as a browser shows it
    assert "\n" not in escaped
    # Streamlit's rewrites after parsing (links, emoji, icons, arrows) find none of their sequences:
    for rewritten in (r"https?://", r"(?i)www\.", r"\w@\w", r":[\w+-]", r"(^|\s)(--|->|<-|>=|<=|~=)(\s|$)"):
        assert not re.search(rewritten, shown), rewritten


@pytest.mark.parametrize("text, expected", [
    ("Costruire un **programma** per i *talenti*", "Costruire un **programma** per i \\*talenti\\*"),
    ("**[a](https://e.x)** fine", f"**\\[a\\]\\(https\\:{WJ}\\/\\/e\\.x\\)** fine"),
    ("un ** solo", "un \\*\\* solo"),
    (None, ""),
])
def test_markdown_keeping_bold_keeps_only_paired_bold(text, expected):
    assert plain.markdown_keeping_bold(text) == expected


@pytest.mark.parametrize("text, expected", [
    ('<img src="x" onerror=\'f()\'>', "&lt;img src=&quot;x&quot; onerror=&#x27;f()&#x27;&gt;"),
    ("Istat & Inps", "Istat &amp; Inps"),
    (None, ""),
])
def test_html_escapes_text_and_attribute_values(text, expected):
    assert plain.html(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("<b>Zona</b> & <a href='javascript:f()'>x</a>", "&lt;b&gt;Zona&lt;/b&gt; &amp; &lt;a href='javascript:f()'&gt;x&lt;/a&gt;"),
    ('Val "di" Susa', 'Val "di" Susa'),   # Plotly does not decode &quot;: quotes stay as they are
    (None, ""),
])
def test_chart_label_escapes_what_plotly_reads_as_tags(text, expected):
    assert plain.chart_label(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("https://www.istat.it/dati", "https://www.istat.it/dati"),
    ("  http://dati.piemonte.it  ", "http://dati.piemonte.it"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("java\nscript:alert(1)", None),
    ("data:text/html,<script>x</script>", None),
    ("https:evil", None),
    ("//evil.example", None),
    ("", None),
    (None, None),
])
def test_web_address_links_only_http_addresses(text, expected):
    assert plain.web_address(text) == expected
