"""Page sections replayed from Streamlit's cache, keyed so that a new warehouse or another language is never missed.

A page script runs again on every rerun. A section that only draws elements (no widgets) is run once per
distinct arguments and its messages replayed after; derived data (options, labels, filtered rows) likewise.
Their first parameter must be `version` (the served warehouse's, data.version()); a function that writes any
text in the view's language must take `lang` too. Both are checked on every call: a stale version or another
language raises, and lang() called inside a function without `lang` raises (its cached result would be
replayed in the wrong language).

Results are stored once and handed out as they are (st.cache_resource, as monitor.data does for query results):
a hit unpickles nothing, and no caller modifies a result in place.
"""
from __future__ import annotations

import functools
import inspect

import streamlit as st

from monitor import data, i18n


class CacheKeyError(RuntimeError):
    """A cached function was called without the values its cache key needs."""


_checked_by_code: dict = {}


def _keyed(function):
    """The cached function, called only with the current warehouse version and (if it takes one) language.

    A page's functions are defined again on every rerun, and both Streamlit's cache wrapper (it hashes the source,
    about 0.3 ms) and the signature read here would be made again with them. Streamlit compiles each page once,
    so the code object identifies the function across reruns: the checked cache is made once per code object,
    and each run hands it that run's function, which is what a miss runs (another session's function could be
    one whose run has not yet defined the names it uses).
    """
    checked = _checked_by_code.get(function.__code__)
    if checked is None:
        checked = _checked_by_code[function.__code__] = _checked_call(function)

    def call(*args, **kwargs):
        return checked(function, *args, **kwargs)

    call.__doc__ = function.__doc__
    return call


def _checked_call(function):
    """A Streamlit cache keyed by the function (its module, name and source) and its arguments; called with the
    key checked and the calling run's own function.

    It is called with keyword arguments: for a positional one Streamlit looks up the function's signature on
    every call, to see whether the parameter's name excludes it from the key.
    """
    parameters = list(inspect.signature(function).parameters)
    if parameters[:1] != ["version"]:
        raise CacheKeyError(f"{function.__qualname__}: the first parameter must be `version` (data.version())")
    takes_lang = "lang" in parameters

    def run(_this_runs_function, **kwargs):  # a leading underscore: not part of the cache key
        return _this_runs_function(**kwargs)

    functools.update_wrapper(run, function)  # Streamlit keys the cache by the wrapped function's name and source
    cached = st.cache_resource(show_spinner=False, max_entries=1024)(run)

    def checked(this_runs_function, *args, **kwargs):
        kwargs.update(zip(parameters, args))
        kwargs = {**{name: kwargs.pop(name) for name in parameters if name in kwargs}, **kwargs}  # one key order
        version = kwargs.get("version")
        if version != data.version():
            raise CacheKeyError(f"{function.__qualname__} called with a version that is not the served one")
        if takes_lang:
            given = kwargs.get("lang")
            if given != i18n.lang():
                raise CacheKeyError(f"{function.__qualname__} called with lang={given!r}, the view's is {i18n.lang()!r}")
            return cached(_this_runs_function=this_runs_function, **kwargs)
        with i18n.unkeyed(function.__qualname__):
            return cached(_this_runs_function=this_runs_function, **kwargs)

    return checked


def section(draw):
    """Decorator for a page section that only draws elements: run once per distinct arguments, replayed after
    (a replay costs well under 1 ms; building the same tables and charts again 5–30 ms)."""
    return _keyed(draw)


def memo(compute):
    """Decorator for a page's derived data, cached per distinct arguments, with the same rules as section()."""
    return _keyed(compute)

