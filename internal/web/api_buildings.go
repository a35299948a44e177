package web

import (
	"net/http"

	"svcplan/internal/buildings"
	"svcplan/internal/money"
)

// 楼宇经济's JSON API: the same service, the same rules on firm data.
// Rates are strings with one decimal (percent), areas strings in m² with
// two decimals, amounts integer fen; a hidden tax (保密) is left out.

type buildingJSON struct {
	Building buildings.Building `json:"building"`
	HasSpace bool               `json:"has_space"`
	Measures measuresJSON       `json:"measures"`
	Hidden   bool               `json:"tax_hidden,omitempty"`
	TaxFen   *money.Fen         `json:"tax_fen,omitempty"`
	Firms    int                `json:"tax_firms,omitempty"`
	PriorFen *money.Fen         `json:"prior_fen,omitempty"`
	Growth   string             `json:"growth"`
	PerArea  string             `json:"tax_per_m2"`
	Place    buildings.Place    `json:"place"`
}

type measuresJSON struct {
	buildings.Measures
	Occupancy    string `json:"occupancy_rate"`
	Registration string `json:"registration_rate"`
	ThemeFirms   string `json:"theme_share_firms,omitempty"`
	ThemeArea    string `json:"theme_share_area,omitempty"`
}

func buildingJSONOf(r buildings.Row) buildingJSON {
	m := r.Measures
	out := buildingJSON{Building: r.Building, HasSpace: r.HasSpace, Hidden: r.Hidden, Firms: r.Firms, Growth: r.Growth(), PerArea: r.PerArea(),
		Place: r.Place, Measures: measuresJSON{Measures: m, Occupancy: money.Percent(m.Occupancy, 1), Registration: money.Percent(m.RegistrationRate(), 1)}}
	if c := m.Theme; c != nil {
		out.Measures.ThemeFirms, out.Measures.ThemeArea = money.Percent(c.Firms, 1), money.Percent(c.Area, 1)
	}
	if r.HasTax && !r.Hidden {
		out.TaxFen, out.PriorFen = &r.Tax, r.Prior
	}
	return out
}

func (s *Server) apiBuildings(w http.ResponseWriter, r *http.Request) error {
	b, err := s.buildings.Board(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	rows := make([]buildingJSON, len(b.Rows))
	for i, row := range b.Rows {
		rows[i] = buildingJSONOf(row)
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": b.Year, "months": b.Span, "rules": b.Rules, "tier_counts": nonNil(b.TierCounts),
		"unplaced_firm_figures": b.Unplaced, "buildings": rows})
	return nil
}

func (s *Server) apiBuilding(w http.ResponseWriter, r *http.Request) error {
	d, err := s.buildings.Find(r.Context(), userOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	out := map[string]any{"year": d.Year, "row": buildingJSONOf(d.Row), "versions": d.Versions, "floors": nonNil(d.Floors), "months": nonNil(d.Months),
		"diagnosis": d.Diagnosis}
	if d.Space != nil { // roles that may see firms only
		out["space"] = d.Space
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiBuildingSave(w http.ResponseWriter, r *http.Request) error {
	var in buildings.Building
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	b, err := s.buildings.SaveBuilding(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if b.Version == 1 {
		status = http.StatusCreated
	}
	writeJSON(w, status, b)
	return nil
}

func (s *Server) apiBuildingVisits(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.buildings.Visits(r.Context(), userOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"visits": nonNil(vs)})
	return nil
}

// apiBuildingVisitFile files a visit as JSON (photos go through the form).
func (s *Server) apiBuildingVisitFile(w http.ResponseWriter, r *http.Request) error {
	var in buildings.Visit
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	in.Building = r.PathValue("code")
	v, err := s.buildings.FileVisit(r.Context(), s.actor(r), userOf(r), in, nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}
