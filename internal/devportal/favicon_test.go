package devportal

import (
	"bytes"
	"image/png"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Both origins answer the browser's automatic /favicon.ico with an icon, so
// no page load logs a 404.
func TestFaviconOnBothOrigins(t *testing.T) {
	p := start(t, Config{WidgetDir: t.TempDir()})
	for _, origin := range []string{p.PortalURL(), p.AppURL()} {
		res, err := http.Get(origin + "/favicon.ico")
		require.NoError(t, err)
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, res.StatusCode, origin)
		assert.Equal(t, "image/png", res.Header.Get("Content-Type"), origin)
		img, err := png.Decode(bytes.NewReader(body))
		require.NoError(t, err, origin)
		assert.Equal(t, 32, img.Bounds().Dx())
	}
}
