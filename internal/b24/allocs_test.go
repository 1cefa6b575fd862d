//go:build !js

package b24

import (
	"context"
	"runtime"
	"testing"
)

// cannedTransport answers every request with one reply, as the portal sends it.
type cannedTransport struct{ resp Response }

func (t *cannedTransport) Do(context.Context, *Request) (*Response, error) {
	r := t.resp
	return &r, nil
}

type fixedToken struct{}

func (fixedToken) Token(context.Context) (Token, error) { return Token{AccessToken: "tok-1"}, nil }
func (fixedToken) Refresh(context.Context, Token) (Token, error) {
	return Token{AccessToken: "tok-1"}, nil
}

// maxAllocsPerPinAll is what a pinAll of five IDs allocates on the client's
// side of a click, natively (the request, the reply's parse, the IDs, and
// this transport's copy of the reply). Each allocation of a click is
// garbage the GC hold keeps until the click is over, and wasm memory grows
// with the peak and never shrinks (bench/results.md, round 6): this may go
// down, not up.
const maxAllocsPerPinAll = 23

func TestPinAllAllocatesNoMoreThanItDid(t *testing.T) {
	tr := &cannedTransport{resp: Response{Status: 200, ContentType: "application/json", Body: idsReply(5)}}
	c, err := New("https://portal.example/rest", WithTransport(tr), WithTokenSource(fixedToken{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids IDs
	got := testing.AllocsPerRun(100, func() {
		ids, err = c.PinAll(ctx)
	})
	if err != nil || len(ids.List) != 5 {
		t.Fatalf("PinAll = %v, %v; want 5 IDs", ids.List, err)
	}
	if got > maxAllocsPerPinAll {
		t.Errorf("a pinAll of 5 IDs allocates %v times, want at most %d", got, maxAllocsPerPinAll)
	}
	t.Logf("%v allocations", got)
}

// A busy portal's 10,000-ID pinAll allocates the reply's one copy and the
// list, and little else: no item per ID. A click's garbage waits in wasm
// memory for the click's end, and the memory's peak never shrinks.
func TestPinAllOf10000IDsAllocatesTheReplyAndTheList(t *testing.T) {
	body := idsReply(10000)
	tr := &cannedTransport{resp: Response{Status: 200, ContentType: "application/json", Body: body}}
	c, err := New("https://portal.example/rest", WithTransport(tr), WithTokenSource(fixedToken{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const runs = 10
	for range runs {
		ids, err := c.PinAll(ctx)
		if err != nil || len(ids.List) != 10000 {
			t.Fatalf("PinAll = %d IDs, %v; want 10,000", len(ids.List), err)
		}
	}
	runtime.ReadMemStats(&after)
	got := (after.TotalAlloc - before.TotalAlloc) / runs
	if want := uint64(2*len(body) + 8*10000); got > want {
		t.Errorf("a pinAll of 10,000 IDs (a %d-byte reply) allocates %d bytes, want at most %d", len(body), got, want)
	}
	t.Logf("%d bytes", got)
}
