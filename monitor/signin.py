"""Sign-in for the officials' pages: st.login (OIDC) or a local account; the role is re-checked at every run."""
from __future__ import annotations

import time

import streamlit as st

from monitor import auth
from monitor.settings import load_settings
from monitor.ui import L

SESSION_KEY = "signed_in_account"     # user name of a local account signed in in this session (server side)
FAILURES_KEY = "sign_in_failures"
MAX_FAILURES, PAUSE_SECONDS = 5, 60


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
        st.error(L("File degli accessi non valido: ", "Invalid access file: ") + str(exc))
        st.stop()
    identity = current_identity(access)
    if identity is None:
        _sign_in_form(access)
        st.stop()
    with st.sidebar:
        st.caption(L(f"Connesso come **{identity.name}** ({identity.role or 'nessun ruolo'})",
                     f"Signed in as **{identity.name}** ({identity.role or 'no role'})"))
        st.button(L("Esci", "Sign out"), key="sign_out", on_click=_sign_out, args=(identity,))
    if identity.role != role:
        st.error(L(f"L'account {identity.account} non ha il ruolo «{role}» richiesto per questa pagina: "
                   "chiedilo all'amministratore del monitor.",
                   f"Account {identity.account} lacks the «{role}» role this page needs: ask the administrator."))
        st.stop()
    return identity


def _sign_out(identity: auth.Identity) -> None:
    if identity.method == "local":
        st.session_state.pop(SESSION_KEY, None)
    else:
        st.logout()


def _sign_in_form(access: auth.Access) -> None:
    st.title(L("Accesso riservato agli uffici", "Officials only"))
    st.write(L("Per caricare dati o annullare un caricamento serve un account con il ruolo «editor».",
               "Uploading data or undoing an upload needs an account with the «editor» role."))
    configured, provider = oidc_provider()
    if configured:
        st.button(L("Accedi con l'account dell'ente", "Sign in with your organisation account"), type="primary",
                  key="oidc_sign_in", on_click=st.login, args=(provider,) if provider else ())
    if access.accounts:
        _local_form(access)
    if not configured and not access.accounts:
        st.warning(L("Nessun accesso configurato: vedi la sezione «Caricamento dati» del README.",
                     "No sign-in configured: see the «Uploads» section of the README."))


def _local_form(access: auth.Access) -> None:
    failures, last = st.session_state.get(FAILURES_KEY, (0, 0.0))
    with st.form("local_sign_in"):
        username = st.text_input(L("Nome utente", "User name"))
        password = st.text_input(L("Password", "Password"), type="password")
        submitted = st.form_submit_button(L("Accedi", "Sign in"))
    if not submitted:
        return
    if failures >= MAX_FAILURES and time.time() - last < PAUSE_SECONDS:
        st.error(L("Troppi tentativi: riprova tra un minuto.", "Too many attempts: try again in a minute."))
        return
    identity = auth.authenticate(access, username, password)
    if identity is None:
        st.session_state[FAILURES_KEY] = (failures + 1, time.time())
        st.error(L("Nome utente o password non validi.", "Wrong user name or password."))
        return
    st.session_state.pop(FAILURES_KEY, None)
    st.session_state[SESSION_KEY] = identity.account
    st.rerun()
