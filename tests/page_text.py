"""Test helpers: the texts of AppTest elements as the reader sees them (figure cards drawn as HTML, escaped Markdown)."""
from __future__ import annotations

import re
from html import unescape


def card_values(at) -> list[str]:
    """The value of every figure card (monitor.cards) drawn by the run, as the reader sees it."""
    bodies = [element.proto.body for element in at.get("html")]
    return [unescape(v) for body in bodies for v in re.findall(r'class="psm-value">(.*?)</p>', body)]


def card_texts(at) -> str:
    """All the text of the figure cards drawn by the run, tags removed."""
    bodies = " ".join(element.proto.body for element in at.get("html"))
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", bodies, flags=re.S)))


def as_read(markdown: str) -> str:
    """Markdown escaped by monitor.plain as the reader sees it: backslash escapes and word joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
