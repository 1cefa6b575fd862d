//go:build !js

// Native only: these run the widget against fakes of its page and frame
// (our own small interfaces) and the real REST client against http
// handlers, in process: a test that needs time to pass (the pacing of the
// lookups, a click's backoff) runs in a testing/synctest bubble, where a
// real socket would stop the clock.

package widget

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/l10n/catalog"
	"github.com/pinall/pinall/internal/minijson"
	"github.com/pinall/pinall/internal/view"
)

// waitTimeout bounds every wait for an event; a passing test never takes it.
const waitTimeout = 10 * time.Second

// fakePage is the DOM contract as data. Every change wakes the waiters.
type fakePage struct {
	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	writes    int           // page writes, to see that nothing touched it
	state     view.State
	actionsOn bool
	status    string
	statuses  []string // every status line, in order
	errText   string
	stop      string // the Stop button's label while shown, "" hidden
	labels    view.Labels
	placement string
	dialogID  string // ShowDialog's
	title     string // the sidebar block's title
	events    view.Events
	sessions  []int64
	rowsText  string // SetSessions' text: the IDs joined
	rows      map[int64]view.Row
	notes     map[int64]string
	more      bool
	watch     int
	lookups   string // "" (never set), busy, idle
	logs      []string
	// paint, when set, is where AfterPaint waits (tests that hold the
	// lookups back), after telling painting; nil returns at once.
	paint, painting chan struct{}
}

func newFakePage() *fakePage {
	return &fakePage{changed: make(chan struct{}), state: view.Loading, rows: map[int64]view.Row{},
		notes: map[int64]string{}, watch: -1}
}

func (p *fakePage) update(fn func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn()
	p.writes++
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *fakePage) SetLabels(l view.Labels)     { p.update(func() { p.labels = l }) }
func (p *fakePage) SetPlacement(pl string)      { p.update(func() { p.placement = pl }) }
func (p *fakePage) SetDialogTitle(title string) { p.update(func() { p.title = title }) }
func (p *fakePage) SetStatus(text string) {
	p.update(func() { p.status, p.statuses = text, append(p.statuses, text) })
}
func (p *fakePage) SetError(text string) { p.update(func() { p.errText = text }) }
func (p *fakePage) SetStop(show bool, label string) {
	p.update(func() {
		p.stop = ""
		if show {
			p.stop = label
		}
	})
}
func (p *fakePage) SetMore(show bool, _ string) { p.update(func() { p.more = show }) }
func (p *fakePage) WatchRow(i int)              { p.update(func() { p.watch = i }) }
func (p *fakePage) SetLookups(busy bool) {
	p.update(func() { p.lookups = map[bool]string{true: "busy", false: "idle"}[busy] })
}
func (p *fakePage) FillRow(id int64, r view.Row) { p.update(func() { p.rows[id] = r }) }
func (p *fakePage) NoteRow(id int64, note string) {
	p.update(func() { p.notes[id] = note })
}
func (p *fakePage) SetState(s view.State, on bool) {
	p.update(func() { p.state, p.actionsOn = s, on })
}
func (p *fakePage) ShowDialog(id string, l view.DialogLabels) error {
	p.update(func() { p.dialogID, p.title = id, l.Title })
	return nil
}
func (p *fakePage) Listen(ev view.Events) error {
	p.update(func() { p.events = ev })
	return nil
}
func (p *fakePage) SetSessions(ids []int64, text, _ string) error {
	p.update(func() {
		p.sessions, p.rowsText, p.rows, p.notes = ids, text, map[int64]view.Row{}, map[int64]string{}
	})
	return nil
}
func (p *fakePage) Log(msg string) { p.update(func() { p.logs = append(p.logs, msg) }) }
func (p *fakePage) AfterPaint() {
	p.mu.Lock()
	paint, painting := p.paint, p.painting
	p.mu.Unlock()
	if paint != nil {
		painting <- struct{}{}
		<-paint
	}
}

// read runs fn on the page's data.
func (p *fakePage) read(fn func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn()
}

func (p *fakePage) State() view.State {
	var s view.State
	p.read(func() { s = p.state })
	return s
}

// waitFor waits until cond holds on the page's data: an event, not a sleep.
func (p *fakePage) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		p.mu.Lock()
		ok, ch := cond(), p.changed
		p.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			p.mu.Lock()
			defer p.mu.Unlock()
			t.Fatalf("timed out waiting for %s; page: state %q status %q error %q logs %q",
				what, p.state, p.status, p.errText, p.logs)
		}
	}
}

func (p *fakePage) waitState(t *testing.T, want view.State) {
	t.Helper()
	p.waitFor(t, "state "+string(want), func() bool { return p.state == want })
}

// click presses a button as the page's listener would.
func (p *fakePage) click(t *testing.T, button string) {
	t.Helper()
	var fn func()
	p.read(func() {
		switch button {
		case "pin-all":
			fn = p.events.PinAll
		case "unpin-all":
			fn = p.events.UnpinAll
		case "pin-dialog":
			fn = p.events.PinDialog
		case "unpin-dialog":
			fn = p.events.UnpinDialog
		case "stop":
			fn = p.events.Stop
		}
	})
	require.NotNil(t, fn, "no listener on #%s", button)
	fn()
}

// fakeFrame is the portal frame: its init data, a fixed token, and a record
// of what the widget asked of it.
type fakeFrame struct {
	init     frame.InitData
	initErr  error
	fits     atomic.Int32
	mu       sync.Mutex
	titles   []string
	opened   []string
	finished int
}

func (f *fakeFrame) InitData(context.Context) (frame.InitData, error) { return f.init, f.initErr }
func (f *fakeFrame) Token(context.Context) (b24.Token, error) {
	return b24.Token{AccessToken: "tok-1"}, nil
}
func (f *fakeFrame) Refresh(context.Context, b24.Token) (b24.Token, error) {
	return b24.Token{AccessToken: "tok-1"}, nil
}
func (f *fakeFrame) Fit() { f.fits.Add(1) }

// SetTitle sends nothing on a context already done, as frame.Frame's calls.
func (f *fakeFrame) SetTitle(ctx context.Context, title string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.titles = append(f.titles, title)
	return nil
}
func (f *fakeFrame) OpenMessenger(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, id)
	return nil
}

// env is one widget against a fake portal's REST API.
type env struct {
	t      *testing.T
	mux    *http.ServeMux // REST handlers: "/rest/method.json"
	calls  sync.Map       // method -> *atomic.Int32
	page   *fakePage
	frame  *fakeFrame
	w      *Widget
	warmTr *cannedTransport

	requests atomic.Int32       // every request the portal got
	spawned  atomic.Int32       // goroutines started through Deps.Go
	running  sync.WaitGroup     // those still running
	beforeDo func(*b24.Request) // runs in the client's goroutine before each request
	top      *http.ServeMux     // the portal: REST under /rest/, nothing else
}

// setup makes a widget whose frame says placement (and PLACEMENT_OPTIONS
// opts, JSON) and whose portal is a mux of REST handlers; handlers are
// added with handle before start.
func setup(t *testing.T, placement, opts string) *env {
	t.Helper()
	e := &env{t: t, mux: http.NewServeMux(), page: newFakePage(), warmTr: &cannedTransport{}}
	top := http.NewServeMux()
	e.top = top
	top.Handle("/rest/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		e.mux.ServeHTTP(w, r)
	}))
	top.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside /rest/: %s %s", r.Method, r.URL)
		http.Error(w, "wrong path", http.StatusBadGateway)
	})
	init := frame.InitData{Lang: "en", Domain: "portal.example", Protocol: 1, Path: "/rest", Placement: placement}
	if opts != "" {
		var err error
		init.PlacementOptions, err = minijson.Parse([]byte(opts))
		require.NoError(t, err)
	}
	e.frame = &fakeFrame{init: init}
	e.speak("en")
	// Lookups still waiting (for a scroll, for the bucket) end with the
	// test, as they would with the page, and so does the rest (the
	// warm-up): a synctest bubble ends only when every goroutine in it has.
	t.Cleanup(func() {
		e.w.mu.Lock()
		e.w.stopLookups()
		e.w.mu.Unlock()
		e.settle()
	})
	return e
}

// speak makes the widget anew with the words of a portal's LANG, as its
// page would hand them.
func (e *env) speak(lang string) {
	words, _, err := catalog.For(lang)
	require.NoError(e.t, err)
	e.w = New(Deps{
		Page:          e.page,
		OpenFrame:     func(context.Context) (Frame, error) { return e.frame, nil },
		Transport:     hookTransport{e, b24.InProcess(e.top, "192.0.2.1:40000")},
		WarmTransport: func() (b24.Transport, error) { return e.warmTr, nil },
		Lang:          words,
		Go:            e.goBoundary,
	})
}

// goBoundary is Deps.Go as jsutil.Go implements it in the browser: a panic
// in fn is recovered and handed to the panic handler, Widget.Recovered.
func (e *env) goBoundary(fn func()) {
	e.spawned.Add(1)
	e.running.Add(1)
	go func() {
		defer e.running.Done()
		defer func() {
			if r := recover(); r != nil {
				e.w.Recovered(fmt.Errorf("panic: %v", r))
			}
		}()
		fn()
	}()
}

// settle waits until every goroutine the widget started has ended: after
// it, nothing more can reach the page or the portal.
func (e *env) settle() {
	e.t.Helper()
	done := make(chan struct{})
	go func() { e.running.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		e.t.Fatal("the widget's goroutines did not end")
	}
}

// hookTransport runs env.beforeDo before each request.
type hookTransport struct {
	e  *env
	tr b24.Transport
}

func (h hookTransport) Do(ctx context.Context, req *b24.Request) (*b24.Response, error) {
	if h.e.beforeDo != nil {
		h.e.beforeDo(req)
	}
	return h.tr.Do(ctx, req)
}

// start runs the widget to ready. The warm-up may still run after it, as
// it does on the page: the user can click at once.
func (e *env) start() {
	e.t.Helper()
	e.w.Start(context.Background())
	require.Equal(e.t, view.Ready, e.page.State(), "error %q", e.page.errText)
}

// handle registers a handler for a REST method and counts its calls.
func (e *env) handle(method string, h http.HandlerFunc) {
	n, _ := e.calls.LoadOrStore(method, new(atomic.Int32))
	e.mux.HandleFunc("/rest/"+method+".json", func(w http.ResponseWriter, r *http.Request) {
		n.(*atomic.Int32).Add(1)
		if err := r.ParseForm(); err != nil || r.PostForm.Get("auth") != "tok-1" {
			e.t.Errorf("%s: no auth in the form body", method)
		}
		h(w, r)
	})
}

// count is how many calls method got.
func (e *env) count(method string) int {
	n, ok := e.calls.Load(method)
	if !ok {
		return 0
	}
	return int(n.(*atomic.Int32).Load())
}

func reply(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) }
}

func replyError(status int, code string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, status, `{"error":"`+code+`","error_description":"refused"}`)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// ids is a pinAll result of n IDs from first.
func ids(first, n int) string {
	var b strings.Builder
	b.WriteString(`{"result":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, first+i)
	}
	b.WriteString(`]}`)
	return b.String()
}

// dialogJSON is imopenlines.dialog.get's result for chat id.
func dialogJSON(id int, name, entity string) string {
	return fmt.Sprintf(`{"id":%d,"dialog_id":"chat%d","name":%q,"entity_id":%q,"type":"lines"}`, id, id, name, entity)
}

// cannedTransport answers WarmReply, as the browser's canned fetch does,
// and keeps the URL of the last request it answered.
type cannedTransport struct {
	calls atomic.Int32
	url   atomic.Value // string
}

func (c *cannedTransport) Do(_ context.Context, req *b24.Request) (*b24.Response, error) {
	c.calls.Add(1)
	c.url.Store(req.URL)
	return &b24.Response{Status: 200, ContentType: "application/json; charset=utf-8", Body: WarmReply}, nil
}
