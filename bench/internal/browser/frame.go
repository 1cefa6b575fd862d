//go:build !js

package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/cdproto/cdp"
	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Frame is the app iframe's CDP session. The tab attached to the iframe in
// non-flat mode (so the bench can act before the frame's document runs):
// commands go through Target.sendMessageToTarget and replies come back as
// Target.receivedMessageFromTarget. It is a cdp.Session, so cdproto's typed
// commands run on it.
type Frame struct {
	tab *Tab
	id  target.SessionID

	mu      sync.Mutex
	next    int64
	pending map[int64]chan *cdproto.Message
}

var _ cdp.Session = (*Frame)(nil)

// onMessage takes one message from the iframe: a reply, or an event for the
// tab.
func (f *Frame) onMessage(raw string) {
	var m cdproto.Message
	if jsonv2.Unmarshal([]byte(raw), &m) != nil {
		return
	}
	if m.ID != 0 {
		f.mu.Lock()
		ch := f.pending[m.ID]
		delete(f.pending, m.ID)
		f.mu.Unlock()
		if ch != nil {
			ch <- &m
		}
		return
	}
	if ev, err := cdproto.UnmarshalMessage(&m); err == nil {
		f.tab.onEvent(ev)
	}
}

// Call sends one command to the iframe and decodes its result.
func (f *Frame) Call(ctx context.Context, method string, params, result any) error {
	f.mu.Lock()
	f.next++
	id := f.next
	ch := make(chan *cdproto.Message, 1)
	f.pending[id] = ch
	f.mu.Unlock()
	if params == nil {
		params = cdp.Empty{}
	}
	p, err := jsonv2.Marshal(params)
	if err != nil {
		return err
	}
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": json.RawMessage(p)})
	if err != nil {
		return err
	}
	// Target.sendMessageToTarget is deprecated, so cdproto has no type for it.
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Target.sendMessageToTarget", map[string]any{
			"message": string(msg), "sessionId": f.id}, nil)
	}))
	if err != nil {
		return err
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, r.Error.Message, r.Error.Code)
		}
		if result == nil || len(r.Result) == 0 {
			return nil
		}
		return jsonv2.Unmarshal(r.Result, result)
	case <-time.After(5 * time.Minute):
		return fmt.Errorf("%s: no reply", method)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Subscribe is not used: the frame's events go to its tab.
func (f *Frame) Subscribe(string) (<-chan jsonv2.Value, func()) {
	ch := make(chan jsonv2.Value)
	return ch, func() {}
}

// Eval evaluates expr in the app's document (a promise is awaited) and
// decodes its value into v.
func (f *Frame) Eval(expr string, v any) error {
	yes := true
	r, err := cdp.Call(f.tab.ctx, f, runtime.Evaluate, runtime.EvaluateParams{
		Expression: expr, AwaitPromise: &yes, ReturnByValue: &yes})
	if err != nil {
		return err
	}
	if d := r.ExceptionDetails; d != nil {
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		return errors.New("js: " + msg)
	}
	if r.Result == nil || len(r.Result.Value) == 0 || string(r.Result.Value) == "null" {
		return errors.New("js: no value")
	}
	return json.Unmarshal(r.Result.Value, v)
}

// Wait is what the observer's __bench.wait resolves with.
type Wait struct {
	State string  `json:"state"`
	T     float64 `json:"t"`     // performance.now() at the record
	Click float64 `json:"click"` // the last click event's timeStamp, -1 without one
	// Wall is Date.now() at the record (ms since the epoch): the wall clock
	// the portal logs requests with (timeOrigin + T drifts from it).
	Wall float64 `json:"wall"`
	// Response is the responseEnd of the last REST request (a path under
	// /rest/) finished before the record, -1 without one.
	Response float64 `json:"response"`
}

// Seq is the observer's state counter now.
func (f *Frame) Seq() (int64, error) {
	var n int64
	err := f.Eval(`__bench.seq`, &n)
	return n, err
}

// WaitState waits for one of states recorded after seq from, and 50 ms
// more for the REST response's timing.
func (f *Frame) WaitState(from int64, states ...string) (Wait, error) {
	b, _ := json.Marshal(states)
	var w Wait
	err := f.Eval(fmt.Sprintf(`__bench.wait(%s, %d, true)`, b, from), &w)
	return w, err
}

// Memory is the iframe renderer's memory.
type Memory struct {
	Heap float64 // JS heap in use after a full collection
	Wasm float64 // byteLength of every WebAssembly.Memory
}

// Memory collects garbage, then reads the JS heap in use and the total
// byteLength of every WebAssembly.Memory in the iframe's renderer (found
// with Runtime.queryObjects: no hook in the page is needed).
func (f *Frame) Memory() (Memory, error) {
	ctx := f.tab.ctx
	if _, err := cdp.Call(ctx, f, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
		return Memory{}, err
	}
	hu, err := cdp.Call(ctx, f, runtime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		return Memory{}, err
	}
	const group = "bench"
	defer cdp.Call(ctx, f, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: group})
	proto, err := cdp.Call(ctx, f, runtime.Evaluate, runtime.EvaluateParams{
		Expression: "WebAssembly.Memory.prototype", ObjectGroup: group})
	if err != nil {
		return Memory{}, err
	}
	objs, err := cdp.Call(ctx, f, runtime.QueryObjects, runtime.QueryObjectsParams{
		PrototypeObjectID: proto.Result.ObjectID, ObjectGroup: group})
	if err != nil {
		return Memory{}, err
	}
	yes := true
	sum, err := cdp.Call(ctx, f, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		ObjectID:            objs.Objects.ObjectID,
		FunctionDeclaration: "function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }",
		ReturnByValue:       &yes})
	if err != nil {
		return Memory{}, err
	}
	var wasm float64
	if err := json.Unmarshal(sum.Result.Value, &wasm); err != nil {
		return Memory{}, err
	}
	return Memory{Heap: hu.UsedSize, Wasm: wasm}, nil
}

// ProfLine is one function of a CPU profile with its self time.
type ProfLine struct {
	Name string
	Ms   float64
}

// StartProfiler starts V8's sampling profiler in the iframe's renderer
// (100 µs sampling).
func (f *Frame) StartProfiler() error {
	ctx := f.tab.ctx
	if _, err := cdp.Call(ctx, f, profiler.Enable, cdp.Empty{}); err != nil {
		return err
	}
	if _, err := cdp.Call(ctx, f, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}); err != nil {
		return err
	}
	_, err := cdp.Call(ctx, f, profiler.Start, cdp.Empty{})
	return err
}

// StopProfiler stops the profiler and returns the top 12 functions by self
// time, idle left out.
func (f *Frame) StopProfiler() ([]ProfLine, error) {
	r, err := cdp.Call(f.tab.ctx, f, profiler.Stop, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	return topSelf(r.Profile, 12), nil
}

// topSelf sums a profile's samples by function name ("fn file.js").
func topSelf(p *profiler.Profile, n int) []ProfLine {
	if p == nil {
		return nil
	}
	name := map[int64]string{}
	for _, node := range p.Nodes {
		fn := node.CallFrame.FunctionName
		if fn == "" {
			fn = "(anonymous)"
		}
		if u := node.CallFrame.URL; u != "" {
			fn += " " + filepath.Base(strings.SplitN(u, "?", 2)[0])
		}
		name[node.ID] = fn
	}
	self := map[string]float64{}
	for i, id := range p.Samples {
		if i+1 < len(p.TimeDeltas) {
			self[name[id]] += float64(p.TimeDeltas[i+1]) / 1000
		}
	}
	var out []ProfLine
	for fn, ms := range self {
		if fn != "(idle)" {
			out = append(out, ProfLine{fn, ms})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ms > out[j].Ms })
	return out[:min(n, len(out))]
}
