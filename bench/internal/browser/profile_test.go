//go:build !js

package browser

import (
	"testing"

	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/runtime"
)

func TestTopSelfSumsSelfTimeByFunction(t *testing.T) {
	node := func(id int64, fn, url string) *profiler.ProfileNode {
		return &profiler.ProfileNode{ID: id, CallFrame: &runtime.CallFrame{FunctionName: fn, URL: url}}
	}
	p := &profiler.Profile{
		Nodes: []*profiler.ProfileNode{node(1, "(idle)", ""), node(2, "fit", "http://127.0.0.1:9/app.js?v=1"),
			node(3, "", "http://127.0.0.1:9/app.js"), node(4, "fit", "http://127.0.0.1:9/app.js")},
		// Each sample's time is the delta that follows it.
		Samples:    []int64{2, 3, 4, 1, 2},
		TimeDeltas: []int64{0, 1000, 2000, 500, 9000},
	}
	got := topSelf(p, 12)
	// fit: 1 ms (node 2) + 0.5 ms (node 4), one name; idle left out; the
	// last sample has no delta after it.
	want := []ProfLine{{"(anonymous) app.js", 2}, {"fit app.js", 1.5}}
	if len(got) != len(want) {
		t.Fatalf("topSelf = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("topSelf[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if top := topSelf(p, 1); len(top) != 1 || top[0].Name != "(anonymous) app.js" {
		t.Errorf("topSelf(p, 1) = %v", top)
	}
}

// A load's bytes are split by file name, never by a path's folder or a
// query.
func TestFileKind(t *testing.T) {
	for url, want := range map[string]int{
		"http://127.0.0.1:9/pinall.wasm":                wasmFile,
		"http://127.0.0.1:9/pinall.wasm.gz?v=2":         wasmFile,
		"http://127.0.0.1:9/a.wasm/loader.js":           otherFile,
		"http://127.0.0.1:9/index.html?x=.wasm":         otherFile,
		"http://127.0.0.1:9/words-de.json":              wordsFile,
		"http://127.0.0.1:9/words-en.json?sha256=1":     wordsFile,
		"http://127.0.0.1:9/words-de.json/x.js":         otherFile,
		"http://127.0.0.1:9/index.html?f=words-de.json": otherFile,
		"http://127.0.0.1:9/swords-de.json":             otherFile,
		"http://127.0.0.1:9/words-de.js":                otherFile,
	} {
		if got := fileKind(url); got != want {
			t.Errorf("fileKind(%q) = %v, want %v", url, got, want)
		}
	}
}
