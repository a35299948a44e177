package web

import (
	"net/http"

	"svcplan/internal/auth"
	"svcplan/internal/evidence"
)

// route is one entry of the route table. Every page and endpoint is listed
// here with the permission it needs, so tests can walk them all; a route
// without a permission stops the server from starting.
type route struct {
	Method  string
	Pattern string // net/http ServeMux pattern, without the method
	API     bool   // JSON (errors as JSON) rather than HTML
	Perm    auth.Perm
	// UnitParam names the path value holding the unit the request is about;
	// the unit must lie in the user's data scope.
	UnitParam string
	// MaxBody bounds the request body; 0 means maxBodyBytes.
	MaxBody int64
	h       handlerFunc
}

func (s *Server) routeTable() []route {
	page := func(method, pattern string, perm auth.Perm, h handlerFunc) route {
		return route{Method: method, Pattern: pattern, Perm: perm, h: h}
	}
	api := func(method, pattern string, perm auth.Perm, h handlerFunc) route {
		return route{Method: method, Pattern: pattern, API: true, Perm: perm, h: h}
	}
	unit := func(rt route) route { rt.UnitParam = "code"; return rt }
	upload := func(rt route) route { rt.MaxBody = maxUploadBytes + 1<<20; return rt } // the file and the form around it
	// evidence: up to ten evidence files and the form around them.
	evidence := func(rt route) route { rt.MaxBody = 10*evidence.MaxBytes + 1<<20; return rt }
	const (
		get  = http.MethodGet
		post = http.MethodPost
	)
	public, signedIn := auth.PermPublic, auth.PermSignedIn
	return []route{
		// The published plan: public.
		page(get, "/{$}", public, s.home),
		page(get, "/plan", public, s.planOverview),
		page(get, "/indicators", public, s.indicatorList),
		page(get, "/indicators/{code}", public, s.indicatorShow),
		page(post, "/indicators/{code}/values", auth.PermValuesEnter, s.valueSave),
		page(post, "/indicators/{code}/values/status", auth.PermValuesReview, s.valueTransition),
		page(get, "/fields", public, s.fieldList),
		page(get, "/fields/{code}", public, s.fieldShow),
		page(get, "/actions", public, s.actionList),
		page(get, "/units", public, s.unitList),
		page(get, "/units/{code}", public, s.unitShow),
		page(get, "/plan/text", public, s.planText),
		page(get, "/static/{file...}", public, s.serveStatic),

		// Signing in and one's own account.
		page(get, "/login", public, s.loginForm),
		page(post, "/login", public, s.loginSubmit),
		page(post, "/logout", signedIn, s.logout),
		page(get, "/setup", public, s.setupForm),
		page(post, "/setup", public, s.setupSubmit),
		page(get, "/account", signedIn, s.accountShow),
		page(get, "/account/password", signedIn, s.passwordForm),
		page(post, "/account/password", signedIn, s.passwordSubmit),
		page(post, "/account/logout-all", signedIn, s.logoutEverywhere),
		page(post, "/account/tokens", signedIn, s.tokenCreate),
		page(post, "/account/tokens/{id}/revoke", signedIn, s.tokenRevoke),

		// The dashboard: published aggregates for everyone, more for the
		// staff (unpublished figures) and for those who may see firms.
		page(get, "/dashboard", public, s.dashboardShow),
		page(get, "/dashboard.xlsx", public, s.dashboardExport),
		page(post, "/dashboard/release", auth.PermValuesPublish, s.dashboardRelease),
		page(get, "/warnings", signedIn, s.warnings),

		// The major-project ledger: read within each user's data scope,
		// kept by statisticians and administrators.
		page(get, "/projects", auth.PermProgressRead, s.projectList),
		page(get, "/projects/rounds", auth.PermProgressRead, s.projectRound),
		page(get, "/projects/rounds.xlsx", auth.PermProgressRead, s.roundExport),
		page(post, "/projects/rounds", auth.PermProjectEdit, s.roundPublish),
		page(get, "/projects/attraction", auth.PermProgressRead, s.attractionShow),
		page(post, "/projects/attraction", auth.PermProjectEdit, s.attractionRecord),
		page(get, "/projects/import", auth.PermProjectEdit, s.projectImportForm),
		// The assessment (目标管理考核).
		page(get, "/assess", auth.PermProgressRead, s.assessList),
		page(post, "/assess", auth.PermAssessManage, s.assessSave),
		upload(page(post, "/assess/sheet", auth.PermAssessManage, s.assessSheetUpload)),
		page(get, "/assess/{code}", auth.PermProgressRead, s.assessShow),
		page(post, "/assess/{code}/publish", auth.PermAssessManage, s.assessPublish),
		page(post, "/assess/{code}/runs", auth.PermAssessManage, s.assessScore),
		page(get, "/assess/{code}/sheet.xlsx", auth.PermProgressRead, s.assessExport),
		page(get, "/assess/{code}/scheme.yaml", auth.PermProgressRead, s.assessSchemeFile),
		page(get, "/assess/{code}/scheme.xlsx", auth.PermProgressRead, s.assessSchemeXLSX),
		page(get, "/assess/{code}/units/{unit}", auth.PermProgressRead, s.assessCard),
		page(post, "/assess/{code}/units/{unit}/facts", auth.PermAssessManage, s.assessFact),
		// 楼宇经济: building totals for every signed-in role; tenants and
		// single firms' tax only for roles that may see firms.
		page(get, "/buildings", auth.PermProgressRead, s.buildingsList),
		page(post, "/buildings", auth.PermBuildingEdit, s.buildingCreate),
		upload(page(post, "/buildings/tax", auth.PermBuildingEdit, s.buildingTaxUpload)),
		page(get, "/buildings/{code}", auth.PermProgressRead, s.buildingShow),
		page(post, "/buildings/{code}", auth.PermBuildingEdit, s.buildingUpdate),
		upload(page(post, "/buildings/{code}/space", auth.PermBuildingEdit, s.buildingSpaceUpload)),
		page(get, "/buildings/sweep.xlsx", auth.PermProgressRead, s.buildingSweepSheet),
		page(get, "/buildings.xlsx", auth.PermProgressRead, s.buildingsExport),
		page(get, "/buildings/ranking", auth.PermProgressRead, s.buildingsRanking),
		page(get, "/buildings/{code}/visit", auth.PermProgressRead, s.buildingVisitForm),
		evidence(page(post, "/buildings/{code}/visits", auth.PermProgressRead, s.buildingVisitFile)),
		page(post, "/buildings/{code}/visits/{id}/decision", auth.PermBuildingEdit, s.buildingVisitDecide),
		page(get, "/buildings/visits/files/{file}", auth.PermProgressRead, s.buildingVisitPhoto),
		// 督查督办.
		page(get, "/supervise", auth.PermProgressRead, s.superviseBoard),
		page(post, "/supervise", auth.PermSuperviseManage, s.superviseAssign),
		page(get, "/supervise/inbox", auth.PermProgressRead, s.superviseInbox),
		page(get, "/supervise/digest.xlsx", auth.PermProgressRead, s.superviseDigest),
		page(get, "/supervise/{id}", auth.PermProgressRead, s.superviseItem),
		evidence(page(post, "/supervise/{id}/acts", auth.PermProgressRead, s.superviseAct)),
		page(get, "/supervise/{id}/files/{file}", auth.PermProgressRead, s.superviseEvidence),
		upload(page(post, "/projects/import", auth.PermProjectEdit, s.projectImport)),
		page(get, "/projects/new", auth.PermProjectEdit, s.projectNewForm),
		page(post, "/projects/new", auth.PermProjectEdit, s.projectCreate),
		page(get, "/projects/{code}", auth.PermProgressRead, s.projectShow),
		page(get, "/projects/{code}/edit", auth.PermProjectEdit, s.projectEditForm),
		page(post, "/projects/{code}/edit", auth.PermProjectEdit, s.projectUpdate),
		page(post, "/projects/{code}/events", auth.PermProjectEdit, s.projectEvent),
		page(post, "/projects/{code}/events/{seq}/certify", auth.PermProjectEdit, s.projectCertify),
		page(post, "/projects/{code}/progress", auth.PermProgressWrite, s.progressFile),
		page(post, "/projects/{code}/problems", auth.PermProgressRead, s.problemRaise),
		page(post, "/projects/{code}/problems/{id}", auth.PermProgressRead, s.problemUpdate),
		page(post, "/projects/{code}/progress/{period}/return", auth.PermProjectEdit, s.progressReturn),

		// Task progress, within each user's data scope.
		page(get, "/progress", auth.PermProgressRead, s.progressSummary),
		unit(page(get, "/units/{code}/progress", auth.PermProgressRead, s.unitProgress)),
		unit(page(post, "/units/{code}/progress", auth.PermProgressWrite, s.unitProgressSubmit)),
		unit(page(get, "/units/{code}/progress/{task}", auth.PermProgressRead, s.progressHistory)),

		// The enterprise directory: firm-level data, within each user's
		// data scope (统计法: individual firms' data stay confidential).
		page(get, "/enterprises", auth.PermFirmRead, s.enterpriseList),
		page(get, "/enterprises.xlsx", auth.PermFirmRead, s.enterpriseExport),
		page(get, "/enterprises/stats", auth.PermFirmRead, s.enterpriseStats),
		page(get, "/enterprises/lists", auth.PermFirmRead, s.enterpriseLists),
		page(get, "/enterprises/lists.xlsx", auth.PermFirmRead, s.enterpriseListsExport),
		page(get, "/enterprises/checks", auth.PermFirmRead, s.enterpriseChecks),
		page(get, "/enterprises/{uscc}", auth.PermFirmRead, s.enterpriseShow),
		page(post, "/enterprises/checks/{uscc}", auth.PermDirectoryImport, s.confirmIndustry),
		page(get, "/enterprises/imports", auth.PermDirectoryImport, s.importsList),
		upload(page(post, "/enterprises/imports", auth.PermDirectoryImport, s.importUpload)),
		page(get, "/enterprises/imports/{id}", auth.PermDirectoryImport, s.importShow),
		page(post, "/enterprises/imports/{id}", auth.PermDirectoryImport, s.importRun),
		page(post, "/enterprises/imports/{id}/cancel", auth.PermDirectoryImport, s.importCancel),
		page(get, "/enterprises/imports/{id}/status", auth.PermDirectoryImport, s.importStatus),
		page(get, "/enterprises/imports/{id}/rejected.xlsx", auth.PermDirectoryImport, s.importRejects),

		// Administration.
		page(get, "/admin/users", auth.PermUsersManage, s.userList),
		page(get, "/admin/users/new", auth.PermUsersManage, s.userNewForm),
		page(post, "/admin/users/new", auth.PermUsersManage, s.userCreate),
		page(get, "/admin/users/{id}", auth.PermUsersManage, s.userEditForm),
		page(post, "/admin/users/{id}", auth.PermUsersManage, s.userUpdate),
		page(post, "/admin/users/{id}/reset-password", auth.PermUsersManage, s.userResetPassword),
		page(post, "/admin/users/{id}/unlock", auth.PermUsersManage, s.userUnlock),
		page(post, "/admin/users/{id}/revoke-sessions", auth.PermUsersManage, s.userRevokeSessions),
		page(get, "/admin/rules", auth.PermValuesPublish, s.rulesShow),
		page(post, "/admin/rules", auth.PermValuesPublish, s.rulesSave),
		page(post, "/admin/rules/projects", auth.PermValuesPublish, s.projectRulesSave),
		page(post, "/admin/rules/supervise", auth.PermSuperviseManage, s.superviseRulesSave),
		page(post, "/admin/rules/buildings", auth.PermValuesPublish, s.buildingRulesSave),
		page(get, "/admin/audit", auth.PermAuditRead, s.auditList),
		page(get, "/admin/audit.csv", auth.PermAuditRead, s.auditExport),

		// JSON API.
		api(get, "/healthz", public, s.healthz),
		api(get, "/api/v1/openapi.yaml", public, s.apiOpenAPI),
		api(get, "/api/v1/plan", public, s.apiPlan),
		api(get, "/api/v1/plan/revisions", public, s.apiPlanRevisions),
		api(get, "/api/v1/indicators", public, s.apiIndicators),
		api(get, "/api/v1/indicators/{code}", public, s.apiIndicator),
		api(get, "/api/v1/indicators/{code}/values", public, s.apiValues),
		api(post, "/api/v1/indicators/{code}/values", auth.PermValuesEnter, s.apiValueSave),
		api(get, "/api/v1/fields", public, s.apiFields),
		api(get, "/api/v1/fields/{code}", public, s.apiField),
		api(get, "/api/v1/tasks", public, s.apiTasks),
		api(get, "/api/v1/tasks/{code}", public, s.apiTask),
		api(get, "/api/v1/units", public, s.apiUnits),
		api(get, "/api/v1/units/{code}", public, s.apiUnit),
		api(get, "/api/v1/me", signedIn, s.apiMe),
		unit(api(get, "/api/v1/units/{code}/progress", auth.PermProgressRead, s.apiUnitProgress)),
		api(post, "/api/v1/progress", auth.PermProgressWrite, s.apiProgressSubmit),
		api(get, "/api/v1/enterprises", auth.PermFirmRead, s.apiEnterprises),
		api(get, "/api/v1/enterprises/counts", auth.PermFirmRead, s.apiEnterpriseCounts),
		api(get, "/api/v1/enterprises/lists", auth.PermFirmRead, s.apiEnterpriseLists),
		api(get, "/api/v1/enterprises/{uscc}", auth.PermFirmRead, s.apiEnterprise),
		api(get, "/api/v1/imports", auth.PermDirectoryImport, s.apiImports),
		api(get, "/api/v1/projects", auth.PermProgressRead, s.apiProjects),
		api(get, "/api/v1/projects/counts", public, s.apiProjectCounts),
		api(get, "/api/v1/projects/{code}", auth.PermProgressRead, s.apiProject),
		api(post, "/api/v1/projects", auth.PermProjectEdit, s.apiProjectCreate),
		api(post, "/api/v1/projects/{code}/events", auth.PermProjectEdit, s.apiProjectEvent),
		api(post, "/api/v1/projects/{code}/events/{seq}/certification", auth.PermProjectEdit, s.apiProjectCertify),
		api(get, "/api/v1/projects/flags", auth.PermProgressRead, s.apiProjectFlags),
		api(post, "/api/v1/projects/{code}/progress", auth.PermProgressWrite, s.apiProgressFile),
		api(post, "/api/v1/projects/{code}/progress/{period}/return", auth.PermProjectEdit, s.apiProgressReturn),
		api(post, "/api/v1/projects/{code}/problems", auth.PermProgressRead, s.apiProblemRaise),
		api(post, "/api/v1/projects/{code}/problems/{id}", auth.PermProgressRead, s.apiProblemUpdate),
		api(get, "/api/v1/rounds/{period}", auth.PermProgressRead, s.apiRound),
		api(post, "/api/v1/rounds/{period}/publish", auth.PermProjectEdit, s.apiRoundPublish),
		api(get, "/api/v1/attractions", auth.PermProgressRead, s.apiAttractions),
		api(post, "/api/v1/attractions", auth.PermProjectEdit, s.apiAttractionRecord),
		api(get, "/api/v1/assess", auth.PermProgressRead, s.apiAssessList),
		api(post, "/api/v1/assess", auth.PermAssessManage, s.apiAssessSave),
		api(get, "/api/v1/assess/{code}", auth.PermProgressRead, s.apiAssess),
		api(get, "/api/v1/assess/{code}/preview", auth.PermProgressRead, s.apiAssessPreview),
		api(post, "/api/v1/assess/{code}/publish", auth.PermAssessManage, s.apiAssessPublish),
		api(post, "/api/v1/assess/{code}/runs", auth.PermAssessManage, s.apiAssessScore),
		api(post, "/api/v1/assess/{code}/facts", auth.PermAssessManage, s.apiAssessFact),
		api(get, "/api/v1/buildings", auth.PermProgressRead, s.apiBuildings),
		api(post, "/api/v1/buildings", auth.PermBuildingEdit, s.apiBuildingSave),
		api(get, "/api/v1/buildings/{code}", auth.PermProgressRead, s.apiBuilding),
		api(get, "/api/v1/buildings/{code}/visits", auth.PermProgressRead, s.apiBuildingVisits),
		api(post, "/api/v1/buildings/{code}/visits", auth.PermProgressRead, s.apiBuildingVisitFile),
		api(get, "/api/v1/supervise", auth.PermProgressRead, s.apiSuperviseBoard),
		api(post, "/api/v1/supervise", auth.PermSuperviseManage, s.apiSuperviseAssign),
		api(get, "/api/v1/supervise/inbox", auth.PermProgressRead, s.apiSuperviseInbox),
		api(get, "/api/v1/supervise/{id}", auth.PermProgressRead, s.apiSuperviseItem),
		api(post, "/api/v1/supervise/{id}/acts", auth.PermProgressRead, s.apiSuperviseAct),
	}
}
