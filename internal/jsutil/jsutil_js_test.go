//go:build js && wasm

package jsutil

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
)

// eval runs a JS function body and returns its result.
func eval(t *testing.T, body string, args ...any) safejs.Value {
	t.Helper()
	ctor, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	fn, err := ctor.New("a", "b", body)
	if err != nil {
		t.Fatalf("compile %q: %v", body, err)
	}
	v, err := fn.Invoke(args...)
	if err != nil {
		t.Fatalf("run %q: %v", body, err)
	}
	return v
}

func TestAwaitResolves(t *testing.T) {
	v, err := Await(context.Background(), eval(t, "return Promise.resolve(42)"))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := v.Int(); n != 42 {
		t.Fatalf("got %d, want 42", n)
	}
}

func TestAwaitNonThenableIsTheValue(t *testing.T) {
	v, err := Await(context.Background(), eval(t, "return 'plain'"))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := v.String(); s != "plain" {
		t.Fatalf("got %q", s)
	}
}

// An object without a then method (or with one that is not a function) is
// the value itself, as JS await has it; a then that throws is an error.
func TestAwaitObjectsWithoutThen(t *testing.T) {
	for _, src := range []string{"return {id: 7}", "return {id: 7, then: 5}", "return Object.assign(() => 0, {id: 7})"} {
		v, err := Await(context.Background(), eval(t, src))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if id, _ := v.Get("id"); id.Type() != safejs.TypeNumber {
			t.Fatalf("%s: got %v, not the object itself", src, v)
		}
	}
	_, err := Await(context.Background(), eval(t, "return {then() { throw new RangeError('no then') }}"))
	if err == nil || !strings.Contains(err.Error(), "no then") {
		t.Fatalf("a then that throws: got %v", err)
	}
}

func TestAwaitRejectsWithString(t *testing.T) {
	_, err := Await(context.Background(), eval(t, "return Promise.reject('boom')"))
	var je *JSError
	if !errors.As(err, &je) || je.Name != "" || je.Message != "boom" {
		t.Fatalf("got %#v", err)
	}
}

func TestAwaitRejectsWithOddValues(t *testing.T) {
	for src, want := range map[string]string{
		"return Promise.reject(undefined)":                     "undefined",
		"return Promise.reject(7)":                             "7",
		"return Promise.reject({toString(){throw new Error}})": "<unprintable>",
		"return Promise.reject(Object.create(null))":           "<unprintable>",
	} {
		_, err := Await(context.Background(), eval(t, src))
		var je *JSError
		if !errors.As(err, &je) || je.Message != want {
			t.Errorf("%s: got %v, want message %q", src, err, want)
		}
	}
}

func TestAwaitRejectsWithTypedErrors(t *testing.T) {
	_, err := Await(context.Background(), eval(t, "return Promise.reject(new TypeError('Failed to fetch'))"))
	if !errors.Is(err, ErrTypeError) || errors.Is(err, ErrAbort) {
		t.Fatalf("got %v", err)
	}
	if err.Error() != "javascript: TypeError: Failed to fetch" {
		t.Fatalf("message %q", err.Error())
	}
	_, err = Await(context.Background(), eval(t, "return Promise.reject(new DOMException('gone', 'AbortError'))"))
	if !errors.Is(err, ErrAbort) {
		t.Fatalf("got %v", err)
	}
}

func TestAwaitContextCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := Await(ctx, eval(t, "return new Promise(() => {})"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = Await(cancelled, eval(t, "return Promise.resolve(1)"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestAwaitSettlingAfterCancelIsHarmless(t *testing.T) {
	// The promise settles after Await gave up: the late call must reach a
	// live Func (released then), not a released one.
	p := eval(t, "return new Promise(r => setTimeout(() => r(1), 30))")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := Await(ctx, p); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if _, err := Await(context.Background(), eval(t, "return new Promise(r => setTimeout(r, 60))")); err != nil {
		t.Fatal(err)
	}
}

// capturePanics routes recovered panics to a channel for one test.
func capturePanics(t *testing.T) chan error {
	ch := make(chan error, 4)
	SetPanicHandler(func(err error) { ch <- err })
	t.Cleanup(func() { SetPanicHandler(nil) })
	return ch
}

func waitPanic(t *testing.T, ch chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(2 * time.Second):
		t.Fatal("no panic reported")
		return nil
	}
}

func TestFuncOfRecoversPanicAndRuntimeSurvives(t *testing.T) {
	panics := capturePanics(t)
	calls := 0
	f, err := FuncOf(func(safejs.Value, []safejs.Value) any {
		calls++
		if calls == 1 {
			panic("kaboom")
		}
		return "fine"
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	// Invoked from the event loop, as a real event would be.
	eval(t, "setTimeout(a, 0)", f)
	err = waitPanic(t, panics)
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "kaboom" {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(pe.Stack, "jsutil_js_test.go") {
		t.Errorf("stack summary lacks the panicking frame: %q", pe.Stack)
	}
	// Still alive: a second call from JS runs Go and returns a value.
	v := eval(t, "return a()", f)
	if s, _ := v.String(); s != "fine" {
		t.Fatalf("second call got %q", s)
	}
}

func TestGoRecoversPanic(t *testing.T) {
	panics := capturePanics(t)
	boom := errors.New("inner")
	Go(func() { panic(boom) })
	err := waitPanic(t, panics)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want it to wrap the panicked error", err)
	}
}

func TestPanicInHandlerDoesNotKill(t *testing.T) {
	SetPanicHandler(func(error) { panic("handler too") })
	t.Cleanup(func() { SetPanicHandler(nil) })
	done := make(chan struct{})
	Go(func() {
		defer close(done)
		defer recoverPanic()
		panic("first")
	})
	<-done
}

func TestAddEventListenerAndRemove(t *testing.T) {
	target := eval(t, "return new EventTarget()")
	got := 0
	remove, err := AddEventListener(target, "ping", func(ev safejs.Value) {
		typ, _ := ev.Get("type")
		if s, _ := typ.String(); s == "ping" {
			got++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	eval(t, "a.dispatchEvent(new Event('ping')); a.dispatchEvent(new Event('ping'))", target)
	if got != 2 {
		t.Fatalf("got %d events, want 2", got)
	}
	remove()
	remove() // idempotent
	eval(t, "a.dispatchEvent(new Event('ping'))", target)
	if got != 2 {
		t.Fatalf("listener ran after remove: %d", got)
	}
}

func TestListenerPanicIsContained(t *testing.T) {
	panics := capturePanics(t)
	target := eval(t, "return new EventTarget()")
	remove, err := AddEventListener(target, "x", func(safejs.Value) { panic("in listener") })
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	eval(t, "a.dispatchEvent(new Event('x'))", target)
	if err := waitPanic(t, panics); !strings.Contains(err.Error(), "in listener") {
		t.Fatalf("got %v", err)
	}
}

func TestAddEventListenerOnNonTarget(t *testing.T) {
	if _, err := AddEventListener(eval(t, "return {}"), "x", func(safejs.Value) {}); err == nil {
		t.Fatal("want an error for an object without addEventListener")
	}
}

// AfterPaint returns after the next frame, in a task after the frame's own
// callbacks: a callback asked for before it has run, and so has a task the
// frame posted. Waiters of one frame all return.
func TestAfterPaintReturnsAfterTheFrame(t *testing.T) {
	st := eval(t, `const s = {framed: false, after: false};
		requestAnimationFrame(() => { s.framed = true; setTimeout(() => { s.after = true; }, 0); });
		return s;`)
	done := make(chan struct{}, 3)
	for range 3 {
		go func() { AfterPaint(); done <- struct{}{} }()
	}
	for range 3 {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("AfterPaint never returned")
		}
	}
	for _, k := range []string{"framed", "after"} {
		if v, _ := st.Get(k); !truthy(v) {
			t.Errorf("AfterPaint returned before %s", k)
		}
	}
}

func truthy(v safejs.Value) bool {
	b, _ := v.Truthy()
	return b
}
