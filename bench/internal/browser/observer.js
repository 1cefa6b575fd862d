// Injected by the bench into every document of the app's iframe, before the
// page's own scripts (CDP Page.addScriptToEvaluateOnNewDocument; CDP scripts
// are not subject to the page's CSP). It records each html[data-state] value
// with performance.now() (ms since this document's timeOrigin, i.e. its
// navigation start) and the timestamp of the last click. A MutationObserver
// records a change when the script that made it yields (the microtask
// checkpoint): whatever the app runs after setting the state, in the same
// task, counts. Its memory is bounded: it keeps the last 32 states.
(() => {
  if (window.__bench) return;
  const b = window.__bench = { seq: 0, log: [], lastClick: -1, waiters: [] };
  const record = () => {
    const s = document.documentElement.dataset.state || "";
    const last = b.log[b.log.length - 1];
    if (last && last.s === s) return;
    const e = { n: ++b.seq, s, t: performance.now(), wall: Date.now() };
    b.log.push(e);
    if (b.log.length > 32) b.log.shift();
    b.waiters = b.waiters.filter((w) => !w(e));
  };
  // rest holds the responseEnd of the REST requests (paths under /rest/)
  // that finished, newest last (a few only): "of which: response to done".
  b.rest = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!new URL(e.name).pathname.startsWith("/rest/")) continue;
        b.rest.push(e.responseEnd);
        if (b.rest.length > 8) b.rest.shift();
      }
    }).observe({ type: "resource" });
  } catch {}
  // The responseEnd of the last REST request that finished by t, -1 if none.
  const response = (t) => b.rest.filter((r) => r <= t).pop() ?? -1;
  // wait resolves with the first state in states recorded after seq from.
  // With settle it answers 50 ms after the record, with the response: the
  // resource entries come to observers in a task of their own.
  const answer = (e, resolve, settle) => {
    const r = () => resolve({ state: e.s, t: e.t, click: b.lastClick, wall: e.wall, response: response(e.t) });
    settle ? setTimeout(r, 50) : r();
  };
  b.wait = (states, from, settle) => new Promise((resolve) => {
    const hit = b.log.find((e) => e.n > from && states.includes(e.s));
    if (hit) return answer(hit, resolve, settle);
    b.waiters.push((e) => {
      if (e.n <= from || !states.includes(e.s)) return false;
      answer(e, resolve, settle);
      return true;
    });
  });
  const hook = () => {
    new MutationObserver(record).observe(document.documentElement,
      { attributes: true, attributeFilter: ["data-state"] });
    record();
  };
  if (document.documentElement) hook();
  else {
    const early = new MutationObserver(() => {
      if (!document.documentElement) return;
      early.disconnect();
      hook();
    });
    early.observe(document, { childList: true });
  }
  addEventListener("click", (e) => { b.lastClick = e.timeStamp; }, true);
  // The whole list is the figure, not done: a peer may announce done before
  // its last row exists (aria-busy="true" on #sessions until then).
  // idle is performance.now() when #sessions last stopped being busy.
  b.idle = -1;
  const idle = (ms) => {
    for (const m of ms) {
      if (m.target.id === "sessions" && m.target.getAttribute("aria-busy") !== "true") b.idle = performance.now();
    }
  };
  const watchBusy = () => new MutationObserver(idle).observe(document.documentElement,
    { attributes: true, attributeFilter: ["aria-busy"], subtree: true });
  if (document.documentElement) watchBusy();
  else addEventListener("DOMContentLoaded", watchBusy, { once: true });
  // The whole list: armWhole(n), called before a click, makes whole the
  // performance.now() of the first change to #sessions after which it holds
  // n li[data-session-id] and is not aria-busy.
  b.whole = -1;
  let wholeObs = null;
  b.armWhole = (n) => {
    b.whole = -1;
    if (wholeObs) wholeObs.disconnect();
    const list = document.getElementById("sessions");
    wholeObs = new MutationObserver(() => {
      if (b.whole >= 0 || list.getAttribute("aria-busy") === "true") return;
      if (list.querySelectorAll("li[data-session-id]").length < n) return;
      b.whole = performance.now();
      wholeObs.disconnect();
    });
    wholeObs.observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-busy"] });
    return true;
  };
})();
