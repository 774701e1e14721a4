"""Streamlit pieces shared by pages: language, provenance captions, notices, downloads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor import fmt
from monitor.i18n import picker


def lang() -> str:
    """Language of the current view (the frame's bound 'lang' widget), 'it' by default."""
    return st.session_state.get("lang", "it") or "it"


def L(italian: str, english: str) -> str:  # noqa: N802 - reads like a translation marker
    """Italian or English text for the current view."""
    return picker(lang())(italian, english)


def loaded_on(timestamp) -> str:
    """A load time as a date in the view's language."""
    if fmt.is_missing(timestamp):
        return fmt.MISSING[lang()]
    ts = pd.Timestamp(timestamp)
    return ts.strftime("%d/%m/%Y") if lang() == "it" else ts.strftime("%d %b %Y")


def provenance(producer: str | None, period, loaded_at, load_kind: str | None = None, loaded_by: str | None = None) -> str:
    """'Fonte: Istat, 2022 · caricato il 01/11/2026' in the view's language."""
    if not producer:
        return ""
    year = "" if fmt.is_missing(period) else f", {int(period)}"
    who = f" ({loaded_by})" if load_kind == "upload" and loaded_by else ""
    return L(f"Fonte: {producer}{year} · caricato il {loaded_on(loaded_at)}{who}",
             f"Source: {producer}{year} · loaded on {loaded_on(loaded_at)}{who}")


def provisional_zones_notice(status: str) -> None:
    """Say that the zone composition is provisional, wherever zones are used."""
    if status != "official":
        st.info(L("Composizione delle zone omogenee **provvisoria**: in attesa dell'elenco ufficiale CMT.",
                  "Zone composition is **provisional**, pending the official CMT list."), icon="ℹ️")


def download(frame: pd.DataFrame, file_name: str, key: str) -> None:
    """A CSV download of exactly the rows shown (formula-like cells neutralised)."""
    safe = frame.copy()
    for column in safe.select_dtypes(include=["object", "string"]).columns:
        safe[column] = safe[column].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in "=+-@" else v)
    st.download_button(L("Scarica i dati (CSV)", "Download data (CSV)"), safe.to_csv(index=False).encode("utf-8"),
                       file_name=file_name, mime="text/csv", key=key)


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
    keep = {k: v for k, v in current.items() if k in ("embed", "embed_options")}
    if {**keep, **wanted} != current:
        st.query_params.from_dict({**keep, **wanted})


def choice(options) -> callable:
    """A parser accepting only the given options (compared as text)."""
    by_text = {str(o): o for o in options}
    return lambda raw: by_text.get(str(raw))


def url_select(label: str, options: list, key: str, default=None, format_func=str, container=st) -> object:
    """A selectbox whose value lives in the URL under `key` (first option when the default is not offered)."""
    if not options:
        return None
    fallback = default if default in options else options[0]
    url_param(key, choice(options), default=fallback)
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback
    return container.selectbox(label, options, key=key, format_func=format_func)


def indicator_name(row, lang_code: str | None = None) -> str:
    """Indicator name in the view's language from a registry row."""
    return row["name_en"] if (lang_code or lang()) == "en" else row["name_it"]


def no_data(row) -> None:
    """Say that an indicator has no data yet and what would fill it."""
    fill = row["fill_en"] if lang() == "en" else row["fill_it"]
    st.info(L("Nessun dato caricato. Lo riempirebbe: ", "No data loaded. It would be filled by: ") + fill,
            icon=":material/hourglass_empty:")


SEX_LABELS = {"it": {"T": "Totale", "F": "Donne", "M": "Uomini"}, "en": {"T": "Total", "F": "Women", "M": "Men"}}


def sex_label(sex: str) -> str:
    """Label of F, M, T in the view's language."""
    return SEX_LABELS[lang()].get(sex, sex)
