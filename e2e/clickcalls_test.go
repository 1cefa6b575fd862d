//go:build !js

package e2e

// What a click costs the page in calls from the Go program into JavaScript,
// from the click to data-state done. Every property the program reads or
// writes, every method it calls and every Go string it hands over is a call
// through wasm_exec.js's imports, made inside the click's own tasks, where
// plain JavaScript makes a plain property access; make bench's click figures
// are mostly these calls and the Go around them. A count is exact where a
// time on a shared machine is not, so it is what this test holds: a change
// that makes a click call into JS more often fails here, with the count of
// each import, and either finds its calls back or raises the bound saying why.

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// countCallsJS runs before the app's own scripts: when wasm_exec.js defines
// Go, it wraps each of the program's imports with a counter, and the
// program's re-entries from JS (_resume: a callback, a timer) as
// "(resume)". A click is counted from its event (a listener on window, in
// the capture phase: before the button's own) to the state it ends in, when
// the task that set it yields, as make bench's observer records it; busy
// splits it into the click's own task and the rest.
const countCallsJS = `(() => {
const calls = { "(all)": 0 };
const count = (name) => { calls["(all)"]++; calls[name] = (calls[name] || 0) + 1; };
let Go;
Object.defineProperty(globalThis, "Go", {
	configurable: true,
	get: () => Go,
	set: (C) => {
		Go = class extends C {
			constructor(...args) {
				super(...args);
				const imports = this.importObject.gojs;
				for (const [name, f] of Object.entries(imports)) imports[name] = (sp) => { count(name); return f(sp); };
				const resume = this._resume;
				this._resume = () => { count("(resume)"); return resume.call(this); };
			}
		};
	},
});
const diff = (from, to) => {
	const d = {};
	for (const [k, n] of Object.entries(to)) if (n - (from[k] || 0)) d[k] = n - (from[k] || 0);
	return d;
};
const snap = () => ({ ...calls });
const clicks = globalThis.__e2eClickCalls = [];
let click = null;
addEventListener("click", (e) => {
	if (e.target.closest && e.target.closest("#pin-all, #unpin-all")) click = { at: snap() };
}, true);
const root = document.documentElement;
new MutationObserver(() => {
	const s = root.dataset.state;
	if (!click) return;
	if (s === "busy" && !click.busy) click.busy = snap();
	if (s === "done" || s === "error") {
		const now = snap(), busy = click.busy || now;
		clicks.push({ state: s, all: diff(click.at, now), task: diff(click.at, busy), rest: diff(busy, now) });
		click = null;
	}
}).observe(root, { attributes: true, attributeFilter: ["data-state"] });
})();
`

// clickCalls is one click's counts by import: all of it, the click's own
// task (up to busy) and the rest (busy to its end).
type clickCalls struct {
	State string         `json:"state"`
	All   map[string]int `json:"all"`
	Task  map[string]int `json:"task"`
	Rest  map[string]int `json:"rest"`
}

// intoJS counts the calls into JS: every syscall/js import but
// finalizeRef, which the collector makes when it runs, not the click.
func intoJS(m map[string]int) int {
	n := 0
	for k, c := range m {
		if strings.HasPrefix(k, "syscall/js.") && k != "syscall/js.finalizeRef" {
			n += c
		}
	}
	return n
}

// byImport lists m's counts, largest first.
func byImport(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", strings.TrimPrefix(k, "syscall/js."), m[k])
	}
	return b.String()
}

// The bounds: a click's calls into JS from the click to done, as counted
// by intoJS. The first click after ready lists the operator's sessions and
// starts their names' lookups; each later one (make bench's steady state)
// finds nothing left to pin and lists none. Each is the count of every
// engine when it was set (72, and 64 at most) plus 3: room for a timer of the
// runtime's firing inside a click (a call each), not for another write.
const (
	maxFirstClickCalls  = 75
	maxSteadyClickCalls = 67
)

// steadyClicks is how many clicks follow the first.
const steadyClicks = 3

func TestClickCallsIntoJS(t *testing.T) {
	for _, spec := range engines {
		t.Run(spec.name, func(t *testing.T) {
			pg := spec.get(t).newPage(t)
			dir := copyWidget(t)
			pre := addPreload(t, dir)
			pre.js = countCallsJS
			p := startPortal(t, devportal.Config{WidgetDir: dir, AppWrap: pre.wrap})
			a := openPortalApp(t, pg, p, "")
			require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())
			a.still() // what follows ready (the frame's height, the warm-up) is over
			for i := 0; i <= steadyClicks; i++ {
				a.click("#pin-all")
				require.Equal(t, stateDone, a.waitState(stateDone, stateError), "click %d: %+v", i+1, a.dom())
				// What follows done (the names, the frame's height) ends
				// before the next click, so none of it counts in that one.
				if i == 0 {
					lookupsIdle(t, p, a)
				}
				a.still()
			}
			clicks := evalAs[[]clickCalls](a, `globalThis.__e2eClickCalls`)
			require.Len(t, clicks, steadyClicks+1, "a count for every click")
			for i, c := range clicks {
				t.Logf("click %d: %d calls into JS (its own task %d, then %d);%s", i+1, intoJS(c.All), intoJS(c.Task), intoJS(c.Rest), byImport(c.All))
				t.Logf("click %d, its own task:%s", i+1, byImport(c.Task))
				t.Logf("click %d, busy to done:%s", i+1, byImport(c.Rest))
			}
			assert.LessOrEqual(t, intoJS(clicks[0].All), maxFirstClickCalls, "the first click's calls into JS")
			for i, c := range clicks[1:] {
				assert.LessOrEqual(t, intoJS(c.All), maxSteadyClickCalls, "click %d's calls into JS", i+2)
			}
		})
	}
}
