// Picks the page's language as soon as the page is parsed (build.js is the
// first deferred script of index.html and install.html): <html lang> and
// <html dir> at once, before the first paint; the words follow in their own
// file, which loader.js fetches at once and puts in place (the elements
// they fill start empty in the HTML, so no other language shows first). The
// rule is internal/l10n's PortalOf, as data (pinallBuild.lang); loader.js
// reads the pick from pinallBuild.lang.current.
(() => {
  const b = globalThis.pinallBuild;
  const root = document.documentElement;
  const asked = (new URLSearchParams(location.search).get(b.lang.param) || "").trim();
  // ASCII lower case, as Go's ascii.Lower: toLowerCase would also fold
  // letters such as the Kelvin sign into ASCII.
  const key = asked.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const lang = Object.hasOwn(b.lang.portal, key) ? b.lang.portal[key] : b.lang.fallback;
  b.lang.current = lang;
  root.lang = lang.locale;
  root.dir = lang.dir;
})();
