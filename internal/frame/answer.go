package frame

import "context"

// answer is the portal's one answer to getInitData, in plain Go: Open asks
// at once and the answer, or the failure, is kept for every later caller.
// A failure is kept too: asked again, a portal that did not answer would be
// waited for twice, and a page outside Bitrix24 says so only after its
// timeout.
type answer struct {
	done chan struct{} // made by its creator, closed by set
	data InitData
	err  error
}

// set keeps the answer; it is called once.
func (a *answer) set(d InitData, err error) {
	a.data, a.err = d, err
	close(a.done)
}

// wait returns the answer once there is one. A caller whose ctx ends stops
// waiting with ctx's error; the question stays asked for the others.
func (a *answer) wait(ctx context.Context) (InitData, error) {
	select {
	case <-a.done:
		return a.data, a.err
	case <-ctx.Done():
		return InitData{}, ctx.Err()
	}
}
