package buildjs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
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
	"github.com/pinall/pinall/internal/l10n/catalog"
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
// l10n.PortalOf picks over the catalogues present.
func TestLangRuleIsPortalOf(t *testing.T) {
	rule := generate(t, sample).Lang
	assert.Equal(t, "LANG", rule.Param)
	js := func(lang string) Lang {
		if l, ok := rule.Portal[ascii.Lower(strings.TrimSpace(lang))]; ok {
			return l
		}
		return rule.Fallback
	}
	for _, in := range []string{"ru", "RU", " by ", "kz", "Kz", "en", "de", "ua", "in", "ar", "th", "", "rus", "r"} {
		want := l10n.PortalOf(in, catalog.Has)
		got := js(in)
		assert.Equal(t, want, l10n.Portal{Lang: got.Lang, Catalog: got.Words, Locale: got.Locale}, "%q", in)
		assert.Contains(t, []string{"ltr", "rtl"}, got.Dir, "%q", in)
		assert.Contains(t, generate(t, sample).Words, WordsName(got.Words), "%q: its words file is in the build", in)
	}
}

// Each words file is its catalogue as the Go programs read it, without what
// only translators need.
func TestWordsFiles(t *testing.T) {
	d := generate(t, sample)
	require.Len(t, d.Words, len(catalog.Names()))
	for _, name := range catalog.Names() {
		words, err := WordsFile(name)
		require.NoError(t, err)
		sum := sha256.Sum256(words)
		served, err := Served(words)
		require.NoError(t, err)
		assert.Equal(t, File{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(words)), Gzip: int64(len(served))}, d.Words[WordsName(name)], name)
		zr, err := gzip.NewReader(bytes.NewReader(served))
		require.NoError(t, err)
		plain, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, words, plain, "%s: the file served unpacks to the words", name)
		p := l10n.PortalOf(name, catalog.Has)
		l, err := l10n.Parse(words, p.Locale)
		require.NoError(t, err, name)
		full, _, err := catalog.For(name)
		require.NoError(t, err)
		assert.Equal(t, l10n.TextsFor(full), l10n.TextsFor(l), name)
		assert.Equal(t, full.Count("result.pinned", 21), l.Count("result.pinned", 21), name)
		assert.NotContains(t, string(words), "_notes", name)
		assert.NotContains(t, string(words), `"terms"`, name)
		assert.NotContains(t, string(words), "\n", name)
		file, err := catalog.File(name)
		require.NoError(t, err)
		assert.Less(t, len(words), len(file), name)
	}
}

// Each page's words are the texts its Go program sets, for elements the
// page has, and empty there.
func TestPageWords(t *testing.T) {
	d := generate(t, sample)
	en, _, err := catalog.For("en")
	require.NoError(t, err)
	widget, install := d.Pages["widget"], d.Pages["install"]
	tx, x := l10n.TextsFor(en), l10n.InstallTextsFor(en)
	assert.Equal(t, tx.Title, en.Text(widget.Text[domid.Title]))
	assert.Equal(t, tx.PinAll, en.Text(widget.Text[domid.PinAll]))
	assert.Equal(t, l10n.DialogTextsFor(en).Unpin, en.Text(widget.Text[domid.UnpinDialog]))
	assert.Equal(t, tx.Loading, en.Text(widget.Text[domid.Status]))
	assert.Equal(t, x.Title, en.Text(install.Text[domid.Title]))
	assert.Equal(t, x.Finish, en.Text(install.Text[domid.Finish]))
	keys := map[string]bool{}
	for _, k := range l10n.Keys() {
		keys[k.Name] = !k.Count
	}
	for page, file := range map[string]string{"widget": "index.html", "install": "install.html"} {
		html := readWidget(t, file)
		p := d.Pages[page]
		assert.True(t, keys[p.DocumentTitle], "%s: <title> is a message: %s", page, p.DocumentTitle)
		for id, key := range p.Text {
			assert.True(t, keys[key], "%s #%s: %s is a message without a count", page, id, key)
			// The element is on the page, and empty there: no other
			// language shows before the words.
			assert.Regexp(t, `id="`+regexp.QuoteMeta(id)+`"[^>]*></`, html, "%s: #%s present and empty", file, id)
		}
	}
}

// The English loader words are there for every message loader.js reads.
func TestLoaderWords(t *testing.T) {
	js := readWidget(t, "loader.js")
	d := generate(t, sample)
	used := regexp.MustCompile(`\bwords\.([A-Za-z]+)`).FindAllStringSubmatch(js, -1)
	require.NotEmpty(t, used)
	w := map[string]string{"stopped": d.Fallback.Stopped, "failed": d.Fallback.Failed,
		"noWasm": d.Fallback.NoWasm, "noUnpack": d.Fallback.NoUnpack,
		"reload": d.Fallback.Reload, "version": d.Fallback.Version}
	for _, m := range used {
		assert.NotEmpty(t, w[m[1]], "loader.js uses words.%s", m[1])
	}
	assert.Equal(t, "The widget stopped. Reload it to continue.", d.Fallback.Stopped)
}

func readWidget(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "widget", name))
	require.NoError(t, err)
	return string(b)
}
