// Package host is the one contract between the page and the Go programs,
// as tailscale's tsconnect has it: loader.js hands the program one object,
// globalThis.pinallHost, and the program reads it once, at start, and
// checks it before anything else (Read). A page without it, or with a part
// missing or wrong, fails at once and says why (Fail), before ready.
//
//	pinallHost = {
//	  lang:    "de",      // the portal's LANG, as the page picked it
//	  locale:  "de-DE",   // its locale: <html lang>, and how numbers are written
//	  dir:     "ltr",     // or "rtl": <html dir>
//	  words:   "{...}",   // the text of the page's words file (words-de.json)
//	  pageURL: "https://app.example/pinall/index.html?DOMAIN=...",
//	  rows:    (list, ids, label) => {...},  // rows.js; the widget's page only
//	  fail:    (message) => {...},           // the loader's dead box
//	  asked:   {message, target, id, take},  // the getInitData the loader posted, if any
//	}
//
// The program reads no other page global. The portal frame's protocol
// (window.name, postMessage) is internal/frame's: the loader posts the
// first getInitData only to have its answer travel while the wasm
// compiles, and internal/frame takes it only if it is the very question it
// would have asked (frame.Asked).
package host

import (
	"errors"

	"github.com/pinall/pinall/internal/l10n"
)

// global is the object's name on the page.
const global = "pinallHost"

// Config is what the page handed over, checked.
type Config struct {
	PortalLang string    // the portal's LANG
	Lang       l10n.Lang // the words, in the portal's locale
	PageURL    string
}

// Fields are the object's string fields as the page sent them.
type Fields struct {
	Lang, Locale, Dir, Words, PageURL string
}

// check turns the page's fields into a Config, or says what is wrong.
func check(f Fields) (Config, error) {
	switch {
	case f.Lang == "":
		return Config{}, errors.New(global + ".lang is empty")
	case f.Locale == "":
		return Config{}, errors.New(global + ".locale is empty")
	case f.Dir != "ltr" && f.Dir != "rtl":
		return Config{}, errors.New(global + `.dir is neither "ltr" nor "rtl"`)
	case f.PageURL == "":
		return Config{}, errors.New(global + ".pageURL is empty")
	}
	words, err := l10n.Parse([]byte(f.Words), f.Locale)
	if err != nil {
		return Config{}, errors.New(global + ".words: " + err.Error())
	}
	if words.Dir() != f.Dir {
		return Config{}, errors.New(global + ".dir is not the words' direction")
	}
	return Config{PortalLang: f.Lang, Lang: words, PageURL: f.PageURL}, nil
}
