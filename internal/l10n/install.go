package l10n

// InstallTexts are the installer page's words (install.html).
type InstallTexts struct {
	Title, Hint, ListTitle string
	Finish                 string // the button that sends setInstallFinish
	Busy                   string // while binding
	AllDone, SomeFailed    string // the outcome line
	Finishing              string // after the click, before the portal reloads the app
	NotInstalling          string // opened with INSTALL false: nothing to finish
	// One placement's result, after its name.
	Bound, Already, Rebound, Failed string
	lang                            Lang
}

// PlacementName says where a placement shows the widget.
func (x InstallTexts) PlacementName(placement string) string {
	key := "install.placement." + placement
	if s := x.lang.Text(key); s != key {
		return s
	}
	return placement
}

// InstallTextsFor returns the installer's words in l.
func InstallTextsFor(l Lang) InstallTexts {
	return InstallTexts{
		Title:         l.Text("install.title"),
		Hint:          l.Text("install.hint"),
		ListTitle:     l.Text("install.listTitle"),
		Finish:        l.Text("install.finish"),
		Busy:          l.Text("install.busy"),
		AllDone:       l.Text("install.allDone"),
		SomeFailed:    l.Text("install.someFailed"),
		Finishing:     l.Text("install.finishing"),
		NotInstalling: l.Text("install.notInstalling"),
		Bound:         l.Text("install.bound"),
		Already:       l.Text("install.already"),
		Rebound:       l.Text("install.rebound"),
		Failed:        l.Text("install.failed"),
		lang:          l,
	}
}

// WidgetTitle names the widget in the portal's menus (placement.bind TITLE
// and LANG_ALL).
func WidgetTitle(l Lang) string { return l.Text("placement.title") }

// WidgetDescription is the placement's description.
func WidgetDescription(l Lang) string { return l.Text("placement.description") }

// DialogTexts are the words of the one-dialog block in the chat sidebar.
type DialogTexts struct {
	Title              string
	Pin, Unpin         string
	PinBusy, UnpinBusy string
	Pinned, Unpinned   string // the outcome
}

// DialogTextsFor returns the sidebar block's words in l.
func DialogTextsFor(l Lang) DialogTexts {
	return DialogTexts{
		Title:     l.Text("dialog.title"),
		Pin:       l.Text("dialog.pin"),
		Unpin:     l.Text("dialog.unpin"),
		PinBusy:   l.Text("dialog.pinBusy"),
		UnpinBusy: l.Text("dialog.unpinBusy"),
		Pinned:    l.Text("dialog.pinned"),
		Unpinned:  l.Text("dialog.unpinned"),
	}
}

// ThisDialog is the sidebar block's title once its dialog is known: "This
// conversation: Eugene P. - Priority Support, Live chat". channel may be "".
func (l Lang) ThisDialog(name, channel string) string {
	if channel == "" {
		return Fill(l.Text("dialog.titleNamed"), "name", name)
	}
	return Fill(l.Text("dialog.titleNamedChannel"), "name", name, "channel", channel)
}
