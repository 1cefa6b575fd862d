package l10n

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the README's error table")

const readmePath = "../../README.md"

// The README's error table is generated from the catalogue; this fails when
// they drift. Regenerate: go test ./internal/l10n -run README -update
func TestREADMEErrorTable(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	const begin, end = "<!-- errors:begin -->\n", "<!-- errors:end -->"
	s := string(raw)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	require.True(t, i >= 0 && j > i, "README.md lacks the errors:begin/end markers")
	want := s[:i+len(begin)] + ErrorTable() + s[j:]
	if *update {
		require.NoError(t, os.WriteFile(readmePath, []byte(want), 0o644))
		return
	}
	require.Equal(t, want, s, "README.md's error table is stale: go test ./internal/l10n -run README -update")
}
