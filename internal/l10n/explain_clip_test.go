//go:build !js

package l10n

import (
	"strings"
	"testing"

	"github.com/pinall/pinall/internal/b24"
	"github.com/stretchr/testify/assert"
)

// A long description from the portal is cut at 200 characters, not bytes.
func TestThePortalsWordsAreClippedByCharacters(t *testing.T) {
	long := strings.Repeat("д", 250)
	p := Explain(EN, &b24.APIError{Method: "im.recent.pin", Status: 400, Code: "SOMETHING_NEW", Description: long})
	assert.Contains(t, p.Message, strings.Repeat("д", 200)+"…")
	assert.NotContains(t, p.Message, strings.Repeat("д", 201))

	short := strings.Repeat("д", 200)
	p = Explain(EN, &b24.APIError{Method: "im.recent.pin", Status: 400, Code: "SOMETHING_NEW", Description: short})
	assert.Contains(t, p.Message, short)
	assert.NotContains(t, p.Message, "…")
}
