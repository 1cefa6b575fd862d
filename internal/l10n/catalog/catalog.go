// Package catalog is the catalogues themselves (the JSON files beside this
// one, which translators edit: docs/translating.md), for the programs that
// need every language: the build (the pages' words files, widget/build.js),
// the installer (placement.bind's LANG_ALL), the webhook CLI and tests. The
// widget's program does not import it: its page hands it one language's
// words (wasm/deps_test.go).
package catalog

import (
	"embed"
	"slices"
	"strings"

	"github.com/pinall/pinall/internal/l10n"
)

//go:embed *.json
var files embed.FS

// Names are the catalogues present, by name ("de" for de.json), sorted.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Has says whether the catalogue name is present.
func Has(name string) bool { return slices.Contains(Names(), name) }

// File is a catalogue's JSON as written.
func File(name string) ([]byte, error) { return files.ReadFile(name + ".json") }

// For returns the words for a portal's LANG (l10n.PortalOf over the
// catalogues present), and what the LANG means.
func For(lang string) (l10n.Lang, l10n.Portal, error) {
	p := l10n.PortalOf(lang, Has)
	data, err := File(p.Catalog)
	if err != nil {
		return l10n.Lang{}, p, err
	}
	l, err := l10n.Parse(data, p.Locale)
	return l, p, err
}

// Placement is the widget's name and description in one portal language.
type Placement struct {
	Lang               string // the portal's LANG
	Title, Description string
}

// Placements are the widget's names in every portal language the SDK lists
// whose catalogue is present, for placement.bind's LANG_ALL; by (Belarus)
// is not a Bitrix24 LANG and is left out. A catalogue that does not parse
// is left out too (its tests fail: internal/l10n).
func Placements() []Placement {
	var out []Placement
	for _, p := range l10n.Portals() {
		if p.Lang == "by" || !Has(p.Catalog) {
			continue
		}
		if l, _, err := For(p.Lang); err == nil {
			out = append(out, Placement{Lang: p.Lang, Title: l10n.WidgetTitle(l), Description: l10n.WidgetDescription(l)})
		}
	}
	return out
}
