package devportal

import (
	"sync"
	"time"
)

// RequestRecord is one HTTP request under /rest/, as p.Requests() reports it.
type RequestRecord struct {
	Time         time.Time `json:"time"`
	HTTPMethod   string    `json:"http_method"` // GET, POST, OPTIONS
	Path         string    `json:"path"`        // URL path, without the query (no token)
	Method       string    `json:"method"`      // REST method, e.g. imopenlines.session.mode.pinAll
	ContentType  string    `json:"content_type"`
	TokenInQuery bool      `json:"token_in_query"`
	TokenInBody  bool      `json:"token_in_body"`
	Webhook      bool      `json:"webhook"`
	Origin       string    `json:"origin"`
	Status       int       `json:"status"`
	Error        string    `json:"error,omitempty"` // REST error code, "" on success
	Fault        FaultKind `json:"fault,omitempty"` // injected fault, if any
	BatchCmds    []string  `json:"batch_cmds,omitempty"`
	BatchErrors  []string  `json:"batch_errors,omitempty"` // the error codes of a batch's commands, in order
}

// FrameEvent is one message the portal page received from a frame.
type FrameEvent struct {
	Time      time.Time      `json:"time"`
	Command   string         `json:"command"`
	Params    map[string]any `json:"params,omitempty"`
	RawParams string         `json:"raw_params,omitempty"`
	Callback  string         `json:"callback,omitempty"`
	AppSID    string         `json:"app_sid,omitempty"`
	Origin    string         `json:"origin"`
	Accepted  bool           `json:"accepted"`
	Reason    string         `json:"reason,omitempty"` // why it was dropped
	Replied   bool           `json:"replied"`
	DialogID  string         `json:"dialog_id,omitempty"` // imOpenMessenger
	Title     string         `json:"title,omitempty"`     // setTitle
	Width     any            `json:"width,omitempty"`     // resizeWindow
	Height    any            `json:"height,omitempty"`    // resizeWindow
}

// eventLog keeps the request and frame logs, bounded so a 10,000-call test
// cannot grow memory without limit.
type eventLog struct {
	mu       sync.Mutex
	requests []RequestRecord
	frames   []FrameEvent
}

const maxLog = 20000

func (l *eventLog) addRequest(r RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.requests) >= maxLog {
		l.requests = l.requests[1:]
	}
	l.requests = append(l.requests, r)
}

func (l *eventLog) addFrame(e FrameEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.frames) >= maxLog {
		l.frames = l.frames[1:]
	}
	l.frames = append(l.frames, e)
}

func (l *eventLog) snapshot() ([]RequestRecord, []FrameEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]RequestRecord(nil), l.requests...), append([]FrameEvent(nil), l.frames...)
}

func (l *eventLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests, l.frames = nil, nil
}
