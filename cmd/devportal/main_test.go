package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrintsPortalURLFirst(t *testing.T) {
	var out, errOut bytes.Buffer
	p, err := start([]string{"--addr", "localhost:0", "--app-addr", "127.0.0.1:0", "--widget", t.TempDir(), "--lang", "ru", "--sessions", "5"}, &out, &errOut)
	require.NoError(t, err)
	defer p.Close()
	first, _, _ := strings.Cut(out.String(), "\n")
	assert.True(t, strings.HasPrefix(first, "Dev portal: "+p.PortalURL()+"/"), first)
	res, err := http.Get(p.PortalURL() + "/")
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Contains(t, string(b), "LANG=ru")
	assert.Len(t, p.Sessions(), len(sessionsOfDemo(t))+5)
}

func sessionsOfDemo(t *testing.T) []int {
	var out bytes.Buffer
	p, err := start([]string{"--addr", "localhost:0", "--app-addr", "127.0.0.1:0"}, &out, io.Discard)
	require.NoError(t, err)
	defer p.Close()
	ids := []int{}
	for _, s := range p.Sessions() {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestDataFlagAndBadFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "d.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"users":[{"id":1,"name":"A","is_admin":true}],
		"lines":[{"id":1,"name":"L","operators":[1]}],
		"chats":[{"id":7,"line_id":1,"name":"C - L","entity_id":"livechat|1|1|1"}],
		"sessions":[{"id":70,"chat_id":7,"operator":1}]}`), 0o644))
	p, err := start([]string{"--addr", "localhost:0", "--app-addr", "127.0.0.1:0", "--data", file, "--scopes", "imopenlines"}, io.Discard, io.Discard)
	require.NoError(t, err)
	defer p.Close()
	require.Len(t, p.Sessions(), 1)
	assert.Equal(t, 70, p.Sessions()[0].ID)

	_, err = start([]string{"--data", filepath.Join(t.TempDir(), "missing.json")}, io.Discard, io.Discard)
	assert.Error(t, err)
	_, err = start([]string{"--no-such-flag"}, io.Discard, io.Discard)
	assert.Error(t, err)
}
