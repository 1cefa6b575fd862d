//go:build !js

package e2e

// The release an administrator downloads: the workflow builds it with
// exactly `make dist` and uploads the zip and its checksum, and make dist
// writes a checksum that sha256sum -c accepts for the zip beside it.

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReleaseWorkflow(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), ".github", "workflows", "release.yml"))
	require.NoError(t, err)
	var runs, lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		l = strings.TrimSpace(l)
		if c := strings.Index(l, " #"); c >= 0 {
			l = strings.TrimSpace(l[:c])
		}
		lines = append(lines, l)
		if r, ok := strings.CutPrefix(strings.TrimPrefix(l, "- "), "run:"); ok {
			runs = append(runs, strings.TrimSpace(r))
		}
	}
	assert.Equal(t, []string{"make dist"}, runs, "the release builds with exactly make dist, nothing else")
	assert.Contains(t, lines, `tags: ["v*"]`, "it runs on a version tag")
	assert.Contains(t, lines, "fetch-depth: 0", "git describe needs the tags")
	assert.Contains(t, lines, "go-version-file: go.mod", "the Go of go.mod")
	assert.Contains(t, lines, "contents: write", "it may create the release")
	assert.Contains(t, lines, "dist/pinall.zip", "the zip is uploaded")
	assert.Contains(t, lines, "dist/pinall.zip.sha256", "its checksum is uploaded")
	for _, l := range lines {
		if a, ok := strings.CutPrefix(strings.TrimPrefix(l, "- "), "uses:"); ok {
			assert.Regexp(t, `@v\d+$`, strings.TrimSpace(a), "actions are pinned by version")
		}
	}
}

func TestDistChecksum(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "dist")
	zip, err := os.ReadFile(filepath.Join(dir, "pinall.zip"))
	if err != nil {
		t.Fatalf("e2e: %v: run make dist", err)
	}
	sum, err := os.ReadFile(filepath.Join(dir, "pinall.zip.sha256"))
	if err != nil {
		t.Fatalf("e2e: %v: run make dist", err)
	}
	h := sha256.Sum256(zip)
	assert.Equal(t, hex.EncodeToString(h[:])+"  pinall.zip\n", string(sum), "sha256sum -c format, for the zip beside it")
}
