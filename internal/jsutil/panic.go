//go:build js && wasm

package jsutil

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
)

// PanicError is a recovered Go panic: the value and where it happened.
type PanicError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Value any
	Stack string // a few "function file:line" frames, innermost first
}

func (e *PanicError) Error() string {
	return "panic: " + fmt.Sprint(e.Value) + " [" + e.Stack + "]"
}

// Unwrap exposes a panic value that was itself an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// panicToError wraps a value from recover() with a short stack summary.
// Call it from the deferred function that recovered, so the frames of the
// panicking code are still on the stack.
func panicToError(v any) error {
	return &PanicError{Value: v, Stack: stackSummary(8)}
}

func stackSummary(max int) string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var b strings.Builder
	count := 0
	for count < max {
		f, more := frames.Next()
		// Skip the runtime's panic machinery; keep the code that panicked.
		if !strings.HasPrefix(f.Function, "runtime.") && f.Function != "" {
			if count > 0 {
				b.WriteString("; ")
			}
			file := f.File
			if i := strings.LastIndexByte(file, '/'); i >= 0 {
				file = file[i+1:]
			}
			b.WriteString(f.Function + " " + file + ":" + strconv.Itoa(f.Line))
			count++
		}
		if !more {
			break
		}
	}
	return b.String()
}

var panicHandler atomic.Pointer[func(error)]

// SetPanicHandler sets where recovered panics go (nil restores the default,
// which prints to the console). The UI sets it to show an error state.
func SetPanicHandler(h func(error)) {
	if h == nil {
		panicHandler.Store(nil)
		return
	}
	panicHandler.Store(&h)
}

func reportPanic(err error) {
	if h := panicHandler.Load(); h != nil {
		// A panicking handler must not take the runtime down either.
		defer func() {
			if r := recover(); r != nil {
				println("jsutil: panic in the panic handler:", fmt.Sprint(r))
			}
		}()
		(*h)(err)
		return
	}
	println("jsutil: recovered:", err.Error())
}

// recoverPanic is for a deferred call at the top of a goroutine or callback:
// `defer recoverPanic()`. It reports a panic to the handler instead of
// letting it end the program.
func recoverPanic() {
	if r := recover(); r != nil {
		reportPanic(panicToError(r))
	}
}

// Go runs fn in a new goroutine behind the panic boundary.
func Go(fn func()) {
	go func() {
		defer recoverPanic()
		fn()
	}()
}
