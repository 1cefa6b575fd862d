// Package distpage turns a page of widget/ into the page the zip ships: its
// stylesheet and scripts inlined where the page names them, its CSP naming
// them by SHA-256.
//
// Bitrix24 serves an uploaded zip's files with an ETag and no max-age, so
// every open revalidates each file the page names, a round trip after the
// page's own; inlined, an open waits for the page and the wasm only
// (bench/results.md, round 4). The scripts stay in the head, where the page
// names them: loader.js starts the wasm's and the words' loads as it runs,
// while the rest of the page arrives, and waits for the elements itself.
// The hashes are stricter than 'self', which would let any script on the
// app's host run. widget/ keeps the files apart, for reading and for the
// dev portal; make dist packs them.
package distpage

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
)

var (
	comment    = regexp.MustCompile(`(?s)<!--.*?-->\n?`)
	stylesheet = regexp.MustCompile(`<link rel="stylesheet" href="([a-z0-9_.-]+)">`)
	script     = regexp.MustCompile(`<script src="([a-z0-9_.-]+)"((?: data-[a-z]+="[a-z0-9_.-]*")*) defer></script>\n?`)
)

// The page's policy names 'self' for scripts and styles; the packed page
// names the inlined ones instead.
const (
	scriptSelf = "script-src 'self' 'wasm-unsafe-eval'"
	styleSelf  = "style-src 'self'"
)

// Inline returns page with each stylesheet link replaced by a style element
// and each deferred script by an inline one in its place, keeping its data-
// attributes (an inline script runs as the parser meets it: the page's
// scripts must not need the elements that follow them before
// DOMContentLoaded). read returns a named file's content. HTML
// comments are dropped: they describe the unpacked page; so are the
// comments of the scripts and the stylesheet where they can be told for
// certain (strip.go), and the policy's hashes are of what is inlined.
func Inline(page []byte, read func(name string) ([]byte, error)) ([]byte, error) {
	out := comment.ReplaceAll(page, nil)
	for _, had := range []string{"<style", "<script>"} {
		if bytes.Contains(out, []byte(had)) {
			return nil, fmt.Errorf("distpage: the page already holds %q: a form this package does not know", had)
		}
	}
	var failed error
	fail := func(err error) {
		if failed == nil {
			failed = err
		}
	}
	var styles []string
	out = stylesheet.ReplaceAllFunc(out, func(m []byte) []byte {
		name := string(stylesheet.FindSubmatch(m)[1])
		css, err := read(name)
		if err != nil {
			fail(err)
			return nil
		}
		if bytes.Contains(bytes.ToLower(css), []byte("</style")) {
			fail(fmt.Errorf("distpage: %s holds </style", name))
			return nil
		}
		if lean, ok := stripCSS(css); ok {
			css = lean
		}
		styles = append(styles, hash(css))
		return append(append([]byte("<style>"), css...), "</style>"...)
	})
	var scripts []string
	out = script.ReplaceAllFunc(out, func(m []byte) []byte {
		sm := script.FindSubmatch(m)
		name := string(sm[1])
		js, err := read(name)
		if err != nil {
			fail(err)
			return nil
		}
		if bytes.Contains(bytes.ToLower(js), []byte("</script")) || bytes.Contains(js, []byte("<!--")) {
			fail(fmt.Errorf("distpage: %s holds </script or <!--, which would end or change the script element", name))
			return nil
		}
		if lean, ok := stripJS(js); ok {
			js = lean
		}
		scripts = append(scripts, hash(js))
		return fmt.Appendf(nil, "<script%s>%s</script>\n", sm[2], js)
	})
	if failed != nil {
		return nil, failed
	}
	if len(styles) == 0 || len(scripts) == 0 {
		return nil, fmt.Errorf("distpage: found %d stylesheets and %d scripts to inline, want both", len(styles), len(scripts))
	}
	for _, left := range []string{"<script src", "<link rel=\"stylesheet\""} {
		if bytes.Contains(out, []byte(left)) {
			return nil, fmt.Errorf("distpage: %q left after inlining: a form this package does not know", left)
		}
	}
	for _, r := range []struct{ from, to string }{
		{scriptSelf, "script-src " + strings.Join(scripts, " ") + " 'wasm-unsafe-eval'"},
		{styleSelf, "style-src " + strings.Join(styles, " ")},
	} {
		if bytes.Count(out, []byte(r.from)) != 1 {
			return nil, fmt.Errorf("distpage: the page's CSP does not hold %q once", r.from)
		}
		out = bytes.Replace(out, []byte(r.from), []byte(r.to), 1)
	}
	return out, nil
}

// hash is a CSP source for content: 'sha256-<base64>'.
func hash(content []byte) string {
	sum := sha256.Sum256(content)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
