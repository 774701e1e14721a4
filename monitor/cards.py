"""Figure cards as one HTML block: title, value, change, reading, target, provenance and a link, escaped."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

# Streamlit's light theme: text, muted text, border, link colour (primaryColor in .streamlit/config.toml).
STYLE = """<style>
.psm-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15.5rem,1fr));gap:1rem;margin:0.25rem 0 1rem}
.psm-card{border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem;padding:1rem;
  display:flex;flex-direction:column;gap:0.35rem}
.psm-card h3{font-size:1rem;font-weight:600;margin:0;padding:0;line-height:1.35}
.psm-card .psm-value{font-size:2.1rem;line-height:1.15;margin:0}
.psm-card .psm-change{color:rgba(49,51,63,0.75);font-size:0.9rem;margin:0}
.psm-card p{margin:0}
.psm-card .psm-small{color:rgba(49,51,63,0.7);font-size:0.85rem}
.psm-card a{color:#1b5e8c;font-weight:600;margin-top:auto}
</style>"""


@dataclass(frozen=True)
class Card:
    """One card's texts, already formatted in the view's language; empty strings are left out."""

    title: str
    value: str
    change: str = ""
    reading: str = ""
    target: str = ""
    benchmark: str = ""     # the same figure for Piemonte and Italia, where it exists
    note: str = ""          # small muted line (no target, no data: what would fill it)
    provenance: str = ""
    link_label: str = ""
    link_path: str = ""     # url path of a page of the app, e.g. "divari-genere"
    link_params: tuple = ()  # (name, value) pairs for its query string


def link(path: str, params: tuple) -> str:
    """A relative link to a page of the app with its query string (relative, so it works under any base path)."""
    query = urlencode([(k, v) for k, v in params if v is not None])
    return path + ("?" + query if query else "")


def card_html(card: Card) -> str:
    """One card as an <article>; every text is escaped."""
    parts = [f"<h3>{escape(card.title)}</h3>", f'<p class="psm-value">{escape(card.value)}</p>']
    if card.change:
        parts.append(f'<p class="psm-change">{escape(card.change)}</p>')
    parts += [f"<p>{escape(text)}</p>" for text in (card.reading, card.target, card.benchmark) if text]
    parts += [f'<p class="psm-small">{escape(text)}</p>' for text in (card.note, card.provenance) if text]
    if card.link_path:
        parts.append(f'<a href="{escape(link(card.link_path, card.link_params))}" target="_self">'
                     f'{escape(card.link_label)} →</a>')
    return '<article class="psm-card">' + "".join(parts) + "</article>"


def cards_html(cards: list[Card], label: str) -> str:
    """The cards in a grid that wraps (three or four a row on a laptop, one on a phone), in reading order."""
    return (STYLE + f'<section class="psm-cards" aria-label="{escape(label)}">'
            + "".join(card_html(c) for c in cards) + "</section>")
