package web

import (
	"encoding/json"
	"net/http"
	"net/url"

	"svcplan/internal/apperr"
	"svcplan/internal/indicators"
)

// Indicator values: units enter them (填报), statisticians review them
// (审核), administrators publish them (发布), on the indicator's page and
// through the API.

// valueSave saves a value from the indicator page's form.
func (s *Server) valueSave(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	in := indicators.Input{Indicator: code, Unit: r.PostFormValue("unit"), Period: r.PostFormValue("period"),
		Value: r.PostFormValue("value"), PriceBasis: r.PostFormValue("price_basis"), ReleasedOn: r.PostFormValue("released_on"),
		Vintage: r.PostFormValue("vintage"), Reason: r.PostFormValue("reason"), Publish: r.PostFormValue("publish") == "1"}
	v, err := s.values.Save(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return valueError(w, r, code, err)
	}
	s.dashboard.Invalidate()
	http.Redirect(w, r, "/indicators/"+url.PathEscape(code)+"?saved="+url.QueryEscape(v.Period)+"#monitor-h", http.StatusSeeOther)
	return nil
}

// valueTransition reviews, publishes or returns the latest version of a
// value.
func (s *Server) valueTransition(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	k := indicators.Key{Indicator: code, Unit: r.PostFormValue("unit"), Period: r.PostFormValue("period")}
	v, err := s.values.Transition(r.Context(), s.actor(r), userOf(r), k, indicators.Status(r.PostFormValue("to")), r.PostFormValue("reason"))
	if err != nil {
		return valueError(w, r, code, err)
	}
	s.dashboard.Invalidate()
	http.Redirect(w, r, "/indicators/"+url.PathEscape(code)+"?saved="+url.QueryEscape(v.Period)+"#monitor-h", http.StatusSeeOther)
	return nil
}

// valueError sends a refused value back to the indicator page with the
// reason, or lets the error page say it.
func valueError(w http.ResponseWriter, r *http.Request, code string, err error) error {
	if apperr.KindOf(err) != apperr.Invalid && apperr.KindOf(err) != apperr.Conflict {
		return err
	}
	http.Redirect(w, r, "/indicators/"+url.PathEscape(code)+"?error="+url.QueryEscape(apperr.Message(err))+"#value-form",
		http.StatusSeeOther)
	return nil
}

// apiValues lists an indicator's values for a unit (the district by
// default): published ones unless the caller enters or reviews values.
func (s *Server) apiValues(w http.ResponseWriter, r *http.Request) error {
	st, ind, err := s.pathIndicator(r)
	if err != nil {
		return err
	}
	unit := r.URL.Query().Get("unit")
	if unit == "" {
		unit = st.Plan.DistrictCode()
	}
	vs, err := s.values.Series(r.Context(), userOf(r), ind.Code, unit)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []indicators.Value{}
	}
	writeJSON(w, http.StatusOK, vs)
	return nil
}

// apiValueSave saves a value sent as JSON (indicators.Input).
func (s *Server) apiValueSave(w http.ResponseWriter, r *http.Request) error {
	var in indicators.Input
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return apperr.Invalidf("请求内容不是有效的JSON: %v", err)
	}
	in.Indicator = r.PathValue("code")
	v, err := s.values.Save(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return err
	}
	s.dashboard.Invalidate()
	writeJSON(w, http.StatusCreated, v)
	return nil
}
