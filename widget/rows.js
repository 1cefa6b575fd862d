// The one DOM helper the Go program calls (internal/view SetSessions),
// handed to it in pinallHost by loader.js: the rows of a result, one
// li[data-session-id] per ID, text only, all of them in one fragment and one
// replaceChildren, as plain JavaScript would (bench/reference/app.js): from
// Go each row costs four calls into JS; here the whole list is one call
// (its cost: bench/results.md). ids is "1,2,3"; label is the row's words with {id}
// where the ID goes ("Session #{id}"). Go keeps the logic (which rows, their
// lookups). A file of its own, so the browser tests run it as shipped.
"use strict";
globalThis.pinallRows = (list, ids, label) => {
  const [before, after = ""] = label.split("{id}");
  const frag = document.createDocumentFragment();
  if (ids) {
    for (const id of ids.split(",")) {
      const li = document.createElement("li");
      li.dataset.sessionId = id;
      li.textContent = before + id + after;
      frag.append(li);
    }
  }
  list.replaceChildren(frag);
};
