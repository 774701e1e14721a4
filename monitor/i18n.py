"""The view's language (the frame's bound 'lang' widget) and its text: L(it, en) for ours, field() for the data's."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st

from core.bilingual import LANGUAGES, Text, localized

__all__ = ["LANGUAGES", "Text", "L", "field", "lang", "speaking", "unkeyed", "LanguageNotInKey"]

_outside_run = threading.local()  # language of text written after its run (a download), outside the script thread
_unkeyed = threading.local()       # name of the cached function running now whose cache key has no language


class LanguageNotInKey(RuntimeError):
    """lang() was asked inside a cached function that does not take `lang`: its result would be replayed in the
    wrong language."""


def lang() -> str:
    """Language of the current view, 'it' by default."""
    inside = getattr(_unkeyed, "name", None)
    if inside:
        raise LanguageNotInKey(f"lang() inside {inside}, whose arguments have no `lang`: add it")
    return getattr(_outside_run, "lang", None) or st.session_state.get("lang", "it") or "it"


@contextmanager
def unkeyed(name: str):
    """Refuse lang() in this thread while a cached function without a language runs (see monitor.replay)."""
    outer = getattr(_unkeyed, "name", None)
    _unkeyed.name = name
    try:
        yield
    finally:
        _unkeyed.name = outer


@contextmanager
def speaking(lang_code: str):
    """Make lang() answer lang_code in this thread (for work done after the run that asked for it)."""
    outer = getattr(_outside_run, "lang", None)
    _outside_run.lang = lang_code
    try:
        yield
    finally:
        _outside_run.lang = outer


def L(italian: str, english: str) -> str:  # noqa: N802 - reads like a translation marker
    """Our text in the view's language: Text(italian, english) written inline."""
    return Text(italian, english).in_(lang())


def field(row, name: str):
    """A data field of a row (`<name>_it` / `<name>_en`) in the view's language."""
    return localized(row, name, lang())
