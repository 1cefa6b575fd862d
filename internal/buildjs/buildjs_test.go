package buildjs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/domid"
	"github.com/pinall/pinall/internal/l10n"
)

var sample = Build{Version: "v1.2.3-4-gabcdef0", Wasm: map[string]Wasm{
	"pinall.wasm":  {SHA256: strings.Repeat("ab", 32), Raw: 3_794_211, Gzip: 944_090},
	"install.wasm": {SHA256: strings.Repeat("cd", 32), Raw: 3_679_682, Gzip: 918_136},
}}

func generate(t *testing.T, b Build) Data {
	t.Helper()
	js, err := Generate(b)
	require.NoError(t, err)
	again, err := Generate(b)
	require.NoError(t, err)
	require.Equal(t, string(js), string(again), "the same build gives the same file")
	d, err := Parse(js)
	require.NoError(t, err)
	return d
}

func TestBuildFacts(t *testing.T) {
	d := generate(t, sample)
	assert.Equal(t, "v1.2.3-4-gabcdef0", d.Version)
	assert.Equal(t, sample.Wasm, d.Wasm)
	assert.Equal(t, "dev", generate(t, Build{}).Version, "a build without git says dev")
	require.Len(t, d.IDs, len(domid.All()))
	for _, id := range domid.All() {
		assert.Equal(t, id.ID, d.IDs[id.Name])
	}
}

// build.js's language rule, applied as apply.js applies it, picks what
// l10n.Pick picks.
func TestLangRuleIsPicks(t *testing.T) {
	rule := generate(t, sample).Lang
	assert.Equal(t, "LANG", rule.Param)
	js := func(lang string) l10n.Lang {
		if l, ok := rule.Portal[ascii.Lower(strings.TrimSpace(lang))]; ok {
			return l
		}
		return rule.Fallback
	}
	for _, in := range []string{"ru", "RU", " by ", "kz", "Kz", "en", "de", "ua", "", "rus", "r"} {
		assert.Equal(t, l10n.Pick(in), js(in), "%q", in)
	}
}

// Each page's words are the texts its Go program sets, in every language,
// for elements the page has.
func TestPageWords(t *testing.T) {
	d := generate(t, sample)
	require.ElementsMatch(t, Langs, keys(d.Words))
	for _, l := range Langs {
		w := d.Words[l]
		tx, x := l10n.TextsFor(l), l10n.InstallTextsFor(l)
		widget, install := w.Pages["widget"], w.Pages["install"]
		assert.Equal(t, tx.Title, widget.Text[domid.Title], l)
		assert.Equal(t, tx.PinAll, widget.Text[domid.PinAll], l)
		assert.Equal(t, l10n.DialogTextsFor(l).Unpin, widget.Text[domid.UnpinDialog], l)
		assert.Equal(t, tx.Loading, widget.Text[domid.Status], l)
		assert.Equal(t, x.Title, install.Text[domid.Title], l)
		assert.Equal(t, x.Finish, install.Text[domid.Finish], l)
		assert.Equal(t, l10n.LoaderTextsFor(l).Stopped, w.Loader.Stopped, l)
		for page, file := range map[string]string{"widget": "index.html", "install": "install.html"} {
			html := readWidget(t, file)
			p := w.Pages[page]
			assert.NotEmpty(t, p.DocumentTitle)
			for id, text := range p.Text {
				assert.NotEmpty(t, text, "%s %s #%s", l, page, id)
				// The element is on the page, and empty there: the words are put
				// in before the first paint, so no other language shows first.
				assert.Regexp(t, `id="`+regexp.QuoteMeta(id)+`"[^>]*></`, html, "%s: #%s present and empty", file, id)
			}
		}
	}
	assert.NotEqual(t, d.Words[l10n.EN].Pages["widget"].Text[domid.Title], d.Words[l10n.RU].Pages["widget"].Text[domid.Title])
}

// Every word loader.js reads is there, in every language.
func TestLoaderWords(t *testing.T) {
	js := readWidget(t, "loader.js")
	d := generate(t, sample)
	used := regexp.MustCompile(`\bwords\.([A-Za-z]+)`).FindAllStringSubmatch(js, -1)
	require.NotEmpty(t, used)
	for _, l := range Langs {
		w := map[string]string{"stopped": d.Words[l].Loader.Stopped, "failed": d.Words[l].Loader.Failed,
			"noWasm": d.Words[l].Loader.NoWasm, "noUnpack": d.Words[l].Loader.NoUnpack,
			"reload": d.Words[l].Loader.Reload, "version": d.Words[l].Loader.Version}
		for _, m := range used {
			assert.NotEmpty(t, w[m[1]], "%s: loader.js uses words.%s", l, m[1])
		}
	}
}

func readWidget(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "widget", name))
	require.NoError(t, err)
	return string(b)
}

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
