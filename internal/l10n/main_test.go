//go:build !js

package l10n

import "os"

// EN and RU are the catalogues' English and Russian, as the app reads them.
// Package variables, not TestMain's: the tables of the tests use them.
var (
	EN = mustLoad("en")
	RU = mustLoad("ru")
)

func mustLoad(name string) Lang {
	data, err := os.ReadFile("catalog/" + name + ".json")
	if err == nil {
		var l Lang
		if l, err = Parse(data, ""); err == nil {
			return l
		}
	}
	panic("l10n tests: catalog/" + name + ".json: " + err.Error())
}

// name says which catalogue a test speaks, for messages.
func name(l Lang) string { return l.Locale() }
