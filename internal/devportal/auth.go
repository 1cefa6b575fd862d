package devportal

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/pinall/pinall/internal/clock"
)

// tokens is the portal's OAuth store. A refresh issues a new access token and
// leaves the old one valid until its own expiry, as the real server does.
type tokens struct {
	mu     sync.Mutex
	ttl    time.Duration
	access map[string]accessToken
	clock  clock.Clock
}

type accessToken struct {
	user    int
	expires time.Time
}

func newTokens(ttl time.Duration, c clock.Clock) *tokens {
	return &tokens{ttl: ttl, access: map[string]accessToken{}, clock: c}
}

// issue returns a new access token, a refresh token and the lifetime.
func (t *tokens) issue(user int) (access, refresh string, ttl time.Duration) {
	access, refresh = randomHex(16), randomHex(16)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.access[access] = accessToken{user: user, expires: t.clock.Now().Add(t.ttl)}
	return access, refresh, t.ttl
}

// check returns the token's user, or the REST error for a bad token.
func (t *tokens) check(tok string) (int, *methodError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a, ok := t.access[tok]
	switch {
	case tok == "" || !ok:
		return 0, &methodError{Status: 401, Code: "NO_AUTH_FOUND", Desc: "Wrong authorization data"}
	case !t.clock.Now().Before(a.expires):
		return 0, &methodError{Status: 401, Code: "expired_token", Desc: "The access token provided has expired."}
	}
	return a.user, nil
}

// expireAll makes every issued token expired now.
func (t *tokens) expireAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	past := t.clock.Now().Add(-time.Second)
	for k, a := range t.access {
		a.expires = past
		t.access[k] = a
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
