package distpage

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func files(m map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		s, ok := m[name]
		if !ok {
			return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
		}
		return []byte(s), nil
	}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

const page = `<!doctype html>
<head>
<!-- about the unpacked page -->
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'">
<link rel="stylesheet" href="style.css">
<script src="a.js" defer></script>
<script src="b.js" data-wasm="install.wasm" defer></script>
</head>
<body>
<p id="x"></p>
</body>
</html>
`

func TestInlineKeepsScriptsInPlaceAndHashesThem(t *testing.T) {
	got, err := Inline([]byte(page), files(map[string]string{"style.css": "p{}", "a.js": "a()", "b.js": "b()"}))
	require.NoError(t, err)
	want := `<!doctype html>
<head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ` + sum("a()") + ` ` + sum("b()") + ` 'wasm-unsafe-eval'; style-src ` + sum("p{}") + `">
<style>p{}</style>
<script>a()</script>
<script data-wasm="install.wasm">b()</script>
</head>
<body>
<p id="x"></p>
</body>
</html>
`
	assert.Equal(t, want, string(got))
}

func TestInlineRefuses(t *testing.T) {
	ok := map[string]string{"style.css": "p{}", "a.js": "a()", "b.js": "b()"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range ok {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for _, c := range []struct {
		name  string
		page  string
		files map[string]string
		want  string
	}{
		{"a script that would end its element", page, with("a.js", `x = "</SCRIPT>"`), "</script"},
		{"a script with a comment opener", page, with("b.js", `x = "<!--"`), "<!--"},
		{"a stylesheet that would end its element", page, with("style.css", `p{content:"</style>"}`), "</style"},
		{"a missing file", page, with("a.js", ""), "a.js"},
		{"no policy to name the hashes", strings.Replace(page, "script-src 'self' 'wasm-unsafe-eval'; ", "", 1), ok, "CSP"},
		{"a script it does not know how to move", strings.Replace(page, `<script src="a.js" defer>`, `<script src="a.js" async>`, 1), ok, "<script src"},
		{"an inline script already there", strings.Replace(page, "<p id", "<script>x()</script><p id", 1), ok, "<script>"},
		{"an inline style already there", strings.Replace(page, "<p id", "<style>p{}</style><p id", 1), ok, "<style"},
		{"nothing to inline", "<html><body></body></html>", ok, "want both"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Inline([]byte(c.page), files(c.files))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// The widget's own pages pack: every script and the stylesheet they name
// is inlined, nothing is left to fetch but the wasm and the words.
func TestWidgetPagesPack(t *testing.T) {
	dir := filepath.Join("..", "..", "widget")
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) && (name == "build.js" || name == "wasm_exec.js") {
			return []byte("/* " + name + ", made by make build */"), nil
		}
		return b, err
	}
	for _, name := range []string{"index.html", "install.html"} {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			got, err := Inline(src, read)
			require.NoError(t, err)
			s := string(got)
			// Short checks: a failure must not print the whole page.
			want := map[string]int{"index.html": 4, "install.html": 3}[name]
			assert.Equal(t, want, strings.Count(s, "\n<script"), "build.js, wasm_exec.js, (rows.js,) loader.js")
			assert.False(t, strings.Contains(s, "\n<script src=") || strings.Contains(s, "<link"), "a file left to fetch")
			policy := regexp.MustCompile(`(script|style)-src [^;"]*`).FindAllString(s, -1)
			require.Len(t, policy, 2)
			for _, p := range policy {
				assert.NotContains(t, p, "'self'", "the policy names what it allows")
				assert.NotContains(t, p, "unsafe-inline")
			}
			// loader.js starts the loads as it runs: as early in the page as
			// build.js, which it reads, lets it.
			order := regexp.MustCompile(`<script src="([a-z_.]+)"`).FindAllStringSubmatch(string(src), 2)
			require.Len(t, order, 2)
			assert.Equal(t, []string{"build.js", "loader.js"}, []string{order[0][1], order[1][1]}, "the page's first scripts")
			head := s[:strings.Index(s, "</head>")]
			assert.Equal(t, want, strings.Count(head, "\n<script"), "every script in the head")
			loader := strings.Index(head, "const parsed")
			require.Positive(t, loader, "loader.js inlined")
			assert.Equal(t, 2, strings.Count(head[:loader], "\n<script"), "loader.js second, after build.js only")
		})
	}
}
