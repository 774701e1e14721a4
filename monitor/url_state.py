"""A view's filters in its URL: seeded from the URL on a session's first run, written back after each run."""
from __future__ import annotations

import streamlit as st

KEPT_PARAMETERS = ("embed", "embed_options")  # Streamlit's own, kept as they came


def url_param(key: str, parse, default=None) -> None:
    """Seed st.session_state[key] from the URL on a session's first run and keep it in the URL afterwards.

    Call before creating the widget with the same key; parse turns the URL text into a valid value or None.
    """
    if key not in st.session_state:
        raw = st.query_params.get(key)
        parsed = parse(raw) if raw is not None else None
        st.session_state[key] = default if parsed is None else parsed
    keys = st.session_state.setdefault("_url_keys_this_run", [])
    if key not in keys:
        keys.append(key)


def write_url(defaults: dict) -> None:
    """Write the view's filters (registered by url_param this run) to the URL; defaults are left out."""
    keys = st.session_state.pop("_url_keys_this_run", [])
    wanted = {k: str(st.session_state[k]) for k in keys
              if st.session_state.get(k) is not None and st.session_state.get(k) != defaults.get(k)}
    current = {k: st.query_params.get(k) for k in st.query_params}
    keep = {k: v for k, v in current.items() if k in KEPT_PARAMETERS}
    if {**keep, **wanted} != current:
        st.query_params.from_dict({**keep, **wanted})


def choice(options) -> callable:
    """A parser accepting only the given options (compared as text).

    Pages make one on every rerun; it reads the options only when called (a session's first run)."""
    def parse(raw):
        return next((o for o in options if str(o) == str(raw)), None)
    return parse


def url_select(label: str, options: list, key: str, default=None, format_func=str, container=st,
               placeholder: str | None = None, width: int | str = "stretch") -> object:
    """A selectbox whose value lives in the URL under `key`; with a placeholder, no choice (None) is allowed."""
    if not options:
        return None
    fallback = default if default in options else (None if placeholder else options[0])
    url_param(key, choice(options), default=fallback)
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback
    return container.selectbox(label, options, key=key, format_func=format_func, placeholder=placeholder,
                               width=width)
