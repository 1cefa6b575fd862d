//go:build !js

package l10n

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
)

func TestPortalOf(t *testing.T) {
	all := func(string) bool { return true }
	for in, want := range map[string]Portal{
		"ru": {"ru", "ru", "ru-RU"}, "RU": {"ru", "ru", "ru-RU"}, " by ": {"by", "ru", "ru-RU"},
		"kz": {"kz", "kz", "kk"}, "de": {"de", "de", "de-DE"}, "in": {"in", "en", "hi-IN"},
		"ar": {"ar", "ar", "ar-SA"}, "": english, "xx": english,
	} {
		assert.Equal(t, want, PortalOf(in, all), "%q", in)
	}
	onlyEnRu := func(c string) bool { return c == "en" || c == "ru" }
	assert.Equal(t, english, PortalOf("de", onlyEnRu), "a catalogue not written yet: English, numbers too")
	assert.Equal(t, Portal{"in", "en", "hi-IN"}, PortalOf("in", onlyEnRu))
}

func TestPortalsHaveCLDRData(t *testing.T) {
	for _, p := range portals {
		_, ok := findLocale(p.Locale)
		assert.True(t, ok, "%s: no CLDR data for %s: add it to go:generate in cldr.go", p.Lang, p.Locale)
	}
}

func TestRussianPlurals(t *testing.T) {
	for n, want := range map[int]Plural{
		0: Many, 1: One, 2: Few, 4: Few, 5: Many, 11: Many, 12: Many, 14: Many, 21: One, 22: Few, 25: Many,
		101: One, 111: Many, 112: Many, 1004: Few,
	} {
		assert.Equal(t, want, RU.Plural(n), n)
	}
	assert.Equal(t, One, EN.Plural(1))
	assert.Equal(t, Other, EN.Plural(21))
	// A count below zero takes the form of its size, as CLDR's rules read n.
	assert.Equal(t, One, EN.Plural(-1))
	assert.Equal(t, Few, RU.Plural(-22))
}

// Each generated plural rule puts whole numbers where CLDR does, at the
// counts where the categories change, written out by hand from CLDR's
// rules (the browser test holds the same rules to Intl.PluralRules).
func TestPluralRulesOfEveryLocale(t *testing.T) {
	slavic := map[uint64]Plural{0: Many, 1: One, 2: Few, 4: Few, 5: Many, 9: Many, 10: Many, 11: Many, 12: Many,
		14: Many, 15: Many, 19: Many, 20: Many, 21: One, 22: Few, 24: Few, 25: Many, 29: Many, 101: One, 111: Many,
		112: Many, 114: Many, 122: Few, 1000000: Many}
	romance := map[uint64]Plural{0: Other, 1: One, 2: Other, 999999: Other, 1000000: Many, 1000001: Other, 3000000: Many}
	oneOther := map[uint64]Plural{0: Other, 1: One, 2: Other, 11: Other, 21: Other, 101: Other}
	rules := map[string]map[uint64]Plural{
		"ru-RU": slavic, "uk-UA": slavic,
		"pl-PL": {0: Many, 1: One, 2: Few, 4: Few, 5: Many, 9: Many, 10: Many, 11: Many, 12: Many, 14: Many, 15: Many,
			21: Many, 22: Few, 24: Few, 25: Many, 101: Many, 102: Few, 112: Many, 1000000: Many},
		"ar-SA": {0: Zero, 1: One, 2: Two, 3: Few, 10: Few, 11: Many, 99: Many, 100: Other, 101: Other, 102: Other,
			103: Few, 110: Few, 111: Many, 199: Many, 200: Other, 1002: Other, 1003: Few},
		"es-ES": romance, "it-IT": romance,
		"fr-FR": {0: One, 1: One, 2: Other, 999999: Other, 1000000: Many, 1000001: Other, 3000000: Many},
		"pt-BR": {0: One, 1: One, 2: Other, 999999: Other, 1000000: Many, 1000001: Other, 3000000: Many},
		"hi-IN": {0: One, 1: One, 2: Other, 11: Other},
		"en":    oneOther, "de-DE": oneOther, "tr-TR": oneOther, "kk": oneOther,
		"ja-JP": {0: Other, 1: Other, 2: Other}, "zh-CN": {1: Other}, "zh-TW": {1: Other}, "th-TH": {1: Other},
		"vi-VN": {1: Other}, "id-ID": {1: Other}, "ms-MY": {1: Other},
	}
	for i := range cldrLocales {
		tag := cldrLocales[i].tag
		want, ok := rules[tag]
		if !assert.True(t, ok, "%s: no hand-written rule in this test", tag) {
			continue
		}
		for n, w := range want {
			assert.Equal(t, w, cldrLocales[i].plural(n), "%s %d", tag, n)
		}
	}
}

// <html lang> and the numbers follow the portal's locale, the direction the
// words; a Lang without words still answers.
func TestLocaleAndDirection(t *testing.T) {
	assert.Equal(t, "en", EN.Locale())
	assert.Equal(t, "ru-RU", RU.Locale())
	data, err := os.ReadFile("catalog/ar.json")
	require.NoError(t, err)
	ar, err := Parse(data, "ar-SA")
	require.NoError(t, err)
	assert.Equal(t, "ar-SA", ar.Locale())
	assert.Equal(t, "rtl", ar.Dir())
	assert.Equal(t, "ltr", RU.Dir())
	assert.Equal(t, "", Lang{}.Locale())
	assert.Equal(t, "ltr", Lang{}.Dir())
}

// Fill puts each value in place of its name; a name left without a value
// stays as written rather than failing.
func TestFill(t *testing.T) {
	assert.Equal(t, "Pin 3 of 5", Fill("Pin {n} of {all}", "n", "3", "all", "5"))
	assert.Equal(t, "Pin 3 of {all}", Fill("Pin {n} of {all}", "n", "3", "all"))
	assert.Equal(t, "x {n}", Fill("x {n}"))
}

func TestTextsAreComplete(t *testing.T) {
	for _, l := range []Lang{EN, RU} {
		tx := TextsFor(l)
		for n, s := range map[string]string{"Title": tx.Title, "Hint": tx.Hint, "PinAll": tx.PinAll,
			"UnpinAll": tx.UnpinAll, "ResultTitle": tx.ResultTitle, "Loading": tx.Loading,
			"PinBusy": tx.PinBusy, "UnpinBusy": tx.UnpinBusy, "SessionLabel": tx.SessionLabel} {
			assert.NotEmpty(t, s, "%s %s", name(l), n)
		}
	}
	assert.NotEqual(t, TextsFor(EN).PinAll, TextsFor(RU).PinAll)
	assert.Equal(t, "Session #{id}", TextsFor(EN).SessionLabel, "the row helper puts the ID in place")
}

// cannedReply is a transport that answers every request with one reply.
type cannedReply b24.Response

func (r *cannedReply) Do(context.Context, *b24.Request) (*b24.Response, error) {
	resp := b24.Response(*r)
	return &resp, nil
}

// reply runs a raw portal reply through the client, retries off, so the
// words are tested against the errors the widget really gets.
func reply(t *testing.T, status int, contentType, body string) error {
	t.Helper()
	c, err := b24.New("https://portal.example/rest/1/hookcode",
		b24.WithTransport(&cannedReply{Status: status, ContentType: contentType, Body: []byte(body)}),
		b24.WithRetryPolicy(b24.RetryPolicy{MaxRetries: -1, NetworkRetries: -1}))
	require.NoError(t, err)
	_, err = c.Call(context.Background(), "profile", nil)
	require.Error(t, err)
	return err
}

func apiErr(t *testing.T, status int, code string) error {
	return reply(t, status, "application/json", `{"error":"`+code+`","error_description":"desc of `+code+`"}`)
}

// The facts' error table: every row has words of its own in both languages.
var factsTable = []struct {
	status int
	code   string
}{
	{401, "expired_token"}, {401, "invalid_token"}, {401, "NO_AUTH_FOUND"}, {403, "insufficient_scope"},
	{403, "INVALID_CREDENTIALS"}, {403, "ACCESS_DENIED"}, {403, "user_access_error"}, {403, "WRONG_AUTH_TYPE"},
	{400, "INVALID_REQUEST"}, {404, "ERROR_METHOD_NOT_FOUND"}, {429, "OPERATION_TIME_LIMIT"},
	{503, "QUERY_LIMIT_EXCEEDED"}, {503, "OVERLOAD_LIMIT"}, {500, "INTERNAL_SERVER_ERROR"},
	{500, "ERROR_UNEXPECTED_ANSWER"}, {403, "PORTAL_DELETED"}, {402, "PAYMENT_REQUIRED"},
}

func TestEveryFactsCodeHasItsOwnWords(t *testing.T) {
	seen := map[string]string{}
	for _, row := range factsTable {
		for _, l := range []Lang{EN, RU} {
			p := Explain(l, apiErr(t, row.status, row.code))
			assert.NotEqual(t, "other", p.Key, row.code)
			assert.NotContains(t, p.Message, "desc of", "%s: the portal's description is not the message", row.code)
			assert.NotContains(t, p.Message, "{", "%s: a placeholder left in %q", row.code, p.Message)
			if l == RU {
				assert.Regexp(t, `[а-я]`, p.Message, row.code)
			}
		}
		en := Explain(EN, apiErr(t, row.status, row.code))
		if prev, ok := seen[en.Message]; ok && !isAlias(row.code) && !isAlias(prev) {
			t.Errorf("%s and %s share one message", row.code, prev)
		}
		seen[en.Message] = row.code
	}
}

// isAlias says the code stands for another kind (invalid_token for
// expired_token): they share words on purpose.
func isAlias(code string) bool { return (&b24.APIError{Code: code}).ErrorKind() != code }

func TestMissingScopeTellsWhoToAsk(t *testing.T) {
	en := Explain(EN, apiErr(t, 403, "insufficient_scope"))
	assert.Contains(t, en.Message, "imopenlines")
	assert.Contains(t, en.Message, "administrator")
	ru := Explain(RU, apiErr(t, 403, "insufficient_scope"))
	assert.Contains(t, ru.Message, "imopenlines")
	assert.Contains(t, ru.Message, "администратор")
}

func TestUnknownCodeShowsOurWordsThenThePortals(t *testing.T) {
	p := Explain(EN, reply(t, 400, "application/json", `{"error":"SOMETHING_NEW","error_description":"<b>Bad</b> thing"}`))
	assert.Equal(t, "other", p.Key)
	assert.True(t, strings.HasPrefix(p.Message, "The portal answered with an error (SOMETHING_NEW)."), p.Message)
	assert.Contains(t, p.Message, "\nThe portal said: <b>Bad</b> thing")
}

func TestOperationLimitSaysWhen(t *testing.T) {
	err := &b24.OperationLimitError{APIError: &b24.APIError{Status: 429, Code: "OPERATION_TIME_LIMIT"},
		ResetAt: time.Now().Add(150 * time.Second)}
	assert.Contains(t, Explain(EN, err).Message, "Try again in 3 minutes.")
	assert.Contains(t, Explain(RU, err).Message, "Повторите через 3 минуты.")
	err.ResetAt = time.Now().Add(-time.Second)
	assert.Contains(t, Explain(EN, err).Message, "in 1 minute.")
	assert.Contains(t, Explain(RU, fmt.Errorf("call: %w", err)).Message, "через 1 минуту.")
	// A reply that does not say when: the budget spans ten minutes.
	for _, err := range []error{
		&b24.APIError{Status: 429, Code: "OPERATION_TIME_LIMIT"},
		&b24.OperationLimitError{APIError: &b24.APIError{Status: 429, Code: "OPERATION_TIME_LIMIT"}},
	} {
		assert.Contains(t, Explain(EN, err).Message, "Try again in 10 minutes.")
	}
}

func TestClassesOfFailure(t *testing.T) {
	cases := []struct {
		err  error
		key  string
		want string
	}{
		{reply(t, 502, "text/html", "<html><body>502 Bad Gateway</body></html>"), "not_json", "sent a page instead of an answer"},
		{reply(t, 200, "application/json", `{"result":[1,2,`), "truncated", "cut off"},
		{reply(t, 200, "application/json", `{"result":{"a":1},"x":`), "truncated", "cut off"},
		{&b24.BadReplyError{Kind: b24.ErrUnexpectedResult}, "unexpected_result", "does not understand"},
		{&b24.BadReplyError{Kind: b24.ErrTooLarge}, "too_large", "too large"},
		{&b24.NetworkError{Err: errors.New("Failed to fetch")}, "network", "No connection"},
		{fmt.Errorf("call: %w", context.DeadlineExceeded), "timeout", "too long"},
		{frame.ErrNotInBitrix24, "not_in_bitrix24", "only inside Bitrix24"},
		{&frame.NoAnswerError{Command: "getInitData", Timeout: 5 * time.Second}, "not_in_bitrix24", "only inside Bitrix24"},
		{&frame.NoAnswerError{Command: "refreshAuth", Timeout: 10 * time.Second}, "no_answer", "did not answer"},
		{errors.New("who knows"), "internal", "inside the widget"},
	}
	for _, c := range cases {
		p := Explain(EN, c.err)
		assert.Equal(t, c.key, p.Key, "%v", c.err)
		assert.Contains(t, p.Message, c.want, "%v", c.err)
		assert.Equal(t, c.err.Error(), p.Log)
	}
}

// A refresh the portal never answers, after expired_token, is said as "no
// answer", not as a generic expiry.
func TestFailedRefreshNamesTheCause(t *testing.T) {
	err := &b24.TokenError{API: &b24.APIError{Status: 401, Code: "expired_token"},
		Err: &frame.NoAnswerError{Command: "refreshAuth", Timeout: 10 * time.Second}}
	assert.Equal(t, "no_answer", Explain(EN, err).Key)
	err.Err = errors.New("refused")
	assert.Equal(t, "expired_token", Explain(EN, err).Key)
}
