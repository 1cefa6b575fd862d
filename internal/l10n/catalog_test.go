//go:build !js

package l10n

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The catalogue files are what translators edit (docs/translating.md): these
// tests hold each file present to en.json, the source of every key.

// brandNames may stay as they are in any language: names of products and
// of the REST API, not words to translate. Matched as written ("Pin All",
// the product, is a name; "Pin all", the button, is words).
var brandNames = []string{
	"Pin All", "Bitrix24.Network", "Bitrix24", "Telegram", "WhatsApp", "Viber", "Facebook", "Instagram",
	"VK", "OLX", "Avito", "WeChat", "Apple Messages", "REST", "HTTPS", "imopenlines", "placement",
	"WebAssembly", "DecompressionStream",
}

// pluralKey is a CLDR plural category, or "=N" for exactly N (ICU's explicit
// value: "=1" where a language's "one" also covers 21 or 101).
var pluralKey = regexp.MustCompile(`^(zero|one|two|few|many|other|=[0-9]+)$`)

var (
	placeholder = regexp.MustCompile(`\{[^{}]*\}`)
	keyName     = regexp.MustCompile(`^[a-z]+(\.[A-Za-z0-9_]+)+$`)
)

type about struct {
	Language      string                       `json:"language"`
	Locale        string                       `json:"locale"`
	Dir           string                       `json:"dir"`
	Terms         map[string]map[string]string `json:"terms"`
	SameAsEnglish []string                     `json:"sameAsEnglish"`
}

// rawCatalog is one file as a translator wrote it: a message is a string or
// an object of plural forms.
type rawCatalog struct {
	about    about
	messages map[string]any
}

func readCatalog(t *testing.T, path string) rawCatalog {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var all map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &all), "%s is not valid JSON", path)
	c := rawCatalog{messages: map[string]any{}}
	for k, v := range all {
		switch {
		case k == "_about":
			require.NoError(t, json.Unmarshal(v, &c.about), "%s: _about", path)
		case strings.HasPrefix(k, "_"):
			// _notes and the like: for people.
		default:
			var s string
			if json.Unmarshal(v, &s) == nil {
				c.messages[k] = s
				continue
			}
			var forms map[string]string
			require.NoError(t, json.Unmarshal(v, &forms), "%s: %s is neither a string nor an object of plural forms", path, k)
			c.messages[k] = forms
		}
	}
	return c
}

// catalogFiles are the catalogue files present, by name without .json.
func catalogFiles(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob("catalog/*.json")
	require.NoError(t, err)
	files := map[string]string{}
	for _, p := range paths {
		files[strings.TrimSuffix(filepath.Base(p), ".json")] = p
	}
	require.Contains(t, files, "en")
	require.Contains(t, files, "ru")
	return files
}

func placeholders(s string) []string {
	got := placeholder.FindAllString(s, -1)
	slices.Sort(got)
	return slices.Compact(got)
}

func without(list []string, drop string) []string {
	out := []string{}
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

// onlyBrands says s is brand names, placeholders and punctuation.
func onlyBrands(s string) bool {
	s = placeholder.ReplaceAllString(s, "")
	for _, b := range brandNames {
		s = strings.ReplaceAll(s, b, "")
	}
	return !strings.ContainsFunc(s, unicode.IsLetter)
}

func TestCatalogueFilesAreKnownLanguages(t *testing.T) {
	catalogs := map[string]bool{}
	for _, p := range portals {
		catalogs[p.Catalog] = true
	}
	for name := range catalogFiles(t) {
		assert.True(t, catalogs[name], "catalog/%s.json is no portal language's catalogue (internal/l10n/portals.go)", name)
	}
}

func TestCatalogueAbout(t *testing.T) {
	for name, path := range catalogFiles(t) {
		c := readCatalog(t, path)
		a := c.about
		assert.NotEmpty(t, a.Language, "%s: _about.language", name)
		i := slices.IndexFunc(portals, func(p Portal) bool { return p.Lang == name })
		if assert.GreaterOrEqual(t, i, 0, name) {
			assert.Equal(t, portals[i].Locale, a.Locale, "%s: _about.locale is the SDK's locale for LANG %s", name, name)
		}
		wantDir := "ltr"
		if name == "ar" {
			wantDir = "rtl"
		}
		assert.Equal(t, wantDir, a.Dir, "%s: _about.dir", name)
		assert.NotEmpty(t, a.Terms, "%s: _about.terms: the product's own words, with where they come from", name)
		for term, v := range a.Terms {
			assert.NotEmpty(t, v["word"], "%s: _about.terms[%q].word", name, term)
			assert.NotEmpty(t, v["source"], "%s: _about.terms[%q].source", name, term)
		}
		for _, k := range a.SameAsEnglish {
			assert.Contains(t, c.messages, k, "%s: _about.sameAsEnglish names no message", name)
		}
	}
}

func TestCatalogueKeys(t *testing.T) {
	en := readCatalog(t, "catalog/en.json")
	for k, v := range en.messages {
		assert.Regexp(t, keyName, k)
		if s, ok := v.(string); ok {
			assert.NotEmpty(t, s, k)
		}
	}
	for name, path := range catalogFiles(t) {
		c := readCatalog(t, path)
		assert.ElementsMatch(t, slices.Sorted(maps.Keys(en.messages)), slices.Sorted(maps.Keys(c.messages)),
			"%s.json has exactly en.json's keys (extra keys are stale, missing ones untranslated)", name)
	}
}

func TestCataloguePlaceholders(t *testing.T) {
	en := readCatalog(t, "catalog/en.json")
	for name, path := range catalogFiles(t) {
		c := readCatalog(t, path)
		for k, ev := range en.messages {
			v, ok := c.messages[k]
			if !ok {
				continue // TestCatalogueKeys says so
			}
			switch ev := ev.(type) {
			case string:
				s, ok := v.(string)
				if !assert.True(t, ok, "%s: %s is a plain string in en.json", name, k) {
					continue
				}
				assert.Equal(t, placeholders(ev), placeholders(s), "%s: %s has en.json's placeholders", name, k)
				assert.Equal(t, s, strings.TrimSpace(s), "%s: %s has no space around it", name, k)
				assert.NotEmpty(t, s, "%s: %s", name, k)
			case map[string]string:
				forms, ok := v.(map[string]string)
				if !assert.True(t, ok, "%s: %s has plural forms in en.json", name, k) {
					continue
				}
				want := without(placeholders(ev["other"]), "{n}")
				for cat, s := range forms {
					assert.Regexp(t, pluralKey, cat, "%s: %s", name, k)
					// A form may write the number as a word ("one"), so
					// {n} may go; every other placeholder stays.
					assert.Equal(t, want, without(placeholders(s), "{n}"), "%s: %s[%s] has en.json's placeholders", name, k, cat)
					assert.NotEmpty(t, s, "%s: %s[%s]", name, k, cat)
				}
				assert.Contains(t, forms, "other", "%s: %s", name, k)
				// Exactly the categories CLDR gives the language.
				if loc, ok := findLocale(c.about.Locale); ok {
					var want, got []string
					for p := Zero; p <= Other; p++ {
						if loc.has(p) {
							want = append(want, p.String())
						}
					}
					for cat := range forms {
						if !strings.HasPrefix(cat, "=") {
							got = append(got, cat)
						}
					}
					assert.ElementsMatch(t, want, got, "%s: %s has the plural forms of %s (CLDR): %v", name, k, c.about.Locale, want)
				}
			}
		}
	}
}

// A value equal to English is a message left untranslated, unless it is
// made of brand names only or the file lists it in _about.sameAsEnglish
// (a word your language shares with English, e.g. German "Version").
func TestCatalogueIsTranslated(t *testing.T) {
	en := readCatalog(t, "catalog/en.json")
	for name, path := range catalogFiles(t) {
		if name == "en" {
			continue
		}
		c := readCatalog(t, path)
		same := map[string]bool{}
		for _, k := range c.about.SameAsEnglish {
			same[k] = true
		}
		for k, v := range c.messages {
			var english []string
			switch ev := en.messages[k].(type) {
			case string:
				english = []string{ev}
			case map[string]string:
				english = slices.Collect(maps.Values(ev))
			}
			var theirs []string
			switch v := v.(type) {
			case string:
				theirs = []string{v}
			case map[string]string:
				theirs = slices.Collect(maps.Values(v))
			}
			for _, s := range theirs {
				if slices.Contains(english, s) && !onlyBrands(s) && !same[k] {
					t.Errorf("%s: %s is still English (%q); translate it, or list it in _about.sameAsEnglish if your language says it so", name, k, s)
				}
			}
		}
	}
}

func TestCatalogueNotesNameMessages(t *testing.T) {
	data, err := os.ReadFile("catalog/en.json")
	require.NoError(t, err)
	var all struct {
		Notes map[string]string `json:"_notes"`
	}
	require.NoError(t, json.Unmarshal(data, &all))
	en := readCatalog(t, "catalog/en.json")
	for k := range all.Notes {
		assert.Contains(t, en.messages, k, "en.json's _notes names a message that is gone")
	}
}

// Every file present parses as the app reads it, for its portals' locales.
func TestCataloguesParse(t *testing.T) {
	files := catalogFiles(t)
	for _, p := range portals {
		path, ok := files[p.Catalog]
		if !ok {
			continue
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		_, err = Parse(data, p.Locale)
		assert.NoError(t, err, "%s (%s)", p.Lang, path)
	}
}

// en.json holds exactly the messages the app reads, each of its shape.
func TestKeysAreEnglishCatalogue(t *testing.T) {
	en := readCatalog(t, "catalog/en.json")
	want := map[string]bool{}
	for _, k := range Keys() {
		assert.False(t, want[k.Name], "%s is listed twice", k.Name)
		want[k.Name] = k.Count
	}
	for k, v := range en.messages {
		count, ok := want[k]
		if assert.True(t, ok, "en.json's %s is read by nothing in the app: drop it, or read it", k) {
			_, isForms := v.(map[string]string)
			assert.Equal(t, count, isForms, "%s: a sentence with a count has plural forms, a text has none", k)
		}
	}
	assert.Len(t, en.messages, len(want))
}
