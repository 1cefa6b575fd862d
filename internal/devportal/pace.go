package devportal

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pinall/pinall/internal/clock"
)

// Pace slows the app's static files down to a network's speed, on the
// server, so a browser on localhost feels a real link (the bench's plain-host
// profile: 20 Mbit/s, 40 ms). The zero value paces nothing.
//
// The model: every request waits one round trip before its first byte (the
// request travels up, the answer's first byte down); a new connection's TCP
// handshake takes one more, counted from when the connection was opened, so
// a socket the browser opened ahead of its request has it behind it, as on
// a real link. The bodies then cross one link of Mbps shared by every
// connection of the app's origin, in chunks. The REST API and the portal's
// page are not paced.
type Pace struct {
	Mbps float64       // bandwidth of the link; 0 = unlimited
	RTT  time.Duration // round-trip time; 0 = none
}

func (p Pace) on() bool { return p.Mbps > 0 || p.RTT > 0 }

// paceChunk is how many bytes cross the link at a time: 6.6 ms at 20 Mbit/s.
const paceChunk = 16 << 10

// paceSlack is how late a writer may wake and still continue from where the
// link's last chunk ended: a timer's lateness then does not add up over a
// file's hundreds of chunks. A link idle for longer starts again from now.
const paceSlack = 10 * time.Millisecond

// pacer is the shared link of one app origin.
type pacer struct {
	pace  Pace
	clock clock.Clock

	mu   sync.Mutex
	free time.Time // when the link has sent everything reserved so far
}

func newPacer(p Pace, c clock.Clock) *pacer { return &pacer{pace: p, clock: c} }

// reserve books n bytes on the link and returns when they have crossed it:
// after the bytes booked before them, or from now when the link has been
// idle for longer than paceSlack.
func (l *pacer) reserve(n int) time.Time {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	start := l.free
	if now.Sub(start) > paceSlack {
		start = now
	}
	if l.pace.Mbps > 0 {
		start = start.Add(time.Duration(float64(n) * 8 * float64(time.Second) / (l.pace.Mbps * 1e6)))
	}
	l.free = start
	return start
}

// connKey marks a connection's context: its first request waits for the
// handshake.
type connKey struct{}

type connState struct {
	opened time.Time // when the server accepted it: the handshake's start
	used   atomic.Bool
}

// connContext is the app server's ConnContext.
func (l *pacer) connContext(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connState{opened: l.clock.Now()})
}

// handshake is what is left of c's handshake when its first request comes.
func (l *pacer) handshake(c *connState) time.Duration {
	return max(0, c.opened.Add(l.pace.RTT).Sub(l.clock.Now()))
}

// wrap paces h: the round trips before the answer, the body over the link.
func (l *pacer) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		wait := l.pace.RTT
		if c, ok := ctx.Value(connKey{}).(*connState); ok && c.used.CompareAndSwap(false, true) {
			wait += l.handshake(c)
		}
		if l.clock.Sleep(ctx, wait) != nil {
			return
		}
		h.ServeHTTP(&pacedWriter{ResponseWriter: w, link: l, ctx: ctx}, r)
	})
}

// pacedWriter writes a body in chunks of paceChunk, each when the link has
// carried it.
type pacedWriter struct {
	http.ResponseWriter
	link *pacer
	ctx  context.Context
}

func (w *pacedWriter) Write(b []byte) (int, error) {
	if w.link.pace.Mbps <= 0 {
		return w.ResponseWriter.Write(b)
	}
	written := 0
	for len(b) > 0 {
		n := min(len(b), paceChunk)
		done := w.link.reserve(n)
		if err := w.link.clock.Sleep(w.ctx, done.Sub(w.link.clock.Now())); err != nil {
			return written, err
		}
		m, err := w.ResponseWriter.Write(b[:n])
		written += m
		if err != nil {
			return written, err
		}
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		b = b[n:]
	}
	return written, nil
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *pacedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
