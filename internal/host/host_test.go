//go:build !js

package host

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/l10n/catalog"
)

func fields(t *testing.T) Fields {
	t.Helper()
	words, err := catalog.File("en")
	require.NoError(t, err)
	return Fields{Lang: "in", Locale: "hi-IN", Dir: "ltr", Words: string(words), PageURL: "https://app.example/pinall/index.html"}
}

func TestCheckTakesAGoodPage(t *testing.T) {
	cfg, err := check(fields(t))
	require.NoError(t, err)
	assert.Equal(t, "in", cfg.PortalLang)
	assert.Equal(t, "https://app.example/pinall/index.html", cfg.PageURL)
	assert.Equal(t, "Pin all", cfg.Lang.Text("widget.pinAll"), "the words")
	assert.Equal(t, "Pinned 1,00,000 conversations. They stay with you.", cfg.Lang.Pinned(100000), "the locale's numbers")
}

func TestCheckSaysWhatIsWrong(t *testing.T) {
	for want, mod := range map[string]func(f *Fields){
		"pinallHost.lang is empty":                       func(f *Fields) { f.Lang = "" },
		"pinallHost.locale is empty":                     func(f *Fields) { f.Locale = "" },
		`pinallHost.dir is neither`:                      func(f *Fields) { f.Dir = "up" },
		"pinallHost.pageURL is empty":                    func(f *Fields) { f.PageURL = "" },
		"pinallHost.words: l10n: the words are not JSON": func(f *Fields) { f.Words = "<html>404</html>" },
		"no CLDR data for the locale":                    func(f *Fields) { f.Locale = "xx-YY" },
		"the words lack widget.pinAll": func(f *Fields) {
			f.Words = strings.Replace(f.Words, `"widget.pinAll": "Pin all"`, `"widget.pinAllX": "Pin all"`, 1)
		},
		"pinallHost.dir is not the words'": func(f *Fields) { f.Dir = "rtl" },
	} {
		f := fields(t)
		mod(&f)
		_, err := check(f)
		if assert.Error(t, err, want) {
			assert.Contains(t, err.Error(), want)
		}
	}
}
