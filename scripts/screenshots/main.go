//go:build !js

// Command screenshots regenerates the documentation's pictures (docs/*.png)
// from the dev portal, in headless Chromium, so they show the widget as it
// is built now: the whole page after "Pin all" and the chat sidebar, in
// English and Russian, light and dark, the installer, and a contact sheet of
// the chat sidebar in each of the twenty portal languages
// (sidebar-languages.png). `make screenshots` runs it after `make build`.
//
// The pictures are deterministic: the dev portal's demo data, a fixed
// viewport, the colour scheme emulated, and each shot taken once the widget
// reports its state (html[data-state]), its list is complete and named, its
// frame is fitted and no colour transition is running. The dev portal's own
// debug panel (portal state, REST and frame logs) is hidden: the pictures
// show the widget in a portal page, not the tool.
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/pinall/pinall/internal/chromium"
	"github.com/pinall/pinall/internal/devportal"
)

// The page's viewport: a laptop's browser window, small enough to keep the
// PNGs small.
const viewportW, viewportH = 1180, 720

// shot is one picture.
type shot struct {
	file   string
	cfg    devportal.Config
	query  string // the portal page's query (placement, dialog)
	click  string // a button to press first ("" for none)
	want   string // the data-state to wait for after it
	region string // "page" (the viewport) or "frame" (the app's frame box)
	rows   bool   // wait for the session list (it follows done)
	width  int    // the frame box's width in px (0: the portal page's own)
}

// sheetWidth is the chat sidebar's width in the contact sheet: the narrow
// one the layout is made and tested for (docs/dom-contract.md).
const sheetWidth = 300

// sheetShots are the contact sheet's pictures: the chat sidebar after "Pin
// this dialog" in every portal LANG, light, with that language's demo names.
func sheetShots() []shot {
	var out []shot
	for _, l := range devportal.PortalLangs {
		out = append(out, shot{file: l.Code, cfg: devportal.Config{Lang: l.Code},
			query: "placement=IM_SIDEBAR&dialog=chat1364", click: "pin-dialog", want: "done", region: "frame", width: sheetWidth})
	}
	return out
}

func shots() []shot {
	var out []shot
	for _, lang := range []string{"en", "ru"} {
		for _, theme := range []string{"light", "dark"} {
			suffix := "-" + lang + "-" + theme + ".png"
			sidebar := "sidebar" + suffix
			if lang == "en" && theme == "light" {
				sidebar = "sidebar.png" // the README's name for it since the first picture
			}
			out = append(out,
				shot{file: "widget" + suffix, cfg: devportal.Config{Lang: lang}, click: "pin-all", want: "done", region: "page", rows: true},
				shot{file: sidebar, cfg: devportal.Config{Lang: lang},
					query: "placement=IM_SIDEBAR&dialog=chat1364", click: "pin-dialog", want: "done", region: "frame"},
			)
		}
	}
	for _, theme := range []string{"light", "dark"} {
		out = append(out, shot{file: "installer-en-" + theme + ".png", cfg: devportal.Config{Install: true},
			want: "done", region: "frame"})
	}
	return out
}

func main() {
	out := flag.String("out", "docs", "where the PNGs go")
	widget := flag.String("widget", "widget", "the built widget (make build)")
	flag.Parse()
	if err := run(*out, *widget); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(out, widget string) error {
	if _, err := os.Stat(filepath.Join(widget, "pinall.wasm")); err != nil {
		return fmt.Errorf("%w: run make build first", err)
	}
	path, err := chromium.Path()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "pinall-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(dir)}
	opts = append(opts, chromium.Flags()...)
	// Glyphs drawn the same on every machine, so a regenerated PNG differs
	// only where the page did.
	opts = append(opts, chromedp.Flag("font-render-hinting", "none"), chromedp.WindowSize(viewportW, viewportH))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx); err != nil {
		return fmt.Errorf("start chromium: %w", err)
	}
	for _, s := range shots() {
		s.cfg.WidgetDir = widget
		png, err := take(bctx, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		if err := os.WriteFile(filepath.Join(out, s.file), png, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s (%d KB)\n", filepath.Join(out, s.file), (len(png)+1023)/1024)
	}
	var tiles []tile
	for _, s := range sheetShots() {
		s.cfg.WidgetDir = widget
		png, err := take(bctx, s)
		if err != nil {
			return fmt.Errorf("sheet, %s: %w", s.file, err)
		}
		tiles = append(tiles, tile{lang: s.file, png: png})
	}
	png, err := contactSheet(bctx, tiles)
	if err != nil {
		return fmt.Errorf("contact sheet: %w", err)
	}
	file := filepath.Join(out, "sidebar-languages.png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s (%d KB, %d languages)\n", file, (len(png)+1023)/1024, len(tiles))
	return nil
}

// tile is one language's picture on the contact sheet.
type tile struct {
	lang string
	png  []byte
}

// contactSheet lays the tiles out in rows of five under their LANG codes,
// as a page of its own, and returns its picture: the browser composes it,
// so no image package enters the module.
func contactSheet(parent context.Context, tiles []tile) ([]byte, error) {
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 60*time.Second)
	defer tcancel()
	var b strings.Builder
	b.WriteString(`<!doctype html><meta charset="utf-8"><style>
body { margin: 0; background: #eef2f4; font: 600 13px/1.3 "Open Sans", Arial, sans-serif; color: #525c69; }
#sheet { display: grid; grid-template-columns: repeat(5, ` + fmt.Sprint(sheetWidth) + `px); gap: 14px; padding: 16px; width: max-content; align-items: start; }
figure { margin: 0; } figcaption { margin: 0 0 4px; } img { display: block; border-radius: 12px; }
</style><div id="sheet">`)
	for _, t := range tiles {
		fmt.Fprintf(&b, `<figure><figcaption>%s</figcaption><img alt="" src="data:image/png;base64,%s"></figure>`,
			html.EscapeString(t.lang), base64.StdEncoding.EncodeToString(t.png))
	}
	b.WriteString(`</div>`)
	page := "data:text/html;base64," + base64.StdEncoding.EncodeToString([]byte(b.String()))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(5*sheetWidth+4*14+32, 400), chromedp.Navigate(page)); err != nil {
		return nil, err
	}
	if err := waitFor(ctx, `[...document.images].every((i) => i.complete && i.naturalWidth > 0)`); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.FullScreenshot(100))
}

// take opens a portal in a fresh browser context and returns one PNG.
func take(parent context.Context, s shot) ([]byte, error) {
	p, err := devportal.Start(s.cfg)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 60*time.Second)
	defer tcancel()
	theme := "light"
	if strings.Contains(s.file, "-dark") {
		theme = "dark"
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportW, viewportH), scheme(theme)); err != nil {
		return nil, err
	}
	u := p.PortalURL() + "/"
	if s.query != "" {
		u += "?" + s.query
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		return nil, err
	}
	app, err := appFrame(ctx, p.AppURL()+"/")
	if err != nil {
		return nil, err
	}
	if err := chromedp.Do(app, scheme(theme)); err != nil {
		return nil, err
	}
	// The portal's debug panel is the tool's, not Bitrix24's.
	if err := evalVoid(ctx, `document.querySelector(".state").style.display = "none"`); err != nil {
		return nil, err
	}
	if s.width > 0 {
		if err := evalVoid(ctx, `document.querySelector(".frame-box").style.width = "`+fmt.Sprint(s.width)+`px"`); err != nil {
			return nil, err
		}
	}
	first := s.want
	if s.click != "" {
		first = "ready"
	}
	if err := waitFor(app, `document.documentElement.dataset.state === `+quote(first)); err != nil {
		return nil, fmt.Errorf("waiting for %s: %w", first, err)
	}
	if s.click != "" {
		if err := evalVoid(app, `document.getElementById(`+quote(s.click)+`).click()`); err != nil {
			return nil, err
		}
		if err := waitFor(app, `document.documentElement.dataset.state === `+quote(s.want)); err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", s.want, err)
		}
	}
	// Settled: the list complete and every row looked up, the frame sized
	// to its content, no transition running, and nothing focused.
	settled := `(() => {
		const list = document.getElementById("sessions");
		if (` + fmt.Sprint(s.rows) + ` && !(list && list.querySelector("li"))) return false;
		if (list && list.getAttribute("aria-busy") === "true") return false;
		if (list && [...list.querySelectorAll("li")].some((li) => !li.hasAttribute("data-lookup"))) return false;
		if (document.getAnimations().some((a) => a instanceof CSSTransition)) return false;
		if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
		return true;
	})()`
	if err := waitFor(app, settled); err != nil {
		return nil, fmt.Errorf("waiting for the page to settle: %w", err)
	}
	if err := fitted(ctx, app); err != nil {
		return nil, err
	}
	if s.region == "frame" {
		return chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(".frame-box")))
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

// fitted waits until the portal has sized the app's frame to hold the app's
// content (the widget asks it to, through the frame protocol) and the size
// holds.
func fitted(page, app context.Context) error {
	deadline := time.Now().Add(20 * time.Second)
	last := -1.0
	for time.Now().Before(deadline) {
		content, err := chromedp.Run(app, chromedp.Evaluate[float64](`Math.ceil(document.documentElement.getBoundingClientRect().height)`))
		if err != nil {
			return err
		}
		frame, err := chromedp.Run(page, chromedp.Evaluate[float64](`document.getElementById("app-frame").getBoundingClientRect().height`))
		if err != nil {
			return err
		}
		// The widget grows its frame to fit, and need not shrink it.
		if frame >= content-1 && frame == last {
			return nil
		}
		last = frame
		time.Sleep(50 * time.Millisecond) // polling two documents in two processes
	}
	return errors.New("the frame never fitted its content")
}

// scheme emulates prefers-color-scheme in one target (the page, or the
// app's frame, which runs in a renderer of its own).
func scheme(theme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: theme}}})
		return err
	})
}

// appFrame attaches to the app's cross-origin iframe, once its document is
// the app's.
func appFrame(ctx context.Context, prefix string) (context.Context, error) {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			return nil, err
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				app, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
				if err := waitFor(app, `location.href.startsWith(`+quote(prefix)+`)`); err != nil {
					return nil, err
				}
				return app, nil
			}
		}
		time.Sleep(20 * time.Millisecond) // polling the target list
	}
	return nil, errors.New("no iframe for the app")
}

// waitFor polls a JS condition in ctx's document.
func waitFor(ctx context.Context, cond string) error {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(20*time.Second)))
	return err
}

func evalVoid(ctx context.Context, expr string) error {
	_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => { `+expr+`; })()`))
	return err
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
