package minijson

import (
	"encoding/json"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toAny turns a Value into what encoding/json would decode, so the standard
// library can serve as the oracle.
func toAny(t testing.TB, v Value) any {
	switch v.Kind() {
	case Null:
		return nil
	case Bool:
		b, _ := v.Bool()
		return b
	case Number:
		f, err := strconv.ParseFloat(v.s, 64)
		if err != nil {
			t.Fatalf("number %q does not parse", v.s)
		}
		return f
	case String:
		s, _ := v.Str()
		return s
	case Array:
		out := []any{}
		for _, it := range v.Items() {
			out = append(out, toAny(t, it))
		}
		return out
	case Object:
		out := map[string]any{}
		for _, m := range v.Members() {
			out[m.Key] = toAny(t, m.Value)
		}
		return out
	}
	t.Fatalf("invalid value")
	return nil
}

var seeds = []string{
	`{"result":[1652,1653],"time":{"start":1700000000.123,"operating":0.5,"date_start":"2026-11-25T10:00:00+03:00"}}`,
	`{"error":"expired_token","error_description":"The access token provided has expired."}`,
	`{"result":true}`, `{"result":null}`, `{"result":false}`, `{"result":[]}`,
	`{"result":["1","2"]}`, `"\u0414\u0438\u0430\u043b\u043e\u0433 \ud83d\ude00"`, `"a\"b\\c\/d\b\f\n\r\t"`,
	`[-0, 0.5e10, 1E-2, -12.75]`, `  {"a" : { "b" : [ [ ] , { } ] } }  `, `"\ud800"`,
	`{"a":1,"a":2}`,
	// Lists of IDs: kept as text when every item is a plain integer, else read item by item.
	`[0,10,1652]`, `[7]`, `[1,2.5,3]`, `[1,2e3]`, `[1,-2,3]`, `[1 ,2]`, `[1, 2]`, `[1,"2",3]`, `[1,[2],3]`,
	`[1,true,null]`, `{"result":[1652,1653],"next":[4]}`, `[true,false,null]`, `[null,1]`,
	// \u escapes with each end of the hex digits' ranges, in either case.
	`"\u0030\u0039\u00a1\u00AF\u00fa\u00FA\u00c9\u00Ab"`,
}

func TestParseAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range seeds {
		v, err := Parse([]byte(s))
		require.NoError(t, err, s)
		var want any
		require.NoError(t, json.Unmarshal([]byte(s), &want), s)
		assert.Equal(t, want, toAny(t, v), s)
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for _, s := range []string{
		``, ` `, `{"result":[1,2,`, `{"result":[1,2`, `<html><body>502 Bad Gateway</body></html>`,
		`{"a":}`, `{a:1}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `-`, `1e`, `"abc`, `"\x"`, `"\u12"`,
		`[1,01]`, `[01,1]`, `[1,,2]`, `[,1]`, `[1,2}]`, `[1,2]]`, `[1,2`, `[12`, `[1,2,]`,
		"\"a\x01\"", `tru`, `nul`, `{"a":1} x`, `[1 2]`, "\"\xff\"", `{"a" 1}`,
		// Cut off at every point of an object or array, and a literal cut off
		// after the start: a reply that broke off mid-way.
		`{`, `[`, `{ `, `[ `, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `{"a":1, `, `[1,`, `[tru`, `{"a":nul`, `[fals`,
		// Not numbers, in a list that looks like IDs.
		`[-]`, `[1,-]`, `[1,+2]`, `[x,1]`,
		// Invalid UTF-8 after an escape, where the string is read byte by
		// byte: a lone continuation byte, the lowest one included.
		"\"\\n\x80\"", "\"\x80\"",
		// An escape cut off at the end of the reply.
		`"\u12`, `"\u`, `"\ud83d\ude0`, `"\`, `"\ud83d`, `"\ud83d\`,
		strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
	} {
		_, err := Parse([]byte(s))
		var se *SyntaxError
		assert.ErrorAs(t, err, &se, "input %q", s)
	}
}

func TestParseReadsAnyValueAtTheTop(t *testing.T) {
	for doc, want := range map[string]Kind{"true": Bool, "false": Bool, "null": Null, " 7 ": Number, `""`: String} {
		v, err := Parse([]byte(doc))
		if assert.NoError(t, err, doc) {
			assert.Equal(t, want, v.Kind(), doc)
		}
	}
}

func TestSyntaxErrorSaysWhere(t *testing.T) {
	_, err := Parse([]byte(`{"result":[1,2,`))
	assert.EqualError(t, err, "json: unexpected end of input at offset 15")
	_, err = Parse([]byte(`<html>`))
	assert.EqualError(t, err, "json: invalid character '<' at offset 0")
	_, err = Parse([]byte(`"\x"`))
	assert.EqualError(t, err, "json: invalid escape at offset 2")
	_, err = Parse([]byte(`"\u0041`))
	assert.EqualError(t, err, "json: unexpected end of input at offset 7")
}

func TestDepthLimitAllowsMaxDepth(t *testing.T) {
	_, err := Parse([]byte(strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)))
	assert.NoError(t, err)
}

func TestAccessors(t *testing.T) {
	v, err := Parse([]byte(`{"n":12,"f":1.5,"e":1e3,"s":"42","b":true,"z":null,"a":[1,"x"],"big":123456789012345678901}`))
	require.NoError(t, err)
	n, ok := v.Field("n").Int()
	assert.True(t, ok)
	assert.EqualValues(t, 12, n)
	_, ok = v.Field("f").Int()
	assert.False(t, ok, "1.5 is not an integer")
	e, ok := v.Field("e").Int()
	assert.True(t, ok)
	assert.EqualValues(t, 1000, e)
	_, ok = v.Field("big").Int()
	assert.False(t, ok, "out of int64 range")
	s, ok := v.Field("s").IntOrString()
	assert.True(t, ok)
	assert.EqualValues(t, 42, s)
	_, ok = v.Field("s").Int()
	assert.False(t, ok)
	lit, ok := v.Field("f").Literal()
	assert.True(t, ok)
	assert.Equal(t, "1.5", lit, "a number's text as the portal wrote it")
	_, ok = v.Field("s").Literal()
	assert.False(t, ok, "a string holding digits is not a number")
	assert.True(t, v.Field("z").IsNull())
	assert.False(t, v.Field("missing").Exists())
	assert.Equal(t, 2, v.Field("a").Len())
	_, ok = v.Field("a").Str()
	assert.False(t, ok)
	assert.Nil(t, v.Field("a").Members())
	assert.Nil(t, v.Field("n").Items())
	_, ok = v.Field("n").Get("x")
	assert.False(t, ok)
	assert.Equal(t, "kind(9)", Kind(9).String())
	assert.Equal(t, "object", v.Kind().String())
}

// mustParse is the value s holds: the way tests build arrays, booleans and
// null, which only the frame's messages, objects of strings and numbers,
// need to build in code.
func mustParse(t *testing.T, s string) Value {
	t.Helper()
	v, err := Parse([]byte(s))
	require.NoError(t, err)
	return v
}

func TestEncodeRoundTrips(t *testing.T) {
	v := ObjectValue(
		Member{"title", StringValue("Закрепить <все> & \"диалоги\"\n\u2028")},
		Member{"height", IntValue(-320)},
		Member{"ok", mustParse(t, "true")},
		Member{"no", mustParse(t, "false")},
		Member{"nil", mustParse(t, "null")},
		Member{"list", mustParse(t, `[1, "x"]`)},
	)
	text := Encode(v)
	assert.NotContains(t, text, "<")
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(text), &got))
	assert.Equal(t, map[string]any{
		"title": "Закрепить <все> & \"диалоги\"\n\u2028", "height": float64(-320),
		"ok": true, "no": false, "nil": nil, "list": []any{float64(1), "x"},
	}, got)
	assert.Equal(t, `"\ufffd"`, Encode(StringValue("\xff")))
	assert.Equal(t, "null", Encode(Value{}))
}

// FuzzParse: no input may panic, acceptance must match the standard
// library on valid UTF-8, and what parses must encode back to the same data.
func FuzzParse(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if !utf8.Valid(data) {
			return
		}
		if err != nil && strings.Contains(err.Error(), "nesting too deep") {
			return // valid JSON past maxDepth is refused on purpose
		}
		if json.Valid(data) != (err == nil) {
			t.Fatalf("Parse(%q) err=%v, json.Valid=%v", data, err, json.Valid(data))
		}
		if err != nil {
			return
		}
		if v.Kind() == Number {
			checkDecimal(t, v)
		}
		again, err := Parse([]byte(Encode(v)))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", Encode(v), err)
		}
		var a, b any
		if json.Unmarshal(data, &a) == nil && json.Unmarshal([]byte(Encode(again)), &b) == nil {
			if !assert.ObjectsAreEqual(a, b) {
				t.Fatalf("round trip changed %q into %q", data, Encode(again))
			}
		}
	})
}

func TestDepthLimitCountsObjectsAndArraysAlike(t *testing.T) {
	objects := func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) }
	mixed := func(n int) string { return strings.Repeat(`[{"a":`, n) + "1" + strings.Repeat("}]", n) }
	for name, doc := range map[string]string{"objects": objects(maxDepth), "mixed": mixed(maxDepth / 2)} {
		_, err := Parse([]byte(doc))
		assert.NoError(t, err, "%s, %d levels", name, maxDepth)
	}
	for name, doc := range map[string]string{"objects": objects(maxDepth + 1), "mixed": "[" + mixed(maxDepth/2) + "]"} {
		_, err := Parse([]byte(doc))
		assert.ErrorContains(t, err, "nesting too deep", "%s, %d levels", name, maxDepth+1)
	}
}

func TestIntTakesIntegralNumbersThatFit(t *testing.T) {
	for lit, want := range map[string]int64{
		"9223372036854775807":    9223372036854775807,
		"-9223372036854775808":   -9223372036854775808,
		"4611686018427387904.0":  1 << 62,
		"-4611686018427387904.0": -(1 << 62),
		"1.0e3":                  1000,
		"-0.0":                   0,
	} {
		v, err := Parse([]byte(lit))
		require.NoError(t, err)
		got, ok := v.Int()
		if assert.True(t, ok, lit) {
			assert.Equal(t, want, got, lit)
		}
	}
	for _, lit := range []string{"9223372036854775808", "1e19", "-1e19", "1e300", "0.5", "-1.5e-3"} {
		v, err := Parse([]byte(lit))
		require.NoError(t, err)
		_, ok := v.Int()
		assert.False(t, ok, lit)
	}
}

func TestKindNamesItsType(t *testing.T) {
	for k, want := range map[Kind]string{
		Invalid: "invalid", Null: "null", Bool: "bool", Number: "number",
		String: "string", Array: "array", Object: "object", Object + 1: "kind(7)",
	} {
		assert.Equal(t, want, k.String())
	}
}

// The exact text Encode writes: what the portal receives through postMessage.
func TestEncodeWritesCompactEscapedText(t *testing.T) {
	// DEL (0x7f) is valid in a JSON string and passes as it is.
	assert.Equal(t, `"a b~\u003c\u003e\u0026\"\\\n\r\t\u0000\u001f`+"\x7f"+` é\u2028\u2029\ufffd\ufffd😀"`,
		Encode(StringValue("a b~<>&\"\\\n\r\t\x00\x1f\x7f é\u2028\u2029\xff\x80😀")))
	assert.Equal(t, `{"a":[1,"x",true,false,null],"":{},"b":[]}`, Encode(ObjectValue(
		Member{"a", mustParse(t, `[1, "x", true, false, null]`)},
		Member{"", ObjectValue()},
		Member{"b", mustParse(t, `[]`)},
	)))
}

// A list of IDs is kept as its text: a busy portal's 10,000-ID reply costs
// the garbage collector no more allocations than a reply of one ID, and no
// more bytes than the document's one copy (a click must not trigger a
// collection, and wasm memory grows with a click's peak).
func TestParseAllocatesAListOfIDsOnce(t *testing.T) {
	reply := func(n int) []byte {
		b := []byte(`{"result":[`)
		for i := 1; i <= n; i++ {
			if i > 1 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(i), 10)
		}
		return append(b, `],"total":1}`...)
	}
	allocs := func(doc []byte) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := Parse(doc); err != nil {
				t.Fatal(err)
			}
		})
	}
	// The slack is the runtime's: a collection the big list starts may
	// count one of its own.
	one := allocs(reply(1))
	for _, n := range []int{9, 10000} {
		if got := allocs(reply(n)); got > one+2 {
			t.Errorf("%d IDs: %v allocations, one ID: %v", n, got, one)
		}
	}
	doc := reply(10000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const runs = 20
	for range runs {
		if _, err := Parse(doc); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if got := (after.TotalAlloc - before.TotalAlloc) / runs; got > 2*uint64(len(doc)) {
		t.Errorf("a 10,000-ID reply of %d bytes: %d bytes allocated per parse", len(doc), got)
	}
	// Names without escapes are read in place, not copied one by one (the
	// list of them grows by appends: a handful of allocations).
	names := func(n int) []byte {
		b := []byte(`{"result":[`)
		for i := range n {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `"Иван Петров `...)
			b = append(b, strconv.Itoa(i)...)
			b = append(b, '"')
		}
		return append(b, `]}`...)
	}
	if one, got := allocs(names(1)), allocs(names(200)); got > one+20 {
		t.Errorf("200 names: %v allocations, one name: %v", got, one)
	}
}

// An array of plain integers, the shape of a list of IDs, is kept as its
// text: PlainInts hands it over whole, and the other accessors and Encode
// see the same elements as for any array.
func TestPlainIntsIsTheListsText(t *testing.T) {
	for doc, want := range map[string]string{
		`[1652,1653]`: "1652,1653", `[7]`: "7", `[0,10]`: "0,10",
		`[123456789012345678901234567890]`: "123456789012345678901234567890",
		`[ 1,2]`:                           "1,2", // white space before the first item is the array's, not an item's
	} {
		v := mustParse(t, doc)
		text, ok := v.PlainInts()
		assert.True(t, ok, doc)
		assert.Equal(t, want, text, doc)
		assert.Equal(t, strings.Count(want, ",")+1, v.Len(), doc)
		assert.Equal(t, "["+want+"]", Encode(v))
		var lits []string
		for _, it := range v.Items() {
			lit, ok := it.Literal()
			assert.True(t, ok, doc)
			lits = append(lits, lit)
		}
		assert.Equal(t, want, strings.Join(lits, ","), doc)
	}
	// Any other shape is an array of items, or no array at all.
	for _, doc := range []string{`[]`, `[1, 2]`, `[1 ,2]`, `[1 ]`, `[1,2.5]`, `[1,-2]`, `[1,2e3]`, `[1,"2"]`,
		`[1,[2]]`, `[[1,2]]`, `[true]`, `"1,2"`, `12`, `{"a":[1]}`} {
		_, ok := mustParse(t, doc).PlainInts()
		assert.False(t, ok, doc)
	}
	inner, ok := mustParse(t, `[[1,2],[3]]`).Items()[0].PlainInts()
	assert.True(t, ok)
	assert.Equal(t, "1,2", inner, "a nested list of IDs")
	assert.Equal(t, `{"a":[1,2],"b":[3,4]}`, Encode(mustParse(t, `{"a":[1,2],"b":[3, 4]}`)), "either kind of array, written compact")
}

func TestDecimalIsTheNumberExactly(t *testing.T) {
	for lit, want := range map[string]struct {
		neg    bool
		digits string
		exp    int
	}{
		"0":                       {false, "", 0},
		"-0.000e5":                {true, "", 0},
		"1893553445.25":           {false, "189355344525", -2},
		"1.89355344525E+9":        {false, "189355344525", -2},
		"120e-1":                  {false, "12", 0},
		"-0.0012300":              {true, "123", -5},
		"1e400":                   {false, "1", 400},
		"10000000000000000000001": {false, "10000000000000000000001", 0},
	} {
		v, err := Parse([]byte(lit))
		require.NoError(t, err)
		neg, digits, exp, ok := v.Decimal()
		assert.True(t, ok, lit)
		assert.Equal(t, want.neg, neg, lit)
		assert.Equal(t, want.digits, digits, lit)
		assert.Equal(t, want.exp, exp, lit)
	}
	// The same number as strconv reads it, for the fuzz corpus's numbers.
	for _, lit := range []string{"3.14159", "-2.5e-7", "6.02214076e23", "123456789012345678901", "0.1"} {
		v, err := Parse([]byte(lit))
		require.NoError(t, err)
		neg, digits, exp, _ := v.Decimal()
		back := digits + "e" + strconv.Itoa(exp)
		if neg {
			back = "-" + back
		}
		want, _ := strconv.ParseFloat(lit, 64)
		got, err := strconv.ParseFloat(back, 64)
		require.NoError(t, err, back)
		assert.Equal(t, want, got, lit)
	}
	_, _, _, ok := StringValue("1").Decimal()
	assert.False(t, ok, "a string is not a number")
}

// checkDecimal holds Decimal and Int to strconv's reading of the literal:
// the digits and exponent are the same number, and an integer Int accepts
// is that number.
func checkDecimal(t *testing.T, v Value) {
	want, _ := strconv.ParseFloat(v.s, 64)
	neg, digits, exp, ok := v.Decimal()
	if !ok {
		t.Fatalf("Decimal(%s) refused a number", v.s)
	}
	back := "0"
	if digits != "" {
		back = digits + "e" + strconv.Itoa(exp)
	}
	if neg {
		back = "-" + back
	}
	if got, _ := strconv.ParseFloat(back, 64); got != want {
		t.Fatalf("Decimal(%s) = %s, which reads as %v, not %v", v.s, back, got, want)
	}
	if n, ok := v.Int(); ok && float64(n) != want {
		t.Fatalf("Int(%s) = %d, not %v", v.s, n, want)
	}
}
