package devportal

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"sync"
)

// A browser asks every top-level page's origin for /favicon.ico: the portal
// page, and the app when opened on its own. A 404 there is an error in the
// console of every load; the dev portal answers with a small icon of its
// own (a Bitrix24-blue disc), drawn once.
var favicon = sync.OnceValue(func() []byte {
	const size = 32
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x2f, 0xc6, 0xf6, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	for y := range size {
		for x := range size {
			dx, dy := 2*x+1-size, 2*y+1-size
			switch d := dx*dx + dy*dy; {
			case d <= 10*10:
				img.SetNRGBA(x, y, white)
			case d <= size*size:
				img.SetNRGBA(x, y, blue)
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // cannot fail on an in-memory image
	return b.Bytes()
})

// serveFavicon answers /favicon.ico.
func serveFavicon(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "max-age=86400")
	_, _ = w.Write(favicon())
}
