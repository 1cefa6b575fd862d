package devportal

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// model is the in-memory open-lines state. One mutex guards everything: the
// portal is small and correctness under concurrent requests matters more than
// throughput.
type model struct {
	mu       sync.Mutex
	users    map[int]User
	lines    map[int]Line
	chats    map[int]Chat
	sessions []Session // sorted by ID
}

func newModel(d Data) *model {
	m := &model{}
	m.load(d)
	return m
}

func (m *model) load(d Data) {
	d = d.clone()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users = map[int]User{}
	m.lines = map[int]Line{}
	m.chats = map[int]Chat{}
	for _, u := range d.Users {
		m.users[u.ID] = u
	}
	for _, l := range d.Lines {
		m.lines[l.ID] = l
	}
	for _, c := range d.Chats {
		m.chats[c.ID] = c
	}
	m.sessions = d.Sessions
	sort.Slice(m.sessions, func(i, j int) bool { return m.sessions[i].ID < m.sessions[j].ID })
}

// rename takes the users', lines' and chats' names and entity IDs from d
// (the same IDs, another language's names); the sessions and their states
// stay as they are.
func (m *model) rename(d Data) {
	d = d.clone()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range d.Users {
		m.users[u.ID] = u
	}
	for _, l := range d.Lines {
		m.lines[l.ID] = l
	}
	for _, c := range d.Chats {
		m.chats[c.ID] = c
	}
}

// methodError is a REST method error: HTTP status, code and description.
type methodError struct {
	Status int
	Code   string
	Desc   string
	extra  map[string]any // more envelope keys, e.g. operating_reset_at
}

func (e *methodError) Error() string { return e.Code + ": " + e.Desc }

func badRequest(code, desc string) *methodError {
	return &methodError{Status: 400, Code: code, Desc: desc}
}

// setPinnedAll pins (or unpins) every open session of user whose flag differs
// and returns their IDs, never nil so the JSON is [] rather than null.
func (m *model) setPinnedAll(user int, pin bool) []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := []int{}
	for i := range m.sessions {
		s := &m.sessions[i]
		if s.Operator == user && !s.Closed && s.Pinned != pin {
			s.Pinned = pin
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// pinChat toggles the current (latest open) session of an open-line chat.
func (m *model) pinChat(user int, chatParam string, pin bool) (bool, *methodError) {
	if strings.TrimSpace(chatParam) == "" {
		return false, badRequest("CHAT_ID_EMPTY", "Chat ID can't be empty")
	}
	chatID, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(chatParam), "chat"))
	m.mu.Lock()
	defer m.mu.Unlock()
	chat, ok := m.chats[chatID]
	if err != nil || !ok {
		return false, badRequest("CHAT_ID", "Chat not found")
	}
	if chat.LineID == 0 {
		return false, badRequest("CHAT_TYPE", "Chat is not an open line chat")
	}
	s := m.currentSession(chatID)
	if s == nil {
		// No open session: nothing the caller could operate (UNCONFIRMED code).
		return false, badRequest("ACCESS_DENIED", "You are not the operator of this dialog")
	}
	if s.Operator != user {
		return false, badRequest("ACCESS_DENIED", "You are not the operator of this dialog")
	}
	s.Pinned = pin
	return true, nil
}

// currentSession returns the newest open session of a chat; m.mu is held.
func (m *model) currentSession(chatID int) *Session {
	for i := len(m.sessions) - 1; i >= 0; i-- {
		if s := &m.sessions[i]; s.ChatID == chatID && !s.Closed {
			return s
		}
	}
	return nil
}

// dialogQuery is what imopenlines.dialog.get may be asked by.
type dialogQuery struct {
	ChatID, DialogID, SessionID, UserCode string
}

// dialog finds a chat for dialog.get and checks the caller operates its line.
func (m *model) dialog(user int, q dialogQuery) (map[string]any, *methodError) {
	m.mu.Lock()
	defer m.mu.Unlock()
	chatID := 0
	switch {
	case q.ChatID != "":
		chatID, _ = strconv.Atoi(q.ChatID)
	case q.DialogID != "":
		chatID, _ = strconv.Atoi(strings.TrimPrefix(q.DialogID, "chat"))
	case q.SessionID != "":
		id, _ := strconv.Atoi(q.SessionID)
		if i, ok := slices.BinarySearchFunc(m.sessions, id, func(s Session, id int) int { return s.ID - id }); ok {
			chatID = m.sessions[i].ChatID
		}
	case q.UserCode != "":
		code := strings.TrimPrefix(q.UserCode, "imol|")
		for _, c := range m.chats {
			if c.EntityID == code {
				chatID = c.ID
			}
		}
	default:
		return nil, badRequest("DIALOG_ID_EMPTY", "Dialog ID can't be empty")
	}
	chat, ok := m.chats[chatID]
	// An unknown dialog reads as no access: the real method does not say
	// which (UNCONFIRMED).
	if !ok || chat.LineID == 0 || !slices.Contains(m.lines[chat.LineID].Operators, user) {
		return nil, badRequest("ACCESS_ERROR", "You do not have access to this dialog")
	}
	color := chat.Color
	if color == "" {
		color = "#4ba984"
	}
	var managers []int
	if s := m.currentSession(chatID); s != nil {
		managers = []int{s.Operator}
	}
	if managers == nil {
		managers = []int{}
	}
	return map[string]any{
		"id":            chat.ID,
		"name":          chat.Name,
		"entity_type":   "LINES",
		"entity_id":     chat.EntityID,
		"entity_data_1": "",
		"entity_data_2": "",
		"entity_data_3": "",
		"date_create":   chat.DateCreate,
		"type":          "lines",
		"color":         color,
		"avatar":        "",
		"owner":         0,
		"manager_list":  managers,
		"extranet":      false,
		"message_type":  "L",
		"dialog_id":     "chat" + strconv.Itoa(chat.ID),
	}, nil
}

// SessionView is a read-only snapshot of one session for tests and the panel.
type SessionView struct {
	ID       int    `json:"id"`
	ChatID   int    `json:"chat_id"`
	ChatName string `json:"chat_name"`
	EntityID string `json:"entity_id"`
	Operator int    `json:"operator"`
	Closed   bool   `json:"closed"`
	Pinned   bool   `json:"pinned"`
}

func (m *model) snapshot() []SessionView {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]SessionView, len(m.sessions))
	for i, s := range m.sessions {
		c := m.chats[s.ChatID]
		out[i] = SessionView{ID: s.ID, ChatID: s.ChatID, ChatName: c.Name, EntityID: c.EntityID,
			Operator: s.Operator, Closed: s.Closed, Pinned: s.Pinned}
	}
	return out
}

func (m *model) user(id int) (User, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	return u, ok
}

// firstOpenChat is the default dialog for the IM_SIDEBAR placement.
func (m *model) firstOpenChat(user int) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.sessions {
		if s.Operator == user && !s.Closed {
			return s.ChatID
		}
	}
	return 0
}
