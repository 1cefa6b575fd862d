package clock

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRealSleeps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := Real.Now()
		assert.NoError(t, Real.Sleep(t.Context(), 3*time.Second))
		assert.Equal(t, 3*time.Second, Real.Now().Sub(start))

		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		assert.ErrorIs(t, Real.Sleep(ctx, time.Hour), context.DeadlineExceeded, "the context ends the wait")
		assert.Equal(t, 4*time.Second, Real.Now().Sub(start))

		assert.ErrorIs(t, Real.Sleep(ctx, 0), context.DeadlineExceeded, "an ended context, even for no wait")
	})
}
