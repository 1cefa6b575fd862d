package distpage

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStripJSDropsCommentsOnly(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"line and block comments", "a(); // one\n/* two */ b();\n", "a();\nb();"},
		{"indentation and blank lines", "if (x) {\n\t\ty();\n\n\n    z();\n}\n", "if (x) {\ny();\nz();\n}"},
		{"// and /* in strings", `u = "http://x/*y*/"; v = 'it\'s // no'; // c`, `u = "http://x/*y*/"; v = 'it\'s // no';`},
		{"a line continuation in a string", "s = \"a\\\nb // c\"; // d", "s = \"a\\\nb // c\";"},
		{"a template's text and its expressions",
			"t = `a // b /* c */ ${x /* d */ + `i ${y} // e`} ${ {k: 1}.k }`; // f",
			"t = `a // b /* c */ ${x + `i ${y} // e`} ${ {k: 1}.k }`;"},
		{"a template over lines keeps its blank space", "t = `\n  two\n\n`; // c", "t = `\n  two\n\n`;"},
		{"a regular expression with // and /* in it", `ok = /\/\/[/*]+/g.test(s); // c`, `ok = /\/\/[/*]+/g.test(s);`},
		{"a regular expression after a statement's head", "if (x) /a\\/*b/.test(y); // c", "if (x) /a\\/*b/.test(y);"},
		{"a regular expression after return and =>", "f = () => /x/; function g() { return /y\\//; }", "f = () => /x/; function g() { return /y\\//; }"},
		{"a private name is no statement's head", "this.#if(a) / 2, s = \"/\", t = \"//x\" // c", "this.#if(a) / 2, s = \"/\", t = \"//x\""},
		{"divisions", "a = b / c / d; e = (f) / 2; g = h[0] / i.return / 3; // j", "a = b / c / d; e = (f) / 2; g = h[0] / i.return / 3;"},
		{"a division on the next line", "a = b\n/c/g.exec(d) // e", "a = b\n/c/g.exec(d)"},
		{"a comment with a line break stays a line break", "x = 1 /* a\nb */ y = 2", "x = 1\ny = 2"},
		{"return's line break is kept", "function f() {\n  return /*\n */ 1;\n}", "function f() {\nreturn\n1;\n}"},
		{"a comment between words leaves a space", "return/* a */x", "return x"},
		{"non-ASCII in strings and comments", "s = \"café\"; // naïve\n", "s = \"café\";"},
		{"a file's leading licence stays", "// Copyright 2018 The Go Authors.\n// Use of this source code is governed by a BSD-style\n// license.\n\n\"use strict\"; // c\n",
			"// Copyright 2018 The Go Authors.\n// Use of this source code is governed by a BSD-style\n// license.\n\"use strict\";"},
		{"a file's leading comments go when they are no licence", "// what this file does\n\"use strict\";", `"use strict";`},
		{"a marked licence stays anywhere", "a();\n/*! keep me */\nb(); /* @license MIT */", "a();\n/*! keep me */\nb(); /* @license MIT */"},
		{"comments only", "// nothing\n/* here */\n", ""},
		{"nothing", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := stripJS([]byte(c.src))
			require.True(t, ok, "refused")
			assert.Equal(t, c.want, string(got))
			again, ok := stripJS(got)
			assert.True(t, ok && string(again) == string(got), "stripping again changes %q to %q", got, again)
		})
	}
}

// What the stripper cannot read for certain it refuses: the file then
// goes in as it is.
func TestStripJSRefusesWhatItCannotTell(t *testing.T) {
	for name, src := range map[string]string{
		"a / after a block or an object":       "x = {} / 2",
		"a / after ++":                         "a++ / 2",
		"a / after a contextual keyword":       "function* g() { yield /x/ }",
		"an unclosed comment":                  "a(); /* b",
		"an unclosed string":                   `a = "b`,
		"a line break in a string":             "a = 'b\nc'",
		"an unclosed template":                 "a = `b ${c}",
		"an unclosed template expression":      "a = `b ${c",
		"a line break in a regular expression": "a = (/b\n/)",
		"an unclosed regular expression":       "a = (/b",
		"a name in another script":             "const café = 1",
		"U+2028 ends a line comment":           "a(); // b\u2028c()",
		"an HTML-like comment":                 "a\n--> b",
		"a hashbang":                           "#!/usr/bin/env node\na()",
		"an unbalanced bracket":                "a())",
		"an unclosed bracket":                  "a(",
		"a stray }":                            "a }",
		"an escape in a name":                  `\u0061 = 1`,
		"<!-- opens a line comment":            "a = b <!-- c\n/x/",
		"a / after a number's dot or a spread": "a = 1./2, b = \"/\", c = \"//x\"",
		"a / after await's )":                  "for await (x of y) /a'/.test(x); s = '//'",
	} {
		if got, ok := stripJS([]byte(src)); ok {
			t.Errorf("%s: %q stripped to %q, want refused", name, src, got)
		}
	}
}

func TestStripCSS(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"comments, indentation and blank lines", "/* about */\na {\n  color: red; /* why */\n\n  margin: 0 auto;\n}\n", "a {\ncolor: red;\nmargin: 0 auto;\n}"},
		{"/* in a string", `a::after { content: "/* no */ 'x'"; }`, `a::after { content: "/* no */ 'x'"; }`},
		{"an escaped quote in a string", `a::after { content: 'it\'s /* no */'; }`, `a::after { content: 'it\'s /* no */'; }`},
		{"an unquoted url with // and /*", "a { background: url(http://x/*y*/z.png) /* c */; }", "a { background: url(http://x/*y*/z.png) ; }"},
		{"a quoted url", `a { background: URL( "x/*y*/" ); }`, `a { background: URL( "x/*y*/" ); }`},
		{"a comment beside a blank", "a /* c */b, c/* d */ e {}", "a b, c e {}"},
		{"an escape", `.a\:b { x: 1 }`, `.a\:b { x: 1 }`},
		{"a marked licence", "/*! licence */\na{}", "/*! licence */\na{}"},
		{"a / that opens no comment", "a { grid-area: 1 / 2; aspect-ratio: 16/9 }", "a { grid-area: 1 / 2; aspect-ratio: 16/9 }"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := stripCSS([]byte(c.src))
			require.True(t, ok, "refused")
			assert.Equal(t, c.want, string(got))
		})
	}
	for name, src := range map[string]string{
		"a comment that joins two tokens": "a/**/b {}",
		"an unclosed comment":             "a {} /* b",
		"an unclosed string":              `a { content: "b }`,
		"a line break in a string":        "a { content: 'b\nc' }",
		"an unclosed url":                 "a { background: url(x.png }",
		"an escaped line break":           "a\\\nb {}",
		"a hex escape and its blank":      ".\\31  a {}",
	} {
		if got, ok := stripCSS([]byte(src)); ok {
			t.Errorf("%s: %q stripped to %q, want refused", name, src, got)
		}
	}
}

// The widget's own scripts and stylesheet are read to the end: none of
// them goes into the zip's pages with its comments.
func TestWidgetFilesStrip(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	for _, f := range []string{
		"../../widget/loader.js", "../../widget/rows.js", "../../widget/style.css",
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"),
	} {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		strip := stripJS
		if strings.HasSuffix(f, ".css") {
			strip = stripCSS
		}
		got, ok := strip(src)
		if !assert.True(t, ok, "%s: refused", f) {
			continue
		}
		assert.Less(t, len(got), len(src)*9/10, "%s: less than 10%% stripped", f)
	}
}

func FuzzStripJS(f *testing.F) {
	for _, s := range []string{"a(); // b\n/* c */ d()", "t = `a ${b /* c */} d`", "x = /a[/]b/g.test(y) / 2", "if (a) /b/.c(d)", `s = "a\"b" + 'c\'d'`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		got, ok := stripJS([]byte(src))
		if !ok {
			return
		}
		again, ok := stripJS(got)
		if !ok || string(again) != string(got) {
			t.Errorf("stripJS(%q) = %q, which strips again to %q (ok %v)", src, got, again, ok)
		}
	})
}
