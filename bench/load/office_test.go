//go:build !js

package load

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

var (
	office  = flag.String("office", "", "run the office simulation for these N (comma-separated), e.g. 10,30,100,300")
	results = flag.String("results", "", "write the report's table to this file")
	seed    = flag.Uint64("seed", 1, "the seed of the dialogs' counts and of every widget's jitter")
)

// maxRun ends a simulation that never settles (on the bubble's clock).
const maxRun = 6 * time.Hour

// TestOffice is make load: not a test of the widget but the simulation's
// run, skipped unless -office names the office sizes.
func TestOffice(t *testing.T) {
	if *office == "" {
		t.Skip("the office simulation runs with -office 10,30,100,300 (make load)")
	}
	var reports []Report
	for _, f := range strings.Split(*office, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		require.NoError(t, err, "-office %q", *office)
		var r Report
		wall := time.Now()
		synctest.Test(t, func(t *testing.T) { r = simulate(t, NewOffice(n, *seed)) })
		t.Logf("N=%d: simulated %s in %s; the clicks' requests %d, refused %d; the names' %d, refused %d; names taken before the last click was done %d",
			n, secs(r.Ended), time.Since(wall).Round(time.Millisecond), r.ClickRequests, r.ClickRef,
			r.Requests-r.ClickRequests, r.Refused-r.ClickRef, r.NamesBeforeLast)
		reports = append(reports, r)
	}
	table := Markdown(reports)
	for _, r := range reports {
		words := map[string]int{}
		for _, w := range r.ErrorWords {
			words[w]++
		}
		for w, k := range words {
			table += fmt.Sprintf("\nN = %d: %d clicks ended in: %s\n", r.N, k, w)
		}
	}
	fmt.Print(table)
	if *results != "" {
		doc := "# Office simulation\n\nWritten by `make load` (bench/load, seed " + strconv.FormatUint(*seed, 10) +
			"); how to read it: docs/benchmarks.md, \"The office\".\n\n" + table
		require.NoError(t, os.WriteFile(*results, []byte(doc), 0o644))
	}
}

// simulate runs one office in the bubble and reports it.
func simulate(t *testing.T, o Office) Report {
	data := o.Data()
	portal, rest, err := devportal.NewREST(devportal.Config{Data: &data, RateLimit: devportal.RateLimit{PerSecond: Rate, Burst: Burst}})
	require.NoError(t, err)
	ops := make([]*Operator, o.N)
	for i := range ops {
		ops[i] = NewOperator(portal, rest, i+1, o.Seed)
		ops[i].W.Start(t.Context())
	}
	start := time.Now()
	clicked := make([]time.Time, o.N)
	for i, at := range o.Clicks {
		time.Sleep(time.Until(start.Add(at)))
		clicked[i] = time.Now()
		ops[i].Page.Click()
	}
	for !settled(ops) {
		if time.Since(start) > maxRun {
			t.Fatalf("not settled after %s", maxRun)
		}
		time.Sleep(time.Second)
	}
	synctest.Wait()
	outs := make([]Outcome, o.N)
	for i, op := range ops {
		outs[i] = op.Page.Outcome(clicked[i])
	}
	log := portal.Requests()
	// The portal's log drops its oldest records past its size: the first
	// click's request must still be in it, or the figures would miss some.
	require.NotEmpty(t, log)
	require.Equal(t, start, log[0].Time, "the portal's log lost the run's first requests")
	return NewReport(o, start, outs, log)
}

func settled(ops []*Operator) bool {
	for _, op := range ops {
		if !op.Page.Settled() {
			return false
		}
	}
	return true
}

// The floor is the bucket's own arithmetic: a burst of 50, then 2 a second.
func TestFloor(t *testing.T) {
	assert.Equal(t, time.Duration(0), Floor(nil))
	quiet := NewOffice(10, 1)
	assert.Equal(t, quiet.Clicks[9], Floor(quiet.Clicks), "10 clicks: each at once")
	at := make([]time.Duration, 60)
	assert.Equal(t, 5*time.Second, Floor(at), "60 at once: 50, then 10 at 2/s")
	busy := NewOffice(300, 1)
	assert.InDelta(t, 125.4, Floor(busy.Clicks).Seconds(), 0.5, "300 in 10 s: (300 - 50 - what drains while they come) / 2")
	assert.InDelta(t, 10, busy.Clicks[299].Seconds(), 0.05)
}

func TestOfficeDialogs(t *testing.T) {
	o := NewOffice(300, 1)
	sum := 0
	for _, d := range o.Dialogs {
		assert.GreaterOrEqual(t, d, minDialogs)
		assert.LessOrEqual(t, d, maxDialogs)
		sum += d
	}
	assert.InDelta(t, 20, float64(sum)/300, 1.5, "about 20 dialogs an operator")
	d := o.Data()
	assert.Len(t, d.Sessions, sum)
	assert.Len(t, d.Users, 300)
}

func TestReportArithmetic(t *testing.T) {
	assert.Equal(t, 3*time.Second, Percentile([]time.Duration{5 * time.Second, time.Second, 3 * time.Second, 2 * time.Second, 4 * time.Second}, 50))
	assert.Equal(t, 5*time.Second, Percentile([]time.Duration{5 * time.Second, time.Second, 3 * time.Second}, 95))
	assert.Zero(t, Percentile(nil, 50))
	assert.Equal(t, 155*time.Second, Report{Floor: 125 * time.Second}.Target())

	start := time.Unix(1000, 0)
	o := Office{N: 2, Clicks: []time.Duration{0, time.Second}}
	outs := []Outcome{
		{Click: start, Done: start.Add(2 * time.Second), Sessions: 2, Named: []time.Time{start.Add(3 * time.Second), start.Add(9 * time.Second)}},
		{Click: start.Add(time.Second), Done: start.Add(4 * time.Second), Err: "The portal refused", Sessions: 1},
	}
	log := []devportal.RequestRecord{
		{Time: start, Method: "imopenlines.session.mode.pinAll", Status: 200},
		{Time: start, Method: "imopenlines.session.mode.pinAll", Status: 503, Error: "QUERY_LIMIT_EXCEEDED"},
		{Time: start.Add(3 * time.Second), Method: "batch", Status: 200, BatchCmds: []string{"a", "b", "c"}, BatchErrors: []string{"QUERY_LIMIT_EXCEEDED"}},
		{Time: start.Add(8 * time.Second), Method: "batch", Status: 200, BatchCmds: []string{"a"}, BatchErrors: []string{"QUERY_LIMIT_EXCEEDED"}},
	}
	r := NewReport(o, start, outs, log)
	assert.Equal(t, 1, r.Errors)
	assert.Equal(t, 2*time.Second, r.ClickMax, "the click in error is not timed")
	assert.Equal(t, 2*time.Second, r.LastDone)
	assert.Equal(t, 4, r.Requests)
	assert.Equal(t, 2, r.Refused, "a 503, and a batch whose every command was refused")
	assert.Equal(t, 6, r.Units, "every command counts")
	assert.Equal(t, 3, r.UnitsRefused)
	assert.Equal(t, 2, r.ClickRequests)
	assert.Equal(t, 1, r.ClickRef)
	assert.Equal(t, 3, r.Sessions)
	assert.Equal(t, 2, r.Named)
	assert.Equal(t, 9*time.Second, r.NamedMax)
	assert.Equal(t, 8*time.Second, r.Ended)
	assert.InDelta(t, 50.0, Share(r.Refused, r.Requests), 1e-9)
	assert.Contains(t, Markdown([]Report{r}), "| 2 | 1.0 s | 1.0 s | 2.0 s / 2.0 s / 2.0 s | 2.0 s (6.2 s) | 1 | 2 / 4 = 50.0% | 3 / 6 = 50.0% | 2 / 3 |")
}
