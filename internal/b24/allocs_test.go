//go:build !js

package b24

import (
	"context"
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
const maxAllocsPerPinAll = 24

func TestPinAllAllocatesNoMoreThanItDid(t *testing.T) {
	tr := &cannedTransport{resp: Response{Status: 200, ContentType: "application/json", Body: idsReply(5)}}
	c, err := New("https://portal.example/rest", WithTransport(tr), WithTokenSource(fixedToken{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids []int64
	got := testing.AllocsPerRun(100, func() {
		ids, err = c.PinAll(ctx)
	})
	if err != nil || len(ids) != 5 {
		t.Fatalf("PinAll = %v, %v; want 5 IDs", ids, err)
	}
	if got > maxAllocsPerPinAll {
		t.Errorf("a pinAll of 5 IDs allocates %v times, want at most %d", got, maxAllocsPerPinAll)
	}
	t.Logf("%v allocations", got)
}
