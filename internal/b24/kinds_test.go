package b24_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/install"
)

// Which kind each failure is, whoever defines it, and through wrapping.
func TestKindOf(t *testing.T) {
	t.Parallel()
	expired := &b24.APIError{Status: 401, Code: "expired_token"}
	for err, want := range map[error]string{
		&b24.APIError{Code: "QUERY_LIMIT_EXCEEDED"}:                                     "QUERY_LIMIT_EXCEEDED",
		&b24.APIError{Code: "invalid_token"}:                                            "expired_token",
		&b24.APIError{Code: "ERROR_UNEXPECTED_ANSWER"}:                                  "INTERNAL_SERVER_ERROR",
		&b24.APIError{Code: "SOMETHING_NEW"}:                                            "SOMETHING_NEW",
		&b24.OperationLimitError{APIError: &b24.APIError{Code: "OPERATION_TIME_LIMIT"}}: "OPERATION_TIME_LIMIT",
		&b24.NetworkError{Err: errors.New("Failed to fetch")}:                           b24.KindNetwork,
		&b24.BadReplyError{Kind: b24.ErrNotJSON}:                                        b24.KindNotJSON,
		&b24.BadReplyError{Kind: b24.ErrTruncated}:                                      b24.KindTruncated,
		&b24.BadReplyError{Kind: b24.ErrTooLarge}:                                       b24.KindTooLarge,
		&b24.BadReplyError{Kind: b24.ErrUnexpectedResult}:                               b24.KindUnexpectedResult,
		fmt.Errorf("call: %w", context.DeadlineExceeded):                                b24.KindTimeout,
		context.Canceled:                     b24.KindInternal,
		errors.New("who knows"):              b24.KindInternal,
		&b24.ParamError{Msg: "invalid host"}: b24.KindInternal,
		frame.ErrNotInBitrix24:               frame.KindNotInBitrix24,
		frame.ErrNoAnswer:                    frame.KindNoAnswer,
		frame.ErrClosed:                      b24.KindInternal,
		&frame.NoAnswerError{Command: "getInitData", Timeout: time.Second}: frame.KindNotInBitrix24,
		&frame.NoAnswerError{Command: "refreshAuth", Timeout: time.Second}: frame.KindNoAnswer,
		fmt.Errorf("start: %w", install.ErrNotAdmin):                       install.KindNotAdmin,
		// A failed refresh says why it failed when the frame knows, else
		// what the portal said before it.
		&b24.TokenError{API: expired, Err: &frame.NoAnswerError{Command: "refreshAuth"}}: frame.KindNoAnswer,
		&b24.TokenError{API: expired, Err: errors.New("refused")}:                        "expired_token",
		&b24.TokenError{API: expired, Err: context.DeadlineExceeded}:                     "expired_token",
		&b24.TokenError{Err: frame.ErrNotInBitrix24}:                                     frame.KindNotInBitrix24,
		&b24.TokenError{Err: context.DeadlineExceeded}:                                   b24.KindTimeout,
		&b24.TokenError{Err: errors.New("the token source gave an empty token")}:         b24.KindInternal,
	} {
		assert.Equal(t, want, b24.KindOf(err), "%T %v", err, err)
	}
}

// The error table (docs/errors.md) lists, beside a kind, the codes that
// KindOf counts as it.
func TestAliasesAreTheCodesOfAKind(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"invalid_token"}, b24.Aliases("expired_token"))
	assert.Equal(t, []string{"ERROR_UNEXPECTED_ANSWER"}, b24.Aliases("INTERNAL_SERVER_ERROR"))
	assert.Empty(t, b24.Aliases("QUERY_LIMIT_EXCEEDED"))
}

// KindOf walks the tree as errors.AsType does: the first error that says a
// kind, depth first, through Unwrap() error and Unwrap() []error.
func TestKindOfWalksTheTreeAsErrorsAs(t *testing.T) {
	t.Parallel()
	net := &b24.NetworkError{Err: errors.New("Failed to fetch")}
	api := &b24.APIError{Code: "ACCESS_DENIED"}
	plain := errors.New("plain")
	for _, err := range []error{
		nil,
		plain,
		fmt.Errorf("a: %w", fmt.Errorf("b: %w", net)),
		errors.Join(plain, api, net),
		errors.Join(fmt.Errorf("x: %w", plain), fmt.Errorf("y: %w", net), api),
		fmt.Errorf("both: %w, %w", plain, errors.Join(plain, fmt.Errorf("deep: %w", api))),
		fmt.Errorf("first: %w %w", net, api),
		errors.Join(plain, fmt.Errorf("%w", errors.Join(plain)), frame.ErrNoAnswer),
		&b24.TokenError{Err: errors.Join(plain, fmt.Errorf("z: %w", frame.ErrNotInBitrix24))},
		fmt.Errorf("outer: %w", &b24.TokenError{API: api, Err: plain}),
	} {
		want := b24.KindInternal
		if k, ok := errors.AsType[b24.Kinded](err); ok && k.ErrorKind() != "" {
			want = k.ErrorKind()
		}
		assert.Equal(t, want, b24.KindOf(err), "%v", err)
	}
}

// A call whose deadline passed is a timeout, whatever it was retrying;
// one cancelled by its caller is not.
func TestKindOfAStoppedCall(t *testing.T) {
	t.Parallel()
	tr := transportFunc(func(ctx context.Context, _ *b24.Request) (*b24.Response, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	c, err := b24.New("https://portal.example/rest", b24.WithTransport(tr), b24.WithTimeout(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PinAll(context.Background())
	assert.Equal(t, b24.KindTimeout, b24.KindOf(err), "%v", err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.PinAll(ctx)
	assert.Equal(t, b24.KindInternal, b24.KindOf(err), "%v", err)
}

type transportFunc func(context.Context, *b24.Request) (*b24.Response, error)

func (f transportFunc) Do(ctx context.Context, r *b24.Request) (*b24.Response, error) {
	return f(ctx, r)
}
