// Package domid declares the element IDs of the widget's pages
// (widget/index.html, widget/install.html): the DOM contract's names, once.
// internal/view looks elements up by them, the build's generator
// (internal/buildjs) writes them into widget/build.js for loader.js, and
// domid_test.go checks them against the pages and against All.
//
// Plain Go with no imports: it compiles natively for the generator and for
// js/wasm for the view. Constants and a literal list, so nothing runs at
// start-up and the wasm carries only the IDs the view uses.
package domid

// ID is one declared element ID with the name loader.js knows it by
// (pinallBuild.ids.<Name>): the Go constant's name with a lower-case first
// letter.
type ID struct {
	Name string // for JavaScript: ids.status
	ID   string // the element's id attribute
}

// Both pages.
const (
	Title    = "pa-title"    // the page's heading
	Hint     = "pa-hint"     // the line under it
	Status   = "status"      // role=status: what is happening or happened
	Alert    = "error"       // role=alert: the error in words, empty when none
	Busy     = "pa-busy"     // the spinner beside the buttons
	Progress = "pa-progress" // the download's progress bar, while loading
	Version  = "pa-version"  // the build's version, for support
	Dead     = "pa-dead"     // the box shown when the program cannot run
	DeadText = "pa-dead-text"
	Reload   = "pa-reload" // the box's reload button
)

// The widget's page (index.html).
const (
	PinAll      = "pin-all"
	UnpinAll    = "unpin-all"
	ResultTitle = "pa-result-title"
	Sessions    = "sessions"      // one li[data-session-id] per session
	More        = "sessions-more" // made by the view after the list
	Dialog      = "pa-dialog"     // the chat sidebar's one-dialog block
	DialogTitle = "pa-dialog-title"
	PinDialog   = "pin-dialog"
	UnpinDialog = "unpin-dialog"
	Stop        = "pa-stop" // ends a click's wait for the portal's rate limit; shown only then
)

// The installer's page (install.html).
const (
	ListTitle  = "install-list-title"
	Placements = "placements" // one li[data-placement] per placement
	Finish     = "install-finish"
)

// all lists every constant above, in their order; domid_test.go fails when
// one is missing or named otherwise.
var all = []ID{
	{"title", Title}, {"hint", Hint}, {"status", Status}, {"alert", Alert},
	{"busy", Busy}, {"progress", Progress}, {"version", Version},
	{"dead", Dead}, {"deadText", DeadText}, {"reload", Reload},
	{"pinAll", PinAll}, {"unpinAll", UnpinAll}, {"resultTitle", ResultTitle},
	{"sessions", Sessions}, {"more", More}, {"dialog", Dialog},
	{"dialogTitle", DialogTitle}, {"pinDialog", PinDialog}, {"unpinDialog", UnpinDialog}, {"stop", Stop},
	{"listTitle", ListTitle}, {"placements", Placements}, {"finish", Finish},
}

// All returns every declared ID, in declaration order.
func All() []ID { return append([]ID(nil), all...) }
