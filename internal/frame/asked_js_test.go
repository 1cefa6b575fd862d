//go:build js && wasm

package frame

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
)

const askedID = "loaderasked000000001"

// loaderQuestion stands in for loader.js's pinallHost.asked: the question
// it posted and the message events it kept for it, each a MessageEvent
// given as [data, origin, fromParent]. It counts the calls to take.
func loaderQuestion(t *testing.T, message, target string, kept ...[3]any) safejs.Value {
	t.Helper()
	evs := make([]any, len(kept))
	for i, k := range kept {
		src := any(safejs.Null())
		if k[2].(bool) {
			src = safejs.Global()
		}
		evs[i] = eval(t, `return new MessageEvent("message", {data: a, origin: b, source: c})`, k[0], k[1], src)
	}
	list := eval(t, `return []`)
	for _, ev := range evs {
		if _, err := list.Call("push", ev); err != nil {
			t.Fatal(err)
		}
	}
	return eval(t, `const q = {message: a, target: b, id: c, takes: 0};
		let kept = d;
		q.take = () => { q.takes++; const k = kept; kept = []; return k; };
		return q`, message, target, askedID, list)
}

func takes(t *testing.T, q safejs.Value) int {
	t.Helper()
	n, err := q.Get("takes")
	if err != nil {
		t.Fatal(err)
	}
	i, err := n.Int()
	if err != nil {
		t.Fatal(err)
	}
	return i
}

var askedMessage = "getInitData::" + askedID + ":SID42"

// The loader's question, answered before the program ran: Open takes the
// kept answer and posts nothing itself.
func TestOpenTakesTheLoadersAnsweredQuestion(t *testing.T) {
	p := newFakeParent(t, portal)
	q := loaderQuestion(t, askedMessage, testOrigin, [3]any{askedID + ":" + initReply, testOrigin, true})
	f := openTest(t, Asked(q))
	d, err := f.InitData(context.Background())
	if err != nil || d.AuthID.reveal() != "tok-1" || d.Lang != "ru" {
		t.Fatalf("InitData: %v, %v", d, err)
	}
	if msgs := p.messages(); len(msgs) != 0 {
		t.Fatalf("Open asked again: %+v", msgs)
	}
	if n := takes(t, q); n != 1 {
		t.Fatalf("take called %d times, want 1", n)
	}
}

// The answer still on its way when the program starts reaches Open's own
// listener.
func TestOpenTakesTheAnswerStillOnItsWay(t *testing.T) {
	p := newFakeParent(t, portal)
	q := loaderQuestion(t, askedMessage, testOrigin)
	f := openTest(t, Asked(q))
	p.deliverLater(askedID+":"+initReply, testOrigin, true)
	d, err := f.InitData(context.Background())
	if err != nil || d.AuthID.reveal() != "tok-1" {
		t.Fatalf("InitData: %v, %v", d, err)
	}
	if msgs := p.messages(); len(msgs) != 0 {
		t.Fatalf("Open asked again: %+v", msgs)
	}
}

// What the loader kept meets every check a message meets: replies from
// another origin, another window or with another id are dropped, and the
// portal's own answer, later, is the one taken.
func TestOpenChecksWhatTheLoaderKept(t *testing.T) {
	p := newFakeParent(t, portal)
	evil := askedID + `:{"AUTH_ID":"evil","DOMAIN":"evil.example"}`
	q := loaderQuestion(t, askedMessage, testOrigin,
		[3]any{evil, "https://evil.example", true},
		[3]any{evil, testOrigin, false},
		[3]any{`othercb:{"AUTH_ID":"evil"}`, testOrigin, true},
	)
	f := openTest(t, Asked(q))
	p.deliverLater(askedID+":"+initReply, testOrigin, true)
	d, err := f.InitData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.AuthID.reveal() != "tok-1" || d.Domain != "portal.example:8443" {
		t.Fatalf("a kept hostile reply got through: %v", d)
	}
}

// A question that is not the one Open would ask (another APP_SID, another
// origin, not an object) is left alone: Open asks the portal itself and
// never reads what the loader kept.
func TestOpenAsksItselfWhenTheLoadersQuestionIsNotItsOwn(t *testing.T) {
	for name, q := range map[string]func(t *testing.T) safejs.Value{
		"another APP_SID": func(t *testing.T) safejs.Value {
			return loaderQuestion(t, "getInitData::"+askedID+":SID43", testOrigin, [3]any{askedID + `:{"AUTH_ID":"other"}`, testOrigin, true})
		},
		"another origin": func(t *testing.T) safejs.Value {
			return loaderQuestion(t, askedMessage, "https://portal.example", [3]any{askedID + `:{"AUTH_ID":"other"}`, testOrigin, true})
		},
		"a string": func(t *testing.T) safejs.Value { return eval(t, `return "getInitData"`) },
		"none":     func(*testing.T) safejs.Value { return safejs.Undefined() },
	} {
		t.Run(name, func(t *testing.T) {
			p := newFakeParent(t, portal)
			v := q(t)
			f := openTest(t, Asked(v))
			d, err := f.InitData(context.Background())
			if err != nil || d.AuthID.reveal() != "tok-1" {
				t.Fatalf("InitData: %v, %v", d, err)
			}
			if msgs := p.messages(); len(msgs) != 1 || msgs[0].cmd != "getInitData" || msgs[0].cb == askedID {
				t.Fatalf("sent %+v, want one getInitData of Open's own", msgs)
			}
			if v.Type() == safejs.TypeObject {
				if n := takes(t, v); n != 0 {
					t.Fatalf("take called %d times on a question not Open's", n)
				}
			}
		})
	}
}

// The loader's question unanswered ends as Open's would: no answer within
// the init timeout, asked again or not, means not inside Bitrix24, and the
// error gives the whole timeout.
func TestTheLoadersQuestionUnansweredTimesOut(t *testing.T) {
	p := newFakeParent(t, silent)
	f := openTest(t, Asked(loaderQuestion(t, askedMessage, testOrigin)), withInitTimeout(50*time.Millisecond))
	_, err := f.InitData(context.Background())
	if !errors.Is(err, ErrNotInBitrix24) || !strings.Contains(err.Error(), "within 50ms") {
		t.Fatalf("got %v", err)
	}
	if msgs := p.messages(); len(msgs) != 1 {
		t.Fatalf("sent %d messages, want the one asked again", len(msgs))
	}
}

// A parent that was not listening yet when the loader asked drops that
// question: the program asks again after half the init timeout and
// takes that answer.
func TestALostLoaderQuestionIsAskedAgain(t *testing.T) {
	p := newFakeParent(t, portal)
	start := time.Now()
	f := openTest(t, Asked(loaderQuestion(t, askedMessage, testOrigin)), withInitTimeout(500*time.Millisecond))
	if msgs := p.messages(); len(msgs) != 0 {
		t.Fatalf("Open asked at once: %+v", msgs)
	}
	d, err := f.InitData(context.Background())
	if err != nil || d.AuthID.reveal() != "tok-1" {
		t.Fatalf("InitData: %v, %v", d, err)
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Fatalf("asked again after %v, before the loader's question had its time", took)
	}
	if msgs := p.messages(); len(msgs) != 1 || msgs[0].cmd != "getInitData" || msgs[0].cb == askedID {
		t.Fatalf("sent %+v, want one getInitData of Open's own", msgs)
	}
}
