package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// accessMatrix is who may use each route, written out by hand rather than
// derived from the route table, so that a route whose rule is wrong — or a
// new route with no line here — fails the test. Columns: anonymous, admin,
// statistician, leader, reporter of the unit in the path, reporter of
// another unit (for routes without a unit the last two are the same
// reporter). "ok" means let through (any answer but 401/403), "401" and
// "403" mean refused; "pub" is a public form that answers for itself
// (POST /login says 401 to bad credentials).
var accessMatrix = map[string]string{
	"GET /{$}":                "ok ok ok ok ok ok",
	"GET /plan":               "ok ok ok ok ok ok",
	"GET /dashboard":          "ok ok ok ok ok ok",
	"GET /dashboard.xlsx":     "ok ok ok ok ok ok",
	"POST /dashboard/release": "401 ok 403 403 403 403",
	"GET /warnings":           "401 ok ok ok ok ok",
	"GET /indicators":         "ok ok ok ok ok ok",
	"GET /indicators/{code}":  "ok ok ok ok ok ok",
	// A reporter may enter its own unit's values; the matrix's request
	// names no unit, which means the district: refused by scope.
	"POST /indicators/{code}/values":        "401 ok ok 403 403 403",
	"POST /indicators/{code}/values/status": "401 ok ok 403 403 403",
	"GET /fields":                           "ok ok ok ok ok ok",
	"GET /fields/{code}":                    "ok ok ok ok ok ok",
	"GET /actions":                          "ok ok ok ok ok ok",
	"GET /units":                            "ok ok ok ok ok ok",
	"GET /units/{code}":                     "ok ok ok ok ok ok",
	"GET /plan/text":                        "ok ok ok ok ok ok",
	"GET /static/{file...}":                 "ok ok ok ok ok ok",
	"GET /login":                            "ok ok ok ok ok ok",
	"POST /login":                           "pub pub pub pub pub pub",
	"POST /logout":                          "401 ok ok ok ok ok",
	"GET /setup":                            "ok ok ok ok ok ok",
	"POST /setup":                           "ok ok ok ok ok ok",
	"GET /account":                          "401 ok ok ok ok ok",
	"GET /account/password":                 "401 ok ok ok ok ok",
	"POST /account/password":                "401 ok ok ok ok ok",
	"POST /account/logout-all":              "401 ok ok ok ok ok",
	"POST /account/tokens":                  "401 ok ok ok ok ok",
	"POST /account/tokens/{id}/revoke":      "401 ok ok ok ok ok",

	"GET /progress":                                  "401 ok ok ok ok ok",
	"GET /projects":                                  "401 ok ok ok ok ok",
	"GET /projects/new":                              "401 ok ok 403 403 403",
	"GET /projects/import":                           "401 ok ok 403 403 403",
	"GET /projects/attraction":                       "401 ok ok ok ok ok",
	"POST /projects/attraction":                      "401 ok ok 403 403 403",
	"POST /projects/import":                          "401 ok ok 403 403 403",
	"GET /projects/rounds":                           "401 ok ok ok ok ok",
	"GET /projects/rounds.xlsx":                      "401 ok ok ok ok ok",
	"POST /projects/rounds":                          "401 ok ok 403 403 403",
	"POST /projects/{code}/progress":                 "401 ok 403 403 ok ok",
	"POST /projects/{code}/problems":                 "401 ok ok ok ok ok",
	"POST /projects/{code}/problems/{id}":            "401 ok ok ok ok ok",
	"POST /projects/{code}/progress/{period}/return": "401 ok ok 403 403 403",
	"POST /projects/new":                             "401 ok ok 403 403 403",
	"GET /assess":                                    "401 ok ok ok ok ok",
	"POST /assess":                                   "401 ok 403 403 403 403",
	"POST /assess/sheet":                             "401 ok 403 403 403 403",
	"GET /assess/{code}":                             "401 ok ok ok ok ok",
	"POST /assess/{code}/publish":                    "401 ok 403 403 403 403",
	"POST /assess/{code}/runs":                       "401 ok 403 403 403 403",
	"GET /assess/{code}/sheet.xlsx":                  "401 ok ok ok ok ok",
	"GET /assess/{code}/scheme.yaml":                 "401 ok ok ok ok ok",
	"GET /assess/{code}/scheme.xlsx":                 "401 ok ok ok ok ok",
	"GET /assess/{code}/units/{unit}":                "401 ok ok ok ok 403", // a reporter reads its own unit's card
	"POST /assess/{code}/units/{unit}/facts":         "401 ok 403 403 403 403",
	"GET /buildings":                                 "401 ok ok ok ok ok",
	"POST /buildings":                                "401 ok ok 403 403 403",
	"POST /buildings/tax":                            "401 ok ok 403 403 403",
	"GET /buildings/{code}":                          "401 ok ok ok ok ok",
	"POST /buildings/{code}":                         "401 ok ok 403 403 403",
	"POST /buildings/{code}/space":                   "401 ok ok 403 403 403",
	"GET /buildings/sweep.xlsx":                      "401 ok ok ok ok ok",
	"GET /buildings.xlsx":                            "401 ok ok ok ok ok",
	"GET /buildings/ranking":                         "401 ok ok ok ok ok",
	"GET /buildings/{code}/visit":                    "401 ok ok ok ok ok",
	"POST /buildings/{code}/visits":                  "401 ok ok ok ok ok", // who may file is the service's
	"POST /buildings/{code}/visits/{id}/decision":    "401 ok ok 403 403 403",
	"GET /buildings/visits/files/{file}":             "401 ok ok ok ok ok",
	"GET /supervise":                                 "401 ok ok ok ok ok",
	"POST /supervise":                                "401 ok 403 403 403 403",
	"GET /supervise/inbox":                           "401 ok ok ok ok ok",
	"GET /supervise/digest.xlsx":                     "401 ok ok ok ok ok",
	"GET /supervise/{id}":                            "401 ok ok ok ok ok",
	"POST /supervise/{id}/acts":                      "401 ok ok ok ok ok", // who may do which act is the service's
	"GET /supervise/{id}/files/{file}":               "401 ok ok ok ok ok",
	"GET /projects/{code}":                           "401 ok ok ok ok ok",
	"GET /projects/{code}/edit":                      "401 ok ok 403 403 403",
	"POST /projects/{code}/edit":                     "401 ok ok 403 403 403",
	"POST /projects/{code}/events":                   "401 ok ok 403 403 403",
	"POST /projects/{code}/events/{seq}/certify":     "401 ok ok 403 403 403",
	"GET /units/{code}/progress":                     "401 ok ok ok ok 403",
	"POST /units/{code}/progress":                    "401 ok 403 403 ok 403",
	"GET /units/{code}/progress/{task}":              "401 ok ok ok ok 403",
	"GET /admin/users":                               "401 ok 403 403 403 403",
	"GET /admin/users/new":                           "401 ok 403 403 403 403",
	"POST /admin/users/new":                          "401 ok 403 403 403 403",
	"GET /admin/users/{id}":                          "401 ok 403 403 403 403",
	"POST /admin/users/{id}":                         "401 ok 403 403 403 403",
	"POST /admin/users/{id}/reset-password":          "401 ok 403 403 403 403",
	"POST /admin/users/{id}/unlock":                  "401 ok 403 403 403 403",
	"POST /admin/users/{id}/revoke-sessions":         "401 ok 403 403 403 403",
	"GET /admin/audit":                               "401 ok 403 403 403 403",
	"GET /admin/audit.csv":                           "401 ok 403 403 403 403",
	"GET /admin/rules":                               "401 ok 403 403 403 403",
	"POST /admin/rules":                              "401 ok 403 403 403 403",
	"POST /admin/rules/projects":                     "401 ok 403 403 403 403",
	"POST /admin/rules/supervise":                    "401 ok 403 403 403 403",
	"POST /admin/rules/buildings":                    "401 ok 403 403 403 403",

	"GET /enterprises":                            "401 ok ok 403 403 403",
	"GET /enterprises.xlsx":                       "401 ok ok 403 403 403",
	"GET /enterprises/stats":                      "401 ok ok 403 403 403",
	"GET /enterprises/lists":                      "401 ok ok 403 403 403",
	"GET /enterprises/lists.xlsx":                 "401 ok ok 403 403 403",
	"GET /enterprises/checks":                     "401 ok ok 403 403 403",
	"GET /enterprises/{uscc}":                     "401 ok ok 403 403 403",
	"POST /enterprises/checks/{uscc}":             "401 ok ok 403 403 403",
	"GET /enterprises/imports":                    "401 ok ok 403 403 403",
	"POST /enterprises/imports":                   "401 ok ok 403 403 403",
	"GET /enterprises/imports/{id}":               "401 ok ok 403 403 403",
	"POST /enterprises/imports/{id}":              "401 ok ok 403 403 403",
	"POST /enterprises/imports/{id}/cancel":       "401 ok ok 403 403 403",
	"GET /enterprises/imports/{id}/status":        "401 ok ok 403 403 403",
	"GET /enterprises/imports/{id}/rejected.xlsx": "401 ok ok 403 403 403",

	"GET /healthz":                                            "ok ok ok ok ok ok",
	"GET /api/v1/openapi.yaml":                                "ok ok ok ok ok ok",
	"GET /api/v1/plan":                                        "ok ok ok ok ok ok",
	"GET /api/v1/plan/revisions":                              "ok ok ok ok ok ok",
	"GET /api/v1/indicators":                                  "ok ok ok ok ok ok",
	"GET /api/v1/indicators/{code}":                           "ok ok ok ok ok ok",
	"GET /api/v1/indicators/{code}/values":                    "ok ok ok ok ok ok",
	"POST /api/v1/indicators/{code}/values":                   "401 ok ok 403 403 403",
	"GET /api/v1/fields":                                      "ok ok ok ok ok ok",
	"GET /api/v1/fields/{code}":                               "ok ok ok ok ok ok",
	"GET /api/v1/tasks":                                       "ok ok ok ok ok ok",
	"GET /api/v1/tasks/{code}":                                "ok ok ok ok ok ok",
	"GET /api/v1/units":                                       "ok ok ok ok ok ok",
	"GET /api/v1/units/{code}":                                "ok ok ok ok ok ok",
	"GET /api/v1/me":                                          "401 ok ok ok ok ok",
	"GET /api/v1/units/{code}/progress":                       "401 ok ok ok ok 403",
	"POST /api/v1/progress":                                   "401 ok 403 403 ok ok",
	"GET /api/v1/enterprises":                                 "401 ok ok 403 403 403",
	"GET /api/v1/enterprises/counts":                          "401 ok ok 403 403 403",
	"GET /api/v1/enterprises/lists":                           "401 ok ok 403 403 403",
	"GET /api/v1/enterprises/{uscc}":                          "401 ok ok 403 403 403",
	"GET /api/v1/imports":                                     "401 ok ok 403 403 403",
	"GET /api/v1/projects":                                    "401 ok ok ok ok ok",
	"GET /api/v1/projects/counts":                             "ok ok ok ok ok ok",
	"GET /api/v1/projects/{code}":                             "401 ok ok ok ok ok",
	"POST /api/v1/projects":                                   "401 ok ok 403 403 403",
	"POST /api/v1/projects/{code}/events":                     "401 ok ok 403 403 403",
	"POST /api/v1/projects/{code}/events/{seq}/certification": "401 ok ok 403 403 403",
	"GET /api/v1/projects/flags":                              "401 ok ok ok ok ok",
	"POST /api/v1/projects/{code}/progress":                   "401 ok 403 403 ok ok",
	"POST /api/v1/projects/{code}/progress/{period}/return":   "401 ok ok 403 403 403",
	"POST /api/v1/projects/{code}/problems":                   "401 ok ok ok ok ok",
	"POST /api/v1/projects/{code}/problems/{id}":              "401 ok ok ok ok ok",
	"GET /api/v1/rounds/{period}":                             "401 ok ok ok ok ok",
	"POST /api/v1/rounds/{period}/publish":                    "401 ok ok 403 403 403",
	"GET /api/v1/attractions":                                 "401 ok ok ok ok ok",
	"POST /api/v1/attractions":                                "401 ok ok 403 403 403",
	"GET /api/v1/assess":                                      "401 ok ok ok ok ok",
	"POST /api/v1/assess":                                     "401 ok 403 403 403 403",
	"GET /api/v1/assess/{code}":                               "401 ok ok ok ok ok",
	"GET /api/v1/assess/{code}/preview":                       "401 ok ok ok ok ok",
	"POST /api/v1/assess/{code}/publish":                      "401 ok 403 403 403 403",
	"POST /api/v1/assess/{code}/runs":                         "401 ok 403 403 403 403",
	"POST /api/v1/assess/{code}/facts":                        "401 ok 403 403 403 403",
	"GET /api/v1/buildings":                                   "401 ok ok ok ok ok",
	"POST /api/v1/buildings":                                  "401 ok ok 403 403 403",
	"GET /api/v1/buildings/{code}":                            "401 ok ok ok ok ok",
	"GET /api/v1/buildings/{code}/visits":                     "401 ok ok ok ok ok",
	"POST /api/v1/buildings/{code}/visits":                    "401 ok ok 403 ok ok", // leaders do not file visits
	"GET /api/v1/supervise":                                   "401 ok ok ok ok ok",
	"POST /api/v1/supervise":                                  "401 ok 403 403 403 403",
	"GET /api/v1/supervise/inbox":                             "401 ok ok ok ok ok",
	"GET /api/v1/supervise/{id}":                              "401 ok ok ok ok ok",
	"POST /api/v1/supervise/{id}/acts":                        "401 ok ok ok ok ok",
}

// The units the matrix's reporters belong to: 白马镇 is "their" unit,
// 大泗镇 another.
const (
	ownUnit   = "321203101"
	otherUnit = "321203104"
)

// TestRouteAccessMatrix walks every route as every kind of user and checks
// each is let through or refused as the matrix says; refusals must be in
// the audit log.
func TestRouteAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("leader", auth.RoleLeader, "")
		env.addUser("baima", auth.RoleReporter, ownUnit)
		target := env.addUser("target", auth.RoleReporter, otherUnit)
		// Released F203 figures, so that every page has firm data to
		// hide: 甲 10亿 and 乙 5亿 in 白马镇, 丙 3亿 in 大泗镇.
		env.seedDirectory()
		env.seedReports()
		if _, err := env.dashboard.ReleasePeriod(t.Context(), audit.Actor{Name: "test"}, &auth.User{Username: "test", Role: auth.RoleAdmin}, 202509); err != nil {
			t.Fatal(err)
		}

		seen := map[string]bool{}
		for _, rt := range env.srv.routes {
			key := rt.Method + " " + rt.Pattern
			seen[key] = true
			want, ok := accessMatrix[key]
			if !ok {
				t.Errorf("route %s has no line in accessMatrix: say who may use it", key)
				continue
			}
			cols := strings.Fields(want)
			who := []string{"", "admin", "stat", "leader", "baima", "baima"}
			for i, user := range who {
				unit := ownUnit
				if i == 5 {
					unit = otherUnit
				}
				path := fillPath(rt.Pattern, unit, target.ID)
				r := req{method: rt.Method, path: path}
				if rt.Method == http.MethodPost {
					r.form = url.Values{}
					if rt.API {
						r.form, r.json = nil, "{}"
					}
				}
				if user != "" {
					r.cookie, r.csrf = env.session(user)
				} else if rt.Method == http.MethodPost {
					r.formCookie = strings.Repeat("f", 43)
					r.csrf = r.formCookie
				}
				before := len(env.auditEntries(audit.Filter{Outcome: audit.Denied}))
				res := env.do(r)
				name := []string{"anonymous", "admin", "statistician", "leader", "reporter", "reporter of another unit"}[i]
				refused := res.status == http.StatusUnauthorized || res.status == http.StatusForbidden
				if cc := res.header.Get("Cache-Control"); !strings.HasPrefix(rt.Pattern, "/static/") && cc != "no-store" {
					t.Errorf("%s %s as %s: Cache-Control %q, want no-store", rt.Method, path, name, cc)
				}
				if i != 1 && i != 2 && rt.Pattern != "/api/v1/openapi.yaml" { // anonymous, the leader and reporters may not see firms (the spec's examples are no one's)
					if leak := smallCell(res.body); leak != "" {
						t.Errorf("%s %s as %s shows %q, a figure of fewer than 3 firms", rt.Method, path, name, leak)
					}
				}
				switch cols[i] {
				case "pub":
				case "ok":
					if refused {
						t.Errorf("%s %s as %s: %d, want it let through", rt.Method, path, name, res.status)
					}
				default:
					if strconv.Itoa(res.status) != cols[i] {
						t.Errorf("%s %s as %s: %d, want %s", rt.Method, path, name, res.status, cols[i])
					} else if after := len(env.auditEntries(audit.Filter{Outcome: audit.Denied})); after != before+1 {
						t.Errorf("%s %s as %s: refused but %d audit entries written, want 1", rt.Method, path, name, after-before)
					}
				}
			}
		}
		for key := range accessMatrix {
			if !seen[key] {
				t.Errorf("accessMatrix names %s, which is not a route", key)
			}
		}
	})
}

// smallCell finds in a response a figure of seedReports built from fewer
// than 3 firms, or a firm's name or code; "" when there is none. The
// figures are those of 甲, 乙, 丙 and their sums in 亿元 (10, 5, 3, 15, 13,
// 8) with two decimals, in 万元 (100000.00 …) and the 25.0% growth of 甲,
// 乙 and 白马镇; the district's 18亿 and 50.0% are of 3 firms.
func smallCell(body string) string {
	for _, firm := range []string{"泰州甲科技", "泰州乙物流", "泰州丙旅行社", firmA, firmB, firmC} {
		if strings.Contains(body, firm) {
			return firm
		}
	}
	return smallFigure.FindString(body)
}

var smallFigure = regexp.MustCompile(`(?:^|[^0-9.,])(?:(?:10|5|3|15|13|8)\.00|(?:100000|50000|30000|150000|130000|80000)(?:\.00)?|25\.0%?)(?:[^0-9.]|$)`)

// fillPath puts real values in a route pattern's wildcards.
func fillPath(pattern, unit string, userID int64) string {
	p := strings.TrimSuffix(pattern, "{$}")
	switch {
	case strings.HasPrefix(p, "/indicators/"), strings.HasPrefix(p, "/api/v1/indicators/"):
		p = strings.Replace(p, "{code}", "SVC_VALUE_ADDED", 1)
	case strings.HasPrefix(p, "/fields/"), strings.HasPrefix(p, "/api/v1/fields/"):
		p = strings.Replace(p, "{code}", "sci-tech", 1)
	case strings.HasPrefix(p, "/api/v1/tasks/"):
		p = strings.Replace(p, "{code}", "sci-tech-1", 1)
	}
	return strings.NewReplacer("{uscc}", "91321291MA1MXXXXXX", "{code}", unit, "{unit}", unit, "{task}", "sci-tech-1", "{file...}", "app.css", "{file}", "app.css",
		"{id}", strconv.FormatInt(userID, 10), "{seq}", "1", "{period}", "2026-02").Replace(p)
}
