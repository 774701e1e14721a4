"""A Streamlit browser session over /_stcore/stream: page loads and filter changes sent as the frontend sends them."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# Run ends that complete a rerun; FINISHED_EARLY_FOR_RERUN is followed by the run that replaced it.
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
        ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
# Widgets a viewer uses as filters: element type -> how a chosen option is sent back.
FILTER_WIDGETS = {"selectbox": "string_value", "radio": "string_value",
                  "button_group": "string_array_value", "multiselect": "string_array_value",
                  "checkbox": "bool_value"}


@dataclass
class Run:
    """One script run as the client saw it: seconds from request to script_finished, bytes received."""

    seconds: float
    bytes: int
    messages: int
    exceptions: int
    first_error: str = ""   # type and message of the first exception element, to say what went wrong


@dataclass
class Filter:
    """A filter widget of the last run: its id, element type and options (labels)."""

    widget_id: str
    kind: str
    options: list[str] = field(default_factory=list)


def _filter_of(element) -> Filter | None:
    """The Filter of a new_element delta, or None when it is not a usable filter widget."""
    kind = element.WhichOneof("type")
    if kind not in FILTER_WIDGETS:
        return None
    widget = getattr(element, kind)
    if widget.disabled or widget.form_id:
        return None
    if kind == "button_group":
        options = [o.content for o in widget.options]
    elif kind == "checkbox":
        options = ["false", "true"]
    else:
        options = list(widget.options)
    return Filter(widget.id, kind, options) if len(options) > 1 else None


class BrowserSession:
    """One viewer: opens a page by url path, then changes its filters one at a time, like the frontend."""

    def __init__(self, ws_url: str, url_path: str, query_string: str = ""):
        """A session of the app at ws_url that will open url_path; nothing is sent until load()."""
        self.ws_url, self.url_path, self.query_string = ws_url, url_path, query_string
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}          # url path -> page script hash, from the app's navigation
        self.filters: dict[str, Filter] = {}     # widget id -> filter, from the last run
        self.widget_states: dict[str, WidgetState] = {}
        self.cached_hashes: dict[str, int] = {}  # message hash -> last run it was used (the frontend's cache)
        self.max_cache_age = 2                    # runs; the server sends its own value in new_session
        self.turns: dict[str, int] = {}          # widget id -> how many times this viewer changed it
        self.changes = self.runs = 0
        self._ws = None

    async def __aenter__(self) -> "BrowserSession":
        """Open the websocket (subprotocol 'streamlit', as the frontend)."""
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=60, ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        """Close the websocket."""
        await self._ws.close()

    async def load(self) -> Run:
        """First run of the page, as when the browser opens its URL."""
        return await self._run(page_name=self.url_path)

    async def goto(self, url_path: str) -> Run:
        """Switch to another page of the app, as a click in the navigation does."""
        self.url_path, self.query_string, self.page_script_hash = url_path, "", self.pages[url_path]
        return await self._run()

    async def change_filter(self) -> Run:
        """Set the next filter of the page (in turn) to its next option and rerun."""
        usable = sorted(self.filters)
        if usable:
            target = self.filters[usable[self.changes % len(usable)]]
            self.changes += 1
            turn = self.turns[target.widget_id] = self.turns.get(target.widget_id, 0) + 1
            self.widget_states[target.widget_id] = _state(target, turn)
        return await self._run()

    async def _run(self, page_name: str = "") -> Run:
        """Send rerun_script with what the frontend would send, and wait for the run to finish."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(w for i, w in self.widget_states.items() if i in self.filters)
        self.runs += 1
        self.cached_hashes = {h: r for h, r in self.cached_hashes.items() if self.runs - r <= self.max_cache_age}
        state.cached_message_hashes.extend(sorted(self.cached_hashes))
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        return await self._receive_run(started)

    async def _receive_run(self, started: float) -> Run:
        """Read ForwardMsgs until script_finished, keeping what the next request needs."""
        size = count = exceptions = 0
        first_error = ""
        filters: dict[str, Filter] = {}
        while True:
            raw = await self._ws.recv()
            size, count = size + len(raw), count + 1
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if fwd.metadata.cacheable and fwd.hash:
                self.cached_hashes[fwd.hash] = self.runs
            if kind == "ref_hash":
                self.cached_hashes[fwd.ref_hash] = self.runs
            elif kind == "new_session":
                self.max_cache_age = fwd.new_session.config.max_cached_message_age or self.max_cache_age
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_script_hash = fwd.navigation.page_script_hash or self.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "exception":
                    exceptions += 1
                    first_error = first_error or f"{element.exception.type}: {element.exception.message[:200]}"
                found = _filter_of(element)
                if found:
                    filters[found.widget_id] = found
            elif kind == "script_finished" and fwd.script_finished in DONE:
                self.filters = filters
                return Run(time.perf_counter() - started, size, count, exceptions, first_error)


def _state(target: Filter, turn: int) -> WidgetState:
    """The widget state the frontend sends when the viewer picks option number `turn` (cycling)."""
    state = WidgetState(id=target.widget_id)
    label = target.options[turn % len(target.options)]
    how = FILTER_WIDGETS[target.kind]
    if how == "string_value":
        state.string_value = label
    elif how == "string_array_value":
        state.string_array_value.data.append(label)
    else:
        state.bool_value = label == "true"
    return state
