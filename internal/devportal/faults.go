package devportal

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// FaultKind names one way a REST call can go wrong.
type FaultKind string

// The fault kinds p.InjectFault and POST /devportal/api/faults accept.
const (
	FaultError     FaultKind = "error"     // REST error envelope with Code (status from the facts' table unless Status is set)
	FaultHTML502   FaultKind = "html502"   // an nginx-like HTML 502 page
	FaultTruncated FaultKind = "truncated" // 200, application/json, the body cut in the middle
	FaultDrop      FaultKind = "drop"      // the connection is closed without any response
	FaultHuge      FaultKind = "huge"      // 200, a valid envelope padded to HugeBytes (default 8 MiB)
	FaultWrongType FaultKind = "wrongtype" // 200, a valid envelope served as text/html
	FaultLatency   FaultKind = "latency"   // Delay, then the normal answer
)

// Fault makes the next Count REST calls (1 when 0) misbehave. Method limits it
// to one REST method ("" = any). Delay applies to every kind. NoCORS leaves
// out the CORS headers, as a proxy's error page would.
type Fault struct {
	Kind        FaultKind     `json:"kind"`
	Count       int           `json:"count,omitempty"`
	Method      string        `json:"method,omitempty"`
	Code        string        `json:"code,omitempty"`
	Status      int           `json:"status,omitempty"`
	Description string        `json:"description,omitempty"`
	Delay       time.Duration `json:"-"`
	HugeBytes   int           `json:"huge_bytes,omitempty"`
	NoCORS      bool          `json:"no_cors,omitempty"`
}

// UnmarshalJSON accepts "delay" as a Go duration string ("250ms").
func (f *Fault) UnmarshalJSON(b []byte) error {
	type plainFault Fault
	var aux struct {
		plainFault
		Delay string `json:"delay"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*f = Fault(aux.plainFault)
	if aux.Delay != "" {
		d, err := time.ParseDuration(aux.Delay)
		if err != nil {
			return fmt.Errorf("fault delay: %w", err)
		}
		f.Delay = d
	}
	return f.validate()
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultError:
		if f.Code == "" {
			return fmt.Errorf("fault %q needs a code", f.Kind)
		}
	case FaultHTML502, FaultTruncated, FaultDrop, FaultHuge, FaultWrongType, FaultLatency:
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	return nil
}

// errorStatus is the HTTP status the real portal gives each system error.
var errorStatus = map[string]int{
	"expired_token": 401, "invalid_token": 401, "NO_AUTH_FOUND": 401,
	"insufficient_scope": 403, "INVALID_CREDENTIALS": 403, "ACCESS_DENIED": 403,
	"user_access_error": 403, "WRONG_AUTH_TYPE": 403, "PORTAL_DELETED": 403,
	"INVALID_REQUEST": 400, "ERROR_METHOD_NOT_FOUND": 404,
	"OPERATION_TIME_LIMIT": 429, "QUERY_LIMIT_EXCEEDED": 503, "OVERLOAD_LIMIT": 503,
	"INTERNAL_SERVER_ERROR": 500, "ERROR_UNEXPECTED_ANSWER": 500,
	"PAYMENT_REQUIRED": 402, // UNCONFIRMED in the facts
}

type faultQueue struct {
	mu     sync.Mutex
	faults []Fault
}

func (q *faultQueue) add(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = append(q.faults, f)
}

// take consumes one use of the first fault matching method.
func (q *faultQueue) take(method string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.faults {
		f := &q.faults[i]
		if f.Method != "" && f.Method != method {
			continue
		}
		got := *f
		f.Count--
		if f.Count == 0 {
			q.faults = append(q.faults[:i], q.faults[i+1:]...)
		}
		return got, true
	}
	return Fault{}, false
}

func (q *faultQueue) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = nil
}
