"""Replayed page sections: their cache key must hold the served warehouse's version and, if they write text, the
view's language; a section that forgets either fails at once instead of replaying stale or foreign text."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from monitor import replay


def test_a_section_whose_first_parameter_is_not_the_version_is_refused_when_defined():
    with pytest.raises(replay.CacheKeyError, match="first parameter must be `version`"):
        @replay.section
        def heading(lang: str, code: str) -> None:  # pragma: no cover - never runs
            pass


def script(case: str) -> None:
    """A page with one replayed section called the way `case` says (run by AppTest)."""
    import streamlit as st

    from monitor import data, i18n, replay
    from monitor.i18n import L

    st.session_state.setdefault("lang", "it")

    @replay.section
    def titled(version: str, lang: str, code: str) -> None:
        st.header(L("Titolo ", "Title ") + code)

    @replay.memo
    def labels_without_language(version: str, code: str) -> str:
        return L("etichetta ", "label ") + code

    @replay.memo
    def codes(version: str, code: str) -> str:
        return code.upper()

    version = data.version()
    if case == "good":
        titled(version, i18n.lang(), "a")
        st.text(codes(version, "b"))
    elif case == "stale version":
        titled("an older warehouse", i18n.lang(), "a")
    elif case == "other language":
        titled(version, "en", "a")
    elif case == "text without language":
        st.text(labels_without_language(version, "a"))
    elif case.startswith("twice, by position and by name"):
        st.session_state.setdefault("drawn", 0)
        if case.endswith("and a query"):
            st.text(f"zone rows: {len(data.get('zones'))}")

        @replay.section
        def counted(version: str, lang: str, code: str) -> None:
            st.session_state["drawn"] += 1
            st.header(L("Contato ", "Counted ") + code)

        counted(version, i18n.lang(), "c")
        counted(code="c", lang=i18n.lang(), version=version)
        counted(version, i18n.lang(), code="c")


def run(case: str) -> AppTest:
    return AppTest.from_function(script, args=(case,), default_timeout=30).run()


def test_a_section_called_with_the_served_version_and_the_views_language_draws():
    at = run("good")
    assert not at.exception
    assert at.header[0].value == "Titolo a" and at.text[0].value == "B"


@pytest.mark.parametrize("case, message", [
    ("stale version", "not the served one"),
    ("other language", "lang='en', the view's is 'it'"),
    ("text without language", "whose arguments have no `lang`"),
])
def test_a_section_whose_key_misses_the_version_or_the_language_fails_at_once(case, message):
    at = run(case)
    assert at.exception and message in at.exception[0].message


def test_a_section_is_drawn_once_and_replayed_however_its_arguments_are_passed():
    at = run("twice, by position and by name")
    assert not at.exception
    assert at.session_state["drawn"] == 1
    assert [h.value for h in at.header] == ["Contato c"] * 3
    at.run()   # the next run replays all three from the cache
    assert at.session_state["drawn"] == 1 and [h.value for h in at.header] == ["Contato c"] * 3


def test_a_rerun_reads_no_signature_for_its_sections_and_cached_queries(warehouse, monkeypatch):
    """A page's functions are defined again on every rerun: the wrapper and its signature are made on the first run
    only, and no cached call passes a positional argument (Streamlit reads the signature for each one)."""
    from streamlit.runtime.caching import cache_utils

    at = run("twice, by position and by name, and a query")
    assert not at.exception and at.session_state["drawn"] == 1
    wrapped = []
    monkeypatch.setattr(replay, "_checked_call", lambda function: wrapped.append(function) or function)

    def positional(*args):
        raise AssertionError("a cached function was called with a positional argument")

    monkeypatch.setattr(cache_utils, "_get_positional_arg_name", positional)
    at.run()
    assert not at.exception and at.session_state["drawn"] == 1
    assert wrapped == [] and at.text[0].value.startswith("zone rows:")


def test_a_miss_runs_the_calling_runs_own_function(monkeypatch):
    """Sessions run the same page at once, each with its own globals. The cache is made once for a section's code,
    but a miss must run the calling run's function: another session's may come from a run that has not yet defined
    the helper it calls (a NameError seen at 50 sessions)."""
    monkeypatch.setattr(replay.data, "version", lambda: "v1")
    page = compile("def shouted(version, text):\n    return helper(text)\n", "<a page>", "exec")
    first_run, second_run = {}, {"helper": str.upper}
    exec(page, first_run)    # this run has not reached `helper` yet
    exec(page, second_run)
    replay.memo(first_run["shouted"])
    assert replay.memo(second_run["shouted"])("v1", "niente nomi mancanti") == "NIENTE NOMI MANCANTI"
