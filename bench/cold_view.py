"""Cold first view: a new browser session opens a page of the public instance; time until fully drawn, against the
bare frame's, in headless Chromium."""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, server

BUDGET_RATIO = 1.5
CHROMIUM = Path("/usr/bin/chromium")   # Debian's, as the browser tests use
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
PROBE = Path(__file__).with_name("cold_view_probe.js")
BARE = "bare frame"
# Deep links measured besides every page: the frame's zone filter on the profile and on the map.
DEEP_LINKS = {"profilo?zona=5": ("profilo", "zona=5"), "servizi?zona=5": ("servizi", "zona=5")}
QUICK_TARGETS = (BARE, "home", "servizi")
MAP_PAGES = {"servizi"}   # url paths whose first view has a map: a view without one is an error, not a fast view
# Milestones of a visit, ms since navigation start (probe names), in the order a visit reaches them.
MILESTONES = {"html": "HTML", "wsOpen": "websocket open", "wsFirst": "first message", "scriptEnd": "script end",
              "viewDrawn": "viewport drawn", "rendered": "elements mounted", "mapDrawn": "map drawn", "chartsDrawn": "charts drawn",
              "done": "fully drawn"}


@dataclass
class Visit:
    """One cold view: the probe's milestones (ms since navigation start) and the requests the page made."""

    milestones: dict[str, float]
    maps: int
    charts: int
    ws_bytes: int
    ws_sent: int
    requests: list[dict] = field(default_factory=list)

    def part(self, kind: str) -> list[dict]:
        """Requests of one kind: 'initial' (the app's code, fetched before the websocket opened), 'lazy' (code
        fetched for the run's elements), 'static' (the app's static files: map geometry), 'external' (other hosts)."""
        return [r for r in self.requests if r["kind"] == kind]


def _kind(request: dict, base: str, ws_open: float) -> str:
    """Which part of a view a request belongs to (see Visit.part)."""
    url = urlsplit(request["name"])
    if f"{url.scheme}://{url.netloc}" != base:
        return "external"
    if url.path.startswith("/app/static/"):
        return "static"
    if url.path.startswith("/static/"):
        return "initial" if request["start"] < ws_open else "lazy"
    return "other"   # health check, host config, favicon


RESOURCES_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {html: nav.responseEnd, requests: performance.getEntriesByType('resource').map(e => ({
    name: e.name, start: e.startTime, end: e.responseEnd, sent: e.transferSize, size: e.decodedBodySize}))};
}"""


def visit(browser, base: str, url_path: str, query: str, timeout_ms: int = 60_000) -> Visit:
    """Open base/url_path?query in a new browser context (empty cache) and wait until the page is fully drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.add_init_script(path=str(PROBE))
        page.goto(f"{base}/{url_path}" + (f"?{query}" if query else ""), wait_until="commit")
        page.wait_for_function("() => window.__coldView && window.__coldView.done !== null",
                               timeout=timeout_ms, polling=200)
        probe, timing = page.evaluate("() => window.__coldView"), page.evaluate(RESOURCES_JS)
    finally:
        context.close()
    if url_path in MAP_PAGES and not probe["maps"]:
        raise RuntimeError(f"no map on the first view of {url_path}")
    milestones = {k: probe[k] for k in MILESTONES if probe.get(k) is not None}
    milestones["html"] = timing["html"]
    for key, count in (("mapDrawn", "maps"), ("chartsDrawn", "charts")):
        if not probe[count]:
            milestones.pop(key, None)   # nothing of the kind on the page
    requests = [{**r, "kind": _kind(r, base, probe["wsOpen"])} for r in timing["requests"]]
    return Visit(milestones, probe["maps"], probe["charts"], probe["wsBytes"], probe["wsSent"], requests)


def targets_of(base: str) -> dict[str, tuple[str, str]]:
    """name -> (url path, query string): the bare frame, every page of the instance's navigation (the public
    pages on the public instance; a new page is covered without editing the benchmark), and DEEP_LINKS."""
    import asyncio

    from bench.session import BrowserSession

    async def navigation() -> list[str]:
        async with BrowserSession(base.replace("http", "ws", 1) + "/_stcore/stream", "") as session:
            await session.load()
            return list(session.pages)

    pages = asyncio.run(navigation())
    if server.BARE_PAGE not in pages:
        raise RuntimeError("bare page missing: app.py adds it when PSM_BENCH_BARE=1")
    found = {BARE: (server.BARE_PAGE, "")}
    found.update({path or "home": (path, "") for path in pages if path != server.BARE_PAGE})
    found.update({name: link for name, link in DEEP_LINKS.items() if link[0] in pages})
    return found


def measure(base: str, targets: dict[str, tuple[str, str]], rounds: int, warmup: bool,
            seed: int = 15) -> dict[str, list[Visit]]:
    """Visits per target: `rounds` rounds, each visiting every target once in a new order (a slow spell of the
    machine falls on all alike); with warmup, one round before them that is not counted (the server's first
    session and the first run of each page fill its caches, as for every visitor after the first)."""
    from playwright.sync_api import sync_playwright

    visits: dict[str, list[Visit]] = {t: [] for t in targets}
    names, order = list(targets), random.Random(seed)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for n in range(rounds + warmup):
                for name in order.sample(names, len(names)):
                    seen = visit(browser, base, *targets[name])
                    if n >= warmup:
                        visits[name].append(seen)
        finally:
            browser.close()
    return visits


def total(visit_: Visit, milestone: str = "done") -> float:
    """Seconds from navigation to the page fully drawn (or to another milestone)."""
    return visit_.milestones[milestone] / 1000


def figures(visits: dict[str, list[Visit]]) -> list[report.Figure]:
    """The bare frame's median cold view, then each page's as a ratio of it, with the spread over rounds and, for
    information, the same ratio for the viewport alone (what shows before scrolling)."""
    bare_times = [total(v) for v in visits[BARE]]
    bare, bare_view = report.median(bare_times), report.median([total(v, "viewDrawn") for v in visits[BARE]])
    result = [report.Figure(f"cold view {BARE}", f"{report.ms(bare)} [{len(bare_times)} visits, "
                                                 f"{report.ms(min(bare_times))}–{report.ms(max(bare_times))}]",
                            "reference")]
    for name, seen in visits.items():
        if name == BARE:
            continue
        times = [total(v) for v in seen]
        ratio, view = report.median(times) / bare, report.median([total(v, "viewDrawn") for v in seen])
        rounds = [t / b for t, b in zip(times, bare_times)]
        result.append(report.Figure(
            f"cold view {name}", f"{ratio:.2f}× bare [{report.ms(report.median(times))}; per round "
                                 f"{min(rounds):.2f}–{max(rounds):.2f}×; viewport alone {view / bare_view:.2f}×]",
            f"≤ {BUDGET_RATIO:g}×", report.verdict(ratio <= BUDGET_RATIO)))
    return result


def _median_of(seen: list[Visit], value) -> float | None:
    """Median of value(visit) over the visits where it is not None."""
    values = [x for x in (value(v) for v in seen) if x is not None]
    return report.median(values) if values else None


def _span(requests: list[dict]) -> tuple[float, float, int, int] | None:
    """(first start, last end, bytes sent, bytes decoded) of some requests, None when there are none."""
    if not requests:
        return None
    return (min(r["start"] for r in requests), max(r["end"] for r in requests),
            sum(r["sent"] for r in requests), sum(r["size"] for r in requests))


def explain(visits: dict[str, list[Visit]]) -> list[str]:
    """Where the time of each cold view goes: medians of its milestones and of its requests' spans."""
    lines = []
    for name, seen in visits.items():
        steps = [f"{label} {_median_of(seen, lambda v, k=k: v.milestones.get(k)):.0f}"
                 for k, label in MILESTONES.items() if _median_of(seen, lambda v, k=k: v.milestones.get(k)) is not None]
        lines.append(f"{name}: " + " · ".join(steps) + " (ms since navigation, medians)")
        for kind, label in (("initial", "app code"), ("lazy", "element code"), ("static", "map files")):
            spans = [s for s in (_span(v.part(kind)) for v in seen) if s]
            if spans:
                start, end, sent, size = (report.median([s[i] for s in spans]) for i in range(4))
                largest = max(seen[-1].part(kind) or [{"name": "", "size": 0}], key=lambda r: r["size"])
                lines.append(f"  {label}: {start:.0f}–{end:.0f} ms, {len(seen[-1].part(kind))} files, "
                             f"{size / 1024:.0f} KB ({sent / 1024:.0f} KB sent); largest "
                             f"{urlsplit(largest['name']).path.rsplit('/', 1)[-1]} {largest['size'] / 1024:.0f} KB")
        external = {urlsplit(r["name"]).netloc for r in seen[-1].part("external")}
        ws_kb = report.median([v.ws_bytes for v in seen]) / 1024
        sent = report.median([v.ws_sent for v in seen])
        lines.append(f"  websocket: {ws_kb:.0f} KB received, {sent} messages sent; maps {seen[-1].maps}, plotly charts {seen[-1].charts}"
                     + (f"; other hosts (unreachable here, not waited for): {', '.join(sorted(external))}"
                        if external else ""))
    return lines


def available() -> str:
    """Why the benchmark cannot run here ('' when it can)."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed"
    return ""


def run(quick: bool = False, rounds: int = 7, show_explain: bool = False, url: str = "") -> list[report.Figure]:
    """Publish a bundled-data warehouse in a temp dir, serve the public instance, visit every target cold
    (or visit the running instance at url, started with PSM_BENCH_BARE=1)."""
    missing = available()
    if missing:
        return [report.Figure("cold view", missing, status=report.NOT_AVAILABLE)]
    def visit_all(base: str) -> dict[str, list[Visit]]:
        targets = targets_of(base)
        if quick:
            targets = {name: targets[name] for name in QUICK_TARGETS}
        return measure(base, targets, 1 if quick else rounds, warmup=not quick)

    if url:
        visits = visit_all(url.rstrip("/"))
    else:
        with tempfile.TemporaryDirectory(prefix="psm-bench-") as tmp:
            folder = Path(tmp)
            server.publish_warehouse(folder)
            with server.streamlit_server(folder, public=True) as (ws_url, _):
                visits = visit_all(server.http_url(ws_url))
    if show_explain:
        print("\n".join(explain(visits)), flush=True)
    return figures(visits)


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/cold_view.py [--quick] [--rounds N] [--explain] [--url URL]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one visit of three targets, to prove the harness works")
    parser.add_argument("--rounds", type=int, default=7, help="counted visits of every target")
    parser.add_argument("--explain", action="store_true", help="print where the time of each view goes")
    parser.add_argument("--url", default="", help="visit this running instance (PSM_BENCH_BARE=1) instead of a new one")
    args = parser.parse_args(argv)
    return report.emit(run(args.quick, args.rounds, args.explain, args.url))


if __name__ == "__main__":
    sys.exit(main())
