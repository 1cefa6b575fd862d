package pinall_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// mapRow is a row of docs/architecture.md's package map: | `dir` | ... |
var mapRow = regexp.MustCompile("(?m)^\\| `([^`]+)` \\|")

// packageMap is the directories docs/architecture.md's package map names.
func packageMap(t *testing.T) []string {
	b, err := os.ReadFile(filepath.Join("docs", "architecture.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(b), "\n## Package map\n")
	require.True(t, ok, "docs/architecture.md has no Package map section")
	section, _, _ = strings.Cut(section, "\n## ")
	var dirs []string
	for _, m := range mapRow.FindAllStringSubmatch(section, -1) {
		dirs = append(dirs, m[1])
	}
	return dirs
}

// goDirs is every directory of the module holding Go files, testdata and
// node_modules aside.
func goDirs(t *testing.T) []string {
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if dir := filepath.ToSlash(filepath.Dir(path)); strings.HasSuffix(path, ".go") && !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
		return nil
	})
	require.NoError(t, err)
	return dirs
}

// The package map names every directory of Go code, and nothing that is
// not there: a package added, moved or deleted fails here until the map
// says so.
func TestPackageMapMatchesTheTree(t *testing.T) {
	named := packageMap(t)
	require.NotEmpty(t, named)
	for _, dir := range goDirs(t) {
		if !slices.Contains(named, dir) {
			t.Errorf("%s holds Go code but docs/architecture.md's package map has no row for it", dir)
		}
	}
	for _, dir := range named {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Errorf("docs/architecture.md's package map names %s, which is not a directory here", dir)
		}
	}
}
