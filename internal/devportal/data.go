package devportal

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
)

//go:embed demo.json
var demoJSON []byte

// Data is the seed of the open-lines model; the schema of demo.json and of
// any file given with --data.
type Data struct {
	Users    []User    `json:"users"`
	Lines    []Line    `json:"lines"`
	Chats    []Chat    `json:"chats"`
	Sessions []Session `json:"sessions"`
}

// User is a portal user; operators are users listed in a line's Operators.
type User struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	IsAdmin bool   `json:"is_admin"`
}

// Line is an open line (a queue of operators).
type Line struct {
	ID        int    `json:"id"`
	Name      string `json:"name"`
	Operators []int  `json:"operators"`
}

// Chat is a dialog. LineID 0 means an ordinary (not open-line) chat, which
// pin rejects with CHAT_TYPE.
type Chat struct {
	ID         int    `json:"id"`
	LineID     int    `json:"line_id"`
	Name       string `json:"name"`
	EntityID   string `json:"entity_id"`
	DateCreate string `json:"date_create"`
	Color      string `json:"color,omitempty"`
}

// Session is one handling cycle inside an open-line chat.
type Session struct {
	ID       int  `json:"id"`
	ChatID   int  `json:"chat_id"`
	Operator int  `json:"operator"`
	Closed   bool `json:"closed"`
	Pinned   bool `json:"pinned"`
}

// DemoData returns a fresh copy of the embedded demo data.
func DemoData() Data {
	d, err := parseData(demoJSON)
	if err != nil {
		panic("devportal: embedded demo.json: " + err.Error())
	}
	return d
}

// LoadData reads a data file of the demo.json schema.
func LoadData(path string) (Data, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Data{}, err
	}
	return parseData(b)
}

// parseData decodes and validates data of the demo.json schema.
func parseData(b []byte) (Data, error) {
	var d Data
	if err := json.Unmarshal(b, &d); err != nil {
		return Data{}, fmt.Errorf("devportal data: %w", err)
	}
	return d, d.validate()
}

// validate catches the dangling references a hand-edited file tends to have.
func (d Data) validate() error {
	chats := map[int]bool{}
	lines := map[int]bool{}
	for _, l := range d.Lines {
		lines[l.ID] = true
	}
	for _, c := range d.Chats {
		if chats[c.ID] {
			return fmt.Errorf("devportal data: duplicate chat %d", c.ID)
		}
		if c.LineID != 0 && !lines[c.LineID] {
			return fmt.Errorf("devportal data: chat %d: unknown line %d", c.ID, c.LineID)
		}
		chats[c.ID] = true
	}
	seen := map[int]bool{}
	for _, s := range d.Sessions {
		if seen[s.ID] {
			return fmt.Errorf("devportal data: duplicate session %d", s.ID)
		}
		seen[s.ID] = true
		if !chats[s.ChatID] {
			return fmt.Errorf("devportal data: session %d: unknown chat %d", s.ID, s.ChatID)
		}
	}
	return nil
}

// clone deep-copies d so a reset never shares slices with a live model.
func (d Data) clone() Data {
	c := Data{
		Users:    append([]User(nil), d.Users...),
		Chats:    append([]Chat(nil), d.Chats...),
		Sessions: append([]Session(nil), d.Sessions...),
	}
	for _, l := range d.Lines {
		l.Operators = append([]int(nil), l.Operators...)
		c.Lines = append(c.Lines, l)
	}
	return c
}

// WithExtraSessions appends n open, unpinned sessions (each in its own chat on
// the first line) for the given operator, for the 10,000-session scenario.
func (d Data) WithExtraSessions(n, operator int) Data {
	if n <= 0 || len(d.Lines) == 0 {
		return d
	}
	maxChat, maxSess := 0, 0
	for _, c := range d.Chats {
		maxChat = max(maxChat, c.ID)
	}
	for _, s := range d.Sessions {
		maxSess = max(maxSess, s.ID)
	}
	connectors := []string{"livechat", "telegrambot", "whatsappbytwilio", "vkgroup", "imessage"}
	line := d.Lines[0]
	for i := 1; i <= n; i++ {
		chatID := maxChat + i
		d.Chats = append(d.Chats, Chat{
			ID:         chatID,
			LineID:     line.ID,
			Name:       fmt.Sprintf("Customer %d - %s", i, line.Name),
			EntityID:   fmt.Sprintf("%s|%d|%d|%d", connectors[i%len(connectors)], line.ID, 5000+i, 9000+i),
			DateCreate: "2025-03-01T09:00:00+03:00",
		})
		d.Sessions = append(d.Sessions, Session{ID: maxSess + i, ChatID: chatID, Operator: operator})
	}
	return d
}
