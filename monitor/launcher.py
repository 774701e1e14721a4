"""The one way to start the monitor: `python -m monitor.launcher [streamlit flags]` runs `streamlit run app.py`.

It fixes, before Streamlit starts, what Streamlit's own CLI leaves to the first visitor or to the defaults:
- Navigation: the frame (`app.py` + `st.navigation`) is the only navigation from the very first request. Streamlit
  1.67 would otherwise treat the folder `pages/` as old-style pages until some session has run `st.navigation`
  (the first visitor of a fresh server gets «Page not found», a list of raw files and a dropped first click, and a
  file of `pages/` could run without the frame).
- Uploads: the server accepts a file only as large as the upload page says (`[uploads] max_bytes`, rounded up to
  whole MB as Streamlit counts them), only from a session the upload page has let in (a signed-in editor), and in
  public mode not at all.
- Exports: the tables' toolbar download is off (the pages' own CSV buttons neutralise formula-like cells).
- App static files are served from `[paths] static_dir` (`PSM_STATIC_DIR`), and a name the file system refuses
  (too long) answers 404 instead of 500.
- Settings: Streamlit's parsed settings are read without its config lock, which every message took (see
  `read_config_without_lock`).
- Messages: a script run's messages reach the event loop in batches, waking it once a batch rather than twice a
  message (see `batch_event_loop_wakeups`).
- Memory: the libraries the pages use are imported before the first visitor and their objects frozen out of the
  garbage collector's full passes (see `freeze_startup_objects`).
- Queries: the warehouse stays open between page queries (opening it cost 15-40 ms a query) and is reopened as soon
  as a build or a publish swaps the file (`core.warehouse.keep_open`).
"""
from __future__ import annotations

import gc
import importlib
import sys
from pathlib import Path

from core import warehouse
from core.settings import PROJECT_ROOT, Settings, load_settings
from monitor import upload_gate

APP_SCRIPT = PROJECT_ROOT / "app.py"


def streamlit_arguments(settings: Settings, extra: list[str]) -> list[str]:
    """The arguments of `streamlit run app.py …`: the caller's flags, then the ones this project enforces."""
    return ["streamlit", "run", str(APP_SCRIPT), *extra,
            "--server.maxUploadSize", str(1 if settings.is_public else settings.upload_max_megabytes),
            # the tables' toolbar "Download as CSV" writes formula cells as they are; the pages offer their own CSVs
            "--client.disableDataExport", "true"]


def use_only_the_frame_navigation() -> None:
    """Make Streamlit ignore the folder `pages/` as old-style pages from the first session on."""
    from streamlit.runtime.pages_manager import PagesManager

    # NOTE: a class attribute Streamlit sets from the first session (True when `pages/` exists) and clears only
    # when a run reaches `st.navigation`; False from the start is what every later session gets anyway.
    # tests/browser/test_first_visit_browser.py opens a deep link as the very first request of a fresh server.
    PagesManager.uses_pages_directory = False


def guard_upload_routes(settings: Settings) -> None:
    """Wrap Streamlit's upload routes: refused in public mode, and for sessions the upload page has not let in."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_app

    make_routes = starlette_app.create_upload_routes

    def guarded(endpoint):
        async def endpoint_if_allowed(request):
            if request.method == "OPTIONS":
                return await endpoint(request)
            if settings.is_public:
                return PlainTextResponse("Uploads are not accepted here.", status_code=403)
            if not upload_gate.is_allowed(request.path_params.get("session_id", "")):
                return PlainTextResponse("This session may not upload.", status_code=403)
            return await endpoint(request)
        return endpoint_if_allowed

    def create_guarded_upload_routes(*args, **kwargs):
        return [Route(route.path, guarded(route.endpoint), methods=sorted(route.methods - {"HEAD"}))
                for route in make_routes(*args, **kwargs)]

    starlette_app.create_upload_routes = create_guarded_upload_routes


def serve_static_files_from(static_dir: Path) -> None:
    """Serve `/app/static/` from the configured folder; a path the file system refuses answers 404."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from streamlit import file_util
    from streamlit.web.server.starlette import starlette_app

    file_util.get_app_static_dir = lambda main_script_path: str(static_dir)
    make_routes = starlette_app.create_app_static_serving_routes

    def not_found_on_os_error(endpoint):
        async def endpoint_or_404(request):
            try:
                return await endpoint(request)
            except OSError:   # e.g. ENAMETOOLONG from a very long name
                return PlainTextResponse("File not found", status_code=404)
        return endpoint_or_404

    def create_static_routes(*args, **kwargs):
        return [Route(route.path, not_found_on_os_error(route.endpoint), methods=sorted(route.methods - {"HEAD"}))
                for route in make_routes(*args, **kwargs)]

    starlette_app.create_app_static_serving_routes = create_static_routes


def read_config_without_lock() -> None:
    """Read Streamlit's parsed settings without taking its config lock.

    Streamlit reads a setting for every message it sends (`global.minCachedMessageSize`) and every widget
    (`global.appTest`), each time under one process-wide lock; with 50 sessions rerunning at once, waiting for
    that lock was 28% of the server's samples (bench/RESULTS.md, «Round two»). The settings are parsed once at
    start and never re-parsed here (no file watcher), so reading the parsed dict needs no lock; before parsing,
    and for an unknown key, Streamlit's own function answers.
    """
    from streamlit import config

    locked = config.get_option

    def get_option(key: str):
        options = config._config_options
        if options is None or key not in options:
            return locked(key)
        return options[key].value

    config.get_option = get_option


def batch_event_loop_wakeups() -> None:
    """Hand what the script threads send to the event loop in batches, and wake the loop once for each batch.

    Streamlit passes every message a script run makes to the event loop with its own `call_soon_threadsafe`,
    whose callback wakes the loop again with another (`Runtime._enqueued_some_message`): two writes to the loop's
    wake-up socket per message, each a system call that lets the interpreter lock go to one of the other sessions'
    threads. Here a session's events wait in a queue that one scheduled callback empties in order, and a wake-up
    is scheduled only when none is pending; the messages, their order and their sending are Streamlit's own.
    """
    import asyncio
    import collections

    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.runtime import Runtime

    def call_soon_on_event_loop(session, callback) -> None:
        pending = session.__dict__.get("_pending_loop_callbacks")
        if pending is None:  # a session's first event (setdefault: one queue even if two threads get here at once)
            pending = session.__dict__.setdefault("_pending_loop_callbacks", collections.deque())
        pending.append(callback)
        if session.__dict__.get("_drain_scheduled"):
            return  # the scheduled drain has not started yet: it will run this callback after the earlier ones
        session._drain_scheduled = True

        def drain() -> None:
            session._drain_scheduled = False
            while pending:
                queued = pending.popleft()
                try:
                    queued()
                except Exception as error:  # as the loop does for a failing callback: report it, go on
                    session._event_loop.call_exception_handler(
                        {"message": "Exception in a script runner event", "exception": error})

        try:
            session._event_loop.call_soon_threadsafe(drain)
        except RuntimeError:  # the loop is closed (shutdown): drop the events, as Streamlit does
            session._drain_scheduled = False
            if not session._event_loop.is_closed():
                raise

    def enqueued_some_message(runtime) -> None:
        async_objs = runtime._get_async_objs()
        try:
            on_loop = asyncio.get_running_loop() is async_objs.eventloop
        except RuntimeError:
            on_loop = False
        if on_loop:
            async_objs.need_send_data.set()
            return
        if runtime.__dict__.get("_wake_pending"):
            return  # the pending wake-up sets the event after this message was queued
        runtime._wake_pending = True

        def wake() -> None:
            runtime._wake_pending = False
            async_objs.need_send_data.set()

        async_objs.eventloop.call_soon_threadsafe(wake)

    AppSession._call_soon_on_event_loop = call_soon_on_event_loop
    Runtime._enqueued_some_message = enqueued_some_message


# What the pages import (and the heavy libraries behind them): loaded once, before the first visitor.
# Not the project's own modules: they define Streamlit caches, which belong to the server's runtime.
PAGE_LIBRARIES = ("pandas", "pyarrow", "duckdb", "plotly.graph_objects", "plotly.io", "pydeck", "babel.numbers",
                  "fpdf", "streamlit.elements.plotly_chart", "streamlit.elements.deck_gl_json_chart")


def freeze_startup_objects() -> None:
    """Import the pages' libraries now and move every object so far out of the garbage collector's full passes.

    A full pass (generation 2) walks every object the process holds; with Plotly, pandas and Streamlit loaded that
    took about 200 ms (median of 18 passes in two rounds of the rerun benchmark), holding the interpreter lock, so
    every session waited: one pass falling in a page's visit added half the bare frame's p95 to it. Objects made
    while importing live as long as the process, so freezing them frees nothing less; passes then walk only what
    came after (65 ms median, 1.1 s in all against 3.6 s; bench/RESULTS.md, «Round two»).
    """
    for name in PAGE_LIBRARIES:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()


def main(argv: list[str] | None = None) -> None:
    """Prepare Streamlit for this app, then hand over to its CLI (`streamlit run app.py` with the given flags)."""
    settings = load_settings()
    use_only_the_frame_navigation()
    guard_upload_routes(settings)
    serve_static_files_from(settings.static_dir)
    warehouse.keep_open()
    read_config_without_lock()
    batch_event_loop_wakeups()
    freeze_startup_objects()
    from streamlit.web import cli

    sys.argv = streamlit_arguments(settings, list(sys.argv[1:] if argv is None else argv))
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
