package b24

import (
	"context"
	"strconv"
	"strings"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/minijson"
)

// REST methods of the imopenlines scope used by the widget.
const (
	MethodPinAll    = "imopenlines.session.mode.pinAll"
	MethodUnpinAll  = "imopenlines.session.mode.unpinAll"
	MethodPin       = "imopenlines.session.mode.pin"
	MethodDialogGet = "imopenlines.dialog.get"
)

// PinAll pins all of the current operator's open sessions and returns the
// IDs of the sessions it pinned; empty (not nil) when nothing changed.
func (c *Client) PinAll(ctx context.Context) ([]int64, error) {
	return c.callIDs(ctx, MethodPinAll)
}

// UnpinAll unpins the operator's pinned sessions and returns their IDs;
// empty (not nil) when nothing changed.
func (c *Client) UnpinAll(ctx context.Context) ([]int64, error) {
	return c.callIDs(ctx, MethodUnpinAll)
}

func (c *Client) callIDs(ctx context.Context, method string) ([]int64, error) {
	v, err := c.Call(ctx, method, nil)
	if err != nil {
		return nil, err
	}
	ids, err := decodeIDs(v)
	if err != nil {
		setMethod(err, method)
		return nil, err
	}
	return ids, nil
}

// decodeIDs reads a list of positive IDs written as numbers or decimal
// strings. null, false, [] and {} mean none. An object with numeric keys
// (a PHP array with gaps) is read as a list; anything else is a
// *BadReplyError of kind ErrUnexpectedResult.
func decodeIDs(v minijson.Value) ([]int64, error) {
	var items []minijson.Value
	switch v.Kind() {
	case minijson.Null:
		return []int64{}, nil
	case minijson.Bool:
		if b, _ := v.Bool(); !b {
			return []int64{}, nil
		}
	case minijson.Array:
		items = v.Items()
	case minijson.Object:
		for _, m := range v.Members() {
			if !ascii.IsDigits(m.Key) {
				return nil, unexpected("an object with key " + strconv.Quote(sanitize(m.Key, 40)) + " instead of a list of IDs")
			}
			items = append(items, m.Value)
		}
	}
	if items == nil && v.Kind() != minijson.Array && v.Kind() != minijson.Object {
		return nil, unexpected("a JSON " + v.Kind().String() + " instead of a list of IDs")
	}
	ids := make([]int64, 0, len(items))
	for i, item := range items {
		id, ok := plainID(item)
		if !ok {
			id, ok = item.IntOrString()
		}
		if !ok || id <= 0 {
			return nil, unexpected("item " + strconv.Itoa(i) + " is not a positive integer ID")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// plainID reads an ID written as a number of up to 18 digits, as the
// portal writes them, in one loop: with the wasm build's inlining off,
// strconv's general parser pays calls per digit. Any other form is left to
// IntOrString.
func plainID(v minijson.Value) (int64, bool) {
	lit, ok := v.Literal()
	if !ok || len(lit) == 0 || len(lit) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func unexpected(detail string) *BadReplyError {
	return &BadReplyError{Kind: ErrUnexpectedResult, Detail: detail}
}

// Pin pins (activate) or unpins one dialog of the current operator.
func (c *Client) Pin(ctx context.Context, chatID int64, activate bool) error {
	v, err := c.Call(ctx, MethodPin, pinParams(chatID, activate))
	if err != nil {
		return err
	}
	// The documented result is true; a false would mean it did nothing
	// without saying why, which the caller should hear about.
	if b, ok := v.Bool(); !ok || !b {
		e := unexpected("result is " + sanitize(minijson.Encode(v), 40) + ", want true")
		e.Method = MethodPin
		return e
	}
	return nil
}

// pinParams are the parameters of imopenlines.session.mode.pin.
func pinParams(chatID int64, activate bool) Params {
	return Params{}.addInt("CHAT_ID", chatID).addBool("ACTIVATE", activate)
}

// Dialog is the part of imopenlines.dialog.get's chat the widget shows.
type Dialog struct {
	_ [0]func() // not comparable: no equality function in the wasm

	ID         int64  // chat ID: open it as "chat{ID}"
	DialogID   string // "chat{ID}" when the portal sends it
	Name       string // customer and line, e.g. "Eugene P. - Priority Support"
	EntityID   string // connector|line|..., e.g. livechat|1|1363|203
	Connector  string // first field of EntityID, e.g. livechat, telegrambot
	DateCreate string // as the portal sent it (ATOM); kept as text: time.Parse would bring its tables into the wasm
	Type       string // "lines"
}

// DialogByChat looks up an open-line chat's dialog by its chat ID (the
// chat sidebar's PLACEMENT_OPTIONS.dialogId chatNNN is chat NNN).
func (c *Client) DialogByChat(ctx context.Context, chatID int64) (Dialog, error) {
	v, err := c.Call(ctx, MethodDialogGet, Params{}.addInt("CHAT_ID", chatID))
	if err != nil {
		return Dialog{}, err
	}
	d, err := decodeDialog(v)
	if err != nil {
		setMethod(err, MethodDialogGet)
	}
	return d, err
}

// dialogGetParams are the parameters of imopenlines.dialog.get by session
// (DialogsBySession sends them in a batch).
func dialogGetParams(sessionID int64) Params { return Params{}.addInt("SESSION_ID", sessionID) }

// decodeDialog reads imopenlines.dialog.get's result (also as found in a
// batch). It needs an object with a positive id; other fields are optional.
func decodeDialog(v minijson.Value) (Dialog, error) {
	if v.Kind() != minijson.Object {
		return Dialog{}, unexpected("a JSON " + v.Kind().String() + " instead of a dialog object")
	}
	id, ok := v.Field("id").IntOrString()
	if !ok || id <= 0 {
		return Dialog{}, unexpected("the dialog has no positive id")
	}
	str := func(key string) string {
		s, _ := v.Field(key).Str()
		return s
	}
	d := Dialog{
		ID:       id,
		DialogID: str("dialog_id"),
		Name:     str("name"),
		EntityID: str("entity_id"),
		Type:     str("type"),
	}
	d.Connector, _, _ = strings.Cut(d.EntityID, "|")
	d.DateCreate = str("date_create")
	return d, nil
}
