//go:build !js

package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// memory is the app's memory after a full GC: the JS heap and the wasm
// linear memory (every WebAssembly.Memory of the app's realm).
type memory struct{ jsHeap, wasm float64 }

func appMemory(t *testing.T, ctx context.Context) memory {
	t.Helper()
	_, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{})
	require.NoError(t, err)
	h, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
	require.NoError(t, err)
	proto, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "WebAssembly.Memory.prototype", ObjectGroup: "e2e-mem"})
	require.NoError(t, err)
	objs, err := chromedp.Call(ctx, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: proto.Result.ObjectID, ObjectGroup: "e2e-mem"})
	require.NoError(t, err)
	yes := true
	sum, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: "function() { return this.reduce((n, m) => n + m.buffer.byteLength, 0) }",
		ObjectID:            objs.Objects.ObjectID, ReturnByValue: &yes})
	require.NoError(t, err)
	_, _ = chromedp.Call(ctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "e2e-mem"})
	wasm, _ := strconv.ParseFloat(string(sum.Result.Value), 64)
	require.Positive(t, wasm, "the widget's wasm memory was not found")
	return memory{jsHeap: h.UsedSize, wasm: wasm}
}

// soakFaults are the faults a soak click may meet: quick ones (no backoff of
// seconds), so a thousand clicks fit in the budget. "expire" expires the token.
var soakFaults = []string{
	"expire", "NO_AUTH_FOUND", "insufficient_scope", "ACCESS_DENIED", "INTERNAL_SERVER_ERROR",
	"OPERATION_TIME_LIMIT", "OVERLOAD_LIMIT", "expired_token", "html502", "truncated", "wrongtype", "drop", "huge",
}

// Soak: 1,000 clicks (PINALL_SOAK_CLICKS), pin and unpin alternating, about a
// third meeting a random fault (seeded: PINALL_SOAK_SEED, logged). Every
// click settles in done or error within 5 s, a click without a fault ends in
// done, the console gets no panic or unhandled rejection (the harness), and
// the app's memory stays flat after warm-up (JS heap < 1 MB; wasm: no
// growth in both quarters of the second half, < 2 MiB over it).
func TestSoak(t *testing.T) {
	t.Parallel()
	clicks := 1000
	if v, err := strconv.Atoi(os.Getenv("PINALL_SOAK_CLICKS")); err == nil && v > 0 {
		clicks = v
	}
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("PINALL_SOAK_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("soak: seed %d (rerun with PINALL_SOAK_SEED=%d), %d clicks", seed, seed, clicks)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	p := startPortal(t, devportal.Config{RateLimit: devportal.RateLimit{PerSecond: 100000, Burst: 1000000}})
	tb := newTabWithin(t, 4*time.Minute)
	a := openPortalApp(t, tb, p, "")
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "page: %+v", a.dom())
	evalAs[bool](a, `(window.__e2eSettle = (from, ms) => new Promise((resolve) => {
		const t0 = performance.now();
		const tick = () => {
			const h = window.__e2eStates;
			for (let i = from; i < h.length; i++) if (h[i] === "done" || h[i] === "error") return resolve({state: h[i], n: h.length});
			if (performance.now() - t0 > ms) return resolve({state: "stuck: " + h.slice(from).join(" "), n: h.length});
			setTimeout(tick, 2);
		};
		tick();
	}), true)`)
	type pt struct{ x, y float64 }
	var btn [2]pt
	btn[0].x, btn[0].y = tb.point("#pin-all")
	btn[1].x, btn[1].y = tb.point("#unpin-all")
	methods := [2]string{mPinAll, mUnpinAll}
	mark := len(a.states())
	// Clicks at the buttons' places, without a CDP round trip to find them.
	click := func(b pt) { require.NoError(t, mouseAt(tb.ctx, b.x, b.y, 1, false)) }
	type settled struct {
		State string `json:"state"`
		N     int    `json:"n"`
	}

	var base, half memory
	warmup := min(100, clicks/5)
	states := map[string]int{}
	faults := map[string]int{}
	start := time.Now()
	for i := 0; i < clicks; i++ {
		if i == warmup {
			base = appMemory(t, tb.appCtx)
		}
		if i == clicks/2 {
			half = appMemory(t, tb.appCtx)
		}
		which := i % 2
		fault := ""
		if rng.IntN(3) == 0 {
			fault = soakFaults[rng.IntN(len(soakFaults))]
			f := devportal.Fault{Method: methods[which]}
			switch fault {
			case "expire":
				p.ExpireTokens()
			case "html502":
				f.Kind = devportal.FaultHTML502
			case "truncated":
				f.Kind = devportal.FaultTruncated
			case "wrongtype":
				f.Kind = devportal.FaultWrongType
			case "drop":
				f.Kind = devportal.FaultDrop
			case "huge":
				f.Kind, f.HugeBytes = devportal.FaultHuge, 2<<20
			default:
				f.Kind, f.Code = devportal.FaultError, fault
			}
			if f.Kind != "" {
				require.NoError(t, p.InjectFault(f))
			}
			faults[fault]++
		}
		click(btn[which])
		s := evalAs[settled](a, fmt.Sprintf(`window.__e2eSettle(%d, 5000)`, mark))
		mark = s.N
		states[s.State]++
		if s.State != stateDone && s.State != stateError {
			t.Fatalf("soak: click %d (%s, fault %q) left the widget %s; page: %+v", i, methods[which], fault, s.State, a.dom())
		}
		if fault == "" && s.State != stateDone {
			t.Fatalf("soak: click %d without a fault ended in %s: %+v", i, s.State, a.dom())
		}
		p.ClearFaults() // a fault a recovered click did not use must not hit the next
	}
	took := time.Since(start)
	end := appMemory(t, tb.appCtx)
	reqs := len(p.Requests())
	t.Logf("soak: %d clicks in %v (%.1f ms/click); states %v; faults %v; %d REST requests", clicks, took.Round(time.Millisecond),
		float64(took.Milliseconds())/float64(clicks), states, faults, reqs)
	t.Logf("soak: memory at clicks %d / %d / %d: JS heap %.0f / %.0f / %.0f bytes, wasm %.0f / %.0f / %.0f bytes",
		warmup, clicks/2, clicks, base.jsHeap, half.jsHeap, end.jsHeap, base.wasm, half.wasm, end.wasm)
	assert.Less(t, end.jsHeap-base.jsHeap, float64(1<<20), "the JS heap grew after warm-up")
	// Wasm memory never shrinks, so each new peak of Go's heap stays. The
	// widget collects after every click and refuses a reply announced over
	// the cap unread, so a click's peak is what it needs (the runs:
	// bench/results.md, round 4). Flat through the second half; under 1 MiB
	// over the first (a step a rare fault order could still take there).
	assert.Equal(t, half.wasm, end.wasm, "the wasm memory grew in the second half: %.0f -> %.0f bytes", half.wasm, end.wasm)
	assert.Less(t, half.wasm-base.wasm, float64(1<<20), "the wasm memory grew by a MiB or more between click %d and click %d", warmup, clicks/2)
	assert.Equal(t, clicks, states[stateDone]+states[stateError])
}
