//go:build js && wasm

package main

import (
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGCHoldIsOneClickAndGivesTheCollectorBack(t *testing.T) {
	base := debug.SetGCPercent(37)
	t.Cleanup(func() { debug.SetGCPercent(base) })
	var g gcHold

	release := g.hold()
	require.NotNil(t, release)
	assert.True(t, g.held())
	assert.Equal(t, -1, debug.SetGCPercent(-1), "the collector is off while held")

	assert.Nil(t, g.hold(), "a click while held does not stretch the hold")

	release()
	assert.True(t, g.held(), "still off until the result had a frame to paint")
	assert.Eventually(t, func() bool { return !g.held() }, time.Second, time.Millisecond)
	assert.Equal(t, 37, debug.SetGCPercent(37), "GOGC as it was")

	require.NotNil(t, g.hold(), "the next click holds again")
	g.releaseSoon()
	assert.Eventually(t, func() bool { return !g.held() }, time.Second, time.Millisecond)
}
