// Package domid declares the element IDs of the widget's pages
// (widget/index.html, widget/install.html): the DOM contract's names, once.
// internal/view looks elements up by them, the build's generator
// (internal/buildjs) writes them into widget/build.js for loader.js, and
// domid_test.go checks them against the pages.
//
// Plain Go with no imports: it compiles natively for the generator and for
// js/wasm for the view.
package domid

// ID is one declared element ID with the name loader.js knows it by
// (pinallBuild.ids.<Name>).
type ID struct {
	Name string // for JavaScript: ids.status
	ID   string // the element's id attribute
}

var all []ID

// declare records an ID and returns it, so each one is written once.
func declare(name, id string) string {
	all = append(all, ID{name, id})
	return id
}

// Both pages.
var (
	Title    = declare("title", "pa-title")       // the page's heading
	Hint     = declare("hint", "pa-hint")         // the line under it
	Status   = declare("status", "status")        // role=status: what is happening or happened
	Alert    = declare("alert", "error")          // role=alert: the error in words, empty when none
	Busy     = declare("busy", "pa-busy")         // the spinner beside the buttons
	Progress = declare("progress", "pa-progress") // the download's progress bar, while loading
	Version  = declare("version", "pa-version")   // the build's version, for support
	Dead     = declare("dead", "pa-dead")         // the box shown when the program cannot run
	DeadText = declare("deadText", "pa-dead-text")
	Reload   = declare("reload", "pa-reload") // the box's reload button
)

// The widget's page (index.html).
var (
	PinAll      = declare("pinAll", "pin-all")
	UnpinAll    = declare("unpinAll", "unpin-all")
	ResultTitle = declare("resultTitle", "pa-result-title")
	Sessions    = declare("sessions", "sessions")  // one li[data-session-id] per session
	More        = declare("more", "sessions-more") // made by the view after the list
	Dialog      = declare("dialog", "pa-dialog")   // the chat sidebar's one-dialog block
	DialogTitle = declare("dialogTitle", "pa-dialog-title")
	PinDialog   = declare("pinDialog", "pin-dialog")
	UnpinDialog = declare("unpinDialog", "unpin-dialog")
)

// The installer's page (install.html).
var (
	ListTitle  = declare("listTitle", "install-list-title")
	Placements = declare("placements", "placements") // one li[data-placement] per placement
	Finish     = declare("finish", "install-finish")
)

// Made marks the IDs that no page holds: the view creates the element.
var Made = map[string]bool{More: true}

// All returns every declared ID, in declaration order.
func All() []ID { return append([]ID(nil), all...) }
