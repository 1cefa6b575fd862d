package frame

import "github.com/pinall/pinall/internal/b24"

// Kinds of the frame's failures (see internal/b24/kinds.go).
const (
	KindNotInBitrix24 = "not_in_bitrix24"
	KindNoAnswer      = "no_answer"
)

// sentinel is an error value that says its kind.
type sentinel struct {
	_         [0]func() // not comparable: no equality function in the wasm
	msg, kind string
}

func (e *sentinel) Error() string     { return e.msg }
func (e *sentinel) ErrorKind() string { return e.kind }

// ErrorKind is KindNotInBitrix24.
func (e *placementError) ErrorKind() string { return KindNotInBitrix24 }

// ErrorKind is KindNotInBitrix24 for getInitData (nobody speaking the
// protocol is above us), else KindNoAnswer.
func (e *NoAnswerError) ErrorKind() string {
	if e.Command == cmdGetInitData {
		return KindNotInBitrix24
	}
	return KindNoAnswer
}

// Behaviours is what the widget does about the frame's failures.
var Behaviours = []b24.Behaviour{
	{Kind: KindNotInBitrix24, Does: "stops at once: no window.name from the portal"},
	{Kind: KindNoAnswer, Does: "waits 5 s for getInitData (10 s for refreshAuth), then stops"},
}
