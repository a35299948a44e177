package web

import "net/http"

// route is one entry of the route table. Every page and endpoint is listed
// here, so tests can walk them all.
type route struct {
	Method  string
	Pattern string // net/http ServeMux pattern, without the method
	API     bool   // JSON (errors as JSON) rather than HTML
	h       handlerFunc
}

func (s *Server) routeTable() []route {
	page := func(pattern string, h handlerFunc) route {
		return route{Method: http.MethodGet, Pattern: pattern, h: h}
	}
	api := func(pattern string, h handlerFunc) route {
		return route{Method: http.MethodGet, Pattern: pattern, API: true, h: h}
	}
	return []route{
		page("/{$}", s.planOverview),
		page("/indicators", s.indicatorList),
		page("/indicators/{code}", s.indicatorShow),
		page("/fields", s.fieldList),
		page("/fields/{code}", s.fieldShow),
		page("/actions", s.actionList),
		page("/units", s.unitList),
		page("/units/{code}", s.unitShow),
		page("/plan/text", s.planText),
		page("/static/{file}", s.serveStatic),

		api("/healthz", s.healthz),
		api("/api/v1/openapi.yaml", s.apiOpenAPI),
		api("/api/v1/plan", s.apiPlan),
		api("/api/v1/plan/revisions", s.apiPlanRevisions),
		api("/api/v1/indicators", s.apiIndicators),
		api("/api/v1/indicators/{code}", s.apiIndicator),
		api("/api/v1/fields", s.apiFields),
		api("/api/v1/fields/{code}", s.apiField),
		api("/api/v1/tasks", s.apiTasks),
		api("/api/v1/tasks/{code}", s.apiTask),
		api("/api/v1/units", s.apiUnits),
		api("/api/v1/units/{code}", s.apiUnit),
	}
}
