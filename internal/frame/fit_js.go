//go:build js && wasm

package frame

import (
	"context"
	"sync"
	"time"

	"github.com/pinall/pinall/internal/jsutil"
)

// Fitter keeps the frame's height on the content. It sends one
// resizeWindow at a time and measures when it sends, so two replies can
// never land out of order and leave the frame at a stale height; requests
// made while one is in flight fold into one more round.
type Fitter struct {
	frame   *Frame
	measure func() (int, error)

	mu      sync.Mutex
	running bool // a round is in flight
	again   bool // the content changed during it
	height  int  // the last height the portal confirmed
}

// FitTo makes Fit keep f's height on what measure reports (CSS pixels).
// Call it once, before anything calls Fit: the pages then drive *Frame itself
// (internal/widget's and internal/install's Frame), where a struct of the
// frame and its Fitter would compile a wrapper for each of their methods.
func (f *Frame) FitTo(measure func() (int, error)) {
	f.fitter = &Fitter{frame: f, measure: measure}
}

// Fit asks for a fit (nothing before FitTo). It never blocks.
func (f *Frame) Fit() {
	if ft := f.fitter; ft != nil {
		ft.Fit()
	}
}

// Fit asks for a fit. It never blocks: callers are often JS callbacks.
func (ft *Fitter) Fit() {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if ft.running {
		ft.again = true
		return
	}
	ft.running = true
	jsutil.Go(ft.rounds)
}

func (ft *Fitter) rounds() {
	defer func() { // a panic in measure must not leave running stuck
		ft.mu.Lock()
		ft.running = false
		ft.mu.Unlock()
	}()
	for {
		jsutil.AfterPaint() // measured once the change is on screen, not forced now
		ft.mu.Lock()
		ft.again = false
		last := ft.height
		ft.mu.Unlock()
		if h, err := ft.measure(); err == nil && h != last {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			if ft.frame.resize(ctx, fullWidth, h) == nil {
				ft.mu.Lock()
				ft.height = h
				ft.mu.Unlock()
			}
			cancel()
		}
		ft.mu.Lock()
		more := ft.again
		ft.mu.Unlock()
		if !more {
			return
		}
	}
}
