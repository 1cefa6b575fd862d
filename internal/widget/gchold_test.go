//go:build !js

package widget

import (
	"runtime/debug"
	"testing"
	"time"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGCHoldIsOneClickAndGivesTheCollectorBack(t *testing.T) {
	base := debug.SetGCPercent(37)
	t.Cleanup(func() { debug.SetGCPercent(base) })
	released := make(chan struct{}, 1)
	g := gcHold{released: func() { released <- struct{}{} }}
	wait := func() {
		t.Helper()
		select {
		case <-released:
		case <-time.After(waitTimeout):
			t.Fatal("the collector was never given back")
		}
	}

	release := g.hold()
	require.NotNil(t, release)
	assert.True(t, g.held())
	assert.Equal(t, -1, debug.SetGCPercent(-1), "the collector is off while held")
	garbage := weak.Make(&[64 << 10]byte{}) // what a click allocates and drops

	assert.Nil(t, g.hold(), "a click while held does not stretch the hold")

	release()
	wait()
	assert.False(t, g.held())
	assert.Equal(t, 37, debug.SetGCPercent(37), "GOGC as it was")
	assert.Nil(t, garbage.Value(), "the click's garbage is collected when the collector is given back, not left to grow the heap")

	require.NotNil(t, g.hold(), "the next click holds again")
	g.releaseSoon()
	wait()
	assert.False(t, g.held())
}

func TestGCHoldCollectsOnlyOutsideAClick(t *testing.T) {
	base := debug.SetGCPercent(37)
	t.Cleanup(func() { debug.SetGCPercent(base) })
	var g gcHold
	require.NotNil(t, g.hold())
	garbage := weak.Make(&[64 << 10]byte{})
	g.collect()
	assert.NotNil(t, garbage.Value(), "no collection inside a click")

	g.on.Store(false) // the click is over
	g.collect()
	assert.Nil(t, garbage.Value(), "collected outside a click")
}
