"""Embedding on the CMT site: from a view shown in an iframe (?embed=true), a link to the same view as a full page."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from monitor.i18n import L

# Streamlit's own embedding parameters; the full page drops them.
EMBED_PARAMS = ("embed", "embed_options")


def full_page_url(page_url: str, params: dict[str, str]) -> str:
    """The address of the same view without embedding: the page's address plus the view's filters."""
    query = urlencode({k: v for k, v in params.items() if k.lower() not in EMBED_PARAMS})
    return page_url + ("?" + query if query else "")


def link_slot():
    """A placeholder at the top of an embedded view for its full-page link; None when the view is not embedded."""
    return st.empty() if st.context.is_embedded else None


def show_full_page_link(slot) -> None:
    """Fill the slot with «Apri la pagina completa», opening this view (page, language, filters) in a new tab."""
    if slot is None or not st.context.url:
        return
    # Called after url_state.write_url, so st.query_params holds every filter of this run (embed is never among them).
    url = full_page_url(st.context.url, st.query_params.to_dict())
    slot.link_button(L("Apri la pagina completa", "Open the full page"), url, icon=":material/open_in_new:")
