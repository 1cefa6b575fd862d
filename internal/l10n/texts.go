package l10n

// Texts are the fixed labels of the page.
type Texts struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Title, Hint        string
	PinAll, UnpinAll   string
	ResultTitle        string
	Loading            string
	PinBusy, UnpinBusy string
	SessionLabel       string // a row's text: "Session #{id}"
}

// TextsFor returns the page's labels in l.
func TextsFor(l Lang) Texts {
	return Texts{
		Title:        l.Text("widget.title"),
		Hint:         l.Text("widget.hint"),
		PinAll:       l.Text("widget.pinAll"),
		UnpinAll:     l.Text("widget.unpinAll"),
		ResultTitle:  l.Text("widget.resultTitle"),
		Loading:      l.Text("widget.loading"),
		PinBusy:      l.Text("widget.pinBusy"),
		UnpinBusy:    l.Text("widget.unpinBusy"),
		SessionLabel: l.Text("row.session"),
	}
}

// Pinned is the outcome of "Pin all" that pinned n dialogs.
func (l Lang) Pinned(n int) string {
	if n == 0 {
		return l.Text("result.nothingPinned")
	}
	return l.Count("result.pinned", n)
}

// Unpinned is the outcome of "Unpin all" that unpinned n dialogs.
func (l Lang) Unpinned(n int) string {
	if n == 0 {
		return l.Text("result.nothingUnpinned")
	}
	return l.Count("result.unpinned", n)
}

// LoaderTexts are the words widget/loader.js shows around the Go program:
// while the wasm loads, and when it cannot load or stops. The page reads
// them from its words file; widget/build.js carries the English ones for
// when that cannot load (internal/buildjs).
type LoaderTexts struct {
	Stopped  string // the Go program exited
	Failed   string // the wasm could not be fetched or compiled
	NoWasm   string // the browser has no WebAssembly
	NoUnpack string // the wasm came gzip'd and the browser has no DecompressionStream
	Reload   string // the dead box's button
	Version  string // before the build's version, at the page's foot
}

// LoaderTextsFor returns the loader's words in l.
func LoaderTextsFor(l Lang) LoaderTexts {
	return LoaderTexts{
		Stopped:  l.Text("loader.stopped"),
		Failed:   l.Text("loader.failed"),
		NoWasm:   l.Text("loader.noWasm"),
		NoUnpack: l.Text("loader.noUnpack"),
		Reload:   l.Text("loader.reload"),
		Version:  l.Text("loader.version"),
	}
}

// RateTexts are the words of a wait for the portal's rate limit.
type RateTexts struct {
	Stop, Stopped string
}

// RateTextsFor returns them in l.
func RateTextsFor(l Lang) RateTexts {
	return RateTexts{Stop: l.Text("rate.stop"), Stopped: l.Text("rate.stopped")}
}

// Retrying says the portal is busy and the click is tried again in secs
// seconds.
func (l Lang) Retrying(secs int) string { return l.Count("rate.retrying", secs) }

// Key is a message the app reads: its name, and whether it is a sentence
// with a count (plural forms).
type Key struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Name  string
	Count bool
}

// textKeys and countKeys are the messages the app reads by name; the
// errors' and channels' keys come from their tables (errors.go,
// channels.go).
var (
	textKeys = []string{
		"widget.title", "widget.hint", "widget.pinAll", "widget.unpinAll", "widget.resultTitle",
		"widget.loading", "widget.pinBusy", "widget.unpinBusy",
		"result.nothingPinned", "result.nothingUnpinned",
		"dialog.title", "dialog.titleNamed", "dialog.titleNamedChannel", "dialog.pin", "dialog.unpin",
		"dialog.pinBusy", "dialog.unpinBusy", "dialog.pinned", "dialog.unpinned",
		"row.session", "row.open", "row.openLabel", "row.showMore",
		"lookup.noAccess", "lookup.notLoaded",
		"loader.stopped", "loader.failed", "loader.noWasm", "loader.noUnpack", "loader.reload", "loader.version",
		"install.title", "install.hint", "install.listTitle", "install.finish", "install.busy",
		"install.allDone", "install.someFailed", "install.finishing", "install.notInstalling",
		"install.bound", "install.already", "install.rebound", "install.failed",
		"install.placement.IM_NAVIGATION", "install.placement.IM_SIDEBAR",
		"placement.title", "placement.description",
		"error.portalSaid",
		"rate.stop", "rate.stopped",
	}
	countKeys = []string{"result.pinned", "result.unpinned", "rate.retrying"}
)

// Keys are every message the app reads: what Parse requires of the words,
// and what internal/l10n/catalog/en.json holds (a test checks both ways).
func Keys() []Key {
	keys := make([]Key, 0, len(textKeys)+len(countKeys)+len(catalogue)+len(methodRows)+len(channels))
	for _, k := range textKeys {
		keys = append(keys, Key{Name: k})
	}
	for _, k := range countKeys {
		keys = append(keys, Key{Name: k, Count: true})
	}
	for _, e := range catalogue {
		keys = append(keys, Key{Name: e.name(), Count: e.count})
	}
	for _, r := range methodRows {
		keys = append(keys, Key{Name: r.name()})
	}
	for _, c := range channels {
		keys = append(keys, Key{Name: "channel." + c})
	}
	return keys
}
