// Injected before the app's own scripts (bench/cold_view.py): records, in the page's clock (ms since navigation
// start), when the websocket opened and first answered, when the script run ended, when the viewport was drawn, when
// every element was mounted, and when the maps and charts were drawn.
(() => {
  performance.setResourceTimingBufferSize(2000);
  const probe = window.__coldView = {
    wsOpen: null, wsFirst: null, wsLast: null, wsMessages: 0, wsBytes: 0, wsSent: 0,
    statusSeen: null, footer: null, scriptEnd: null, viewDrawn: null, rendered: null, mapDrawn: null, chartsDrawn: null,
    done: null,
    maps: 0, charts: 0,
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    send(data) {
      probe.wsSent += 1;   // back messages: a rerun request, widget states
      return super.send(data);
    }

    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => { probe.wsOpen ??= performance.now(); });
      this.addEventListener("message", (event) => {
        const now = performance.now();
        probe.wsFirst ??= now;
        probe.wsLast = now;
        probe.wsMessages += 1;
        probe.wsBytes += event.data.byteLength ?? event.data.size ?? event.data.length ?? 0;
      });
    }
  };

  // The frame's footer is the last element of every run (app.py), in either language.
  const FOOTER = /Monitor del Piano Strategico|Monitor of the Metropolitan Strategic Plan/;
  const sample = document.createElement("canvas");
  sample.width = 64; sample.height = 40;

  function footerShown() {
    return [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].some((c) => FOOTER.test(c.textContent));
  }

  function drawn(canvas) {
    // deck.gl keeps its drawing buffer (preserveDrawingBuffer), so its pixels can be read at any time.
    if (!canvas.width || !canvas.height) return false;
    const context = sample.getContext("2d", { willReadFrequently: true });
    context.clearRect(0, 0, sample.width, sample.height);
    context.drawImage(canvas, 0, 0, sample.width, sample.height);
    const pixels = context.getImageData(0, 0, sample.width, sample.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) painted += pixels[i] > 0;
    return painted > 0.02 * sample.width * sample.height;
  }

  function inView(element) {
    const box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth;
  }

  function mapsDrawn(where = () => true) {
    const maps = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
    probe.maps = maps.length;
    return maps.filter(where).every((m) => { const c = m.querySelector("canvas#deckgl-overlay"); return c && drawn(c); });
  }

  function chartsDrawn(where = () => true) {
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    probe.charts = charts.length;
    return charts.filter(where).every((c) => c.querySelector(".main-svg"));
  }

  function viewDrawn() {
    // What the visitor sees without scrolling: no element of the viewport still waiting for its code, its maps and
    // charts drawn.
    const waiting = [...document.querySelectorAll('[data-testid="stSkeleton"]')].some(inView);
    return !waiting && mapsDrawn(inView) && chartsDrawn(inView);
  }

  function check() {
    const now = performance.now();
    const running = !!document.querySelector('[data-testid="stStatusWidget"]');
    if (running) probe.statusSeen ??= now;
    if (probe.footer === null && footerShown()) probe.footer = now;
    if (probe.scriptEnd === null && probe.footer !== null && !running) probe.scriptEnd = now;
    if (probe.scriptEnd !== null && probe.viewDrawn === null && viewDrawn()) probe.viewDrawn = now;
    // Rendered: every element of the run is mounted (a lazily loaded component shows a skeleton until its code is in).
    if (probe.scriptEnd !== null && probe.rendered === null && !document.querySelector('[data-testid="stSkeleton"]')) {
      probe.rendered = now;
    }
    if (probe.rendered !== null) {
      if (probe.mapDrawn === null && mapsDrawn()) probe.mapDrawn = now;
      if (probe.chartsDrawn === null && chartsDrawn()) probe.chartsDrawn = now;
      if (probe.viewDrawn !== null && probe.mapDrawn !== null && probe.chartsDrawn !== null) probe.done = now;
    }
    if (probe.done === null) requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
