package widget

import (
	"context"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/l10n"
)

// V8 compiles a wasm function on its first call (lazy compilation), so
// without a warm-up the user's first click pays for compiling the fetch
// glue, the REST client, the JSON parser and the words (bench/results.md,
// round 2, step 6). Right after ready, in a task of its own, the widget runs
// that path once on a canned reply. Nothing leaves the page and the page is
// not touched: the transport answers WarmReply, the token is not the user's.

// WarmReply is a pinAll reply as the portal sends it; Deps.WarmTransport
// answers every request with it.
var WarmReply = []byte(`{"result":[1,2],"time":{"start":1,"finish":1.1,"duration":0.1,"processing":0.01,` +
	`"date_start":"2026-01-01T00:00:00+00:00","date_finish":"2026-01-01T00:00:00+00:00","operating_reset_at":1,"operating":0}}`)

type cannedToken struct{}

func (*cannedToken) Token(context.Context) (b24.Token, error) {
	return b24.Token{AccessToken: "warm-up"}, nil
}

func (*cannedToken) Refresh(context.Context, b24.Token) (b24.Token, error) {
	return b24.Token{AccessToken: "warm-up"}, nil
}

// warmUp runs warm after the current task, so ready is shown first. mu is held.
func (w *Widget) warmUp(endpoint string) {
	if w.deps.WarmTransport == nil {
		return
	}
	lang, transport := w.lang, w.deps.WarmTransport
	w.deps.Go(func() {
		time.Sleep(time.Millisecond) // on js/wasm: yields to the JS event loop
		warm(endpoint, lang, transport)
		// Start-up's garbage and the collector's own first run are paid
		// here, not in the collection after the first click.
		w.gc.collect()
	})
}

// warm runs a pinAll through a client on the canned transport and words
// its result. A step that fails ends it: the warm-up is only ever a head
// start, and the click runs the same path for real.
func warm(endpoint string, lang l10n.Lang, transport func() (b24.Transport, error)) {
	tr, err := transport()
	if err != nil {
		return
	}
	c, err := b24.New(endpoint, b24.WithTransport(tr), b24.WithTokenSource(&cannedToken{}))
	if err != nil {
		return
	}
	ids, err := c.PinAll(context.Background())
	if err != nil {
		return
	}
	_ = lang.Pinned(len(ids.List))
	_ = l10n.TextsFor(lang)
}
