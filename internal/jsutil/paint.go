//go:build js && wasm

package jsutil

import (
	"time"

	"github.com/hack-pad/safejs"
)

// AfterPaint returns after the page's next animation frame, or after 50 ms
// when none comes (a hidden page gets none). It blocks: call it from a
// goroutine, never a callback. Measuring the layout after it, not right after
// a DOM change, keeps a forced layout (10,000 rows) off the caller's path:
// the page shows the change first and lays it out once.
func AfterPaint() {
	done := make(chan struct{}, 1)
	cb, err := FuncOf(func(safejs.Value, []safejs.Value) any {
		select {
		case done <- struct{}{}:
		default:
		}
		return nil
	})
	if err != nil {
		return
	}
	defer cb.Release()
	id, err := safejs.Global().Call("requestAnimationFrame", cb)
	if err != nil {
		return
	}
	t := time.NewTimer(50 * time.Millisecond)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		// The frame may still come (a busy renderer, not a hidden page):
		// cancel it, or it would call the Func released on return ("call
		// to released function" in the console).
		_, _ = safejs.Global().Call("cancelAnimationFrame", id)
	}
}
