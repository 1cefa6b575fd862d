//go:build js && wasm

package jsutil

import (
	"context"
	"sync"

	"github.com/hack-pad/safejs"
)

type settled struct {
	value safejs.Value
	err   error
}

// Await waits for a Promise (any thenable) to settle, or for ctx. A
// fulfilled value is returned; a rejection becomes a *JSError; a cancelled
// ctx returns ctx.Err(). A value that is not a thenable is returned as is,
// like JS await.
//
// The two Funcs given to then() are released when the promise settles, even
// if Await already returned because ctx ended: releasing them earlier would
// make a later settlement call a released function. A promise that never
// settles after a cancel keeps its two Funcs (an abortable operation, like
// fetch with a signal, always settles).
func Await(ctx context.Context, promise safejs.Value) (safejs.Value, error) {
	if err := ctx.Err(); err != nil {
		return safejs.Undefined(), err
	}
	if t := promise.Type(); t != safejs.TypeObject && t != safejs.TypeFunction {
		return promise, nil
	}
	ch := make(chan settled, 1)
	var (
		once             sync.Once
		onFulfil, onFail safejs.Func
	)
	release := func() {
		onFulfil.Release()
		onFail.Release()
	}
	deliver := func(s settled) {
		once.Do(func() {
			ch <- s // buffered: never blocks the event loop
			release()
		})
	}
	var err error
	onFulfil, err = FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		deliver(settled{value: arg0(args)})
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	onFail, err = FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		deliver(settled{err: errorOf(arg0(args))})
		return nil
	})
	if err != nil {
		onFulfil.Release()
		return safejs.Undefined(), err
	}
	// then is called without looking it up first (a call into JS less for
	// every promise); only when the call fails is it asked whether there was
	// a then to call.
	if _, err := promise.Call("then", onFulfil, onFail); err != nil {
		release()
		if !isThenable(promise) {
			return promise, nil
		}
		return safejs.Undefined(), err
	}
	select {
	case s := <-ch:
		return s.value, s.err
	case <-ctx.Done():
		return safejs.Undefined(), ctx.Err()
	}
}

func arg0(args []safejs.Value) safejs.Value {
	if len(args) == 0 {
		return safejs.Undefined()
	}
	return args[0]
}

// isThenable reports whether v, an object or a function, has a then method.
func isThenable(v safejs.Value) bool {
	then, err := v.Get("then")
	return err == nil && then.Type() == safejs.TypeFunction
}
