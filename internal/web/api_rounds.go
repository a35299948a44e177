package web

import (
	"net/http"
	"strconv"

	"svcplan/internal/apperr"
	"svcplan/internal/projects"
)

// The JSON API of the monthly 调度 rounds, the problems, the warnings and
// the departments' attraction: the same services as the pages. Amounts
// are in fen, months YYYY-MM.

// apiRoundLine is a project of a month's round: what its unit filed (null
// when nothing) and the statistics bureau's figure (null when none).
type apiRoundLine struct {
	Project string             `json:"project"`
	Name    string             `json:"name"`
	Lead    string             `json:"lead"`
	Filed   *projects.Progress `json:"filed"`
	FAI     *projects.FAI      `json:"fai"`
}

type apiRound struct {
	Period  string         `json:"period"`
	Filed   int            `json:"filed"`
	Missing int            `json:"missing"`
	Lines   []apiRoundLine `json:"lines"`
}

func (s *Server) apiRound(w http.ResponseWriter, r *http.Request) error {
	u, period := userOf(r), r.PathValue("period")
	lines, err := s.projects.Round(r.Context(), u, period)
	if err != nil {
		return err
	}
	bureau, err := s.projects.MonthFAI(r.Context(), u, period)
	if err != nil {
		return err
	}
	out := apiRound{Period: period, Lines: []apiRoundLine{}}
	for _, l := range lines {
		line := apiRoundLine{Project: l.Project.Code, Name: l.Project.Name, Lead: l.Project.Lead(), Filed: l.Latest}
		if f, ok := bureau[l.Project.Code]; ok {
			line.FAI = &f
		}
		if l.Latest != nil {
			out.Filed++
		} else {
			out.Missing++
		}
		out.Lines = append(out.Lines, line)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiRoundPublish(w http.ResponseWriter, r *http.Request) error {
	n, err := s.projects.Publish(r.Context(), s.actor(r), userOf(r), r.PathValue("period"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": r.PathValue("period"), "published": n})
	return nil
}

func (s *Server) apiProgressFile(w http.ResponseWriter, r *http.Request) error {
	var in projects.ProgressInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.Project != "" && in.Project != r.PathValue("code") {
		return apperr.Invalidf("请求内容的项目编号%s与地址中的%s不一致", in.Project, r.PathValue("code"))
	}
	in.Project = r.PathValue("code")
	p, err := s.projects.File(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) apiProgressReturn(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p, err := s.projects.Return(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), r.PathValue("period"), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiProjectFlags(w http.ResponseWriter, r *http.Request) error {
	flags, err := s.projects.Flags(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(flags), "items": nonNil(flags)})
	return nil
}

func (s *Server) apiProblemRaise(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Text     string `json:"text"`
		Owner    string `json:"owner"`
		Deadline string `json:"deadline"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p, err := s.projects.RaiseProblem(r.Context(), s.actor(r), userOf(r), r.PathValue("code"),
		projects.Problem{Text: in.Text, Owner: in.Owner, Deadline: in.Deadline})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) apiProblemUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound("没有这个问题")
	}
	var in struct {
		Version int                    `json:"version"`
		Status  projects.ProblemStatus `json:"status"`
		Note    string                 `json:"note"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p, err := s.projects.UpdateProblem(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), id, in.Version, in.Status, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiAttractions(w http.ResponseWriter, r *http.Request) error {
	year, err := s.queryYear(r)
	if err != nil {
		return err
	}
	sum, err := s.projects.Attractions(r.Context(), userOf(r), year)
	if err != nil {
		return err
	}
	out := *sum // shared by nobody, but the caller's copy keeps it so
	out.Record = nonNil(out.Record)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiAttractionRecord(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Attraction projects.Attraction `json:"attraction"`
		Version    int                 `json:"version"` // the record's version the caller saw, 0 for a new one
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	a, err := s.projects.RecordAttraction(r.Context(), s.actor(r), userOf(r), in.Attraction, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
