package frame

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// Every caller waiting for the init data, however many and from whichever
// goroutine, gets the one answer the portal sent.
func TestAnswerReachesEveryWaiter(t *testing.T) {
	a := &answer{done: make(chan struct{})}
	want := InitData{Domain: "portal.example", Lang: "de", Placement: "DEFAULT"}
	const n = 8
	var wg sync.WaitGroup
	got := make([]InitData, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { got[i], errs[i] = a.wait(context.Background()) })
	}
	a.set(want, nil)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || !same(got[i], want) {
			t.Fatalf("waiter %d: %+v, %v", i, got[i], errs[i])
		}
	}
	if d, err := a.wait(context.Background()); err != nil || !same(d, want) {
		t.Fatalf("after the answer: %+v, %v", d, err)
	}
}

// A failure is kept: asked again, the frame gives the same failure at once
// instead of waiting for a portal that did not answer.
func TestAnswerKeepsAFailure(t *testing.T) {
	a := &answer{done: make(chan struct{})}
	fail := &NoAnswerError{Command: cmdGetInitData}
	a.set(InitData{}, fail)
	for range 2 {
		_, err := a.wait(context.Background())
		if !errors.Is(err, ErrNotInBitrix24) || !errors.Is(err, fail) {
			t.Fatalf("got %v", err)
		}
	}
}

// A caller that stops waiting (its context ended) gets its context's error;
// the question stays asked and the next caller gets the answer.
func TestAnswerOutlivesACallerThatGaveUp(t *testing.T) {
	a := &answer{done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("gave up: %v", err)
	}
	want := InitData{Domain: "portal.example"}
	done := make(chan error, 1)
	go func() {
		d, err := a.wait(context.Background())
		if err == nil && !same(d, want) {
			err = errors.New("wrong data")
		}
		done <- err
	}()
	a.set(want, nil)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// same compares the fields these tests set (InitData holds JSON values,
// which are not comparable).
func same(a, b InitData) bool {
	return a.Domain == b.Domain && a.Lang == b.Lang && a.Placement == b.Placement
}
