package web

import (
	"net/http"

	"svcplan/internal/apperr"
	"svcplan/internal/assess"
)

// The assessment's JSON API: the same services and scope as the pages.

func (s *Server) apiAssessList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.assess.Schemes(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"schemes": nonNil(list)})
	return nil
}

// apiAssessResult is a scheme's versions and its latest run (null when it
// was never scored) with the cells later revisions would change.
type apiAssessResult struct {
	Versions []assess.Version `json:"versions"`
	Run      *assess.Run      `json:"run"`
	Changes  []assess.Change  `json:"changes"`
}

func (s *Server) apiAssess(w http.ResponseWriter, r *http.Request) error {
	u, code := userOf(r), r.PathValue("code")
	vs, err := s.assess.Versions(r.Context(), u, code)
	if err != nil {
		return err
	}
	out := apiAssessResult{Versions: vs, Changes: []assess.Change{}}
	switch res, err := s.assess.Latest(r.Context(), u, code); {
	case apperr.KindOf(err) == apperr.NotFound:
	case err != nil:
		return err
	default:
		out.Run, out.Changes = res.Run, nonNil(res.Changes)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiAssessPreview(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.assess.Preview(r.Context(), userOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (s *Server) apiAssessSave(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		FileName string `json:"file_name"`
		Body     string `json:"body"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.FileName == "" {
		in.FileName = "考核方案.yaml"
	}
	v, err := s.assess.SaveDraft(r.Context(), s.actor(r), userOf(r), in.FileName, []byte(in.Body))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) apiAssessPublish(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Version int    `json:"version"`
		Reason  string `json:"reason"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	v, err := s.assess.Publish(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), in.Version, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiAssessScore(w http.ResponseWriter, r *http.Request) error {
	run, err := s.assess.ScoreRun(r.Context(), s.actor(r), userOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, run)
	return nil
}

func (s *Server) apiAssessFact(w http.ResponseWriter, r *http.Request) error {
	var in assess.Fact
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	in.Scheme = r.PathValue("code")
	f, err := s.assess.EnterFact(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}
