"""The launcher's server: uploads only from sessions the upload page let in (none in public mode), static files
from the configured folder, 404 for a name the file system refuses."""
from __future__ import annotations

import os

import pytest
import requests

from monitor import upload_gate
from tests.browser.conftest import free_port, start_streamlit


@pytest.fixture(scope="module", params=["internal", "public"])
def running(request, built_dir, tmp_path_factory):
    """(base URL, static folder, mode) of a launcher-started server reading the fixture warehouse."""
    folder = tmp_path_factory.mktemp("launcher")
    (folder / "static" / "geo").mkdir(parents=True)
    (folder / "static" / "geo" / "probe.json").write_text('{"ok": true}', encoding="utf-8")
    env = {**os.environ, "PSM_WAREHOUSE": str(built_dir / "warehouse.duckdb"),
           "PSM_PUBLIC_WAREHOUSE": str(built_dir / "warehouse.duckdb"), "PSM_DATA_DIR": str(folder / "data"),
           "PSM_STATIC_DIR": str(folder / "static"), "PSM_MODE": request.param}
    port = free_port()
    proc = start_streamlit(env, port)
    yield f"http://127.0.0.1:{port}", request.param
    proc.terminate()
    proc.wait(timeout=30)


def upload(base: str) -> requests.Response:
    """A PUT of a small file to Streamlit's upload route, with a matching XSRF cookie and header."""
    session = requests.Session()
    session.get(base + "/", timeout=10)
    token = session.cookies.get("_streamlit_xsrf", "")
    return session.put(f"{base}/_stcore/upload_file/some-session/some-file", headers={"X-Xsrftoken": token},
                       files={"file": ("a.csv", b"a;b\n1;2\n", "text/csv")}, timeout=10)


def test_uploads_are_refused_for_a_session_the_upload_page_did_not_let_in(running):
    base, mode = running
    response = upload(base)
    assert response.status_code == 403
    assert response.text == ("Uploads are not accepted here." if mode == "public" else "This session may not upload.")


def test_static_files_come_from_the_configured_folder(running):
    base, _ = running
    assert requests.get(base + "/app/static/geo/probe.json", timeout=10).json() == {"ok": True}


def test_a_very_long_static_name_is_not_found_not_a_server_error(running):
    base, _ = running
    assert requests.get(base + "/app/static/" + "a" * 5000, timeout=10).status_code == 404


def test_the_gate_opens_only_for_the_session_that_asked(monkeypatch):
    monkeypatch.setattr(upload_gate, "current_session_id", lambda: "editor-session")
    upload_gate.allow_this_session()
    assert upload_gate.is_allowed("editor-session") and not upload_gate.is_allowed("other-session")
    upload_gate.close_for_this_session()
    assert not upload_gate.is_allowed("editor-session")


def test_settings_read_without_the_lock_are_the_settings_streamlit_reads(monkeypatch):
    from streamlit import config

    from monitor import launcher

    locked = config.get_option
    monkeypatch.setattr(config, "get_option", locked)   # restored after the test
    launcher.read_config_without_lock()
    assert config.get_option is not locked
    keys = list(config.get_config_options())
    assert keys and all(config.get_option(key) == locked(key) for key in keys)
    with pytest.raises(RuntimeError):
        config.get_option("no.suchOption")


def test_the_pages_libraries_are_loaded_and_frozen_before_the_first_visitor():
    import subprocess
    import sys

    from core.settings import PROJECT_ROOT

    code = ("import gc, sys; from monitor import launcher; launcher.freeze_startup_objects(); "
            "print(gc.get_freeze_count(), all(name in sys.modules for name in launcher.PAGE_LIBRARIES))")
    frozen, loaded = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                                    check=True).stdout.split()
    assert int(frozen) > 100_000 and loaded == "True"


@pytest.fixture
def batched(monkeypatch):
    """Streamlit's session and runtime classes with the launcher's batched wake-ups (restored after the test)."""
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.runtime import Runtime

    from monitor import launcher

    monkeypatch.setattr(AppSession, "_call_soon_on_event_loop", AppSession._call_soon_on_event_loop)
    monkeypatch.setattr(Runtime, "_enqueued_some_message", Runtime._enqueued_some_message)
    launcher.batch_event_loop_wakeups()
    return AppSession, Runtime


class CountingLoop:
    """An event loop that counts the callbacks handed to it from other threads."""

    def __init__(self):
        import asyncio

        self.loop = asyncio.new_event_loop()
        self.handed = 0
        self.call_soon_threadsafe_of_loop = self.loop.call_soon_threadsafe
        self.loop.call_soon_threadsafe = self.count

    def count(self, callback, *args):
        self.handed += 1
        return self.call_soon_threadsafe_of_loop(callback, *args)

    def run(self, coroutine):
        """Run the loop until coroutine is done, in a thread of its own (the test's thread may have a loop running)."""
        import threading

        result = {}
        runner = threading.Thread(target=lambda: result.update(value=self.loop.run_until_complete(coroutine)))
        runner.start()
        runner.join()
        return result.get("value")


class SessionOnLoop:
    """Just what the batched `AppSession._call_soon_on_event_loop` uses of a session: its event loop."""

    def __init__(self, session_class, loop):
        self._event_loop, self.session_class = loop, session_class

    def _call_soon_on_event_loop(self, callback):
        self.session_class._call_soon_on_event_loop(self, callback)


def test_a_sessions_events_reach_the_loop_in_order_with_one_wake_up_per_batch(batched):
    import asyncio

    AppSession, _ = batched
    counting = CountingLoop()
    session = SessionOnLoop(AppSession, counting.loop)
    seen = []
    for number in range(100):
        session._call_soon_on_event_loop(lambda number=number: seen.append(number))
    assert counting.handed == 1 and seen == []
    counting.run(asyncio.sleep(0))
    assert seen == list(range(100))
    session._call_soon_on_event_loop(lambda: seen.append("next"))   # a batch after the drain wakes the loop again
    counting.run(asyncio.sleep(0))
    assert counting.handed == 2 and seen[-1] == "next"
    counting.loop.close()


def test_events_from_a_script_thread_all_arrive_in_order_while_the_loop_drains(batched):
    import asyncio
    import threading

    AppSession, _ = batched
    counting = CountingLoop()
    session = SessionOnLoop(AppSession, counting.loop)
    seen, total = [], 20_000

    async def until_all_arrived():
        while len(seen) < total:
            await asyncio.sleep(0.001)

    def script_thread():
        for number in range(total):
            session._call_soon_on_event_loop(lambda number=number: seen.append(number))

    sender = threading.Thread(target=script_thread)
    sender.start()
    counting.run(asyncio.wait_for(until_all_arrived(), 30))
    sender.join()
    assert seen == list(range(total)) and counting.handed < total
    counting.loop.close()


def test_a_failing_event_is_reported_and_the_ones_after_it_still_run(batched):
    import asyncio

    AppSession, _ = batched
    counting = CountingLoop()
    reported = []
    counting.loop.set_exception_handler(lambda loop, context: reported.append(context["exception"]))
    session = SessionOnLoop(AppSession, counting.loop)
    seen = []
    session._call_soon_on_event_loop(lambda: 1 / 0)
    session._call_soon_on_event_loop(lambda: seen.append("after"))
    counting.run(asyncio.sleep(0))
    assert seen == ["after"] and isinstance(reported[0], ZeroDivisionError)
    counting.loop.close()


def test_the_send_loop_is_woken_once_while_a_wake_up_is_pending(batched):
    import asyncio
    from types import SimpleNamespace

    _, Runtime = batched
    counting = CountingLoop()
    objects = SimpleNamespace(eventloop=counting.loop, need_send_data=asyncio.Event())
    runtime = SimpleNamespace(_get_async_objs=lambda: objects)
    runtime._enqueued_some_message = lambda: Runtime._enqueued_some_message(runtime)
    for _ in range(50):
        runtime._enqueued_some_message()            # from a script thread: one wake-up for all
    assert counting.handed == 1 and not objects.need_send_data.is_set()
    counting.run(asyncio.sleep(0))
    assert objects.need_send_data.is_set()

    async def on_the_loop():
        objects.need_send_data.clear()
        runtime._enqueued_some_message()            # on the loop itself: the event is set at once
        return objects.need_send_data.is_set()

    assert counting.run(on_the_loop()) and counting.handed == 1
    counting.loop.close()
