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
	lang, transport, done := w.lang, w.deps.WarmTransport, w.onWarm
	w.deps.Go(func() {
		time.Sleep(time.Millisecond) // on js/wasm: yields to the JS event loop
		n := warm(endpoint, lang, transport)
		// Start-up's garbage and the collector's own first run are paid
		// here, not in the collection after the first click.
		w.gc.collect()
		if done != nil {
			done(n)
		}
	})
}

// warm runs a pinAll through a client on the canned transport and words
// its result; it returns how many IDs the client decoded (0: it warmed
// nothing).
func warm(endpoint string, lang l10n.Lang, transport func() (b24.Transport, error)) int {
	tr, err := transport()
	if err != nil {
		return 0
	}
	c, err := b24.New(endpoint, b24.WithTransport(tr), b24.WithTokenSource(&cannedToken{}))
	if err != nil {
		return 0
	}
	ids, err := c.PinAll(context.Background())
	if err != nil {
		return 0
	}
	_ = lang.Pinned(len(ids))
	_ = l10n.TextsFor(lang)
	return len(ids)
}
