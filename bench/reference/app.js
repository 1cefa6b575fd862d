// The reference widget (bench variant B): what a Bitrix24 developer would
// write in plain JavaScript for the same job as the Go widget, with no
// framework and no build step. Same DOM contract: html[data-state], #pin-all,
// #unpin-all, [role=status], [role=alert], #sessions li[data-session-id].
// English only; the errors are shown as the portal words them.
"use strict";
(() => {
  const root = document.documentElement;
  const $ = (id) => document.getElementById(id);
  const pin = $("pin-all"), unpin = $("unpin-all"), status = $("status"), alert = $("error");
  const list = $("sessions"), listTitle = $("pa-result-title");

  const setState = (state, buttonsOn) => {
    root.dataset.state = state;
    for (const b of [pin, unpin]) b.disabled = !buttonsOn;
  };
  const fail = (text, buttonsOn) => {
    status.textContent = "";
    alert.textContent = text;
    setState("error", buttonsOn);
  };

  // window.name is "host[:port]|protocol|APP_SID", set by the portal.
  const [domain, protocol, appSid] = (window.name || "").split("|");
  if (!domain || !appSid) {
    fail("This page works only inside Bitrix24. Open Pin All from your portal's menu.", false);
    return;
  }
  const portal = (protocol === "1" ? "https://" : "http://") + domain;

  // Frame protocol, child side: "COMMAND:PARAMS:CALLBACK:APP_SID" up,
  // "CALLBACK:JSON" down, from the portal's origin only.
  const waiting = new Map();
  let seq = 0;
  window.addEventListener("message", (ev) => {
    if (ev.origin !== portal || ev.source !== parent || typeof ev.data !== "string") return;
    const i = ev.data.indexOf(":");
    const done = i > 0 && waiting.get(ev.data.slice(0, i));
    if (!done) return;
    waiting.delete(ev.data.slice(0, i));
    const rest = ev.data.slice(i + 1);
    done(rest ? JSON.parse(rest) : undefined);
  });
  const send = (command, params, timeoutMs) => new Promise((resolve, reject) => {
    const id = timeoutMs ? `cb${++seq}_${Math.random().toString(36).slice(2)}` : "";
    if (id) {
      const timer = setTimeout(() => { waiting.delete(id); reject(new Error("no_answer")); }, timeoutMs);
      waiting.set(id, (v) => { clearTimeout(timer); resolve(v); });
    }
    parent.postMessage([command, params ? JSON.stringify(params) : "", id, appSid].join(":"), portal);
    if (!id) resolve();
  });

  let auth = null, endpoint = "";
  const call = async (method, retried) => {
    const resp = await fetch(`${endpoint}/${method}.json`, {
      method: "POST", credentials: "omit", body: new URLSearchParams({ auth: auth.AUTH_ID }),
    });
    const body = await resp.json();
    if ((body.error === "expired_token" || body.error === "invalid_token") && !retried) {
      auth = { ...auth, ...(await send("refreshAuth", {}, 10000)) };
      return call(method, true);
    }
    if (body.error) throw new Error(body.error_description || body.error);
    return body.result;
  };

  // The height is measured in the next frame, as the Go widget measures it:
  // read in the task that shows a result, it would lay the page out before
  // the result can be painted.
  const fit = () => requestAnimationFrame(() =>
    send("resizeWindow", { width: "100%", height: document.body.scrollHeight }));

  let busy = false;
  const run = async (method, busyText, doneText) => {
    if (busy) return;
    busy = true;
    alert.textContent = "";
    status.textContent = busyText;
    setState("busy", false);
    try {
      const ids = await call(method);
      const frag = document.createDocumentFragment();
      for (const id of ids) {
        const li = document.createElement("li");
        li.dataset.sessionId = id;
        li.textContent = "Session #" + id;
        frag.appendChild(li);
      }
      list.replaceChildren(frag);
      listTitle.hidden = ids.length === 0;
      status.textContent = doneText(ids.length);
      setState("done", true);
    } catch (err) {
      fail(`The portal answered with an error (${err.message}). Try again.`, true);
    } finally {
      busy = false;
    }
    fit();
  };
  // Thousands grouped by hand, as the Go widget groups them: the first
  // toLocaleString of a page loads the locale's data, inside the click.
  const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const dialogs = (n) => `${grouped(n)} dialog${n === 1 ? "" : "s"}`;
  pin.addEventListener("click", () => run("imopenlines.session.mode.pinAll", "Pinning your dialogs…",
    (n) => n ? `Pinned ${dialogs(n)}. ${n === 1 ? "It stays" : "They stay"} with you.` : "Nothing to pin: your open dialogs are already pinned."));
  unpin.addEventListener("click", () => run("imopenlines.session.mode.unpinAll", "Unpinning your dialogs…",
    (n) => n ? `Unpinned ${dialogs(n)}. ${n === 1 ? "It follows" : "They follow"} the queue rules again.` : "Nothing to unpin: none of your dialogs is pinned."));

  send("getInitData", null, 5000).then((init) => {
    auth = init;
    endpoint = `${init.PROTOCOL ? "https" : "http"}://${init.DOMAIN}${init.PATH || "/rest"}`;
    status.textContent = "";
    setState("ready", true);
    send("setTitle", { title: "Pin all dialogs" });
    fit();
  }, () => fail("The portal did not answer the widget. Reload the page.", false));
})();
