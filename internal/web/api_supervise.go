package web

import (
	"net/http"

	"svcplan/internal/supervise"
)

// 督查督办's JSON API: the same services and scope as the pages. Evidence
// files are uploaded through the item's page (multipart); the API lists
// them with their SHA-256.

func (s *Server) apiSuperviseBoard(w http.ResponseWriter, r *http.Request) error {
	lines, err := s.supervise.Board(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(lines)})
	return nil
}

func (s *Server) apiSuperviseAssign(w http.ResponseWriter, r *http.Request) error {
	var in supervise.Item
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	it, err := s.supervise.Assign(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, it)
	return nil
}

func (s *Server) apiSuperviseItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "没有这个督办事项")
	if err != nil {
		return err
	}
	d, err := s.supervise.Detail(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	out := map[string]any{"item": d.Item, "signal": d.Signal, "data_rate": d.Rate, "events": nonNil(d.Events)}
	if d.Data != nil { // an item tied to an indicator
		out["data"] = d.Data
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSuperviseAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "没有这个督办事项")
	if err != nil {
		return err
	}
	var in supervise.ActInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	it, err := s.supervise.Act(r.Context(), s.actor(r), userOf(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (s *Server) apiSuperviseInbox(w http.ResponseWriter, r *http.Request) error {
	box, err := s.supervise.Inbox(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": nonNil(box)})
	return nil
}
