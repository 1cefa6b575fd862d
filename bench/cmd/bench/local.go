//go:build !js

package main

import (
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/bench/internal/stats"
	"github.com/pinall/pinall/internal/devportal"
)

// localRun is one cold load, one warm load, pageClicks clicks on that page
// and one 10,000-ID click of a variant, in a fresh browser context.
func localRun(b *browser.Browser, v *variant, pageClicks int) error {
	p, m := v.portal, &v.Local
	t, err := newFresh(b, p)
	if err != nil {
		return err
	}
	defer t.close()
	cold, err := t.open(user1)
	if err != nil {
		return fmt.Errorf("cold load: %w", err)
	}
	m.Cold.Add(cold)
	warm, err := t.open(user1)
	if err != nil {
		return fmt.Errorf("warm load: %w", err)
	}
	m.Warm.Add(warm)
	if !v.Clicks {
		return nil
	}

	// The first click after ready, then the steady state on the same page.
	logged := restRequests(p)
	first, err := clickOnce(t.Tab, warm.Frame, p, 0, afterDone)
	m.ClickMethods = restMethods(p, logged)
	if err != nil {
		return fmt.Errorf("click 1: %w", err)
	}
	if first.rows == 0 {
		return errors.New("click 1: the result held no sessions")
	}
	m.FirstClick = append(m.FirstClick, first.done)
	m.FirstRespToDone = appendIf(m.FirstRespToDone, first.respToDone)
	m.ReqsClick = append(m.ReqsClick, float64(first.reqs))
	m.ReqsAfter = append(m.ReqsAfter, float64(first.after))
	var steady, steadyResp []float64
	for i := 2; i <= pageClicks; i++ {
		c, err := clickOnce(t.Tab, warm.Frame, p, 0, steadyPause)
		if err != nil {
			return fmt.Errorf("click %d: %w", i, err)
		}
		steady = append(steady, c.done)
		steadyResp = appendIf(steadyResp, c.respToDone)
	}
	m.SteadyClick = append(m.SteadyClick, stats.Median(steady))
	if len(steadyResp) > 0 {
		m.SteadyRespToDone = append(m.SteadyRespToDone, stats.Median(steadyResp))
	}

	tBig := time.Now()
	big, err := t.open(user10k)
	if err != nil {
		return fmt.Errorf("10k load: %w", err)
	}
	tClick := time.Now()
	c, err := clickOnce(t.Tab, big.Frame, p, n10k, afterDone)
	if verbose {
		log.Printf("%s: 10k load %.1fs, click %.1fs (in page %.0f ms)", v.Name, tClick.Sub(tBig).Seconds(), time.Since(tClick).Seconds(), c.done)
	}
	if err != nil {
		return fmt.Errorf("10k click: %w", err)
	}
	if c.rows < n10k {
		return fmt.Errorf("10k click: the list holds %d rows, want >= %d", c.rows, n10k)
	}
	m.Click10k = append(m.Click10k, c.done)
	m.Whole10k = append(m.Whole10k, c.whole)
	return nil
}

func appendIf(xs []float64, x float64) []float64 {
	if x < 0 {
		return xs
	}
	return append(xs, x)
}

// click is one click on #pin-all, timed inside the iframe.
type click struct {
	done       float64 // ms from the click event to data-state=done
	whole      float64 // ms from the click event to the list complete
	respToDone float64 // ms from the REST response's last byte to done; -1 unknown
	reqs       int     // REST requests the portal received up to done (OPTIONS included)
	after      int     // those after done, up to settle (the dialog-name lookups)
	rows       int     // li[data-session-id] in the complete list
}

const (
	// afterDone is how long after done the requests of a click are still
	// counted as its own (the dialog-name lookups that follow it).
	afterDone = 500 * time.Millisecond
	// steadyPause is the pause after each steady-state click: the page
	// finishes what follows done before the next click, as a user's would.
	steadyPause = 200 * time.Millisecond
)

// clickOnce clicks #pin-all with the mouse and times it; it returns settle
// after done, counting the requests until then. With whole > 0 the
// list is complete at the first change to #sessions after which it holds
// whole li[data-session-id] and is not aria-busy (observer.js's armWhole);
// with 0, when #sessions is no longer aria-busy (or at done, if it was not
// busy then).
func clickOnce(t *browser.Tab, f *browser.Frame, p *devportal.Portal, whole int, settle time.Duration) (click, error) {
	var c click
	x, y, err := t.Point(f, "#pin-all")
	if err != nil {
		return c, err
	}
	if whole > 0 {
		var armed bool
		if err := f.Eval(fmt.Sprintf(`__bench.armWhole(%d)`, whole), &armed); err != nil {
			return c, err
		}
	}
	from, err := f.Seq()
	if err != nil {
		return c, err
	}
	before := restRequests(p)
	// A click the layout moved away from would never end: check that the app
	// saw it (its state moved on), and click again if not.
	for try := 1; ; try++ {
		if err := t.Click(x, y); err != nil {
			return c, err
		}
		var moved bool
		err := f.Eval(fmt.Sprintf(`new Promise((ok) => { const t0 = performance.now();
			const f = () => (__bench.seq > %d || performance.now() - t0 > 3000) ? ok(__bench.seq > %d) : setTimeout(f, 20);
			f(); })`, from, from), &moved)
		if err != nil {
			return c, err
		}
		if moved {
			break
		}
		if try == 3 {
			return c, errors.New("three clicks on #pin-all did not reach the app")
		}
		if x, y, err = t.Point(f, "#pin-all"); err != nil {
			return c, err
		}
	}
	w, err := f.WaitState(from, "done", "error")
	if err != nil {
		return c, err
	}
	if w.State != "done" {
		return c, fmt.Errorf("the click ended in %q", w.State)
	}
	if w.Click < 0 {
		return c, errors.New("no click event reached the app")
	}
	c.done, c.respToDone = w.T-w.Click, -1
	if w.Response >= w.Click {
		c.respToDone = w.T - w.Response
	}
	// Rows are counted once the list is complete; its time is the observer's
	// record of aria-busy leaving #sessions, or done if that came first.
	var end struct {
		Rows int     `json:"rows"`
		Idle float64 `json:"idle"`
	}
	if err := f.Eval(`new Promise((ok, fail) => { const t0 = performance.now();
		const f = () => {
			if (!document.querySelector('#sessions[aria-busy="true"]')) return ok({ idle: __bench.idle,
				rows: document.querySelectorAll("#sessions li[data-session-id]").length });
			if (performance.now() - t0 > 10000) return fail(new Error("#sessions still aria-busy after 10 s"));
			setTimeout(f, 10);
		};
		f(); })`, &end); err != nil {
		return c, err
	}
	c.rows, c.whole = end.Rows, max(w.T, end.Idle)-w.Click
	if whole > 0 {
		var at float64
		if err := f.Eval(`new Promise((ok, fail) => { const t0 = performance.now();
			const f = () => {
				if (__bench.whole >= 0) return ok(__bench.whole);
				if (performance.now() - t0 > 20000) return fail(new Error("the list never held all its rows, not busy, within 20 s"));
				setTimeout(f, 10);
			};
			f(); })`, &at); err != nil {
			return c, err
		}
		c.whole = at - w.Click
	}
	// Split at done on the wall clock: the portal logs each request as it
	// arrives, the observer notes Date.now() with done (same machine clock).
	time.Sleep(settle)
	done := time.UnixMilli(int64(w.Wall))
	i := 0
	for _, r := range p.Requests() {
		if !strings.HasPrefix(r.Path, "/rest/") {
			continue
		}
		if i++; i <= before {
			continue
		}
		if r.Time.After(done) {
			c.after++
		} else {
			c.reqs++
		}
	}
	return c, nil
}

func restRequests(p *devportal.Portal) int {
	n := 0
	for _, r := range p.Requests() {
		if strings.HasPrefix(r.Path, "/rest/") {
			n++
		}
	}
	return n
}

// restMethods lists the REST requests logged since the first n, as
// "HTTP method REST method" with counts.
func restMethods(p *devportal.Portal, n int) string {
	count := map[string]int{}
	var order []string
	i := 0
	for _, r := range p.Requests() {
		if !strings.HasPrefix(r.Path, "/rest/") {
			continue
		}
		if i++; i <= n {
			continue
		}
		k := r.HTTPMethod + " " + r.Method
		if r.Method == "" {
			k = r.HTTPMethod + " " + r.Path // a preflight names no REST method
		}
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	var parts []string
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%d x %s", count[k], k))
	}
	return strings.Join(parts, ", ")
}

// memoryRun loads the variant and clicks pin/unpin alternately n times
// (element.click() inside the page, each awaited to done), measuring after
// click 2, click memFrom, halfway to n and after click n.
func memoryRun(b *browser.Browser, v *variant, n int) error {
	m := &v.Local.Memory
	t, err := newFresh(b, v.portal)
	if err != nil {
		return err
	}
	defer t.close()
	r, err := t.open(user1)
	if err != nil {
		return err
	}
	f := r.Frame
	// One round first, so both measurements see a page that has shown a list.
	if v.Clicks {
		if err := clickLoop(f, 2); err != nil {
			return err
		}
	}
	if m.After2, err = f.Memory(); err != nil {
		return err
	}
	if !v.Clicks {
		return nil
	}
	// Go's runtime maps its collector's metadata in a one-time step within
	// the first ~150 clicks: flat means flat from click memFrom on.
	if err := clickLoop(f, memFrom-2); err != nil {
		return err
	}
	if m.From, err = f.Memory(); err != nil {
		return err
	}
	// A midpoint tells a late one-time step from steady growth.
	mid := (memFrom + n) / 2
	if err := clickLoop(f, mid-memFrom); err != nil {
		return err
	}
	if m.Mid, err = f.Memory(); err != nil {
		return err
	}
	if err := clickLoop(f, n-mid); err != nil {
		return err
	}
	m.Clicks = n
	m.Last, err = f.Memory()
	return err
}

func clickLoop(f *browser.Frame, n int) error {
	var done int
	err := f.Eval(fmt.Sprintf(`(async () => {
		const pin = document.getElementById("pin-all"), unpin = document.getElementById("unpin-all");
		let done = 0;
		for (let i = 0; i < %d; i++) {
			const from = __bench.seq;
			(i %% 2 ? unpin : pin).click();
			const w = await __bench.wait(["done", "error"], from);
			if (w.state === "done") done++;
		}
		return done;
	})()`, n), &done)
	if err != nil {
		return err
	}
	if done != n {
		return fmt.Errorf("%d of %d clicks reached done", done, n)
	}
	return nil
}
