//go:build js && wasm

package host

import (
	"errors"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/l10n/catalog"
)

// js runs body as a function of a and b.
func js(t *testing.T, body string, args ...any) safejs.Value {
	t.Helper()
	fn, err := safejs.Global().Get("Function")
	require.NoError(t, err)
	f, err := fn.New("a", "b", body)
	require.NoError(t, err)
	v, err := f.Invoke(args...)
	require.NoError(t, err)
	return v
}

// setHost puts a pinallHost on the page as loader.js does, with the English
// words and the fields the test changes (JS source, e.g. {dir: "up"}).
func setHost(t *testing.T, changes string) {
	t.Helper()
	words, err := catalog.File("en")
	require.NoError(t, err)
	js(t, `globalThis.pinallHost = Object.assign({lang: "en", locale: "en", dir: "ltr", words: a,
		pageURL: location.href, rows: () => {}}, `+changes+`);`, string(words))
	t.Cleanup(func() { js(t, `delete globalThis.pinallHost; document.documentElement.dataset.state = "loading";`) })
}

func TestReadTakesTheLoadersObject(t *testing.T) {
	setHost(t, `{}`)
	p, err := Read()
	require.NoError(t, err)
	assert.Equal(t, "Pin all", p.Lang.Text("widget.pinAll"))
	assert.Equal(t, safejs.TypeFunction, p.Rows.Type())
	assert.NotEmpty(t, p.PageURL)
}

func TestReadRefusesABrokenPage(t *testing.T) {
	_, err := Read()
	assert.ErrorContains(t, err, "the page handed over no pinallHost", "no object at all")
	for changes, want := range map[string]string{
		`{words: 42}`:            "pinallHost.words is not a string",
		`{words: "{}"}`:          "pinallHost.words: l10n: the words' _about.dir",
		`{lang: undefined}`:      "pinallHost.lang is not a string",
		`{dir: "rtl"}`:           "pinallHost.dir is not the words' direction",
		`{rows: "pinallRows"}`:   "pinallHost.rows is not a function",
		`{locale: "tlh"}`:        `no CLDR data for the locale "tlh"`,
		`{pageURL: null}`:        "pinallHost.pageURL is not a string",
		`{asked: "getInitData"}`: "pinallHost.asked is not an object",
	} {
		setHost(t, changes)
		_, err := Read()
		assert.ErrorContains(t, err, want, changes)
	}
	setHost(t, `{rows: undefined}`)
	_, err = Read()
	assert.NoError(t, err, "the installer's page has no rows helper")
	setHost(t, `{asked: {id: "x"}}`)
	p, err := Read()
	require.NoError(t, err)
	assert.Equal(t, safejs.TypeObject, p.Asked.Type(), "the loader's question reaches the program")
}

// A page that cannot run the program says so through the loader's dead box,
// or, without one, in data-state.
func TestFailSaysSo(t *testing.T) {
	setHost(t, `{fail: (m) => { globalThis.__failed = m; document.documentElement.dataset.state = "error"; }}`)
	Fail(errors.New("pinallHost.words: l10n: the words lack widget.pinAll"))
	msg, err := js(t, `return globalThis.__failed`).String()
	require.NoError(t, err)
	assert.Equal(t, "pinallHost.words: l10n: the words lack widget.pinAll", msg)

	js(t, `delete globalThis.pinallHost; document.documentElement.dataset.state = "loading";`)
	Fail(errors.New("no pinallHost"))
	state, err := js(t, `return document.documentElement.dataset.state`).String()
	require.NoError(t, err)
	assert.Equal(t, "error", state)
}
