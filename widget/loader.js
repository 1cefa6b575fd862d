// loader.js starts the Go program and is the page's last line of defence:
// if the wasm cannot load, or the Go program ever exits, it says so and
// offers a reload instead of leaving a dead page.
"use strict";
(() => {
  // install.html names its own program: <script src="loader.js" data-wasm="install.wasm">.
  const WASM = (document.currentScript && document.currentScript.dataset.wasm) || "pinall.wasm";
  const ru = /^(ru|by|kz)$/i.test(new URLSearchParams(location.search).get("LANG") || "");
  const words = ru
    ? { stopped: "Виджет остановился. Перезагрузите его, чтобы продолжить.",
        failed: "Не удалось загрузить виджет. Проверьте соединение и перезагрузите.",
        old: "Этот браузер не поддерживает WebAssembly. Откройте портал в актуальной версии браузера.",
        reload: "Перезагрузить" }
    : { stopped: "The widget stopped. Reload it to continue.",
        failed: "The widget could not load. Check your connection and reload.",
        old: "This browser does not support WebAssembly. Open the portal in a current browser.",
        reload: "Reload" };

  const dead = (text, cause) => {
    if (cause) console.error("pinall:", cause);
    document.documentElement.dataset.state = "error";
    for (const id of ["pin-all", "unpin-all", "pin-dialog", "unpin-dialog", "install-finish"]) {
      const b = document.getElementById(id);
      if (b) b.disabled = true;
    }
    const status = document.getElementById("status");
    if (status) status.textContent = "";
    const alert = document.getElementById("error");
    if (alert) alert.textContent = text;
    const box = document.getElementById("pa-dead");
    if (!box) return;
    document.getElementById("pa-dead-text").textContent = text;
    const btn = document.getElementById("pa-reload");
    btn.textContent = words.reload;
    btn.addEventListener("click", () => location.reload(), { once: true });
    box.hidden = false;
  };

  // The one DOM helper the Go program calls (internal/view SetSessions):
  // the rows of a result, one li[data-session-id] per ID, text only, all of
  // them in one fragment and one replaceChildren, as plain JavaScript would
  // (bench/reference/app.js): from Go each row costs four calls into JS,
  // ~40 ms per 1,000 rows; here 10,000 rows are one call. ids is "1,2,3";
  // Go keeps the logic (which rows, their lookups); without this helper the
  // view reports an error.
  globalThis.pinallRows = (list, ids, label) => {
    const frag = document.createDocumentFragment();
    if (ids) {
      for (const id of ids.split(",")) {
        const li = document.createElement("li");
        li.dataset.sessionId = id;
        li.textContent = label + id;
        frag.append(li);
      }
    }
    list.replaceChildren(frag);
  };

  if (typeof WebAssembly !== "object" || typeof Go !== "function") {
    dead(words.old);
    return;
  }

  // Marks split start-up for make bench (bench/cmd/bench): start, response, compiled.
  const mark = (name) => performance.mark && performance.mark("pinall:" + name);

  const start = async () => {
    mark("start");
    const go = new Go();
    // The widget's live heap is a few hundred KB and wasm memory never
    // shrinks: at Go's default GOGC=100 the first clicks grow it by a 4 MB
    // arena (+5.3 MB, flat from 1,000 to 3,000 clicks; measured by make bench).
    // Collecting sooner keeps the heap near what start-up took (GOGC=25:
    // +1.5 MB over 1,000 clicks; 10 saved little more and slowed start-up);
    // set here, it holds from the runtime's first allocation.
    go.env = { GOGC: "25" };
    const resp = await fetch(WASM, { credentials: "same-origin" });
    mark("response");
    if (!resp.ok) throw new Error(`${WASM}: HTTP ${resp.status}`);
    // instantiateStreaming insists on application/wasm; a misconfigured
    // host still gets a working widget through the slower ArrayBuffer path.
    const type = (resp.headers.get("Content-Type") || "").split(";")[0].trim();
    const { instance } = type === "application/wasm" && WebAssembly.instantiateStreaming
      ? await WebAssembly.instantiateStreaming(resp, go.importObject)
      : await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    mark("compiled");
    // run resolves only when the Go program exits, which it never should.
    await go.run(instance);
    return "exited";
  };

  start().then(
    () => dead(words.stopped),
    (err) => dead(document.documentElement.dataset.state === "loading" ? words.failed : words.stopped, err),
  );
})();
