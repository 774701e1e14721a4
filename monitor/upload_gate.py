"""Which browser sessions the server accepts file uploads from: those the upload page has let in (signed-in editors)."""
from __future__ import annotations

import threading

_allowed: set[str] = set()
_lock = threading.Lock()


def current_session_id() -> str | None:
    """The id of the Streamlit session running this script (None outside a run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def allow_this_session() -> None:
    """Let this session upload until its next run of another page (called by the upload page after the role check)."""
    session_id = current_session_id()
    if session_id:
        with _lock:
            _allowed.add(session_id)


def close_for_this_session() -> None:
    """Take the permission back (the frame calls it at every run, before the page)."""
    session_id = current_session_id()
    if session_id:
        with _lock:
            _allowed.discard(session_id)


def is_allowed(session_id: str) -> bool:
    """True when the upload page has let this session in during its latest run."""
    with _lock:
        return session_id in _allowed
