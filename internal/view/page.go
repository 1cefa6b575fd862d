package view

// The values the controllers (internal/widget, internal/install) hand the
// page. This file is plain Go, so the controllers build and test natively;
// the rest of the package is the js implementation.
//
// The structs carry a noCompare field: a comparable type in an interface's
// method gets an equality function compiled into the wasm, and nothing
// compares these.

// noCompare makes a struct not comparable.
type noCompare [0]func()

// State is the page's data-state.
type State string

// The states of the DOM contract.
const (
	Loading State = "loading"
	Ready   State = "ready"
	Busy    State = "busy"
	Done    State = "done"
	Error   State = "error"
	// Finished is the installer's last state: setInstallFinish was sent.
	Finished State = "finished"
)

// Labels are the fixed texts of the page.
type Labels struct {
	_                             noCompare
	Title, Hint, PinAll, UnpinAll string
	ResultTitle                   string
}

// DialogLabels are the chat sidebar block's texts.
type DialogLabels struct {
	_                 noCompare
	Title, Pin, Unpin string
}

// Row is what a looked-up row shows. All of it reaches the DOM as text.
type Row struct {
	_         noCompare
	ChatID    int64
	Name      string // the dialog's name, e.g. "Eugene P. - Priority Support"
	Channel   string // readable, e.g. "Live chat"; "" for none
	Open      string // the open button's text, e.g. "Open"
	OpenLabel string // its accessible name, e.g. "Open dialog Eugene P. - Priority Support"
}

// Events are the widget page's callbacks: its buttons, and the session
// list's (RowEvents). They run on the JS event loop: they must not block.
type Events struct {
	PinAll, UnpinAll       func()
	PinDialog, UnpinDialog func() // the sidebar block's, when it is shown
	Stop                   func() // #pa-stop: end a click's wait for the rate limit
	Open                   func(chatID int64)
	More, Near             func()
}

// InstallLabels are the installer page's fixed texts.
type InstallLabels struct {
	_                              noCompare
	Title, Hint, ListTitle, Finish string
}

// PlacementRow is one line of the installer's list.
type PlacementRow struct {
	_         noCompare
	Placement string // IM_SIDEBAR
	Result    string // bound | already | rebound | failed
	Name      string // where it shows, in words
	Said      string // the result in words
}
