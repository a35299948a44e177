// Package apperr defines the few kinds of error the application tells apart.
// Each carries a message fit for a user, in Chinese; the wrapped cause is
// for the log only.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is what sort of failure an error is.
type Kind int

// Error kinds. Internal is the zero value: anything not classified.
const (
	Internal Kind = iota
	NotFound
	Invalid
	Conflict
	Forbidden
	Unauthorized
	TooMany // too many attempts: rate limit or lockout
)

// Error is an application error of a known kind.
type Error struct {
	Kind Kind
	// Msg is shown to the user.
	Msg string
	// Fields holds per-field messages for Invalid errors.
	Fields map[string]string
	// Err is the underlying cause, for the log.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind with a user message.
func New(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// NotFoundf returns a NotFound error.
func NotFoundf(format string, args ...any) error { return New(NotFound, format, args...) }

// Invalidf returns an Invalid error.
func Invalidf(format string, args ...any) error { return New(Invalid, format, args...) }

// InvalidFields returns an Invalid error with a message per field; the
// user message is msgs joined, in the order given.
func InvalidFields(msgs []string, fields map[string]string) error {
	return &Error{Kind: Invalid, Msg: strings.Join(msgs, ";"), Fields: fields}
}

// Conflictf returns a Conflict error.
func Conflictf(format string, args ...any) error { return New(Conflict, format, args...) }

// Forbiddenf returns a Forbidden error.
func Forbiddenf(format string, args ...any) error { return New(Forbidden, format, args...) }

// Unauthorizedf returns an Unauthorized error.
func Unauthorizedf(format string, args ...any) error { return New(Unauthorized, format, args...) }

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Message returns the user message of err, or a generic one for internal
// errors, whose details must not reach users.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal {
		return e.Msg
	}
	return "服务器内部错误,请稍后重试或联系管理员"
}
