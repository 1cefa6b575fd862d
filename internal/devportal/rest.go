package devportal

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const atom = "2006-01-02T15:04:05-07:00"

// setCORS writes the headers the REST module puts on every response, errors
// included. No Allow-Credentials and no Authorization: the token travels as
// the auth parameter.
func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Headers", "origin, content-type, accept")
	h.Set("X-Content-Type-Options", "nosniff")
}

// caller is who a REST call acts for, and from where.
type caller struct {
	user    int
	webhook bool
	ip      string // the source address: its leaky bucket
}

// restPath splits /rest/{method}[.json] and /rest/{user}/{code}/{method}[.json].
func restPath(path string) (method string, hookUser int, hookCode string, ok bool) {
	parts := strings.Split(strings.TrimPrefix(path, "/rest/"), "/")
	trim := func(s string) string { return strings.TrimSuffix(s, ".json") }
	switch len(parts) {
	case 1:
		return trim(parts[0]), 0, "", parts[0] != ""
	case 3:
		u, err := strconv.Atoi(parts[0])
		if err != nil || parts[2] == "" {
			return "", 0, "", false
		}
		return trim(parts[2]), u, parts[1], true
	}
	return "", 0, "", false
}

// readParams merges query and body parameters (body wins, as PHP's
// array_replace(GET, POST)). A JSON content type is decoded as JSON; any other
// body, text/plain included, is parsed as a query string.
func readParams(r *http.Request) (params *obj, inQuery, inBody bool, err error) {
	params = parseQuery(r.URL.RawQuery)
	inQuery = params.str("auth") != ""
	if r.Method != http.MethodPost {
		return params, inQuery, false, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return nil, inQuery, false, err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var b *obj
	if strings.HasSuffix(ct, "json") {
		if len(bytes.TrimSpace(body)) == 0 {
			b = newObj()
		} else if b, err = parseJSON(body); err != nil {
			return nil, inQuery, false, err
		}
	} else {
		b = parseQuery(strings.TrimSpace(string(body)))
	}
	inBody = b.str("auth") != ""
	params.merge(b)
	return params, inQuery, inBody, nil
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (p *Portal) serveREST(rw http.ResponseWriter, r *http.Request) {
	p.restInFlight.Add(1)
	start := time.Now()
	w := &statusRecorder{ResponseWriter: rw}
	rec := RequestRecord{
		Time: start, HTTPMethod: r.Method, Path: r.URL.Path,
		ContentType: r.Header.Get("Content-Type"), Origin: r.Header.Get("Origin"),
	}
	defer func() {
		rec.Status = w.status
		p.log.addRequest(rec)
		p.restInFlight.Add(-1) // after the log: at 0, every request received is in it
	}()
	setCORS(w.Header())
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusOK)
		return
	}
	method, hookUser, hookCode, ok := restPath(r.URL.Path)
	rec.Method = method
	if !ok {
		rec.Error = "ERROR_METHOD_NOT_FOUND"
		writeError(w, &methodError{Status: 404, Code: "ERROR_METHOD_NOT_FOUND", Desc: "Method not found!"})
		return
	}
	params, inQuery, inBody, err := readParams(r)
	rec.TokenInQuery, rec.TokenInBody, rec.Webhook = inQuery, inBody, hookCode != ""
	if err != nil {
		rec.Error = "INVALID_REQUEST"
		writeError(w, &methodError{Status: 400, Code: "INVALID_REQUEST", Desc: "Request body is not valid JSON"})
		return
	}
	if method == "batch" {
		rec.BatchCmds = batchMethods(params)
	}

	fault, faulted := p.faults.take(method)
	if faulted {
		rec.Fault = fault.Kind
		if fault.NoCORS {
			for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Headers"} {
				w.Header().Del(h)
			}
		}
		time.Sleep(fault.Delay)
		if code, done := p.preFault(w, fault); done {
			rec.Error = code
			return
		}
	}
	p.mu.Lock()
	latency := p.latency
	p.mu.Unlock()
	time.Sleep(latency)

	var c caller
	var merr *methodError
	if hookCode != "" {
		c, merr = p.webhookCaller(hookUser, hookCode)
	} else {
		c.user, merr = p.tokens.check(params.str("auth"))
	}
	c.ip = sourceIP(r)
	var result any
	var tb timeInfo
	if merr == nil {
		result, tb, merr = p.invoke(method, c, params, false)
	}
	if merr != nil {
		rec.Error = merr.Code
		body := errorBody(merr)
		p.writeBody(w, merr.Status, body, fault, faulted)
		return
	}
	if method == "batch" {
		rec.BatchErrors = batchErrorCodes(result)
	}
	tb.start = start
	body, _ := json.Marshal(map[string]any{"result": result, "time": tb.block(time.Now())})
	p.writeBody(w, http.StatusOK, body, fault, faulted)
}

func (p *Portal) webhookCaller(user int, code string) (caller, *methodError) {
	if code != p.cfg.WebhookCode {
		return caller{}, &methodError{Status: 401, Code: "INVALID_CREDENTIALS", Desc: "Invalid request credentials"}
	}
	if _, ok := p.model.user(user); !ok {
		return caller{}, &methodError{Status: 401, Code: "INVALID_CREDENTIALS", Desc: "Invalid request credentials"}
	}
	return caller{user: user, webhook: true}, nil
}

// timeInfo collects what the time block reports.
type timeInfo struct {
	start      time.Time
	processing time.Duration
	operating  time.Duration
	resetAt    time.Time
}

func (t timeInfo) block(finish time.Time) map[string]any {
	if t.start.IsZero() {
		t.start = finish
	}
	return map[string]any{
		"start":              float64(t.start.UnixMicro()) / 1e6,
		"finish":             float64(finish.UnixMicro()) / 1e6,
		"duration":           finish.Sub(t.start).Seconds(),
		"processing":         t.processing.Seconds(),
		"date_start":         t.start.Format(atom),
		"date_finish":        finish.Format(atom),
		"operating":          t.operating.Seconds(),
		"operating_reset_at": t.resetAt.Unix(),
	}
}

func errorBody(e *methodError) []byte {
	m := map[string]any{"error": e.Code, "error_description": e.Desc}
	for k, v := range e.extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return b
}

func writeError(w http.ResponseWriter, e *methodError) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.Status)
	w.Write(errorBody(e))
}

// preFault answers for the faults that replace the call entirely.
func (p *Portal) preFault(w http.ResponseWriter, f Fault) (code string, done bool) {
	switch f.Kind {
	case FaultError:
		st := f.Status
		if st == 0 {
			st = errorStatus[f.Code]
		}
		if st == 0 {
			st = 400
		}
		desc := f.Description
		if desc == "" {
			desc = "Injected fault " + f.Code
		}
		writeError(w, &methodError{Status: st, Code: f.Code, Desc: desc})
		return f.Code, true
	case FaultHTML502:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
		return "", true
	case FaultDrop:
		if hj, ok := w.(*statusRecorder).ResponseWriter.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
		return "", true
	}
	return "", false
}

// writeBody writes a JSON answer, bent by the faults that alter a real answer.
func (p *Portal) writeBody(w http.ResponseWriter, status int, body []byte, f Fault, faulted bool) {
	ct := "application/json; charset=utf-8"
	if faulted {
		switch f.Kind {
		case FaultTruncated:
			body = body[:len(body)/2]
		case FaultWrongType:
			ct = "text/html; charset=utf-8"
		case FaultHuge:
			n := f.HugeBytes
			if n <= 0 {
				n = 8 << 20
			}
			pad := `,"padding":"` + strings.Repeat("x", max(0, n-len(body))) + `"}`
			body = append(bytes.TrimSuffix(body, []byte("}")), pad...)
		}
	}
	w.Header().Set("Content-Type", ct)
	// A truncated body keeps an honest length: the client gets a complete
	// HTTP answer whose JSON does not parse (FaultDrop covers a cut socket).
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
