package main

import (
	"archive/zip"
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

func TestZipFlagServesTheZipAsBitrix24Does(t *testing.T) {
	name := filepath.Join(t.TempDir(), "pinall.zip")
	f, err := os.Create(name)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for n, body := range map[string]string{"index.html": "<p>zip", "pinall.wasm": "\x1f\x8b gzip'd"} {
		w, err := zw.Create(n)
		require.NoError(t, err)
		_, _ = w.Write([]byte(body))
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())

	var out bytes.Buffer
	p, err := start([]string{"--addr", "localhost:0", "--app-addr", "127.0.0.1:0", "--zip", name, "--mbps", "1000", "--rtt", "1"}, &out, io.Discard)
	require.NoError(t, err)
	defer p.Close()
	assert.Contains(t, out.String(), "App files:  "+name+" as Bitrix24 serves an uploaded zip (as they are, ETag, Cache-Control: no-cache), paced: 1000 Mbit/s, 1 ms round trips")
	req, _ := http.NewRequest("GET", p.AppURL()+"/pinall.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	res, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, "\x1f\x8b gzip'd", string(b))
	assert.Empty(t, res.Header.Get("Content-Encoding"))
	assert.NotEmpty(t, res.Header.Get("ETag"))
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))

	for _, bad := range [][]string{{"--no-cache-headers"}, {"--mbps", "-1"}, {"--rtt", "-5"}, {"--zip", filepath.Join(t.TempDir(), "none.zip")}} {
		_, err := start(append([]string{"--addr", "localhost:0", "--app-addr", "127.0.0.1:0"}, bad...), io.Discard, io.Discard)
		assert.Error(t, err, "%v", bad)
	}
}
