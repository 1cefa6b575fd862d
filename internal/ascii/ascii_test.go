package ascii

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCase(t *testing.T) {
	assert.Equal(t, "portal.bitrix24.ru:443", Lower("Portal.BITRIX24.ru:443"))
	assert.Equal(t, "im_sidebar", Lower("IM_SIDEBAR"))
	assert.Equal(t, "IM_SIDEBAR", Upper("im_Sidebar"))
	assert.Equal(t, "\u212a", Lower("\u212a"), "the Kelvin sign is not a k")
	assert.Equal(t, "ПОРТАЛ", Upper("ПОРТАЛ"))
	s := "already"
	assert.Equal(t, s, Lower(s))
	assert.True(t, EqualFold("expired_token", "EXPIRED_TOKEN"))
	assert.False(t, EqualFold("expired_token", "expired_tokens"))
	assert.False(t, EqualFold("k", "\u212a"))
	assert.False(t, EqualFold("a-b", "a_b"))
}

func TestIsDigits(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "0123456789": true, "": false, "12a": false, "-1": false, "１": false, " 1": false} {
		if got := IsDigits(s); got != want {
			t.Errorf("IsDigits(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	for s, want := range map[string]string{
		" \t\n\v\f\rlivechat\r\n ": "livechat",
		"a b":                      "a b",
		" \t ":                     "",
		"":                         "",
		"\u00a0x\u00a0":            "\u00a0x\u00a0", // not ASCII white space
		"\x0ex\x1f":                "\x0ex\x1f",
	} {
		assert.Equal(t, want, TrimSpace(s), "%q", s)
	}
}

func TestParseIntReadsWhatStrconvReads(t *testing.T) {
	for _, s := range []string{
		"0", "42", "+42", "-42", "007", "-0", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
		"99999999999999999999", "", "+", "-", "1_000", "0x10", " 1", "1 ", "１", "--1", "+-1", "1e3", "1.0",
	} {
		want, err := strconv.ParseInt(s, 10, 64)
		got, ok := ParseInt(s)
		assert.Equal(t, err == nil, ok, "%q", s)
		if err == nil {
			assert.Equal(t, want, got, "%q", s)
		}
	}
}
