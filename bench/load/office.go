//go:build !js

// Package load is the office simulation (make load): N operators behind one
// address open the widget, press "Pin all" within a few seconds of each
// other, and their widgets name the listed dialogs, all against one dev
// portal whose leaky bucket they share. Each is the real widget
// (internal/widget) with the real REST client and lookups; only the page
// and the portal frame are stand-ins. The run itself is in office_test.go:
// it needs a testing/synctest bubble, whose clock lets an hour of the
// portal's 2 requests a second pass in seconds.
package load

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/l10n/catalog"
	"github.com/pinall/pinall/internal/view"
	"github.com/pinall/pinall/internal/widget"
)

// The office: Bitrix24's documented limit, one address for everyone, and
// the clicks of 300 operators within 10 s (fewer operators, a shorter
// window at the same pace).
const (
	Rate       = 2  // units drained per second
	Burst      = 50 // the bucket's size
	officeIP   = "203.0.113.10"
	clicksPerS = 30.0
	minDialogs = 5
	maxDialogs = 40
)

// Office is one simulated office.
type Office struct {
	N       int
	Seed    uint64          // the dialogs' counts, and each widget's jitter
	Clicks  []time.Duration // when each operator clicks, from the first click
	Dialogs []int           // how many open dialogs each operator has
}

// NewOffice spreads n clicks evenly over n/30 s and gives each operator
// 5-40 dialogs (mean about 20, most below it), from seed.
func NewOffice(n int, seed uint64) Office {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	o := Office{N: n, Seed: seed}
	window := time.Duration(float64(n) / clicksPerS * float64(time.Second))
	for i := range n {
		o.Clicks = append(o.Clicks, window*time.Duration(i)/time.Duration(n))
		// u^(4/3) skews toward few: mean 5 + 35/(7/3) = 20.
		o.Dialogs = append(o.Dialogs, minDialogs+int(math.Round((maxDialogs-minDialogs)*math.Pow(r.Float64(), 4.0/3))))
	}
	r.Shuffle(len(o.Dialogs), func(i, j int) { o.Dialogs[i], o.Dialogs[j] = o.Dialogs[j], o.Dialogs[i] })
	return o
}

// Data is the portal's model of the office: one line, operators 1..N, each
// with their open sessions, every session in a chat of its own.
func (o Office) Data() devportal.Data {
	d := devportal.Data{Lines: []devportal.Line{{ID: 1, Name: "Support"}}}
	chat := 0
	for op := 1; op <= o.N; op++ {
		d.Users = append(d.Users, devportal.User{ID: op, Name: fmt.Sprintf("Operator %d", op)})
		d.Lines[0].Operators = append(d.Lines[0].Operators, op)
		for range o.Dialogs[op-1] {
			chat++
			d.Chats = append(d.Chats, devportal.Chat{ID: chat, LineID: 1, Name: fmt.Sprintf("Customer %d - Support", chat),
				EntityID: fmt.Sprintf("livechat|1|%d|%d", 5000+chat, 9000+chat), DateCreate: "2026-12-01T09:00:00+03:00"})
			d.Sessions = append(d.Sessions, devportal.Session{ID: chat, ChatID: chat, Operator: op})
		}
	}
	return d
}

// Floor is the earliest the bucket lets every click through when the
// clicks alone use it: each is admitted at its click or, once the first 50
// filled the bucket, when a unit has drained (2 a second); the last
// admission, from the first click.
func Floor(clicks []time.Duration) time.Duration {
	level, last := 0.0, time.Duration(0)
	for _, c := range clicks {
		at := max(c, last)
		level = max(0, level-(at-last).Seconds()*Rate)
		if level+1 > Burst {
			wait := time.Duration((level + 1 - Burst) / Rate * float64(time.Second))
			at += wait
			level = Burst - 1
		}
		level++
		last = at
	}
	return last
}

// Operator is one widget of the office, and what its page showed.
type Operator struct {
	W    *widget.Widget
	Page *Page
}

// english are the words of an English page, as its host would hand them.
var english, _, _ = catalog.For("en")

// NewOperator makes operator user's widget on portal, its REST calls going
// to rest in process from the office's address, its jitter drawn from a
// source of its own seeded by seed and user: a run repeats with its seed.
func NewOperator(portal *devportal.Portal, rest http.Handler, user int, seed uint64) *Operator {
	page := &Page{rows: map[int64]time.Time{}, notes: map[int64]bool{}}
	f := &simFrame{portal: portal, user: user}
	w := widget.New(widget.Deps{
		Page:      page,
		OpenFrame: func(context.Context) (widget.Frame, error) { return f, nil },
		Transport: b24.InProcess(rest, fmt.Sprintf("%s:%d", officeIP, 40000+user)),
		Lang:      english,
		Rand:      (&lockedRand{r: rand.New(rand.NewPCG(seed, jitterStream+uint64(user)))}).Float64,
		Go: func(fn func()) {
			go func() {
				defer func() {
					if r := recover(); r != nil {
						page.panicked(fmt.Sprint(r))
					}
				}()
				fn()
			}()
		},
	})
	return &Operator{W: w, Page: page}
}

// jitterStream sets the widgets' jitter sources apart from the office's
// own (NewOffice's stream is N).
const jitterStream = 1 << 32

// lockedRand is one widget's seeded source: the click's goroutine and the
// lookups' draw from it.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func (l *lockedRand) Float64() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64()
}

// simFrame is the portal frame: the office's portal, a token of the
// operator's own.
type simFrame struct {
	portal *devportal.Portal
	user   int
	mu     sync.Mutex
	token  string
}

func (f *simFrame) InitData(context.Context) (frame.InitData, error) {
	return frame.InitData{Lang: "en", Domain: "office.bitrix24.example", Protocol: 1, Path: "/rest", Placement: "DEFAULT"}, nil
}

func (f *simFrame) Token(context.Context) (b24.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.token == "" {
		f.token = f.portal.IssueToken(f.user)
	}
	return b24.Token{AccessToken: f.token}, nil
}

func (f *simFrame) Refresh(ctx context.Context, _ b24.Token) (b24.Token, error) {
	f.mu.Lock()
	f.token = ""
	f.mu.Unlock()
	return f.Token(ctx)
}

func (f *simFrame) Fit()                                   {}
func (f *simFrame) SetTitle(context.Context, string) error { return nil }
func (f *simFrame) OpenMessenger(string) error             { return nil }

// Page is the widget's page as data: the states it went through and when
// each row got its name.
type Page struct {
	mu       sync.Mutex
	events   view.Events
	state    view.State
	status   string
	errText  string
	doneAt   time.Time // the click's done or error
	sessions int
	rows     map[int64]time.Time // named rows, when
	notes    map[int64]bool      // rows left without a name
	panic    string
}

func (p *Page) SetLabels(view.Labels)                      {}
func (p *Page) SetPlacement(string)                        {}
func (p *Page) ShowDialog(string, view.DialogLabels) error { return nil }
func (p *Page) SetDialogTitle(string)                      {}
func (p *Page) SetMore(bool, string)                       {}
func (p *Page) WatchRow(int)                               {}
func (p *Page) SetLookups(bool)                            {}
func (p *Page) AfterPaint()                                {}
func (p *Page) Log(string)                                 {}
func (p *Page) SetStop(bool, string)                       {}
func (p *Page) SetStatus(text string)                      { p.mu.Lock(); p.status = text; p.mu.Unlock() }
func (p *Page) SetError(text string)                       { p.mu.Lock(); p.errText = text; p.mu.Unlock() }
func (p *Page) FillRow(id int64, _ view.Row)               { p.mu.Lock(); p.rows[id] = time.Now(); p.mu.Unlock() }
func (p *Page) NoteRow(id int64, _ string)                 { p.mu.Lock(); p.notes[id] = true; p.mu.Unlock() }
func (p *Page) Listen(ev view.Events) error                { p.mu.Lock(); p.events = ev; p.mu.Unlock(); return nil }
func (p *Page) SetSessions(ids []int64, _, _ string) error {
	p.mu.Lock()
	p.sessions = len(ids)
	p.mu.Unlock()
	return nil
}
func (p *Page) panicked(what string) { p.mu.Lock(); p.panic = what; p.mu.Unlock() }

func (p *Page) SetState(s view.State, _ bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = s
	if s == view.Done || s == view.Error {
		p.doneAt = time.Now()
	}
}

// Click presses "Pin all".
func (p *Page) Click() {
	p.mu.Lock()
	click := p.events.PinAll
	p.mu.Unlock()
	click()
}

// Settled reports whether the click ended and every row was named or
// noted: nothing is left for the widget to do.
func (p *Page) Settled() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return (p.state == view.Done && len(p.rows)+len(p.notes) >= p.sessions) || p.state == view.Error
}

// Outcome is what one operator saw.
type Outcome struct {
	Click, Done time.Time
	Err         string // the words of a click that ended in an error
	Sessions    int
	Named       []time.Time
}

// Outcome reads the page after the run.
func (p *Page) Outcome(click time.Time) Outcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	o := Outcome{Click: click, Done: p.doneAt, Sessions: p.sessions}
	if p.state == view.Error {
		o.Err = p.errText
	}
	if p.panic != "" {
		o.Err = "panic: " + p.panic
	}
	for _, at := range p.rows {
		o.Named = append(o.Named, at)
	}
	return o
}

// Report is one run's figures.
type Report struct {
	N                       int
	Window, Floor           time.Duration
	ClickP50, ClickP95      time.Duration // click -> done
	ClickMax                time.Duration
	LastDone                time.Duration // the last click's done, from the first click
	Errors                  int
	ErrorWords              []string
	Requests, Refused       int // HTTP requests; refused whole (503, or every command of a batch)
	Units, UnitsRefused     int // commands the portal counted, and those it refused
	Sessions, Named         int
	NamedP50, NamedMax      time.Duration // when a name landed, from the first click
	Ended                   time.Duration // when the last widget had nothing left to do
	ClickRequests, ClickRef int           // the clicks' own requests, and those refused
	NamesBeforeLast         int           // name lookups the portal took before the last click was done
}

// NewReport computes the figures of a run that started at start.
func NewReport(o Office, start time.Time, outs []Outcome, log []devportal.RequestRecord) Report {
	r := Report{N: o.N, Floor: Floor(o.Clicks)}
	if len(o.Clicks) > 0 {
		r.Window = o.Clicks[len(o.Clicks)-1]
	}
	var clicks, named []time.Duration
	for _, out := range outs {
		r.Sessions += out.Sessions
		if out.Err != "" {
			r.Errors++
			r.ErrorWords = append(r.ErrorWords, out.Err)
			continue
		}
		clicks = append(clicks, out.Done.Sub(out.Click))
		r.LastDone = max(r.LastDone, out.Done.Sub(start))
		for _, at := range out.Named {
			named = append(named, at.Sub(start))
		}
	}
	r.Named = len(named)
	r.ClickP50, r.ClickP95, r.ClickMax = Percentile(clicks, 50), Percentile(clicks, 95), Percentile(clicks, 100)
	r.NamedP50, r.NamedMax = Percentile(named, 50), Percentile(named, 100)
	for _, rec := range log {
		r.Requests++
		r.Ended = max(r.Ended, rec.Time.Sub(start))
		refused := rec.Error == "QUERY_LIMIT_EXCEEDED"
		isClick := rec.Method == b24.MethodPinAll
		if isClick {
			r.ClickRequests++
			if refused {
				r.ClickRef++
			}
		}
		if rec.Method != b24.MethodBatch || rec.Error != "" {
			r.Units++
			if refused {
				r.Refused++
				r.UnitsRefused++
			}
			continue
		}
		limited := 0
		for _, e := range rec.BatchErrors {
			if e == "QUERY_LIMIT_EXCEEDED" {
				limited++
			}
		}
		if rec.Time.Sub(start) <= r.LastDone {
			r.NamesBeforeLast += len(rec.BatchCmds) - limited
		}
		r.Units += len(rec.BatchCmds)
		r.UnitsRefused += limited
		if limited > 0 && limited == len(rec.BatchCmds) {
			r.Refused++
		}
	}
	return r
}

// Percentile is the nearest-rank p-th percentile of ds (p in (0, 100]); 0
// for none.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	k := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(k, 0), len(s)-1)]
}

// Target is the issue's bound on the last click: 1.2 x the floor + 5 s.
func (r Report) Target() time.Duration { return r.Floor*12/10 + 5*time.Second }

// Share is part/all in percent (0 for none).
func Share(part, all int) float64 {
	if all == 0 {
		return 0
	}
	return 100 * float64(part) / float64(all)
}

// Markdown is the report's table: one row per run.
func Markdown(reports []Report) string {
	var b strings.Builder
	b.WriteString("| N | clicks within | floor | click -> done p50 / p95 / max | last done (target) | clicks in error | refused / requests | units refused / units | names | named p50 / max | all quiet |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range reports {
		fmt.Fprintf(&b, "| %d | %s | %s | %s / %s / %s | %s (%s) | %d | %d / %d = %.1f%% | %d / %d = %.1f%% | %d / %d | %s / %s | %s |\n",
			r.N, secs(r.Window), secs(r.Floor), secs(r.ClickP50), secs(r.ClickP95), secs(r.ClickMax),
			secs(r.LastDone), secs(r.Target()), r.Errors,
			r.Refused, r.Requests, Share(r.Refused, r.Requests), r.UnitsRefused, r.Units, Share(r.UnitsRefused, r.Units),
			r.Named, r.Sessions, secs(r.NamedP50), secs(r.NamedMax), secs(r.Ended))
	}
	return b.String()
}

// secs writes d in seconds, one decimal.
func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
