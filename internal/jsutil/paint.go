//go:build js && wasm

package jsutil

import (
	"sync"
	"time"

	"github.com/hack-pad/safejs"
)

// AfterPaint returns once the page's next frame was painted, or after 50 ms
// when no frame comes (a hidden page gets none). It blocks: call it from a
// goroutine, never a callback. What runs after it (measuring the layout,
// starting the next requests) waits until the change is on screen, and a
// measurement finds the layout already done by the paint instead of forcing
// one (10,000 rows).
//
// Every waiter of one frame shares one requestAnimationFrame and one
// callback, made once for the page: a click's result has several waiters
// (the frame's fit, the names' lookups), and each JS call they would make in
// the result's own task delays it.
func AfterPaint() {
	ch := make(chan struct{})
	if !paint.wait(ch) {
		return
	}
	<-ch
}

// afterFrame is the wait after the frame's callback: animation frame
// callbacks run before the frame is painted, so the waiters wake in a task
// of their own, after it.
const afterFrame = time.Millisecond

// noFrame is how long a waiter waits for a frame that may never come.
const noFrame = 50 * time.Millisecond

var paint painter

type painter struct {
	mu      sync.Mutex
	cb      safejs.Func  // the frame callback, made on first use
	made    bool         // cb exists
	id      safejs.Value // the pending requestAnimationFrame
	timer   *time.Timer  // the wait for a frame that may not come
	waiters []chan struct{}
}

// wait adds ch to the next frame's waiters; false: no frame can be asked
// for, ch will not be closed.
func (p *painter) wait(ch chan struct{}) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiters) > 0 {
		p.waiters = append(p.waiters, ch)
		return true
	}
	if !p.made {
		cb, err := FuncOf(func(safejs.Value, []safejs.Value) any {
			p.framed()
			return nil
		})
		if err != nil {
			return false
		}
		p.cb, p.made = cb, true
	}
	id, err := safejs.Global().Call("requestAnimationFrame", p.cb)
	if err != nil {
		return false
	}
	p.id, p.waiters = id, []chan struct{}{ch}
	p.timer = time.AfterFunc(noFrame, p.noFrame)
	return true
}

// framed runs in the frame's callback: it must not block.
func (p *painter) framed() {
	p.mu.Lock()
	ws := p.take()
	p.mu.Unlock()
	if len(ws) > 0 {
		time.AfterFunc(afterFrame, func() { wake(ws) })
	}
}

// noFrame wakes the waiters of a frame that did not come in time. The frame
// may still come (a busy renderer, not a hidden page): it is cancelled, and
// were it to run anyway it would find no waiters.
func (p *painter) noFrame() {
	p.mu.Lock()
	ws := p.take()
	if len(ws) > 0 {
		_, _ = safejs.Global().Call("cancelAnimationFrame", p.id)
	}
	p.mu.Unlock()
	wake(ws)
}

// take ends the current frame's wait and returns its waiters. mu is held.
func (p *painter) take() []chan struct{} {
	ws := p.waiters
	p.waiters = nil
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	return ws
}

func wake(ws []chan struct{}) {
	for _, ch := range ws {
		close(ch)
	}
}
