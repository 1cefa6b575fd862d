package lookup

import (
	"context"
	"errors"
	"sync"

	"github.com/pinall/pinall/internal/b24"
)

const (
	// page is how many rows a person sees at first, and how many more each
	// "show more" (or a scroll to the end of the named rows) asks for.
	page = 50
	// minBatch is the smallest batch worth a call while there are more rows
	// waiting: when the pacer has less room, the loader waits for it.
	minBatch = 10
	// maxTries bounds the tries of a command the portal refused for its
	// operating-time budget (OPERATION_TIME_LIMIT). One refused for the
	// rate limit (QUERY_LIMIT_EXCEEDED) is tried until it goes through: the
	// pacer's backoff spaces the tries.
	maxTries = 3
)

// Fetch looks up the dialogs of at most b24.MaxBatch sessions in one call,
// as b24.Client.DialogsBySession does: every ID lands in found or failed,
// and err is the call's own error, if it failed whole.
type Fetch func(ctx context.Context, ids []int64) (found map[int64]b24.Dialog, failed map[int64]error, err error)

// Batch is what one call found out: the dialogs, and the rows that will stay
// without one, with the reason.
type Batch struct {
	Found  map[int64]b24.Dialog
	Failed map[int64]error
	Err    error // the call failed whole: every ID of the batch is in Failed
}

// Loader looks up the dialogs of one action's sessions, in list order, the
// wanted rows only: the first page at start, more on wantRows or More.
type Loader struct {
	ids   []int64
	fetch Fetch
	pacer *Pacer
	show  func(Batch)

	mu    sync.Mutex
	want  int // ids[:want] are wanted
	next  int // ids[:next] were sent
	retry []int64
	tries map[int64]int
	wake  chan struct{}
	still func() // OnStill's
}

// NewLoader prepares the lookups of ids; show receives each call's outcome,
// on Run's goroutine. The first page rows are wanted.
func NewLoader(ids []int64, fetch Fetch, pacer *Pacer, show func(Batch)) *Loader {
	return &Loader{
		ids: ids, fetch: fetch, pacer: pacer, show: show,
		want: min(page, len(ids)), tries: map[int64]int{}, wake: make(chan struct{}, 1),
	}
}

// wantRows asks for the first n rows (a row scrolled into view); it never
// shrinks what is wanted.
func (l *Loader) wantRows(n int) {
	l.mu.Lock()
	grew := n > l.want && l.want < len(l.ids)
	if grew {
		l.want = min(n, len(l.ids))
	}
	l.mu.Unlock()
	if grew {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

// More asks for the next page of rows.
func (l *Loader) More() { l.wantRows(l.Wanted() + page) }

// Wanted is how many rows, from the top, are wanted so far.
func (l *Loader) Wanted() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.want
}

// OnStill sets f, called on Run's goroutine whenever Run has nothing to send
// and no call out: it waits for wantRows, or every row was looked up. Set it
// before Run.
func (l *Loader) OnStill(f func()) { l.still = f }

// Still reports that no wanted row (nor retry) is left to send. Read in the
// OnStill hook, it tells whether a wantRows came since Run found nothing to do.
func (l *Loader) Still() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.retry) == 0 && l.next >= l.want
}

// Len is the number of rows.
func (l *Loader) Len() int { return len(l.ids) }

// Run sends the lookups until every row was looked up, or ctx ends (a new
// action): then it returns ctx.Err() and shows nothing more. A call that
// fails whole is shown (its rows keep their IDs) and the loader goes on with
// the next rows; a command refused for the rate limit is tried again later.
func (l *Loader) Run(ctx context.Context) error {
	for {
		l.mu.Lock()
		pending := len(l.retry) + l.want - l.next
		done := len(l.retry) == 0 && l.next >= len(l.ids)
		l.mu.Unlock()
		if (done || pending == 0) && l.still != nil {
			l.still()
		}
		if done {
			return nil
		}
		if pending == 0 {
			select {
			case <-l.wake:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		n := min(pending, b24.MaxBatch)
		got, err := l.pacer.take(ctx, n, min(n, minBatch))
		if err != nil {
			return err
		}
		batch := l.takeIDs(got)
		found, failed, err := l.fetch(ctx, batch)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		l.show(l.settle(batch, found, failed, err))
	}
}

// takeIDs moves n IDs from the retries, then from the wanted rows, into a
// batch.
func (l *Loader) takeIDs(n int) []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	batch := make([]int64, 0, n)
	k := min(n, len(l.retry))
	batch = append(batch, l.retry[:k]...)
	l.retry = l.retry[k:]
	k = min(n-len(batch), l.want-l.next)
	batch = append(batch, l.ids[l.next:l.next+k]...)
	l.next += k
	return batch
}

// settle decides what to show: the rate-limited commands go back in the
// queue (those refused for the operating-time budget while they have tries
// left), and the pacer hears whether the portal refused any.
func (l *Loader) settle(batch []int64, found map[int64]b24.Dialog, failed map[int64]error, err error) Batch {
	out := Batch{Found: found, Failed: map[int64]error{}, Err: err}
	if out.Found == nil {
		out.Found = map[int64]b24.Dialog{}
	}
	refused := err != nil && limited(err)
	for _, e := range failed {
		refused = refused || limited(e)
	}
	if refused {
		l.pacer.Refused()
	} else if err == nil {
		l.pacer.accepted()
	}
	if errors.Is(err, b24.ErrQueryLimit) {
		out.Err = nil // every row goes back in the queue: nothing to tell
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range batch {
		if _, ok := found[id]; ok {
			continue
		}
		e := failed[id]
		if e == nil {
			e = err
		}
		if e == nil {
			e = b24.ErrNotRun
		}
		if errors.Is(e, b24.ErrQueryLimit) {
			l.retry = append(l.retry, id)
			continue
		}
		if err == nil && limited(e) {
			l.tries[id]++
			if l.tries[id] < maxTries {
				l.retry = append(l.retry, id)
				continue
			}
		}
		out.Failed[id] = e
	}
	return out
}

// limited reports a refusal for the rate limit.
func limited(err error) bool {
	return errors.Is(err, b24.ErrQueryLimit) || errors.Is(err, b24.ErrOperationTimeLimit)
}
