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

// IDs are the sessions an action changed, in the portal's order.
type IDs struct {
	_ [0]func() // not comparable: no equality function in the wasm

	List []int64 // empty (not nil) when nothing changed
	// Text is List in decimal, joined by commas: "1652,1653". When the
	// portal wrote plain integers it is the portal's own text, so a long
	// list is never written out again.
	Text string
}

// PinAll pins all of the current operator's open sessions and returns the
// IDs of the sessions it pinned.
func (c *Client) PinAll(ctx context.Context) (IDs, error) {
	return c.callIDs(ctx, MethodPinAll)
}

// UnpinAll unpins the operator's pinned sessions and returns their IDs.
func (c *Client) UnpinAll(ctx context.Context) (IDs, error) {
	return c.callIDs(ctx, MethodUnpinAll)
}

func (c *Client) callIDs(ctx context.Context, method string) (IDs, error) {
	v, err := c.Call(ctx, method, nil)
	if err != nil {
		return IDs{}, err
	}
	ids, err := decodeIDs(v)
	if err != nil {
		setMethod(err, method)
		return IDs{}, err
	}
	return ids, nil
}

// decodeIDs reads a list of positive IDs written as numbers or decimal
// strings. null, false, [] and {} mean none. An object with numeric keys
// (a PHP array with gaps) is read as a list; anything else is a
// *BadReplyError of kind ErrUnexpectedResult.
func decodeIDs(v minijson.Value) (IDs, error) {
	var items []minijson.Value
	switch v.Kind() {
	case minijson.Null:
		return IDs{List: []int64{}}, nil
	case minijson.Bool:
		if b, _ := v.Bool(); !b {
			return IDs{List: []int64{}}, nil
		}
	case minijson.Array:
		if text, ok := v.PlainInts(); ok {
			if list, ok := plainIDs(text); ok {
				return IDs{List: list, Text: text}, nil
			}
		}
		items = v.Items()
	case minijson.Object:
		for _, m := range v.Members() {
			if !ascii.IsDigits(m.Key) {
				return IDs{}, unexpected("an object with key " + strconv.Quote(sanitize(m.Key, 40)) + " instead of a list of IDs")
			}
			items = append(items, m.Value)
		}
	}
	if items == nil && v.Kind() != minijson.Array && v.Kind() != minijson.Object {
		return IDs{}, unexpected("a JSON " + v.Kind().String() + " instead of a list of IDs")
	}
	list, err := itemIDs(items)
	if err != nil {
		return IDs{}, err
	}
	var text []byte // rare: the portal writes plain integers (plainIDs)
	for i, id := range list {
		if i > 0 {
			text = append(text, ',')
		}
		text = strconv.AppendInt(text, id, 10)
	}
	return IDs{List: list, Text: string(text)}, nil
}

// itemIDs is the rule for an ID: a positive integer that fits in int64,
// written as a number (12, 12.0, 1.2e1) or a decimal string ("12").
func itemIDs(items []minijson.Value) ([]int64, error) {
	ids := make([]int64, 0, len(items))
	for i, item := range items {
		id, ok := item.IntOrString()
		if !ok || id <= 0 {
			return nil, unexpected("item " + strconv.Itoa(i) + " is not a positive integer ID")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// plainIDs reads a list written as plain integers (minijson's PlainInts:
// digits and commas, "1652,1653", as the portal writes a list) in one loop,
// where itemIDs would make an item of each and call the general number
// reader. It takes only what itemIDs takes, integers of 1 to 18 digits but
// 0, and reports false for anything else, for itemIDs to judge and name.
func plainIDs(text string) ([]int64, bool) {
	ids := make([]int64, 0, strings.Count(text, ",")+1)
	var id int64
	digits := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] != ',' {
			id = id*10 + int64(text[i]-'0')
			digits++
			continue
		}
		if digits > 18 || id == 0 {
			return nil, false
		}
		ids = append(ids, id)
		id, digits = 0, 0
	}
	return ids, true
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
