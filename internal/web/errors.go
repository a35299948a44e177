package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"svcplan/internal/apperr"
)

// handlerFunc is a handler that returns its error instead of writing it;
// handle turns errors into responses in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func errNotFound(msg string) error { return apperr.NotFoundf("%s", msg) }

// errMethodNotAllowed is an HTTP matter, not an application error kind.
var errMethodNotAllowed = &apperr.Error{Kind: apperr.Invalid, Msg: "该地址不支持此请求方法"}

// httpStatus maps an error kind to an HTTP status.
func httpStatus(err error) int {
	if errors.Is(err, errMethodNotAllowed) {
		return http.StatusMethodNotAllowed
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
	}
	return http.StatusInternalServerError
}

var errorCodes = map[int]string{
	http.StatusNotFound:            "not_found",
	http.StatusBadRequest:          "invalid",
	http.StatusConflict:            "conflict",
	http.StatusForbidden:           "forbidden",
	http.StatusUnauthorized:        "unauthorized",
	http.StatusInternalServerError: "internal",
	http.StatusMethodNotAllowed:    "method_not_allowed",
}

// handle adapts a route's handler: it logs internal errors once, with the
// request ID, and answers with a Chinese message as an HTML page or JSON.
func (s *Server) handle(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := rt.h(w, r)
		if err == nil {
			return
		}
		status := httpStatus(err)
		if status == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "request_failed", slog.String("path", r.URL.Path),
				slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
		}
		msg := apperr.Message(err)
		if rt.API || strings.HasPrefix(r.URL.Path, "/api/") {
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
