package install

import "github.com/pinall/pinall/internal/b24"

// KindNotAdmin is ErrNotAdmin's kind (see internal/b24/kinds.go).
const KindNotAdmin = "not_admin"

// ErrNotAdmin means the installer runs for a user who is not a portal
// administrator (init data IS_ADMIN false): placement.bind would refuse.
var ErrNotAdmin error = notAdminError{}

type notAdminError struct{}

func (notAdminError) Error() string     { return "install: the user is not a portal administrator" }
func (notAdminError) ErrorKind() string { return KindNotAdmin }

// Behaviours is what the installer does about its failures, and about the
// portal's errors that mean something else from placement.* methods.
var Behaviours = []b24.Behaviour{
	{Kind: KindNotAdmin, Does: "the installer binds nothing (init data IS_ADMIN is false)"},
	{Kind: "insufficient_scope", Method: "placement.", Does: "the installer marks every placement failed; the app still opens from its own page"},
	{Kind: "ACCESS_DENIED", Method: "placement.", Does: "the installer marks every placement failed"},
	{Kind: "WRONG_AUTH_TYPE", Method: "placement.", Does: "the installer marks the placement failed"},
}
