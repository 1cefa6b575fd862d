// loader.js starts the Go program and is the page's last line of defence:
// if the wasm cannot load, or the Go program ever exits, it says so and
// offers a reload instead of leaving a dead page.
//
// It fetches one file, pinall.wasm (install.html: install.wasm), and tells
// what came by its first bytes, never by names or headers: gzip (1f 8b, as
// the zip and make build ship it, from a host that serves files as they are)
// goes through the browser's DecompressionStream; plain wasm (00 61 73 6d)
// is what a host that negotiated Content-Encoding (gzip, br) hands over.
// Either way it streams into WebAssembly.compileStreaming, so download,
// unpacking and compilation overlap. The plain wasm is then kept in Cache
// Storage under the build's SHA-256 (widget/build.js), and later opens take
// it from there whatever cache headers the host sends.
//
// The loads start as soon as this script runs, before the page's elements
// exist: the zip's pages run it in their head (internal/distpage), so the
// wasm's and the words' requests, or their reads from Cache Storage, overlap
// the rest of the page's arrival. Whatever touches an element waits until
// the page is parsed (parsed, below).
//
// The words come in a file of their own, one per language
// (words-<catalogue>.json, made by make build from internal/l10n/catalog):
// fetched at once, beside the wasm, checked and kept in Cache Storage under
// their SHA-256 as the wasm is, and put in the page's empty elements as soon
// as they are there. Element IDs, which message fills which element, the
// hashes and the English words for when the words cannot load come from
// widget/build.js (pinallBuild): none are written here.
//
// The Go program gets one object, globalThis.pinallHost (internal/host
// checks it before anything else): the portal's LANG, the locale, the
// direction, the words file's text, the page's URL, the rows helper
// (rows.js) and the getInitData the loader asked for it (askInit).
"use strict";
(() => {
  const root = document.documentElement;
  const build = globalThis.pinallBuild;
  if (!build) {
    // No build.js, no words to say anything with: a deploy without it is broken.
    console.error("pinall: build.js is missing: deploy every file make build writes to widget/");
    root.dataset.state = "error";
    return;
  }
  // install.html names its own program: <script src="loader.js" data-wasm="install.wasm">.
  const WASM = (document.currentScript && document.currentScript.dataset.wasm) || "pinall.wasm";
  const dom = build.ids; // element IDs by name (internal/domid)
  const lang = build.lang.current; // apply.js's pick: {lang, words, locale, dir}
  const WORDS = `words-${lang.words}.json`;
  // The loader's own words: English until the page's words are here.
  let words = build.fallback;
  const byId = (id) => document.getElementById(id);
  // The page's elements are all there: at once for a deferred script, at
  // DOMContentLoaded for one in the head (which comes after the deferred
  // scripts, wasm_exec.js's Go among them).
  const parsed = new Promise((ok) => {
    if (document.readyState === "complete") return ok();
    document.addEventListener("DOMContentLoaded", () => ok(), { once: true });
    addEventListener("load", () => ok(), { once: true });
  });

  // dead is called only once the page is parsed.
  const dead = (text, cause) => {
    if (cause) console.error("pinall:", cause);
    root.dataset.state = "error";
    for (const b of document.querySelectorAll("button")) b.disabled = true;
    const status = byId(dom.status);
    if (status) status.textContent = "";
    const alert = byId(dom.alert);
    if (alert) alert.textContent = text;
    const box = byId(dom.dead);
    if (!box) return;
    byId(dom.deadText).textContent = text;
    const btn = byId(dom.reload);
    btn.textContent = words.reload;
    btn.disabled = false;
    btn.addEventListener("click", () => location.reload(), { once: true });
    box.hidden = false;
  };

  if (typeof WebAssembly !== "object") {
    parsed.then(() => dead(words.noWasm));
    return;
  }

  // Marks split start-up for make bench (bench/cmd/bench): start, response
  // (network only), compiled, ready; stored when the wasm is in Cache Storage.
  const mark = (name) => performance.mark && performance.mark("pinall:" + name);
  // settled resolves once the page has left "loading" (ready, or dead).
  // Work that ready does not need waits for it: hashing and storing the
  // wasm would otherwise take the main thread and a core from the
  // program's start.
  let settle;
  const settled = new Promise((ok) => { settle = ok; });
  new MutationObserver((_, obs) => {
    if (root.dataset.state !== "loading") settle();
    if (root.dataset.state !== "ready") return;
    mark("ready");
    obs.disconnect();
  }).observe(root, { attributes: true, attributeFilter: ["data-state"] });

  // Whether bytes can be checked against the build's SHA-256 (crypto.subtle
  // exists in a secure context only).
  const checkable = !!(globalThis.crypto && crypto.subtle);
  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
  const sha256 = async (buf) => hex(await crypto.subtle.digest("SHA-256", buf));

  // loadWords returns the text of the page's words file: from Cache Storage
  // when its bytes are the build's, else from the network (then kept). The
  // file comes gzip'd as the wasm does (1f 8b), or plain where the host
  // negotiated Content-Encoding. The bytes are checked either way where
  // crypto.subtle exists: a host serving another build's words would
  // otherwise put wrong ones on the page.
  const wordsInfo = build.words[WORDS] || { sha256: "", size: 0 };
  const wordsKey = new URL(`${WORDS}?sha256=${wordsInfo.sha256}`, location.href);
  const isWords = async (buf) => {
    try {
      return buf.byteLength === wordsInfo.size && (await sha256(buf)) === wordsInfo.sha256;
    } catch {
      return true; // no crypto.subtle (an insecure context): nothing is known
    }
  };
  const loadWords = async (cache) => {
    if (!cache && checkable) {
      // Storage refused: the HTTP cache's copy, as for the wasm (fromNetwork).
      try {
        const buf = await wordsFrom(await fetch(WORDS, { credentials: "same-origin", cache: "force-cache" }));
        if (await isWords(buf)) return new TextDecoder().decode(buf);
      } catch {
        // A damaged copy: the host's, below.
      }
      return wordsOf(await wordsFrom(await fetch(WORDS, { credentials: "same-origin", cache: "no-cache" })), null);
    }
    if (cache) {
      try {
        const hit = await cache.match(wordsKey);
        if (hit) {
          const buf = await hit.arrayBuffer();
          if (await isWords(buf)) return new TextDecoder().decode(buf);
          await cache.delete(wordsKey);
        }
      } catch {
        // Storage refused meanwhile: the network's copy below.
      }
    }
    return wordsOf(await wordsFrom(await fetch(WORDS, { credentials: "same-origin" })), cache);
  };
  // wordsFrom reads a words file's response, unpacked.
  const wordsFrom = async (resp) => {
    if (!resp.ok) throw new Error(`${WORDS}: HTTP ${resp.status}`);
    const buf = await resp.arrayBuffer();
    if (!gzip(new Uint8Array(buf, 0, Math.min(2, buf.byteLength)))) return buf;
    if (typeof DecompressionStream !== "function") throw new Unsupported(words.noUnpack);
    return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  };
  // wordsOf checks the words the host sent, keeps them and returns their text.
  const wordsOf = async (buf, cache) => {
    if (!(await isWords(buf))) throw new Error(`${WORDS} is not the one build.js names (size or SHA-256 differ)`);
    if (cache) keep(cache, wordsKey, new Response(buf, { headers: { "Content-Type": "application/json" } }));
    return new TextDecoder().decode(buf);
  };

  // showWords puts the words in the page's elements (pinallBuild.pages
  // says which message goes where) and in the loader's messages.
  const showWords = (msgs) => {
    const page = build.pages[root.dataset.page || "widget"];
    document.title = msgs[page.documentTitle];
    for (const [id, key] of Object.entries(page.text)) {
      const el = byId(id);
      if (el) el.textContent = msgs[key];
    }
    words = {
      stopped: msgs["loader.stopped"], failed: msgs["loader.failed"], noWasm: msgs["loader.noWasm"],
      noUnpack: msgs["loader.noUnpack"], reload: msgs["loader.reload"], version: msgs["loader.version"],
    };
    const version = byId(dom.version);
    if (version) version.textContent = words.version + " " + build.version;
    mark("words");
  };

  // What the build says about this wasm: SHA-256 and size of the plain
  // wasm, size of the gzip'd file served.
  const info = build.wasm[WASM] || { sha256: "", raw: 0, gzip: 0 };
  // One cache for the origin's wasm files; an entry's URL carries the hash,
  // so a new build never meets an old entry.
  const CACHE = "pinall";
  const key = new URL(`${WASM}?sha256=${info.sha256}`, location.href);

  // The progress bar: bytes received of the bytes expected. It stays
  // indeterminate until the first bytes say which size applies, and until
  // the page is parsed.
  let bar = null;
  let last = [0, 0];
  const progress = (got, total) => {
    last = [got, total];
    bar = bar || byId(dom.progress);
    if (!bar || !(total > 0)) return;
    bar.max = total;
    bar.value = Math.min(got, total);
  };
  parsed.then(() => progress(...last));

  // Words for a browser that lacks what the widget needs.
  class Unsupported extends Error {}

  // The build's wasm, byte for byte: its size and SHA-256 as build.js has them.
  const isBuilt = async (buf) => buf.byteLength === info.raw && (await sha256(buf)) === info.sha256;

  // Cache Storage, or null where there is none or it is refused (an insecure
  // context, a private window, a blocked third-party frame): then every open
  // loads from the network, as without it.
  const openCache = async () => {
    try {
      return typeof caches === "object" && caches ? await caches.open(CACHE) : null;
    } catch {
      return null;
    }
  };

  // compile compiles a Response of plain wasm as it streams in.
  const compile = async (resp) => WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(resp)
    : WebAssembly.compile(await resp.arrayBuffer());

  // fromCache compiles the stored wasm, or returns null when there is none
  // or it is broken (then it is deleted). It streams from storage into the
  // compiler (Chromium gives V8 no URL for a Cache Storage Response, so V8's
  // on-disk code cache does not apply; its in-process module cache serves
  // reloads: docs/install.md). A partial entry fails the size check (the
  // body's blob: no read) and damaged code fails to compile; the SHA-256 is
  // checked a second after the page is ready (verify, through checkStored), not
  // before: reading the module back and hashing it would be work every warm
  // open waits for (docs/install.md has its cost).
  const fromCache = async (cache) => {
    let hit;
    try {
      hit = await cache.match(key);
    } catch {
      return null;
    }
    if (!hit) return null;
    progress(1, 1);
    try {
      const blob = await hit.clone().blob();
      if (blob.size === info.raw) {
        const module = await compile(hit);
        checkStored = () => verify(cache, blob);
        return module;
      }
    } catch {
      // Damaged code does not compile: replaced below.
    }
    console.warn(`pinall: the stored ${WASM} is broken; loading it again`);
    await drop(cache);
    return null;
  };

  let checkStored = () => {};

  // verify drops a stored wasm whose bytes are not the build's, so the next
  // open loads it again.
  const verify = async (cache, blob) => {
    // A second after ready: it only decides the next open, and a click made
    // at once should not share the machine with it.
    await settled;
    await new Promise((ok) => setTimeout(ok, 1000));
    try {
      if (await isBuilt(await blob.arrayBuffer())) return;
    } catch {
      return; // no crypto.subtle, or the read failed: nothing is known
    }
    console.warn(`pinall: the stored ${WASM} is damaged; the next open loads it again`);
    await drop(cache);
  };

  const drop = async (cache) => {
    try {
      await cache.delete(key);
    } catch {
      // Storage refused meanwhile: the network copy is not stored either.
    }
  };

  // peek reads a stream's first n bytes; stream replays every byte.
  const peek = async (source, n) => {
    const reader = source.getReader();
    const first = [];
    let have = 0;
    while (have < n) {
      const { done, value } = await reader.read();
      if (done) break;
      first.push(value);
      have += value.byteLength;
    }
    const head = new Uint8Array(n);
    let at = 0;
    for (const c of first) {
      head.set(c.subarray(0, n - at), at);
      at += Math.min(c.byteLength, n - at);
    }
    const stream = new ReadableStream({
      start(c) {
        for (const chunk of first) c.enqueue(chunk);
      },
      async pull(c) {
        const { done, value } = await reader.read();
        if (done) c.close();
        else c.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return { head, stream };
  };

  const gzip = (h) => h[0] === 0x1f && h[1] === 0x8b;
  const plain = (h) => h[0] === 0x00 && h[1] === 0x61 && h[2] === 0x73 && h[3] === 0x6d; // "\0asm"

  // fromNetwork fetches the wasm and compiles it as it arrives; a copy goes
  // into the cache when its bytes are the build's.
  //
  // Where storage is refused (cache is null) the browser's HTTP cache is the
  // one copy a page keeps between opens. A host such as Bitrix24 sends
  // Cache-Control: no-cache, so a plain fetch waits a round trip for its
  // 304 on every open; the first try here takes the HTTP cache's copy
  // whatever its age, asking the host nothing (a cold open's goes to the
  // host as usual), and the module runs only when its bytes are the build's,
  // checked by SHA-256 as they arrive. Another build's copy (the host was
  // updated), a damaged one, or no way to check: the host is asked.
  const fromNetwork = async (cache) => {
    if (!cache && checkable) {
      try {
        const module = await fetchWasm(null, "force-cache");
        if (module) return module;
        console.warn(`pinall: the browser's copy of ${WASM} is not the one build.js names; loading it again`);
      } catch (err) {
        if (err instanceof Unsupported) throw err;
      }
      return fetchWasm(null, "no-cache");
    }
    return fetchWasm(cache, "default");
  };

  // fetchWasm fetches the wasm with the request's cache mode and compiles it
  // as it arrives. With "force-cache" it returns the module only when the
  // bytes are the build's, else null.
  const fetchWasm = async (cache, mode) => {
    const resp = await fetch(WASM, { credentials: "same-origin", cache: mode });
    mark("response");
    if (!resp.ok) throw new Error(`${WASM}: HTTP ${resp.status}`);
    let got = 0;
    let total = 0;
    const counted = resp.body.pipeThrough(new TransformStream({
      transform(chunk, c) {
        got += chunk.byteLength;
        progress(got, total);
        c.enqueue(chunk);
      },
    }));
    const { head, stream } = await peek(counted, 4);
    let wasm = stream;
    if (gzip(head)) {
      if (typeof DecompressionStream !== "function") throw new Unsupported(words.noUnpack);
      wasm = stream.pipeThrough(new DecompressionStream("gzip"));
      total = info.gzip;
    } else if (plain(head)) {
      total = info.raw;
    } else {
      throw new Error(`${WASM} is neither wasm nor gzip (starts ${hex(head)})`);
    }
    // Without a size from the build (a hand-swapped wasm), the header's.
    total = total || Number(resp.headers.get("Content-Length")) || 0;
    progress(got, total);
    let built = null;
    if (cache || mode === "force-cache") {
      const [run, copy] = wasm.tee();
      wasm = run;
      if (cache) store(cache, copy);
      else {
        built = new Response(copy).arrayBuffer().then(isBuilt);
        built.catch(() => {}); // a damaged copy fails compile first
      }
    }
    // The type is set here: the host's (application/octet-stream, text/plain)
    // does not matter, and a gzip'd body is wasm only once unpacked.
    const module = await compile(new Response(wasm, { headers: { "Content-Type": "application/wasm" } }));
    return !built || (await built) ? module : null;
  };

  // store keeps the plain wasm under the build's hash and drops the entries
  // of older builds of the same file, once the page is ready. Bytes that are
  // not the build's (a host still serving an old wasm) are not kept.
  const store = async (cache, stream) => {
    try {
      const buf = await new Response(stream).arrayBuffer();
      await settled;
      if (!(await isBuilt(buf))) {
        console.warn(`pinall: ${WASM} is not the one build.js names (size or SHA-256 differ): not cached`);
        return;
      }
      await keep(cache, key, new Response(buf, { headers: { "Content-Type": "application/wasm" } }));
      mark("stored");
    } catch {
      // Storage refused or full: the next open loads from the network again.
    }
  };

  // keep stores a response under its hashed key and drops the entries of
  // older builds of the same file.
  const keep = async (cache, k, resp) => {
    try {
      await cache.put(k, resp);
      for (const req of await cache.keys()) {
        const u = new URL(req.url);
        if (u.origin === k.origin && u.pathname === k.pathname && u.search !== k.search) await cache.delete(req);
      }
    } catch {
      // Storage refused or full: the next open loads from the network again.
    }
  };

  // askInit posts getInitData to the portal window.name names, as the
  // program would (internal/frame), so the answer travels while the wasm
  // loads and compiles; it keeps the replies to it until the program takes
  // them (pinallHost.asked.take). The program takes them only if this is
  // the very question it would have asked, and checks each reply as any
  // message; otherwise it asks itself. So nothing here decides what is
  // trusted: a name this does not understand just leaves the asking to Go.
  const askInit = () => {
    const [domain, protocol, sid, extra] = String(window.name).split("|");
    if (extra !== undefined || window.parent === window || (protocol !== "0" && protocol !== "1") ||
      !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$/.test(domain || "") || !/^[!-9;-~]{1,256}$/.test(sid || "")) {
      return undefined;
    }
    const abc = "abcdefghijklmnopqrstuvwxyz0123456789";
    let id = ""; // 20 of [a-z0-9], uniform: bytes past 251 are skipped
    while (id.length < 20) {
      for (const b of crypto.getRandomValues(new Uint8Array(32))) if (b < 252 && id.length < 20) id += abc[b % 36];
    }
    let kept = [];
    const collect = (e) => {
      if (e.source === window.parent && typeof e.data === "string" && e.data.startsWith(id + ":") && kept.length < 16) kept.push(e);
    };
    const message = `getInitData::${id}:${sid}`;
    try {
      const target = new URL(`${protocol === "1" ? "https" : "http"}://${domain}`).origin;
      addEventListener("message", collect);
      window.parent.postMessage(message, target);
      return Object.freeze({
        message, target, id,
        take: () => {
          removeEventListener("message", collect);
          const k = kept;
          kept = [];
          return k;
        },
      });
    } catch {
      removeEventListener("message", collect);
      return undefined;
    }
  };

  // The loads start here, as the script runs: the portal's answer, the words
  // and the wasm travel side by side; the words go on the page as soon as
  // they and the page's elements are there, whatever the wasm does.
  mark("start");
  const asked = askInit();
  const cached = openCache();
  const text = cached.then(loadWords);
  const shown = Promise.all([text, parsed]).then(([t]) => showWords(JSON.parse(t)));
  const module = cached.then(async (cache) => (cache && (await fromCache(cache))) || fromNetwork(cache));
  // Awaited in start; until then a failure must not count as unhandled.
  shown.catch(() => {});
  module.catch(() => {});

  const start = async () => {
    await parsed;
    if (typeof Go !== "function") throw new Unsupported(words.noWasm);
    const go = new Go();
    // The widget's live heap is small and wasm memory never shrinks. A
    // click's garbage is collected when it ends (internal/widget/gchold.go);
    // what runs between clicks (names looked up while the list scrolls) is
    // left to the pacer, whose smallest heap goal the runtime scales by
    // GOGC/100: a quarter of its default at 25. Set here, it holds from the
    // runtime's first allocation.
    go.env = { GOGC: "25" };
    const instance = await WebAssembly.instantiate(await module, go.importObject);
    checkStored();
    mark("compiled");
    await shown;
    globalThis.pinallHost = Object.freeze({
      lang: lang.lang,
      locale: lang.locale,
      dir: lang.dir,
      words: await text,
      pageURL: location.href,
      rows: globalThis.pinallRows, // rows.js; the installer's page has none
      fail: (message) => dead(words.failed, message), // the program cannot start
      asked, // the loader's getInitData (askInit), or undefined
    });
    // run resolves only when the Go program exits, which it never should.
    await go.run(instance);
    return "exited";
  };

  start().then(
    () => dead(words.stopped),
    (err) => dead(err instanceof Unsupported ? err.message
      : root.dataset.state === "loading" ? words.failed : words.stopped, err),
  );
})();
