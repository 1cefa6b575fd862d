package b24

import (
	"context"
	"strconv"
)

// DialogsBySession looks up the dialogs of open-lines sessions with
// imopenlines.dialog.get, MaxBatch commands per batch call (halt=0), one
// call after another. Duplicate IDs are asked once.
//
// Every ID ends up in exactly one of the two maps: found holds the dialogs,
// failed the reason an ID has none: the command's own error (e.g.
// ACCESS_ERROR, as an *APIError), a result that is not a dialog, or the
// error of the batch call that carried it. A batch call that fails whole
// stops the lookup: its IDs and the ones not yet sent get that error, and it
// is also returned as err, so the caller can tell a refused row from a failed
// call. A cancelled ctx returns ctx.Err().
func (c *Client) DialogsBySession(ctx context.Context, ids []int64) (found map[int64]Dialog, failed map[int64]error, err error) {
	found = make(map[int64]Dialog, len(ids))
	failed = map[int64]error{}
	uniq := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for start := 0; start < len(uniq); start += MaxBatch {
		chunk := uniq[start:min(start+MaxBatch, len(uniq))]
		if err = c.dialogBatch(ctx, chunk, found, failed); err != nil {
			for _, id := range uniq[start:] {
				failed[id] = err
			}
			if ctxErr := ctx.Err(); ctxErr != nil {
				return found, failed, ctxErr
			}
			return found, failed, err
		}
	}
	return found, failed, nil
}

// dialogBatch sends one batch of at most MaxBatch lookups:
// cmd[s1652]=imopenlines.dialog.get?SESSION_ID=1652, halt=0 (a refused
// dialog does not stop the others).
func (c *Client) dialogBatch(ctx context.Context, ids []int64, found map[int64]Dialog, failed map[int64]error) error {
	params := make(Params, 0, 1+len(ids))
	params = params.Add("halt", "0")
	for _, id := range ids {
		params = params.Add("cmd["+sessionKey(id)+"]", MethodDialogGet+"?"+dialogGetParams(id).Encode())
	}
	v, err := c.Call(ctx, MethodBatch, params)
	if err != nil {
		return err
	}
	reply, err := decodeBatch(v)
	if err != nil {
		setMethod(err, MethodBatch)
		return err
	}
	for _, id := range ids {
		v, err := reply.get(sessionKey(id), MethodDialogGet)
		if err != nil {
			failed[id] = err
			continue
		}
		d, err := decodeDialog(v)
		if err != nil {
			setMethod(err, MethodDialogGet)
			failed[id] = err
			continue
		}
		found[id] = d
	}
	return nil
}

// sessionKey is a batch command key for a session: s1652.
func sessionKey(id int64) string { return "s" + strconv.FormatInt(id, 10) }
