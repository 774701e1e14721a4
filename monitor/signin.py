"""Sign-in for the officials' pages: st.login (OIDC) or a local account; the role is re-checked at every run."""
from __future__ import annotations

import logging
import math
import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st
from filelock import Timeout

from monitor import auth, lockout
from monitor.i18n import picker
from monitor.settings import load_settings
from monitor.ui import L, lang

SESSION_KEY = "signed_in_account"     # user name of a local account signed in in this session (server side)
LOCAL_TIME_ZONE = "Europe/Rome"       # when the browser does not say its own
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
_log = logging.getLogger(__name__)


def plain(text) -> str:
    """Text (a name, an e-mail, a claim) for a Markdown element, shown as written: every ASCII punctuation character
    backslash-escaped (no link, image, colour, emoji, formula or HTML can be made from it), whitespace runs as one space."""
    return _MARKDOWN_PUNCTUATION.sub(lambda m: "\\" + m.group(), " ".join(str(text).split()))


def retry_text(until: float, now: float, lang_code: str, time_zone: str | None) -> str:
    """'Troppi tentativi: riprova alle 18:36 (tra 5 minuti).' in the language and time zone of the view."""
    minutes = max(1, math.ceil((until - now) / 60))
    at = _clock(math.ceil(until / 60) * 60, time_zone)
    return picker(lang_code)(
        f"Troppi tentativi: riprova alle {at} (tra {minutes} {'minuto' if minutes == 1 else 'minuti'}).",
        f"Too many attempts: try again at {at} (in {minutes} {'minute' if minutes == 1 else 'minutes'}).")


def _context_text(value) -> str | None:
    """A field of st.context when it is text (None where the server does not know it, e.g. under AppTest)."""
    return value if isinstance(value, str) and value else None


def _clock(timestamp: float, time_zone: str | None) -> str:
    """HH:MM of a time in the browser's time zone (Rome when it says none or an unknown one)."""
    for name in (time_zone, LOCAL_TIME_ZONE):
        try:
            return datetime.fromtimestamp(timestamp, ZoneInfo(name)).strftime("%H:%M")
        except (ValueError, TypeError, OSError, KeyError):  # unknown or malformed zone name, no zone database
            continue
    return datetime.fromtimestamp(timestamp).strftime("%H:%M")


def oidc_provider() -> tuple[bool, str | None]:
    """(configured, provider name) from the [auth] section of .streamlit/secrets.toml."""
    if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
        return False, None
    section = st.secrets["auth"]
    if "client_id" in section:
        return True, None
    named = [name for name, value in section.items() if hasattr(value, "get") and "client_id" in value]
    return bool(named), (named[0] if named else None)


def current_identity(access: auth.Access) -> auth.Identity | None:
    """Who is signed in now: a local account of this session (looked up again) or the st.user of OIDC."""
    username = st.session_state.get(SESSION_KEY)
    if username:
        identity = auth.local_identity(access, username)
        if identity is not None:
            return identity
        del st.session_state[SESSION_KEY]  # the account was removed from the access file
    return auth.oidc_identity(access, st.user.to_dict())


def require_role(role: str = auth.EDITOR) -> auth.Identity:
    """The signed-in official holding the role; anyone else sees the sign-in (or a refusal) and the run stops."""
    settings = load_settings()
    if settings.is_public:
        st.error(L("Pagina non disponibile nell'istanza pubblica.", "Page not available on the public instance."))
        st.stop()
    try:
        access = auth.load_access(settings.accounts_file)
    except auth.AccessFileError as exc:
        st.error(L("File degli accessi non valido: ", "Invalid access file: ") + plain(exc))
        st.stop()
    identity = current_identity(access)
    if identity is None:
        _sign_in_form(access, settings.accounts_file)
        st.stop()
    with st.sidebar:
        st.caption(L("Connesso come **", "Signed in as **") + plain(identity.name) + "** (" +
                   plain(identity.role or L("nessun ruolo", "no role")) + ")")
        st.button(L("Esci", "Sign out"), key="sign_out", on_click=_sign_out, args=(identity,))
    if identity.role != role:
        st.error(L("L'account ", "Account ") + plain(identity.account) +
                 L(f" non ha il ruolo «{role}» richiesto per questa pagina: chiedilo all'amministratore del monitor.",
                   f" lacks the «{role}» role this page needs: ask the administrator."))
        st.stop()
    return identity


def _sign_out(identity: auth.Identity) -> None:
    if identity.method == "local":
        st.session_state.pop(SESSION_KEY, None)
    else:
        st.logout()


def _sign_in_form(access: auth.Access, accounts_file: Path) -> None:
    st.title(L("Accesso riservato agli uffici", "Officials only"))
    st.write(L("Per caricare dati o annullare un caricamento serve un account con il ruolo «editor».",
               "Uploading data or undoing an upload needs an account with the «editor» role."))
    configured, provider = oidc_provider()
    if configured:
        st.button(L("Accedi con l'account dell'ente", "Sign in with your organisation account"), type="primary",
                  key="oidc_sign_in", on_click=st.login, args=(provider,) if provider else ())
    if access.accounts:
        _local_form(access, lockout.Lockout(lockout.lockout_file(accounts_file)))
    if not configured and not access.accounts:
        st.warning(L("Nessun accesso configurato: vedi la sezione «Caricamento dati» del README.",
                     "No sign-in configured: see the «Uploads» section of the README."))


def _local_form(access: auth.Access, counters: lockout.Lockout) -> None:
    """User name and password; every attempt is counted (per account and client address) before it is checked."""
    with st.form("local_sign_in"):
        username = st.text_input(L("Nome utente", "User name"))
        password = st.text_input(L("Password", "Password"), type="password")
        submitted = st.form_submit_button(L("Accedi", "Sign in"))
    if not submitted:
        return
    keys = lockout.counter_keys(username, _context_text(st.context.ip_address))
    try:
        until = counters.begin(keys, time.time())
    except (OSError, Timeout) as exc:
        _log.error("sign-in refused: the lockout file cannot be written (%s)", exc)
        st.error(L("Accesso non disponibile in questo momento: avvisa l'amministratore del monitor.",
                   "Sign-in is unavailable right now: tell the monitor's administrator."))
        return
    if until is not None:
        st.error(retry_text(until, time.time(), lang(), _context_text(st.context.timezone)))
        return
    identity = auth.authenticate(access, username, password)
    if identity is None:
        until = counters.retry_at(keys, time.time())
        wait = " " + retry_text(until, time.time(), lang(), _context_text(st.context.timezone)) if until else ""
        st.error(L("Nome utente o password non validi.", "Wrong user name or password.") + wait)
        return
    counters.succeeded(keys, time.time())
    st.session_state[SESSION_KEY] = identity.account
    st.rerun()
