package devportal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// obj is a decoded parameter object that keeps key order, as PHP arrays do:
// batch runs its commands in the order they were sent.
type obj struct {
	keys []string
	vals map[string]any // string, json.Number, bool, nil, *obj
}

func newObj() *obj { return &obj{vals: map[string]any{}} }

func (o *obj) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *obj) get(k string) any {
	if o == nil {
		return nil
	}
	return o.vals[k]
}

// str returns a scalar parameter as text ("" when absent or not a scalar).
func (o *obj) str(k string) string { return scalarString(o.get(k)) }

func scalarString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "Y"
		}
		return "N"
	}
	return ""
}

// merge copies o2's keys over o's, like PHP's array_replace(GET, POST).
func (o *obj) merge(o2 *obj) {
	for _, k := range o2.keys {
		o.set(k, o2.vals[k])
	}
}

// plain converts to ordinary Go values for JSON output.
func plain(v any) any {
	if o, ok := v.(*obj); ok {
		m := make(map[string]any, len(o.keys))
		for _, k := range o.keys {
			m[k] = plain(o.vals[k])
		}
		return m
	}
	return v
}

// parseQuery parses a query string with PHP's nesting rules: a[b][c]=v and
// a[]=v, keeping order. Malformed escapes fall back to the raw text.
func parseQuery(raw string) *obj {
	root := newObj()
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, v = unescape(k), unescape(v)
		base, rest, nested := strings.Cut(k, "[")
		if base == "" {
			continue
		}
		if !nested {
			root.set(k, v)
			continue
		}
		path := []string{base}
		rest = "[" + rest
		for strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				break
			}
			path = append(path, rest[1:end])
			rest = rest[end+1:]
		}
		cur := root
		for i, seg := range path {
			if seg == "" {
				seg = strconv.Itoa(nextIndex(cur))
			}
			if i == len(path)-1 {
				cur.set(seg, v)
				break
			}
			child, ok := cur.get(seg).(*obj)
			if !ok {
				child = newObj()
				cur.set(seg, child)
			}
			cur = child
		}
	}
	return root
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// nextIndex is PHP's next integer key for a[]=v.
func nextIndex(o *obj) int {
	n := 0
	for _, k := range o.keys {
		if i, err := strconv.Atoi(k); err == nil && i >= n {
			n = i + 1
		}
	}
	return n
}

// parseJSON decodes a JSON body into an obj, keeping key order. Arrays become
// objects with keys "0", "1", ... which is how PHP sees them.
func parseJSON(b []byte) (*obj, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*obj)
	if !ok {
		return nil, errors.New("JSON body is not an object")
	}
	return o, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := t.(json.Delim)
	if !ok {
		return t, nil
	}
	o := newObj()
	switch d {
	case '{':
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			o.set(k, v)
		}
	case '[':
		for i := 0; dec.More(); i++ {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			o.set(strconv.Itoa(i), v)
		}
	default:
		return nil, fmt.Errorf("unexpected %v", d)
	}
	if _, err := dec.Token(); err != nil { // closing delimiter
		return nil, err
	}
	return o, nil
}
