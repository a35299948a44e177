package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
)

// handlerFunc is a handler that returns its error instead of writing it;
// handle turns errors into responses in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func errNotFound(msg string) error { return apperr.NotFoundf("%s", msg) }

// errMethodNotAllowed is an HTTP matter, not an application error kind.
var errMethodNotAllowed = &apperr.Error{Kind: apperr.Invalid, Msg: "该地址不支持此请求方法"}

// errTooLarge is a body over the route's limit (413).
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return "request body over " + strconv.FormatInt(e.limit, 10) + " bytes"
}

// tooLarge wraps errTooLarge in the user's message.
func tooLarge(limit int64) error {
	msg := "请求内容过大"
	if limit >= 1<<20 {
		msg = fmt.Sprintf("上传内容过大:此处最多接受%d MB", limit>>20)
	}
	return &apperr.Error{Kind: apperr.Invalid, Msg: msg, Err: errTooLarge{limit}}
}

// httpStatus maps an error kind to an HTTP status.
func httpStatus(err error) int {
	if errors.Is(err, errMethodNotAllowed) {
		return http.StatusMethodNotAllowed
	}
	var tooLarge errTooLarge
	var maxBytes *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.As(err, &maxBytes) {
		return http.StatusRequestEntityTooLarge
	}
	switch apperr.KindOf(err) {
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

var errorCodes = map[int]string{
	http.StatusNotFound:              "not_found",
	http.StatusBadRequest:            "invalid",
	http.StatusConflict:              "conflict",
	http.StatusForbidden:             "forbidden",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusInternalServerError:   "internal",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusTooManyRequests:       "too_many_requests",
	http.StatusRequestEntityTooLarge: "too_large",
}

// handle adapts a route's handler: it checks the route's permission (and
// CSRF token) first, then runs the handler; errors become one Chinese
// answer, an HTML page or JSON. Refusals (401, 403, 429) are audited,
// internal errors logged once with the request ID.
func (s *Server) handle(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := rt.MaxBody
		if limit == 0 {
			limit = maxBodyBytes
		}
		var err error
		if r.ContentLength > limit {
			err = tooLarge(limit)
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if err == nil {
			err = checkQuery(r.URL.RawQuery)
		}
		if err == nil && rt.Method != "" { // the fallback only says 404 or 405
			err = s.authorize(r, rt)
		}
		if errors.Is(err, errMustChangePassword) && !rt.API && r.Method == http.MethodGet {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		}
		if err == nil {
			err = rt.h(w, r)
		}
		if err == nil {
			return
		}
		status := httpStatus(err)
		msg := apperr.Message(err)
		switch status {
		case http.StatusInternalServerError:
			s.log.ErrorContext(r.Context(), "request_failed", slog.String("path", r.URL.Path),
				slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests:
			s.auditRefusal(r, status, msg)
		}
		api := rt.API || strings.HasPrefix(r.URL.Path, "/api/")
		if status == http.StatusUnauthorized && !api {
			// A page that needs a user answers with the login form.
			next := ""
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			s.renderLogin(w, r, http.StatusUnauthorized, loginForm{Next: next, Error: msg})
			return
		}
		if api {
			writeJSON(w, status, apiError{Error: apiErrorBody{Code: errorCodes[status], Message: msg,
				RequestID: requestID(r.Context())}})
			return
		}
		s.renderError(w, r, status, msg)
	})
}

type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// writeJSON writes v as indented JSON; encoding errors of our own types are
// programming errors, so they only reach the log via the 500 they cause.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"服务器内部错误"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
