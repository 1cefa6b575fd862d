package b24

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParamsEncode(t *testing.T) {
	t.Parallel()
	p := Params{}.
		Add("TEXT", "a&b=c d+e").
		Add("NAME", "Привет, 世界 🙂").
		addInt("CHAT_ID", 42).
		addBool("ACTIVATE", false).
		AddNested("FIELDS", Params{}.Add("TITLE", "x").Add("PHONE[0][VALUE]", "+7 999"))

	got := p.Encode()

	assert.Equal(t, "TEXT=a%26b%3Dc+d%2Be"+
		"&NAME=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%2C+%E4%B8%96%E7%95%8C+%F0%9F%99%82"+
		"&CHAT_ID=42&ACTIVATE=N"+
		"&FIELDS%5BTITLE%5D=x&FIELDS%5BPHONE%5D%5B0%5D%5BVALUE%5D=%2B7+999", got)
	// And it reads back as the server (and net/url) read it.
	v, err := url.ParseQuery(got)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"TEXT":                    {"a&b=c d+e"},
		"NAME":                    {"Привет, 世界 🙂"},
		"CHAT_ID":                 {"42"},
		"ACTIVATE":                {"N"},
		"FIELDS[TITLE]":           {"x"},
		"FIELDS[PHONE][0][VALUE]": {"+7 999"},
	}, v)
}

// AddNested nests each key at its head, the part before its first bracket:
// a key that starts with a bracket, or is empty, has an empty head, a PHP
// list's next item.
func TestAddNestedEmptyHead(t *testing.T) {
	t.Parallel()
	got, err := url.ParseQuery(Params{}.AddNested("LIST", Params{}.Add("[0]", "a").Add("", "b")).Encode())
	require.NoError(t, err)
	assert.Equal(t, url.Values{"LIST[][0]": {"a"}, "LIST[]": {"b"}}, got)
}

func TestQueryEscapeMatchesNetURL(t *testing.T) {
	t.Parallel()
	every := make([]byte, 256) // every byte, the ends of the ranges left as they are among them
	for i := range every {
		every[i] = byte(i)
	}
	for _, s := range []string{"", "abc-_.~", " ", "+%/?#[]@!$'()*,;:", "\x00\x7f\xff", "ключ", "a\nb", string(every)} {
		assert.Equal(t, url.QueryEscape(s), queryEscape(s), "%q", s)
	}
}

func TestParamsKeepOrder(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "b=1&a=2&b=3", Params{}.Add("b", "1").Add("a", "2").Add("b", "3").Encode())
	assert.Equal(t, "", Params(nil).Encode())
}
