package frame

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/minijson"
)

func TestParseWindowName(t *testing.T) {
	good := map[string]Placement{
		"portal.bitrix24.ru|1|abc123":      {"portal.bitrix24.ru", 1, "abc123"},
		"Portal.Bitrix24.RU|1|abc":         {"portal.bitrix24.ru", 1, "abc"},
		"localhost:8080|0|sid":             {"localhost:8080", 0, "sid"},
		"127.0.0.1:65535|0|s":              {"127.0.0.1:65535", 0, "s"},
		"[::1]:8443|1|s":                   {"[::1]:8443", 1, "s"},
		"xn--80ak6aa92e.com|1|s":           {"xn--80ak6aa92e.com", 1, "s"},
		"a.b|1|0123456789abcdef0123456789": {"a.b", 1, "0123456789abcdef0123456789"},
		// The longest APP_SID, of every printable character but ':' and '|'.
		"a.b|1|!~" + strings.Repeat("s", 254): {"a.b", 1, "!~" + strings.Repeat("s", 254)},
	}
	for name, want := range good {
		got, err := parseWindowName(name)
		if err != nil || got != want {
			t.Errorf("%q: got %+v, %v; want %+v", name, got, err, want)
		}
	}
	bad := []string{
		"", "portal", "portal|1", "portal|1|", "|1|sid", "portal||sid", "portal|1|sid|x",
		"portal|2|sid", "portal|01|sid", "portal|1|s:d", "portal|1|s d",
		"user@portal|1|s", "portal/x|1|s", "portal?x|1|s", "portal#x|1|s", "https://portal|1|s",
		"por tal|1|s", "portal\n|1|s", "portal\x00|1|s", "portal:0|1|s", "portal:08080|1|s",
		"portal:65536|1|s", "portal:|1|s", "portal:80:81|1|s", "-portal|1|s", "portal-.ru|1|s",
		"por_tal|1|s", "a..b|1|s", ".|1|s", "[::1|1|s", "[zz::1]|1|s", "[::1]x|1|s",
		"host.|1|s", "[1::2::3]|1|s", "portal.ru.|1|s",
		"portal\\evil|1|s", "evil.com\\@portal|1|s", "portal.ru%2f|1|s", "портал.рф|1|s",
		strings.Repeat("a", 64) + ".ru|1|s", "p|1|" + strings.Repeat("s", 257),
		"portal|1|s\x7f", "portal|1|s\x1f", "portal|1|s\u00e9", "portal|1| ",
	}
	for _, name := range bad {
		p, err := parseWindowName(name)
		if !errors.Is(err, ErrNotInBitrix24) {
			t.Errorf("%q: got %+v, %v; want ErrNotInBitrix24", name, p, err)
		}
		if err != nil && len(name) > 3 && strings.Contains(err.Error(), name) {
			t.Errorf("%q: error repeats the input: %v", name, err)
		}
	}
	// The error names what is wrong: a fourth field, even an empty third
	// before it, is a name of the wrong shape, not a bad APP_SID.
	for _, name := range []string{"portal|1|sid|x", "portal|1||sid", "portal|1|sid|"} {
		if _, err := parseWindowName(name); err == nil || !strings.Contains(err.Error(), "lacks DOMAIN|PROTOCOL|APP_SID") {
			t.Errorf("%q: got %v, want the name's shape named", name, err)
		}
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[Placement]string{
		{Domain: "p.ru", Protocol: 1}:           "https://p.ru",
		{Domain: "p.ru", Protocol: 0}:           "http://p.ru",
		{Domain: "p.ru:443", Protocol: 1}:       "https://p.ru",
		{Domain: "p.ru:80", Protocol: 0}:        "http://p.ru",
		{Domain: "p.ru:443", Protocol: 0}:       "http://p.ru:443",
		{Domain: "127.0.0.1:8080", Protocol: 0}: "http://127.0.0.1:8080",
		{Domain: "[::1]:443", Protocol: 1}:      "https://[::1]",
	} {
		if got := in.origin(); got != want {
			t.Errorf("%+v: got %q, want %q", in, got, want)
		}
	}
}

func TestFormatCommand(t *testing.T) {
	cases := []struct {
		cmd, cb string
		params  minijson.Value
		want    string
	}{
		{"getInitData", "cb1", minijson.Value{}, "getInitData::cb1:SID"},
		{"refreshAuth", "cb2", minijson.ObjectValue(), "refreshAuth:{}:cb2:SID"},
		{"imOpenMessenger", "", minijson.ObjectValue(minijson.Member{Key: "dialogId", Value: minijson.StringValue("chat1")}),
			`imOpenMessenger:{"dialogId":"chat1"}::SID`},
		{"setTitle", "c", minijson.ObjectValue(minijson.Member{Key: "title", Value: minijson.StringValue("a:b</script>")}),
			`setTitle:{"title":"a:b\u003c/script\u003e"}:c:SID`},
	}
	for _, c := range cases {
		if got := formatCommand(c.cmd, c.params, c.cb, "SID"); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// parentSplit is how the portal reads a command: first field, last two,
// the middle rejoined. formatCommand must survive it.
func parentSplit(msg string) (cmd, params, cb, sid string) {
	f := strings.Split(msg, ":")
	return f[0], strings.Join(f[1:len(f)-2], ":"), f[len(f)-2], f[len(f)-1]
}

// The longest APP_SID and callback id the frame accepts still make a whole
// command.
func TestFormatCommandTakesTheLongestIDs(t *testing.T) {
	long, short := strings.Repeat("s", 256), "s"
	for _, c := range [][2]string{{long, short}, {short, long[:128]}, {long, long[:128]}} {
		sid, cb := c[0], c[1]
		if got, want := formatCommand("setTitle", minijson.Value{}, cb, sid), "setTitle::"+cb+":"+sid; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestFormatCommandSurvivesParentSplit(t *testing.T) {
	p := minijson.ObjectValue(minijson.Member{Key: "k:x", Value: minijson.StringValue("a:b::c")})
	cmd, params, cb, sid := parentSplit(formatCommand("setTitle", p, "cb", "SID"))
	if cmd != "setTitle" || params != minijson.Encode(p) || cb != "cb" || sid != "SID" {
		t.Fatalf("got %q %q %q %q", cmd, params, cb, sid)
	}
}

func TestParseReply(t *testing.T) {
	cb, v, err := parseReply(`abc:{"a":"x:y"}`)
	if err != nil || cb != "abc" || minijson.Encode(v) != `{"a":"x:y"}` {
		t.Fatalf("got %q %v %v", cb, minijson.Encode(v), err)
	}
	cb, v, err = parseReply("abc:")
	if err != nil || cb != "abc" || v.Exists() {
		t.Fatalf("no-result reply: got %q %v %v", cb, v.Kind(), err)
	}
	cb, v, err = parseReply(`abc:[1,2]`)
	if err != nil || v.Len() != 2 {
		t.Fatalf("got %q %v %v", cb, v.Kind(), err)
	}
	// The longest reply and the longest callback id are read.
	if cb, _, err := parseReply("abc:" + strings.Repeat(" ", maxReply-4)); err != nil || cb != "abc" {
		t.Fatalf("a reply of %d bytes: got %q, %v", maxReply, cb, err)
	}
	long := "!" + strings.Repeat("~", 127)
	if cb, _, err := parseReply(long + ":1"); err != nil || cb != long {
		t.Fatalf("a 128-byte callback id: got %q, %v", cb, err)
	}
	// The error names what is wrong, for the console.
	for in, want := range map[string]string{"abc": "no ':'", ":{}": "bad callback id", "a b:1": "bad callback id"} {
		if _, _, err := parseReply(in); err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
	for _, bad := range []string{"", "abc", ":{}", "a b:{}", "a\x7f:{}", "a\x1f:{}", "\u00e9:{}", "abc:{", "abc:{\"a\":1", "abc:nope", "\x00:{}",
		"abc:" + strings.Repeat("[", 1000), strings.Repeat("a", 129) + ":{}", "abc:" + strings.Repeat(" ", maxReply)} {
		if _, _, err := parseReply(bad); !errors.Is(err, errMalformed) {
			t.Errorf("%.40q: got %v, want ErrMalformed", bad, err)
		}
	}
}

func TestNewCallbackID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := newCallbackID()
		if len(id) != 20 || !validCallback(id) || strings.ContainsAny(id, ":|") {
			t.Fatalf("bad id %q", id)
		}
		if seen[id] {
			t.Fatalf("repeated id %q", id)
		}
		seen[id] = true
	}
}

const initJSON = `{"LANG":"ru","DOMAIN":"Portal.Bitrix24.ru","PROTOCOL":1,"PATH":"/rest/",
"AUTH_ID":"tok-AAA","AUTH_EXPIRES":"3600","REFRESH_ID":"ref-BBB","MEMBER_ID":"m1",
"FIRST_RUN":"Y","IS_ADMIN":true,"INSTALL":0,"USER_OPTIONS":[],"APP_OPTIONS":{"x":1},
"PLACEMENT":"im_sidebar","PLACEMENT_OPTIONS":{"dialogId":"chat42","URI":"x"}}`

func mustParse(t *testing.T, s string) minijson.Value {
	t.Helper()
	v, err := minijson.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseInitData(t *testing.T) {
	d, err := parseInitData(mustParse(t, initJSON), Placement{Domain: "other.ru"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Lang != "ru" || d.Domain != "portal.bitrix24.ru" || d.Protocol != 1 || d.Path != "/rest" ||
		d.AuthID.reveal() != "tok-AAA" || d.RefreshID.reveal() != "ref-BBB" || d.AuthExpires != time.Hour ||
		d.MemberID != "m1" || !d.FirstRun || !d.IsAdmin || d.Install || d.Placement != "IM_SIDEBAR" ||
		d.DialogID() != "chat42" || d.AppOptions.Field("x").Kind() != minijson.Number {
		t.Fatalf("got %#v", d)
	}
}

func TestParseInitDataDefaultsAndTolerance(t *testing.T) {
	fb := Placement{Domain: "p.ru:8080", Protocol: 0, AppSID: "s"}
	d, err := parseInitData(mustParse(t, `{"AUTH_ID":"t","AUTH_EXPIRES":3600,"PROTOCOL":"1","PLACEMENT_OPTIONS":"","INSTALL":"N","IS_ADMIN":1}`), fb)
	if err != nil {
		t.Fatal(err)
	}
	if d.Domain != "p.ru:8080" || d.Protocol != 1 || d.Path != "/rest" || d.Placement != "DEFAULT" ||
		d.DialogID() != "" || d.Install || !d.IsAdmin || d.AuthExpires != time.Hour {
		t.Fatalf("got %#v", d)
	}
	d, err = parseInitData(mustParse(t, `{"AUTH_ID":"t","PLACEMENT_OPTIONS":"{\"dialogId\":\"chat7\"}"}`), fb)
	if err != nil || d.DialogID() != "chat7" || d.Protocol != 0 {
		t.Fatalf("got %#v, %v", d, err)
	}
	for _, bad := range []string{`[]`, `"x"`, `{}`, `{"AUTH_ID":""}`, `{"AUTH_ID":5}`,
		`{"AUTH_ID":"t","DOMAIN":"evil.com/x"}`, `{"AUTH_ID":"t","DOMAIN":"a@b"}`,
		`{"AUTH_ID":"t","PROTOCOL":2}`, `{"AUTH_ID":"t","PROTOCOL":"https"}`,
		`{"AUTH_ID":"t","PATH":"//evil.com"}`, `{"AUTH_ID":"t","PATH":"rest"}`,
		`{"AUTH_ID":"t","PATH":"/rest?x"}`, `{"AUTH_ID":"t","PATH":"/a/../b"}`} {
		if _, err := parseInitData(mustParse(t, bad), fb); !errors.Is(err, errMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", bad, err)
		}
	}
	if _, err := parseInitData(mustParse(t, `{"AUTH_ID":"t"}`), Placement{}); err == nil {
		t.Error("no DOMAIN anywhere: want an error")
	}
}

func TestFlag(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `false`: false, `"Y"`: true, `"N"`: false,
		`1`: true, `0`: false, `"1"`: true, `"0"`: false, `"y"`: true, `null`: false, `"maybe"`: false, `{}`: false} {
		if got := flag(mustParse(t, in)); got != want {
			t.Errorf("%s: got %v", in, got)
		}
	}
	if flag(minijson.Value{}) {
		t.Error("missing: want false")
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	d, err := parseInitData(mustParse(t, initJSON), Placement{})
	if err != nil {
		t.Fatal(err)
	}
	a := d.Auth
	for _, s := range []string{
		fmt.Sprint(d), fmt.Sprintf("%v %+v %#v %s", d, d, d, d), fmt.Sprintf("%v %+v %#v", &d, []InitData{d}, map[string]InitData{"k": d}),
		fmt.Sprint(a), fmt.Sprintf("%+v %#v %s", a, a, &a), fmt.Sprintf("%v %#v %s %q", d.AuthID, d.AuthID, d.RefreshID, d.RefreshID),
		fmt.Sprintf("%+v", struct{ A Auth }{a}), fmt.Sprintf("%#v", struct{ S Secret }{d.AuthID}),
	} {
		if strings.Contains(s, "tok-AAA") || strings.Contains(s, "ref-BBB") {
			t.Errorf("token leaked: %s", s)
		}
		if !strings.Contains(s, "REDACTED") {
			t.Errorf("no REDACTED marker: %s", s)
		}
	}
}

func TestParseAuth(t *testing.T) {
	a, err := parseAuth(mustParse(t, `{"AUTH_ID":"n1","AUTH_EXPIRES":"1800","REFRESH_ID":"r1"}`))
	if err != nil || a.AuthID.reveal() != "n1" || a.RefreshID.reveal() != "r1" || a.AuthExpires != 30*time.Minute {
		t.Fatalf("got %#v %v", a, err)
	}
	// AUTH_EXPIRES in seconds, from 1 to 2^31-1; anything else is unknown (0).
	for in, want := range map[string]time.Duration{
		`"soon"`: 0, `0`: 0, `-5`: 0, `1`: time.Second, `2147483647`: 2147483647 * time.Second, `2147483648`: 0,
	} {
		a, err = parseAuth(mustParse(t, `{"AUTH_ID":"n1","AUTH_EXPIRES":`+in+`}`))
		if err != nil || a.AuthExpires != want {
			t.Errorf("AUTH_EXPIRES %s: got %v, %v; want %v", in, a.AuthExpires, err, want)
		}
	}
	if _, err := parseAuth(mustParse(t, `{"AUTH_EXPIRES":1}`)); !errors.Is(err, errMalformed) {
		t.Fatalf("got %v", err)
	}
}

func FuzzParseWindowName(f *testing.F) {
	for _, s := range []string{"portal.bitrix24.ru|1|abc", "localhost:8080|0|s", "[::1]:1|1|s", "a|b|c|d", "user@x|1|s", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, err := parseWindowName(name)
		if err != nil {
			if !errors.Is(err, ErrNotInBitrix24) {
				t.Fatalf("error not ErrNotInBitrix24: %v", err)
			}
			return
		}
		// Whatever passed must give an origin with nothing but a host after the scheme.
		o := p.origin()
		rest := strings.TrimPrefix(strings.TrimPrefix(o, "https://"), "http://")
		if rest == o || strings.ContainsAny(rest, "/?#@\\ \t\r\n|") || p.AppSID == "" || strings.Contains(p.AppSID, ":") {
			t.Fatalf("accepted %q -> %+v (origin %q)", name, p, o)
		}
		if p2, err := parseWindowName(p.Domain + "|" + fmt.Sprint(p.Protocol) + "|" + p.AppSID); err != nil || p2 != p {
			t.Fatalf("not stable: %+v vs %+v, %v", p, p2, err)
		}
	})
}

func FuzzParseReply(f *testing.F) {
	for _, s := range []string{`cb:{"AUTH_ID":"x","AUTH_EXPIRES":"3600"}`, "cb:", "cb", ":", `cb:[1,2,"a:b"]`, initJSON, "cb:" + initJSON, `x:{"a":`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		cb, v, err := parseReply(data)
		if err != nil {
			if !errors.Is(err, errMalformed) {
				t.Fatalf("error not ErrMalformed: %v", err)
			}
			return
		}
		if cb == "" || strings.Contains(cb, ":") {
			t.Fatalf("bad callback %q from %q", cb, data)
		}
		// Downstream parsers must not panic on whatever the reply holds.
		_, _ = parseAuth(v)
		if d, err := parseInitData(v, Placement{Domain: "p.ru", Protocol: 1}); err == nil {
			_ = d.String()
			_ = d.DialogID()
			// What the frame accepts, the REST client accepts: one rule.
			if _, err := b24.EndpointFromFrame(d.Domain, d.Protocol, d.Path); err != nil {
				t.Fatalf("init data %v passed, but the REST client refuses it: %v", d, err)
			}
		}
	})
}

func TestNoAnswerSaysWhichCommand(t *testing.T) {
	initData := &NoAnswerError{Command: cmdGetInitData, Timeout: 5 * time.Second}
	refresh := &NoAnswerError{Command: cmdRefreshAuth, Timeout: 10 * time.Second}
	if !errors.Is(initData, ErrNotInBitrix24) || !errors.Is(initData, ErrNoAnswer) || b24.KindOf(initData) != KindNotInBitrix24 {
		t.Errorf("no answer to getInitData: not in Bitrix24 (kind %q)", b24.KindOf(initData))
	}
	if errors.Is(refresh, ErrNotInBitrix24) || !errors.Is(refresh, ErrNoAnswer) || b24.KindOf(refresh) != KindNoAnswer {
		t.Errorf("no answer to refreshAuth: no answer, inside Bitrix24 (kind %q)", b24.KindOf(refresh))
	}
	if got := refresh.Error(); got != "frame: no answer from the portal to refreshAuth within 10s" {
		t.Errorf("got %q", got)
	}
	_, err := parseWindowName("portal|9|s")
	if b24.KindOf(err) != KindNotInBitrix24 || b24.KindOf(ErrNotInBitrix24) != KindNotInBitrix24 {
		t.Errorf("a bad window.name: kind %q", b24.KindOf(err))
	}
}

func TestParseInitDataProtocolAndDialog(t *testing.T) {
	fb := Placement{Domain: "p.ru", Protocol: 1}
	for in, want := range map[string]int{`0`: 0, `"0"`: 0, `1`: 1, `null`: 1} {
		d, err := parseInitData(mustParse(t, `{"AUTH_ID":"t","PROTOCOL":`+in+`}`), fb)
		if err != nil || d.Protocol != want {
			t.Errorf("PROTOCOL %s: got %d, %v; want %d", in, d.Protocol, err, want)
		}
	}
	for _, in := range []string{`-1`, `2`, `true`} {
		if _, err := parseInitData(mustParse(t, `{"AUTH_ID":"t","PROTOCOL":`+in+`}`), fb); !errors.Is(err, errMalformed) {
			t.Errorf("PROTOCOL %s: got %v, want ErrMalformed", in, err)
		}
	}
	// A chat's dialogId may come as a number (a private chat with a user).
	d, err := parseInitData(mustParse(t, `{"AUTH_ID":"t","PLACEMENT_OPTIONS":{"dialogId":42}}`), fb)
	if err != nil || d.DialogID() != "42" {
		t.Errorf("numeric dialogId: got %q, %v", d.DialogID(), err)
	}
}

// The loader's early question is taken only when it is, byte for byte, the
// one Open would have asked the portal of window.name.
func TestAskedIsOursOnlyWhenItIsOpensQuestion(t *testing.T) {
	p, err := parseWindowName("portal.example:8443|1|SID42")
	if err != nil {
		t.Fatal(err)
	}
	good := asked{Message: "getInitData::abc123:SID42", Target: "https://portal.example:8443", ID: "abc123"}
	if !good.ours(p) {
		t.Fatalf("%+v: not taken", good)
	}
	for name, q := range map[string]asked{
		"another APP_SID":     {"getInitData::abc123:SID43", good.Target, good.ID},
		"another id":          {good.Message, good.Target, "abc124"},
		"another origin":      {good.Message, "https://portal.example", good.ID},
		"plain http":          {good.Message, "http://portal.example:8443", good.ID},
		"another command":     {"refreshAuth::abc123:SID42", good.Target, good.ID},
		"with params":         {"getInitData:{}:abc123:SID42", good.Target, good.ID},
		"b24jssdk's 3 fields": {"getInitData:abc123:SID42", good.Target, good.ID},
		"no id":               {"getInitData:::SID42", good.Target, ""},
		"an id with a space":  {"getInitData::a c:SID42", good.Target, "a c"},
		"nothing":             {},
	} {
		if q.ours(p) {
			t.Errorf("%s: %+v taken", name, q)
		}
	}
}
