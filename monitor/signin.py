"""Sign-in for the officials' pages: the organisation's identity provider (st.login, OpenID Connect) or a local
account; the role is re-checked at every run, and the frame shows who is signed in on every page."""
from __future__ import annotations

import logging
import math
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st
from filelock import Timeout

from core import auth, lockout
from core.settings import load_settings
from monitor import oidc
from core.bilingual import Text
from monitor.i18n import L, lang

SESSION_KEY = "signed_in_account"        # user name of a local account signed in in this session (server side)
FRAME_KEY = "identity_in_frame"          # the frame shows who is signed in, so the protected pages do not repeat it
RETURN_CHECKED_KEY = "sign_in_return_checked"
XSRF_COOKIE = "_streamlit_xsrf"          # Streamlit's own cookie: its token identifies the browser across st.login
PROBE = oidc.MetadataProbe()             # per server process: is the provider answering (kept briefly)
RETURNS = oidc.PendingReturns()          # per server process: the page each browser started a sign-in from
_log = logging.getLogger(__name__)


def _context_text(value) -> str | None:
    """A field of st.context when it is text (None where the server does not know it, e.g. under AppTest)."""
    return value if isinstance(value, str) and value else None


def provider() -> oidc.Provider | None:
    """The identity provider of the [auth] section of the secrets (None when there is none)."""
    if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
        return None
    return oidc.configured_provider(st.secrets["auth"].to_dict())


def current_identity(access: auth.Access) -> auth.Identity | None:
    """Who is signed in now: a local account of this session (looked up again) or the st.user of OIDC."""
    username = st.session_state.get(SESSION_KEY)
    if username:
        identity = auth.local_identity(access, username)
        if identity is not None:
            return identity
        del st.session_state[SESSION_KEY]  # the account was removed from the access file
    return auth.oidc_identity(access, st.user.to_dict())


def show_signed_in(navigation: dict) -> None:
    """For the frame, on every page: who is signed in (name, account, role) and «Esci» in the sidebar; right after the
    provider's callback, first reopen the page and query the official started the sign-in from."""
    settings = load_settings()
    if settings.is_public:
        return
    st.session_state[FRAME_KEY] = True
    try:
        identity = current_identity(auth.load_access(settings.accounts_file))
    except auth.AccessFileError:
        return  # the protected pages say what is wrong with the file
    if identity is None:
        return
    if identity.method == "oidc":
        _return_after_sign_in(navigation)
    with st.sidebar:
        _identity_badge(identity)


def _return_after_sign_in(navigation: dict) -> None:
    """Once per session: when this browser started a sign-in less than RETURN_TTL ago, switch to that page and query."""
    if st.session_state.get(RETURN_CHECKED_KEY):
        return
    st.session_state[RETURN_CHECKED_KEY] = True
    key = oidc.browser_key(_context_text(st.context.cookies.get(XSRF_COOKIE)))
    target = RETURNS.take(key, time.time()) if key else None
    pages = [p for section in navigation.values() for p in section]
    page = next((p for p in pages if target and p.url_path == target.url_path), None)
    if page is None:
        return
    for name in target.query:
        st.session_state.pop(name, None)  # the frame's filters are seeded again from the restored query
    st.switch_page(page, query_params=target.query)


def _identity_badge(identity: auth.Identity) -> None:
    """«Connesso come Nome (account) · ruolo» and the sign-out button; the identity is data from an account or a
    provider's claims, so it is shown with st.text (no Markdown: escaping alone would still autolink URLs and e-mails)."""
    account = "" if identity.account == identity.name else f" ({identity.account})"
    st.caption(L("Connesso come", "Signed in as"))
    st.text(" ".join(f"{identity.name}{account}".split()) + " · " + (identity.role or L("nessun ruolo", "no role")))
    st.button(L("Esci", "Sign out"), key="sign_out", on_click=_sign_out, args=(identity,))


def require_role(role: str = auth.EDITOR) -> auth.Identity:
    """The signed-in official holding the role; anyone else sees the sign-in (or a refusal) and the run stops."""
    settings = load_settings()
    if settings.is_public:
        st.error(L("Pagina non disponibile nell'istanza pubblica.", "Page not available on the public instance."))
        st.stop()
    try:
        access = auth.load_access(settings.accounts_file)
    except auth.AccessFileError as exc:
        st.error(L("File degli accessi non valido:", "Invalid access file:"))
        st.text(str(exc))
        st.stop()
    identity = current_identity(access)
    if identity is None:
        _sign_in_form(access, settings.accounts_file)
        st.stop()
    if not st.session_state.get(FRAME_KEY):  # a page run on its own (tests): it shows who is signed in itself
        with st.sidebar:
            _identity_badge(identity)
    if identity.role != role:
        st.error(L(f"Il tuo account (vedi la barra laterale) non ha il ruolo «{role}» richiesto per questa pagina: chiedilo "
                   "all'amministratore del monitor.",
                   f"Your account (see the sidebar) lacks the «{role}» role this page needs: ask the administrator."))
        st.stop()
    return identity


def _sign_out(identity: auth.Identity) -> None:
    """Button callback: forget a local account of this session, or leave through the provider (st.logout)."""
    if identity.method == "local":
        st.session_state.pop(SESSION_KEY, None)
    else:
        st.logout()


def _sign_in_form(access: auth.Access, accounts_file: Path) -> None:
    """The provider's button (or why it is missing) and the local form, whichever are configured."""
    st.title(L("Accesso riservato agli uffici", "Officials only"))
    st.write(L("Per caricare dati o annullare un caricamento serve un account con il ruolo «editor».",
               "Uploading data or undoing an upload needs an account with the «editor» role."))
    configured = provider()
    if configured is not None:
        _provider_button(configured, bool(access.accounts))
    if access.accounts:
        _local_form(access, lockout.Lockout(lockout.lockout_file(accounts_file)))
    if configured is None and not access.accounts:
        st.warning(L("Nessun accesso configurato: vedi la sezione «Caricamento dati» del README.",
                     "No sign-in configured: see the «Uploads» section of the README."))


def _provider_button(configured: oidc.Provider, local_accounts: bool) -> None:
    """The provider's button when its metadata answer (checked with a short timeout, kept briefly); else say so."""
    if PROBE.answers(configured.metadata_url):
        st.button(L("Accedi con l'account dell'ente", "Sign in with your organisation account"), type="primary",
                  key="oidc_sign_in", on_click=_start_provider_sign_in, args=(configured,))
        return
    st.warning(L("Il servizio di accesso dell'ente non risponde in questo momento: riprova tra qualche minuto.",
                 "The organisation's sign-in service is not answering right now: try again in a few minutes.") +
               (L(" Intanto puoi entrare con un account locale.", " Meanwhile you can sign in with a local account.")
                if local_accounts else ""))


def _start_provider_sign_in(configured: oidc.Provider) -> None:
    """Button callback: check the provider again (never hand over to a provider that just went down), remember this
    page and its query for the return, then st.login."""
    if not PROBE.answers(configured.metadata_url, fresh=True):
        return  # the rerun shows the warning
    key = oidc.browser_key(_context_text(st.context.cookies.get(XSRF_COOKIE)))
    if key:
        page = oidc.url_path_of(_context_text(st.context.url), st.get_option("server.baseUrlPath"))
        RETURNS.remember(key, oidc.Return(page, st.query_params.to_dict()), time.time())
    st.login(configured.name)  # None: the [auth] section itself


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


LOCAL_TIME_ZONE = "Europe/Rome"  # for the retry time when the browser does not say its own


def retry_text(until: float, now: float, lang_code: str, time_zone: str | None) -> str:
    """'Troppi tentativi: riprova alle 18:36 (tra 5 minuti).' in the language and time zone of the view."""
    minutes = max(1, math.ceil((until - now) / 60))
    at = _clock(math.ceil(until / 60) * 60, time_zone)
    return Text(
        f"Troppi tentativi: riprova alle {at} (tra {minutes} {'minuto' if minutes == 1 else 'minuti'}).",
        f"Too many attempts: try again at {at} (in {minutes} {'minute' if minutes == 1 else 'minutes'}).").in_(lang_code)


def _clock(timestamp: float, time_zone: str | None) -> str:
    """HH:MM of a time in the browser's time zone (Rome when it says none or an unknown one)."""
    for name in (time_zone, LOCAL_TIME_ZONE):
        try:
            return datetime.fromtimestamp(timestamp, ZoneInfo(name)).strftime("%H:%M")
        except (ValueError, TypeError, OSError, KeyError):  # unknown or malformed zone name, no zone database
            continue
    return datetime.fromtimestamp(timestamp).strftime("%H:%M")
