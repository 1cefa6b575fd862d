// Package pinall_test holds the checks of the repository's own documents.
package pinall_test

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/install"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/l10n/catalog"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the error table of docs/errors.md")

// errorTable is docs/errors.md's table of errors: each kind of failure (declared
// with its errors in internal/frame, internal/b24 and internal/install),
// what the widget does about it, and the words internal/l10n shows.
func errorTable(t *testing.T) string {
	all := slices.Concat(frame.Behaviours, b24.Behaviours, install.Behaviours)
	var general, other, methods []b24.Behaviour
	for _, b := range all {
		switch {
		case b.Method != "":
			methods = append(methods, b)
		case b.Kind == b24.KindOther:
			other = append(other, b) // the catch-all row goes last
		default:
			general = append(general, b)
		}
	}
	en, _, err := catalog.For("en")
	require.NoError(t, err)
	ru, _, err := catalog.For("ru")
	require.NoError(t, err)
	var s strings.Builder
	s.WriteString("| error | what the widget does | what it says (English) | what it says (Russian) |\n|---|---|---|---|\n")
	for _, b := range slices.Concat(general, other, methods) {
		enWords, ok := l10n.Words(en, b.Kind, b.Method)
		require.True(t, ok, "no words for %s %s", b.Kind, b.Method)
		ruWords, _ := l10n.Words(ru, b.Kind, b.Method)
		key := "`" + b.Kind + "`"
		if b.Method == "" {
			for _, a := range b24.Aliases(b.Kind) {
				key += ", `" + a + "`"
			}
		} else {
			m := "`" + b.Method + "`"
			if strings.HasSuffix(b.Method, ".") {
				m = "`" + b.Method + "*`"
			}
			key += " from " + m
		}
		s.WriteString("| " + key + " | " + b.Does + " | " + enWords + " | " + ruWords + " |\n")
	}
	return s.String()
}

// docs/errors.md's table is generated; this fails when it drifts.
// Regenerate: go test . -run ErrorTable -update
func TestErrorTable(t *testing.T) {
	const path = "docs/errors.md"
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	const begin, end = "<!-- errors:begin -->\n", "<!-- errors:end -->"
	s := string(raw)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	require.True(t, i >= 0 && j > i, "docs/errors.md lacks the errors:begin/end markers")
	want := s[:i+len(begin)] + errorTable(t) + s[j:]
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		return
	}
	require.Equal(t, want, s, "docs/errors.md's error table is stale: go test . -run ErrorTable -update")
}
