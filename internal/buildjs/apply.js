// Puts the page's words in place before the first paint. build.js is the
// first deferred script of index.html and install.html, so this runs as soon
// as the page is parsed; the elements it fills start empty in the HTML, so a
// Russian portal never shows an English word. The language rule is
// internal/l10n's Pick, as data (pinallBuild.lang); loader.js reads the
// language picked here from pinallBuild.lang.current.
(() => {
  const b = globalThis.pinallBuild;
  const root = document.documentElement;
  const asked = (new URLSearchParams(location.search).get(b.lang.param) || "").trim();
  // ASCII lower case, as Go's ascii.Lower: toLowerCase would also fold
  // letters such as the Kelvin sign into ASCII.
  const key = asked.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const lang = Object.hasOwn(b.lang.portal, key) ? b.lang.portal[key] : b.lang.fallback;
  b.lang.current = lang;
  const words = b.words[lang];
  const page = words.pages[root.dataset.page || "widget"];
  root.lang = lang;
  document.title = page.documentTitle;
  for (const [id, text] of Object.entries(page.text)) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }
  const version = document.getElementById(b.ids.version);
  if (version) version.textContent = words.loader.version + " " + b.version;
  if (performance.mark) performance.mark("pinall:words");
})();
