"""Text from files, uploads, accounts and URLs made inert for Markdown, HTML and chart labels: shown, never run."""
from __future__ import annotations

import html as _html
import re
from urllib.parse import urlsplit

ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every character CommonMark lets a backslash escape
WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
WORD_JOINER = "\u2060"  # invisible, and no line break at it
# NOTE: Streamlit's Markdown rewrites text after parsing, when the backslash escapes are already gone: it turns
# http://…, www.… and name@host.… into links, :name: into emoji, icons (:material_…:) or its logo image, and
# ->, <-, --, >=, <=, ~= into arrows and dashes. A word joiner inside each such sequence keeps it from matching.
REWRITTEN_SEQUENCES = re.compile(r"(?<=:)|(?<=www)(?=\.)|(?=@)|(?<=[-<>~])(?=[-=>])", re.IGNORECASE)
WEB_SCHEMES = ("http", "https")


def _escaped(text: str) -> str:
    """One line of text with every Markdown-active character escaped (spaces kept at its ends)."""
    flat = WHITESPACE.sub(" ", text)
    return ASCII_PUNCTUATION.sub(r"\\\1", REWRITTEN_SEQUENCES.sub(WORD_JOINER, flat))


def markdown(text) -> str:
    """Markdown that shows the text as written, on one line: no link, image, emphasis, heading, list, table,
    HTML, formula, emoji, icon or Streamlit directive (:red[…], :material/…:) can come from it."""
    return "" if text is None else _escaped(str(text).strip())


def markdown_keeping_bold(text) -> str:
    """markdown(), except that balanced **…** pairs stay bold (the plan's own emphasis in its bundled text)."""
    if text is None:
        return ""
    parts = str(text).strip().split("**")
    if len(parts) % 2 == 0:  # an unpaired ** is text
        return markdown(text)
    return "**".join(_escaped(part) for part in parts)


def html(text) -> str:
    """HTML text or attribute value: & < > " ' as character references."""
    return "" if text is None else _html.escape(str(text), quote=True)


def chart_label(text) -> str:
    """Plotly text (labels, hover texts, titles), where Plotly reads a few HTML tags: & < > as the character
    references Plotly decodes, so the text shows as written."""
    return "" if text is None else str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def web_address(text) -> str | None:
    """An http(s) address to link to, or None (javascript:, data: and other schemes are never links)."""
    if not isinstance(text, str) or not text.strip():
        return None
    address = text.strip()
    parts = urlsplit(address)
    return address if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None
