"""Test helpers: the texts of AppTest elements that Streamlit draws as HTML (the figure cards)."""
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
