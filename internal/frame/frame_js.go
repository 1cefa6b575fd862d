//go:build js && wasm

package frame

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/minijson"
)

// Default waits for the parent's replies (facts section 4-5: b24jssdk gives
// up on refreshAuth after 10 s; an unanswered getInitData means we are not
// inside Bitrix24, so it fails faster).
const (
	defaultInitTimeout    = 5 * time.Second
	defaultRefreshTimeout = 10 * time.Second
	defaultCallTimeout    = 10 * time.Second
)

// fullWidth asks resize for width "100%".
const fullWidth = -1

type config struct {
	initTimeout, refreshTimeout, callTimeout time.Duration
	asked                                    safejs.Value
}

// Option changes a Frame's timeouts (tests use short ones).
type Option func(*config)

// Asked hands Open the getInitData loader.js posted before the program ran
// (pinallHost.asked: {message, target, id, take}, take returning the
// message events kept for it). Open takes its answer instead of asking
// again when it is the very question Open would ask (asked.ours);
// anything else, undefined included, is ignored and Open asks itself.
func Asked(v safejs.Value) Option { return func(c *config) { c.asked = v } }

// withInitTimeout sets how long InitData waits for getInitData's reply.
func withInitTimeout(d time.Duration) Option { return func(c *config) { c.initTimeout = d } }

// withRefreshTimeout sets how long Refresh waits for refreshAuth's reply.
func withRefreshTimeout(d time.Duration) Option { return func(c *config) { c.refreshTimeout = d } }

// Frame is the child side of the Bitrix24 frame protocol. It is the
// b24.TokenSource of the REST client. Safe for concurrent use.
type Frame struct {
	placement Placement
	fitter    *Fitter // set once by FitTo, before anything calls Fit
	origin    string
	parent    safejs.Value
	cfg       config
	remove    func()
	done      chan struct{}

	init *answer // getInitData's, asked at Open

	mu      sync.Mutex
	closed  bool
	pending map[string]chan minijson.Value
	auth    Auth
}

var _ b24.TokenSource = (*Frame)(nil)

// Open reads window.name, starts listening for the portal's replies and
// asks for the init data (getInitData) at once, or takes the question the
// loader asked before the program ran (Asked): the answer travels while the
// page gets ready, and InitData waits for it. It fails at once with
// ErrNotInBitrix24 when window.name is not DOMAIN|PROTOCOL|APP_SID.
func Open(ctx context.Context, opts ...Option) (*Frame, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg := config{initTimeout: defaultInitTimeout, refreshTimeout: defaultRefreshTimeout, callTimeout: defaultCallTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	window := safejs.Global()
	nameVal, err := window.Get("name")
	if err != nil || nameVal.Type() != safejs.TypeString {
		return nil, ErrNotInBitrix24
	}
	name, err := nameVal.String()
	if err != nil {
		return nil, ErrNotInBitrix24
	}
	placement, err := parseWindowName(name)
	if err != nil {
		return nil, err
	}
	parent, err := window.Get("parent")
	if err != nil || parent.IsNull() || parent.IsUndefined() {
		return nil, ErrNotInBitrix24
	}
	f := &Frame{
		placement: placement,
		origin:    placement.origin(),
		parent:    parent,
		cfg:       cfg,
		done:      make(chan struct{}),
		init:      &answer{done: make(chan struct{})},
		pending:   make(map[string]chan minijson.Value),
	}
	f.remove, err = jsutil.AddEventListener(window, "message", f.onMessage)
	if err != nil {
		return nil, errors.New("frame: cannot listen for messages: " + err.Error())
	}
	f.askInit()
	return f, nil
}

// askInit sends getInitData now, unless the loader asked it already, and
// keeps its answer or failure (answer.go) when it comes, in a goroutine of
// its own.
func (f *Frame) askInit() {
	id, ch, ok := f.adopt(f.cfg.asked)
	if !ok {
		var err error
		if id, ch, err = f.send(cmdGetInitData, minijson.Value{}); err != nil {
			f.init.set(InitData{}, err)
			return
		}
	}
	jsutil.Go(func() {
		wait := f.cfg.initTimeout
		if ok {
			wait /= 2
		}
		v, err := f.await(context.Background(), cmdGetInitData, id, ch, wait)
		if ok && errors.Is(err, ErrNoAnswer) {
			// A parent that was not listening yet when the loader asked never
			// answers that question: ask once more, for the time left.
			v, err = f.call(context.Background(), cmdGetInitData, minijson.Value{}, f.cfg.initTimeout-wait)
			if na, ok := err.(*NoAnswerError); ok {
				na.Timeout = f.cfg.initTimeout
			}
		}
		var d InitData
		if err == nil {
			d, err = parseInitData(v, f.placement)
		}
		if err == nil {
			f.mu.Lock()
			f.auth = d.Auth
			f.mu.Unlock()
		}
		f.init.set(d, err)
	})
}

// adopt takes the loader's question (the Asked option) when it is Open's
// own: its id is registered as if f had sent it, and the replies the
// loader kept go through onMessage's checks like any message; later ones
// reach f's listener, which is on already. Nothing runs in between: no
// reply is lost or seen twice.
func (f *Frame) adopt(v safejs.Value) (id string, ch chan minijson.Value, ok bool) {
	if v.Type() != safejs.TypeObject {
		return "", nil, false
	}
	q := asked{Message: stringField(v, "message"), Target: stringField(v, "target"), ID: stringField(v, "id")}
	if !q.ours(f.placement) {
		return "", nil, false
	}
	ch = make(chan minijson.Value, 1)
	f.mu.Lock()
	f.pending[q.ID] = ch
	f.mu.Unlock()
	kept, err := v.Call("take")
	if err != nil {
		return q.ID, ch, true // the replies still to come reach the listener
	}
	n, err := kept.Length()
	if err != nil {
		return q.ID, ch, true
	}
	for i := 0; i < n; i++ {
		if ev, err := kept.Index(i); err == nil {
			f.onMessage(ev)
		}
	}
	return q.ID, ch, true
}

// onMessage runs on the event loop: it only checks and hands over, never
// blocks. Checks go cheapest first; anything unexpected is dropped silently.
func (f *Frame) onMessage(ev safejs.Value) {
	if f.isClosed() {
		return
	}
	if stringField(ev, "origin") != f.origin {
		return
	}
	if src, err := ev.Get("source"); err != nil || !src.Equal(f.parent) {
		return
	}
	data, err := ev.Get("data")
	if err != nil || data.Type() != safejs.TypeString {
		return
	}
	text, err := data.String()
	if err != nil {
		return
	}
	cb, payload, err := parseReply(text)
	if err != nil {
		return
	}
	f.mu.Lock()
	ch, ok := f.pending[cb]
	if ok {
		delete(f.pending, cb)
	}
	f.mu.Unlock()
	if ok {
		ch <- payload // buffered, and each id is delivered once
	}
}

// stringField is v[key] when that is a string, else "".
func stringField(v safejs.Value, key string) string {
	o, err := v.Get(key)
	if err != nil || o.Type() != safejs.TypeString {
		return ""
	}
	s, _ := o.String()
	return s
}

func (f *Frame) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// post sends one command to the parent, always to the portal's origin.
func (f *Frame) post(cmd string, params minijson.Value, callback string) error {
	if f.isClosed() {
		return ErrClosed
	}
	msg := formatCommand(cmd, params, callback, f.placement.AppSID)
	if _, err := f.parent.Call("postMessage", msg, f.origin); err != nil {
		return errors.New("frame: postMessage " + cmd + ": " + err.Error())
	}
	return nil
}

// call posts a command and waits for its reply.
func (f *Frame) call(ctx context.Context, cmd string, params minijson.Value, timeout time.Duration) (minijson.Value, error) {
	if err := ctx.Err(); err != nil {
		return minijson.Value{}, err
	}
	id, ch, err := f.send(cmd, params)
	if err != nil {
		return minijson.Value{}, err
	}
	return f.await(ctx, cmd, id, ch, timeout)
}

// send registers a callback id and posts the command; its reply will come
// on ch. A failed post leaves nothing registered.
func (f *Frame) send(cmd string, params minijson.Value) (id string, ch chan minijson.Value, err error) {
	id = newCallbackID()
	ch = make(chan minijson.Value, 1)
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return "", nil, ErrClosed
	}
	f.pending[id] = ch
	f.mu.Unlock()
	if err := f.post(cmd, params, id); err != nil {
		f.forget(id)
		return "", nil, err
	}
	return id, ch, nil
}

// forget drops id's pending entry: a late reply is dropped as an unknown
// callback.
func (f *Frame) forget(id string) {
	f.mu.Lock()
	delete(f.pending, id)
	f.mu.Unlock()
}

// await waits for the reply to id; its pending entry is removed on every
// way out.
func (f *Frame) await(ctx context.Context, cmd, id string, ch chan minijson.Value, timeout time.Duration) (minijson.Value, error) {
	defer f.forget(id)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return minijson.Value{}, ctx.Err()
	case <-timer.C:
		return minijson.Value{}, &NoAnswerError{Command: cmd, Timeout: timeout}
	case <-f.done:
		return minijson.Value{}, ErrClosed
	}
}

// InitData returns the portal's answer to the getInitData Open sent, with
// the current token, once it is here; or its failure, which it keeps. No
// reply within the init timeout gives a NoAnswerError that matches
// ErrNotInBitrix24.
func (f *Frame) InitData(ctx context.Context) (InitData, error) {
	d, err := f.init.wait(ctx)
	if err != nil {
		return InitData{}, err
	}
	d.Auth = f.Auth()
	return d, nil
}

// Auth returns the token held now (zero before InitData).
func (f *Frame) Auth() Auth {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.auth
}

// Token returns the current access token, fetching the init data first if
// needed.
func (f *Frame) Token(ctx context.Context) (b24.Token, error) {
	if a := f.Auth(); a.AuthID != "" {
		return b24.Token{AccessToken: a.AuthID.reveal()}, nil
	}
	d, err := f.InitData(ctx)
	if err != nil {
		return b24.Token{}, err
	}
	return b24.Token{AccessToken: d.AuthID.reveal()}, nil
}

// Refresh asks the portal for a fresh token (refreshAuth). It does not
// merge calls: the REST client does (internal/b24/refresh.go), and it is
// the only caller. The portal sends no reply on failure, so that ends as a
// NoAnswerError after the refresh timeout.
func (f *Frame) Refresh(ctx context.Context, stale b24.Token) (b24.Token, error) {
	v, err := f.call(ctx, cmdRefreshAuth, minijson.ObjectValue(), f.cfg.refreshTimeout)
	if err != nil {
		return b24.Token{}, err
	}
	a, err := parseAuth(v)
	if err != nil {
		return b24.Token{}, err
	}
	f.mu.Lock()
	if a.RefreshID == "" {
		a.RefreshID = f.auth.RefreshID
	}
	f.auth = a
	f.mu.Unlock()
	return b24.Token{AccessToken: a.AuthID.reveal()}, nil
}

// resize asks the portal to resize the iframe (resizeWindow); width may be
// fullWidth for "100%".
func (f *Frame) resize(ctx context.Context, width, height int) error {
	w := minijson.IntValue(int64(width))
	if width == fullWidth {
		w = minijson.StringValue("100%")
	} else if width < 0 {
		return errors.New("frame: Resize: negative width " + strconv.Itoa(width))
	}
	if height < 0 {
		return errors.New("frame: Resize: negative height " + strconv.Itoa(height))
	}
	_, err := f.call(ctx, cmdResizeWindow, minijson.ObjectValue(
		minijson.Member{Key: "width", Value: w},
		minijson.Member{Key: "height", Value: minijson.IntValue(int64(height))},
	), f.cfg.callTimeout)
	return err
}

// SetTitle sets the page title (setTitle). The portal denies it, without a
// reply, outside the DEFAULT placement: that ends as a NoAnswerError.
func (f *Frame) SetTitle(ctx context.Context, title string) error {
	_, err := f.call(ctx, cmdSetTitle, minijson.ObjectValue(
		minijson.Member{Key: "title", Value: minijson.StringValue(title)},
	), f.cfg.callTimeout)
	return err
}

// OpenMessenger opens a chat (imOpenMessenger), e.g. "chat123". No reply.
func (f *Frame) OpenMessenger(dialogID string) error {
	if dialogID == "" {
		return errors.New("frame: OpenMessenger: empty dialog id")
	}
	return f.post(cmdImOpenMessenger, minijson.ObjectValue(
		minijson.Member{Key: "dialogId", Value: minijson.StringValue(dialogID)},
	), "")
}

// SetInstallFinish ends the installer (setInstallFinish); the portal then
// reloads the app. No reply.
func (f *Frame) SetInstallFinish() error {
	return f.post(cmdSetInstallFinish, minijson.ObjectValue(), "")
}

// close removes the listener (releasing its Func) and fails calls still
// waiting with ErrClosed. Safe to call more than once. A page keeps its
// frame for its whole life; the tests close theirs, so that one test's
// listener never hears the next one's replies.
func (f *Frame) close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	clear(f.pending)
	close(f.done)
	f.mu.Unlock()
	f.remove()
	return nil
}
