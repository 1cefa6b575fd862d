//go:build !js

package widget

import (
	"runtime/debug"
	"testing"
	"testing/synctest"
	"time"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setGOGC sets GOGC for the test, as loader.js sets it for the page.
func setGOGC(t *testing.T, percent int) {
	base := debug.SetGCPercent(percent)
	t.Cleanup(func() { debug.SetGCPercent(base) })
}

// holdForClick holds the collector as a click does, and returns the release.
func holdForClick(t *testing.T, g *gcHold) (release func()) {
	t.Helper()
	release = g.hold()
	require.NotNil(t, release)
	return release
}

// In a bubble: the release's delay passes on the bubble's clock, and
// synctest.Wait lets its task finish before the test looks.
func TestGCHoldIsOneClickAndGivesTheCollectorBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		setGOGC(t, 37)
		var g gcHold
		release := holdForClick(t, &g)
		assert.True(t, g.held())
		assert.Equal(t, -1, debug.SetGCPercent(-1), "the collector is off while held")
		garbage := weak.Make(&[64 << 10]byte{}) // what a click allocates and drops

		assert.Nil(t, g.hold(), "a click while held does not stretch the hold")

		release()
		time.Sleep(releaseDelay - time.Millisecond)
		synctest.Wait()
		assert.True(t, g.held(), "still held until the result can be painted")
		assert.True(t, garbage.Value() != nil)

		time.Sleep(time.Millisecond)
		synctest.Wait()
		assert.False(t, g.held())
		assert.Equal(t, 37, debug.SetGCPercent(37), "GOGC as it was")
		assert.True(t, garbage.Value() == nil, "the click's garbage is collected when the collector is given back, not left to grow the heap")

		require.NotNil(t, g.hold(), "the next click holds again")
		g.releaseSoon()
		time.Sleep(releaseDelay)
		synctest.Wait()
		assert.False(t, g.held())
	})
}

func TestGCHoldCollectsOnlyOutsideAClick(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		setGOGC(t, 37)
		var g gcHold
		release := holdForClick(t, &g)
		garbage := weak.Make(&[64 << 10]byte{})
		g.collect()
		assert.True(t, garbage.Value() != nil, "no collection inside a click")

		release()
		time.Sleep(releaseDelay)
		synctest.Wait() // the click is over
		garbage = weak.Make(&[64 << 10]byte{})
		g.collect()
		assert.True(t, garbage.Value() == nil, "collected outside a click")
	})
}
