"""Streamlit pieces shared by pages: language, provenance captions, notices, downloads."""
from __future__ import annotations

import threading

import pandas as pd
import streamlit as st

from monitor import data, downloads, fmt, plain
from monitor.i18n import picker


_outside_run = threading.local()  # language of a download written after its run, outside the script thread


def lang() -> str:
    """Language of the current view (the frame's bound 'lang' widget), 'it' by default."""
    return getattr(_outside_run, "lang", None) or st.session_state.get("lang", "it") or "it"


def L(italian: str, english: str) -> str:  # noqa: N802 - reads like a translation marker
    """Italian or English text for the current view."""
    return picker(lang())(italian, english)


def loaded_on(timestamp) -> str:
    """A load time (or a release date) as a date in the view's language."""
    if fmt.is_missing(timestamp):
        return fmt.MISSING[lang()]
    ts = pd.Timestamp(timestamp)
    return ts.strftime("%d/%m/%Y") if lang() == "it" else ts.strftime("%d %b %Y")


def provenance(producer: str | None, period, loaded_at, load_kind: str | None = None, loaded_by: str | None = None,
               released_on=None) -> str:
    """'Fonte: Istat, 2022 · pubblicato il 14/09/2026 · caricato il 01/11/2026' in the view's language, as plain
    text (the uploader's name is in it: escape it for where it is shown). «caricato il» is when the figure entered
    this warehouse (download, upload or, for bundled data, the build); «pubblicato il» the producer's release date,
    only when the source states it (load.released_on)."""
    if not producer:
        return ""
    year = "" if fmt.is_missing(period) else f", {int(period)}"
    who = f" ({loaded_by})" if load_kind == "upload" and loaded_by else ""
    released = "" if fmt.is_missing(released_on) else L(" · pubblicato il ", " · released ") + loaded_on(released_on)
    return L(f"Fonte: {producer}{year}{released} · caricato il {loaded_on(loaded_at)}{who}",
             f"Source: {producer}{year}{released} · loaded on {loaded_on(loaded_at)}{who}")


def small(text: str) -> str:
    """Markdown for a caption-like line (small, grey) inside a larger Markdown element; the text shows as written."""
    return ":small[:gray[" + plain.markdown(text) + "]]" if text else ""


def provisional_zones_notice(status: str) -> None:
    """Say that the zone composition is provisional, wherever zones are used."""
    if status != "official":
        st.info(L("Composizione delle zone omogenee **provvisoria**: in attesa dell'elenco ufficiale CMT.",
                  "Zone composition is **provisional**, pending the official CMT list."), icon="ℹ️")


def download(rows, file_name: str, key: str) -> None:
    """A CSV download of exactly the rows shown (formula-like cells neutralised), written only when clicked.

    rows is the DataFrame, or a function returning it (so a rerun does not even build the table it would write).
    """
    view_lang = lang()

    def write() -> bytes:
        # Runs when clicked, in a server thread with no session: texts take the language of the run that drew it.
        _outside_run.lang = view_lang
        try:
            return downloads.csv_bytes(rows() if callable(rows) else rows)
        finally:
            _outside_run.lang = None

    st.download_button(L("Scarica i dati (CSV)", "Download data (CSV)"), write, file_name=file_name, mime="text/csv",
                       key=key)


_cached_by_code: dict = {}


def _cached_once(function):
    """st.cache_data around a function defined in a page, created once per compiled function.

    A page script runs again on every rerun, and st.cache_data hashes a function's source each time it wraps
    it (about 0.3 ms). Streamlit compiles each page once, so the code object identifies the function across
    reruns. The wrapper keeps the globals of the first run: such functions take everything that varies
    (warehouse version, language, filters) as arguments, which their cache key needs anyway.
    """
    cached = _cached_by_code.get(function.__code__)
    if cached is None:
        cached = _cached_by_code[function.__code__] = st.cache_data(show_spinner=False, max_entries=1024)(function)
    return cached


def section(draw):
    """Decorator for a page section that only draws elements (no widgets): Streamlit stores its messages per
    distinct arguments and replays them on later reruns instead of running it.

    Its arguments must hold everything it shows: the warehouse version (data.version()), the language and the
    filters. A replay costs well under 1 ms; building the same tables and charts again costs 5–30 ms.
    """
    return _cached_once(draw)


def memo(compute):
    """Decorator for a page's derived data (options, labels, filtered rows), cached per distinct arguments;
    the same rules as section()."""
    return _cached_once(compute)


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


def indicator_name(row, lang_code: str | None = None) -> str:
    """Indicator name in the view's language from a registry row."""
    return row["name_en"] if (lang_code or lang()) == "en" else row["name_it"]


def no_data_text(row) -> str:
    """'No data loaded. It would be filled by: …' for an indicator, in the view's language."""
    fill = row["fill_en"] if lang() == "en" else row["fill_it"]
    return L("Nessun dato caricato. Lo riempirebbe: ", "No data loaded. It would be filled by: ") + fill


def no_data(row) -> None:
    """Say that an indicator has no data yet and what would fill it."""
    st.info(plain.markdown(no_data_text(row)), icon=":material/hourglass_empty:")


@st.cache_data(show_spinner=False, max_entries=256)
def no_data_for(version: str, lang_code: str, indicator: str) -> None:
    """no_data() for an indicator of the registry, replayed from cache (a page stops on it)."""
    no_data(data.indicator(indicator))


@st.cache_data(show_spinner=False, max_entries=16)
def zone_list_notice(version: str, lang_code: str) -> None:
    """provisional_zones_notice() for the served warehouse's zone list, replayed from cache."""
    provisional_zones_notice(data.get("build_info").get("zone_list_status", "provisional"))


SEX_LABELS = {"it": {"T": "Totale", "F": "Donne", "M": "Uomini"}, "en": {"T": "Total", "F": "Women", "M": "Men"}}


def sex_label(sex: str) -> str:
    """Label of F, M, T in the view's language."""
    return SEX_LABELS[lang()].get(sex, sex)


def detail_page(row) -> tuple[str, dict]:
    """URL path (as app.py names it) and query parameters of the page detailing an indicator: gaps → gender
    page, others → services map."""
    if row.get("aggregation") == "gap" or str(row["code"]).startswith("gap_"):
        return "divari-genere", {"indicatore": str(row["code"])}
    return "servizi", {"indicatore": str(row["code"])}


def target_status(row) -> str:
    """'Obiettivo 2030: 60% · in linea / non in linea' (words and a symbol, never colour alone)."""
    target, value, polarity = row["target_value"], row["value"], row["polarity"]
    unit, decimals = row["unit"], int(row["decimals"])
    if polarity == "higher_better":
        on_track = value >= target
    elif polarity == "higher_worse":
        on_track = value <= target
    else:
        on_track = abs(value) <= abs(target)
    period = "" if fmt.is_missing(row["target_period"]) else f" {int(row['target_period'])}"
    status = L("✓ raggiunto o in linea", "✓ met or on track") if on_track else L("✗ non ancora raggiunto", "✗ not yet met")
    return L("Obiettivo", "Target") + f"{period}: {fmt.value(target, unit, decimals, lang())} · {status}"


def comparison_symbol(value, reference, polarity: str) -> str:
    """▲ better / ▼ worse / = equal than the reference, by the indicator's polarity; ○ when it has none."""
    if fmt.is_missing(value) or fmt.is_missing(reference):
        return ""
    if polarity == "neutral":
        return "○"
    if polarity == "zero_best":
        value, reference = -abs(value), -abs(reference)
    elif polarity == "higher_worse":
        value, reference = -value, -reference
    if abs(value - reference) < 1e-9:
        return "="
    better = value > reference
    return L("▲ migliore", "▲ better") if better else L("▼ peggiore", "▼ worse")


def profile_table(profile: pd.DataFrame, level: str) -> pd.DataFrame:
    """The profile as text columns: indicator, sex, year, value, zone (for a comune), CM, comparison with the CM,
    the CM's region and Italia (benchmarks, n.d. where the national data give none), source."""
    rows = []
    names = profile[["region_name_it", "region_name_en"]].dropna()
    region = L(*names.iloc[0]) if len(names) else L("Regione", "Region")
    for r in profile.to_dict("records"):
        own = fmt.flag(r["value"], lang()) if r["comune_kind"] == "flag" and level == "comune" else \
            fmt.value(r["value"], r["unit"], int(r["decimals"]), lang())
        rows.append({
            "_code": r["code"],
            L("Strategia", "Strategy"): r["strategy_code"],
            L("Indicatore", "Indicator"): indicator_name(r),
            L("Sesso", "Sex"): sex_label(r["sex"]),
            L("Anno", "Year"): str(int(r["period"])),
            L("Valore", "Value"): own,
            L("Zona", "Zone"): fmt.value(r["zone_value"], r["unit"], int(r["decimals"]), lang()),
            L("Città metropolitana", "Metropolitan City"): fmt.value(r["cm_value"], r["unit"], int(r["decimals"]), lang()),
            L("Rispetto alla CM", "Against the CM"): comparison_symbol(r["value"], r["cm_value"], r["polarity"]),
            region: fmt.value(r["region_value"], r["unit"], int(r["decimals"]), lang()),
            L("Italia", "Italy"): fmt.value(r["italy_value"], r["unit"], int(r["decimals"]), lang()),
            L("Fonte", "Source"): f"{r['producer']}, {int(r['period'])}",
        })
    table = pd.DataFrame(rows)
    # A zone's own value is its zone's: the zone column would repeat it.
    return table.drop(columns=[L("Zona", "Zone")]) if level == "zona" and len(table) else table


def reference_values(code: str, year: int, sex: str, with_cm: bool = True) -> list[tuple[float, str, str]]:
    """(value, name, level) of the CM, its region (Piemonte) and Italia for one indicator, year and sex, where they
    exist."""
    rows = data.get("benchmarks", code)
    rows = rows[(rows["period"] == year) & (rows["sex"] == sex) & rows["level"].isin(["regione", "italia"])]
    found = [(r["value"], r["name_en"] if lang() == "en" else r["name_it"], r["level"])
             for r in rows.sort_values("level", ascending=False).to_dict("records")]
    if with_cm:
        cm = data.get("observations", code, "cm")
        cm = cm[(cm["period"] == year) & (cm["sex"] == sex)]
        found = [(cm["value"].iloc[0], L("Città metropolitana", "Metropolitan City"), "cm")] * (len(cm) > 0) + found
    return found


def references_line(references: list[tuple], unit: str, decimals: int) -> str:
    """'Città metropolitana 23.000 € · Piemonte 22.000 € · Italia 20.700 €' (plain text), or '' when none."""
    return " · ".join(f"{name} {fmt.value(value, unit, decimals, lang())}" for value, name, *_ in references)


COMPARISON_COLOURS = {"▲": "background-color: #cfe5f5", "▼": "background-color: #fbd9b9"}  # blue / orange


def comparison_style(column: pd.Series) -> list[str]:
    """Background colour of the comparison cells (blue better, orange worse); the symbol and word carry the meaning."""
    return [COMPARISON_COLOURS.get(str(v)[:1], "") for v in column]


def stop_if_empty(frame: pd.DataFrame) -> None:
    """Stop the page with a clear message when the warehouse holds none of the rows it needs."""
    if frame is None or len(frame) == 0:
        st.warning(L("Il warehouse non contiene ancora questi dati: eseguire `python -m etl build`.",
                     "The warehouse holds none of these data yet: run `python -m etl build`."))
        st.stop()
