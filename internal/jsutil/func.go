//go:build js && wasm

package jsutil

import (
	"sync"

	"github.com/hack-pad/safejs"
)

// FuncOf is safejs.FuncOf behind the panic boundary: a Go panic inside fn is
// recovered, reported to the panic handler, and the call returns undefined.
// Without it one panicking callback would end the Go program for good.
// fn runs on the JS event loop: it must not block (start a goroutine).
func FuncOf(fn func(this safejs.Value, args []safejs.Value) any) (safejs.Func, error) {
	return safejs.FuncOf(func(this safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				reportPanic(panicToError(r))
				result = nil
			}
		}()
		return fn(this, args)
	})
}

// Listener handles one DOM event. Like any callback it must not block.
type Listener func(event safejs.Value)

// AddEventListener registers fn on target for events of type typ. The
// returned remove detaches the listener and releases its Func; it is safe to
// call more than once and from inside the listener.
func AddEventListener(target safejs.Value, typ string, fn Listener) (remove func(), err error) {
	f, err := FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			fn(args[0])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := target.Call("addEventListener", typ, f); err != nil {
		f.Release()
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// A listener removed during dispatch is not invoked again, so
			// releasing right after is safe.
			_, _ = target.Call("removeEventListener", typ, f)
			f.Release()
		})
	}, nil
}
