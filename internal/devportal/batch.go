package devportal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

const maxBatch = 50

// ordered is a JSON object that keeps insertion order and, like an empty PHP
// array, encodes as [] when empty.
type ordered struct {
	keys []string
	vals map[string]any
}

func newOrdered() *ordered { return &ordered{vals: map[string]any{}} }

func (o *ordered) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *ordered) MarshalJSON() ([]byte, error) {
	if len(o.keys) == 0 {
		return []byte("[]"), nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// batchCommands returns cmd's keys and "method?query" strings in order.
func batchCommands(params *obj) ([]string, []string) {
	cmd, _ := params.get("cmd").(*obj)
	if cmd == nil {
		return nil, nil
	}
	var keys, cmds []string
	for _, k := range cmd.keys {
		keys = append(keys, k)
		cmds = append(cmds, scalarString(cmd.vals[k]))
	}
	return keys, cmds
}

// batchMethods lists the inner method names for the request log.
func batchMethods(params *obj) []string {
	_, cmds := batchCommands(params)
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i], _, _ = strings.Cut(c, "?")
	}
	return out
}

// resultRef matches $result[key][field]... inside a command's values.
var resultRef = regexp.MustCompile(`\$result\[([^\]]+)\]((?:\[[^\]]*\])*)`)

func (p *Portal) batch(c caller, params *obj) (any, *methodError) {
	keys, cmds := batchCommands(params)
	if len(keys) > maxBatch {
		return nil, badRequest("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
	}
	halt := params.str("halt")
	halting := halt == "1" || halt == "true" || halt == "Y"
	results, errs, totals, nexts, times := newOrdered(), newOrdered(), newOrdered(), newOrdered(), newOrdered()
	raw := map[string]any{}
	for i, key := range keys {
		method, query, _ := strings.Cut(cmds[i], "?")
		inner := parseQuery(query)
		substitute(inner, raw)
		start := time.Now()
		res, ti, merr := p.invoke(method, c, inner, true)
		ti.start = start
		if merr != nil {
			errs.set(key, map[string]any{"error": merr.Code, "error_description": merr.Desc})
			if halting {
				break
			}
			continue
		}
		results.set(key, res)
		raw[key] = res
		times.set(key, ti.block(time.Now()))
	}
	return map[string]any{
		"result": results, "result_error": errs, "result_total": totals,
		"result_next": nexts, "result_time": times,
	}, nil
}

// batchErrorCodes lists the error codes of a batch reply's commands, for
// the request log.
func batchErrorCodes(result any) []string {
	m, _ := result.(map[string]any)
	errs, _ := m["result_error"].(*ordered)
	if errs == nil {
		return nil
	}
	var codes []string
	for _, k := range errs.keys {
		if e, ok := errs.vals[k].(map[string]any); ok {
			code, _ := e["error"].(string)
			codes = append(codes, code)
		}
	}
	return codes
}

// substitute replaces $result[key][field] references with earlier results.
func substitute(o *obj, results map[string]any) {
	for _, k := range o.keys {
		switch v := o.vals[k].(type) {
		case *obj:
			substitute(v, results)
		case string:
			o.vals[k] = resultRef.ReplaceAllStringFunc(v, func(m string) string {
				sub := resultRef.FindStringSubmatch(m)
				cur := results[sub[1]]
				for _, f := range strings.Split(strings.Trim(sub[2], "[]"), "][") {
					if f == "" {
						continue
					}
					cur = lookupField(cur, f)
				}
				return refString(cur)
			})
		}
	}
}

func lookupField(v any, f string) any {
	switch v := v.(type) {
	case map[string]any:
		return v[f]
	case []int:
		var i int
		if _, err := fmt.Sscan(f, &i); err == nil && i >= 0 && i < len(v) {
			return v[i]
		}
	}
	return nil
}

func refString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}
