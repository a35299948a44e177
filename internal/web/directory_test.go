package web

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// Firms with correct check characters (see internal/uscc tests).
const (
	firmA = "91350100M000100Y43" // 甲: R&D, 白马镇, in the services register
	firmB = "91321203MA10012200" // 乙: multimodal transport, 白马镇, outside, revenue over the line
	firmC = "913212710747283018" // 丙: travel agency, 大泗镇, outside, revenue at 90% of the line
	firmD = "91321271MA1ME3WD3Q" // 丁: department store, 沿江街道, outside, no revenue
)

// seedDirectory imports four firms and revenue figures for two of them.
func (env *testEnv) seedDirectory() {
	env.t.Helper()
	ctx := env.t.Context()
	u := &auth.User{Username: "seed", Role: auth.RoleAdmin}
	actor := audit.Actor{Name: "seed", Addr: "local"}
	rows := csvRows(env.t, "统一社会信用代码,单位详细名称,行业代码,所在镇街,成立日期,纳统状态\n"+
		firmA+",泰州甲科技有限公司,7320,白马镇,2015-06-01,规上服务业\n"+
		firmB+",泰州乙物流有限公司,5810,白马镇,2020-03-05,未纳统\n"+
		firmC+",泰州丙旅行社有限公司,7291,大泗镇,2019-01-02,\n"+
		firmD+",泰州丁商贸有限公司,5211,沿江街道,,\n")
	res, err := env.registry.ImportEnterprises(ctx, actor, u, rows, table.File{Name: "名录.csv", SHA256: "x", Size: 1},
		registry.ImportOptions{Official: true})
	if err != nil || res.Import.New != 4 {
		env.t.Fatalf("seed firms: %v %+v %v", err, res.Import, res.Rejected)
	}
	rows = csvRows(env.t, "统一社会信用代码,期间,营业收入(万元),数据来源\n"+
		firmB+",2025,2500,税务\n"+
		firmC+",2025,900,税务\n")
	res, err = env.registry.ImportRevenue(ctx, actor, u, rows, table.File{Name: "收入.csv", SHA256: "y", Size: 1}, registry.ImportOptions{})
	if err != nil || res.Import.New != 2 {
		env.t.Fatalf("seed revenue: %v %+v %v", err, res.Import, res.Rejected)
	}
}

func csvRows(t testing.TB, text string) xlsx.RowReader {
	t.Helper()
	rows, _, err := xlsx.Open(strings.NewReader(text), int64(len(text)), "t.csv", xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestDirectoryPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, _ := env.session("stat")
		get := func(path string) response {
			t.Helper()
			res := env.do(req{method: http.MethodGet, path: path, cookie: cookie})
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, res.status, res.body)
			}
			return res
		}

		// Search by name and by field.
		body := get("/enterprises?q=" + url.QueryEscape("乙物流")).body
		if !strings.Contains(body, "泰州乙物流有限公司") || strings.Contains(body, "泰州甲科技有限公司") {
			t.Errorf("name search: want only 乙")
		}
		if !strings.Contains(body, "共 1 家") {
			t.Errorf("name search: count missing")
		}
		body = get("/enterprises?field=sci-tech").body
		if !strings.Contains(body, "泰州甲科技有限公司") || strings.Contains(body, "泰州乙物流有限公司") {
			t.Errorf("field filter sci-tech: want 甲 only")
		}
		body = get("/enterprises?register=none").body
		if strings.Contains(body, "泰州甲科技有限公司") || !strings.Contains(body, "泰州丁商贸有限公司") {
			t.Errorf("register filter none: want 乙丙丁")
		}
		if res := env.do(req{method: http.MethodGet, path: "/enterprises?industry=7a", cookie: cookie}); res.status != http.StatusBadRequest ||
			!strings.Contains(res.body, "行业代码“7a”应为2—4位数字") {
			t.Errorf("bad industry prefix: %d", res.status)
		}

		// The detail page shows the industry path and the assessment.
		body = html.UnescapeString(get("/enterprises/" + firmB).body)
		for _, want := range []string{"58 多式联运和运输代理业", "5810 多式联运", "白马镇", "应统未统", "2500"} {
			if !strings.Contains(body, want) {
				t.Errorf("detail of 乙: %q missing", want)
			}
		}

		// Counts by field and town, with drill-down links.
		body = html.UnescapeString(get("/enterprises/stats").body)
		if !strings.Contains(body, `href="/enterprises?field=sci-tech&status=active&unit=321203101">1</a>`) {
			t.Errorf("stats: no drill-down link for 科技服务 × 白马镇")
		}
		if !strings.Contains(body, `<td class="num total"><a href="/enterprises?status=active">4</a>`) {
			t.Errorf("stats: grand total should be 4")
		}
		body = html.UnescapeString(get("/enterprises/stats?register=services").body)
		if !strings.Contains(body, `<td class="num total"><a href="/enterprises?register=services&status=active">1</a>`) {
			t.Errorf("stats of the services register: total should be 1")
		}

		// The two lists, with reasons.
		body = html.UnescapeString(get("/enterprises/lists?list=unlisted").body)
		if !strings.Contains(body, "泰州乙物流有限公司") || strings.Contains(body, "泰州丙旅行社有限公司") {
			t.Errorf("应统未统: want 乙 only")
		}
		body = html.UnescapeString(get("/enterprises/lists?list=pool").body)
		if !strings.Contains(body, "泰州丙旅行社有限公司") || !strings.Contains(body, "90%") {
			t.Errorf("培育库: want 丙 at 90%%")
		}

		// Exports are .xlsx, audited, and hold the filtered firms.
		res := get("/enterprises.xlsx?register=none")
		if ct := res.header.Get("Content-Type"); ct != xlsxContentType {
			t.Errorf("export content type %q", ct)
		}
		got := readXLSX(t, res.body)
		if len(got) != 4 || got[0][0] != "统一社会信用代码" || got[1][0] != firmB && got[1][0] != firmC && got[1][0] != firmD {
			t.Errorf("export rows: %v", got)
		}
		if e := env.lastAudit(audit.Filter{Action: "export.enterprises"}); e.Actor.Name != "stat" {
			t.Errorf("export not audited: %+v", e)
		}
		got = readXLSX(t, get("/enterprises/lists.xlsx?list=pool").body)
		if len(got) != 2 || got[1][0] != firmC || got[1][13] != "900" || got[1][14] != "90" {
			t.Errorf("pool export: %v", got)
		}

		// The API gives the same firms.
		var page apiFirmPage
		if err := json.Unmarshal([]byte(get("/api/v1/enterprises?register=none&per_page=2").body), &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != 3 || len(page.Items) != 2 || page.Items[0].USCC != firmB {
			t.Errorf("api page: %+v", page)
		}
		// A page size above the most is lowered, and the answer says so;
		// page numbers no list has are refused.
		if err := json.Unmarshal([]byte(get("/api/v1/enterprises?per_page=1000").body), &page); err != nil || page.PerPage != registry.MaxLimit || page.Page != 1 {
			t.Errorf("per_page=1000: %v %+v", err, page)
		}
		for _, q := range []string{"page=0", "page=200001", "page=99999999999999999999", "page=二", "per_page=0", "per_page=-5", "per_page=x"} {
			for _, list := range []string{"/api/v1/enterprises?", "/api/v1/projects?"} {
				res := env.do(req{method: http.MethodGet, path: list + q, cookie: cookie})
				if res.status != http.StatusBadRequest || !strings.Contains(res.body, "应为") {
					t.Errorf("%s%s: %d %s", list, q, res.status, res.body)
				}
			}
		}
		// Search words and queries are bounded with a reason, not a 500
		// from the database's LIKE.
		for _, tt := range []struct{ path, want string }{
			{"/enterprises?q=" + strings.Repeat("泰", 101), "搜索词不能超过100个字"},
			{"/api/v1/enterprises?q=" + strings.Repeat("a", 101), "搜索词不能超过100个字"},
			{"/projects?q=" + strings.Repeat("泰", 101), "搜索词不能超过100个字"},
			{"/enterprises?q=" + strings.Repeat("%25", 40_000), "查询条件过长"},
			{"/api/v1/enterprises?q=" + strings.Repeat("a", 100_000), "查询条件过长"},
			{"/dashboard?unit=" + strings.Repeat("1", 5000), "查询条件过长"},
		} {
			res := env.do(req{method: http.MethodGet, path: tt.path, cookie: cookie})
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, tt.want) {
				t.Errorf("%.40s…: %d %.300s", tt.path, res.status, res.body)
			}
		}
		if res := env.do(req{method: http.MethodGet, path: "/enterprises?q=" + strings.Repeat("泰", 100), cookie: cookie}); res.status != http.StatusOK {
			t.Errorf("a search word of 100 characters: %d", res.status)
		}
		if res := env.do(req{method: http.MethodGet, path: "/enterprises?page=99999999999", cookie: cookie}); res.status != http.StatusOK {
			t.Errorf("a list page far past the end: %d", res.status)
		}
	})
}

// readXLSX reads an .xlsx body back as rows.
func readXLSX(t *testing.T, body string) [][]string {
	t.Helper()
	rows, _, err := xlsx.Open(strings.NewReader(body), int64(len(body)), "export.xlsx", xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]string
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]string(nil), cells...))
	}
}

// TestDirectoryScope: a town's statistician sees only its firms.
func TestDirectoryScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		env.addUser("town", auth.RoleStatistician, ownUnit) // 白马镇
		cookie, _ := env.session("town")
		res := env.do(req{method: http.MethodGet, path: "/enterprises", cookie: cookie})
		if !strings.Contains(res.body, "泰州甲科技有限公司") || strings.Contains(res.body, "泰州丙旅行社有限公司") {
			t.Errorf("town list: want only 白马镇's firms")
		}
		if res := env.do(req{method: http.MethodGet, path: "/enterprises/" + firmC, cookie: cookie}); res.status != http.StatusForbidden {
			t.Errorf("another town's firm: %d, want 403", res.status)
		}
		if res := env.do(req{method: http.MethodGet, path: "/api/v1/enterprises/" + firmC, cookie: cookie}); res.status != http.StatusForbidden {
			t.Errorf("another town's firm by API: %d, want 403", res.status)
		}
	})
}

// upload posts a file to the import form as a browser would.
func (env *testEnv) upload(cookie, csrf, name string, content []byte, fields map[string]string) response {
	env.t.Helper()
	return env.uploadTo("/enterprises/imports", cookie, csrf, name, content, fields)
}

// uploadTo posts a file to an upload form at path.
func (env *testEnv) uploadTo(path, cookie, csrf, name string, content []byte, fields map[string]string) response {
	env.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	if csrf != "" {
		path += "?csrf_token=" + url.QueryEscape(csrf)
	}
	r := httptest.NewRequest(http.MethodPost, path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.RemoteAddr = "192.0.2.1:5555"
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, r)
	return response{rec.Code, rec.Result().Header, rec.Body.String()}
}

var colSelect = regexp.MustCompile(`<select name="col_([a-z_]+)">.*?</select>`)

func TestImportUploadFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, csrf := env.session("stat")
		file := []byte("企业名称,信用代码,行业代码,镇街\n" +
			"泰州甲科技有限公司," + firmA + ",7320,白马镇\n" +
			"泰州乙物流有限公司," + firmB + ",5810,白马镇\n" +
			"坏行," + firmA[:17] + "X,9999,火星镇\n")
		fields := map[string]string{"kind": "enterprises", "source": "official", "mode": "valid"}

		// Without the CSRF token in the URL, nothing is stored.
		if res := env.upload(cookie, "", "名录.csv", file, fields); res.status != http.StatusForbidden {
			t.Fatalf("upload without CSRF: %d", res.status)
		}
		res := env.upload(cookie, csrf, "名录.csv", file, fields)
		if res.status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.status, res.body)
		}
		page := res.header.Get("Location")
		res = env.do(req{method: http.MethodGet, path: page, cookie: cookie})
		body := html.UnescapeString(res.body)
		if !strings.Contains(body, "表头在第1行") || !strings.Contains(body, "泰州乙物流有限公司") {
			t.Fatalf("mapping page: %s", body)
		}
		// The detected mapping is preselected.
		chosen := map[string]string{}
		for _, m := range colSelect.FindAllStringSubmatch(body, -1) {
			if sel := regexp.MustCompile(`<option value="(\d+)" selected>`).FindStringSubmatch(m[0]); sel != nil {
				chosen[m[1]] = sel[1]
			}
		}
		if chosen["uscc"] != "1" || chosen["name"] != "0" || chosen["industry"] != "2" || chosen["unit"] != "3" {
			t.Errorf("detected mapping: %v", chosen)
		}
		// The user may not map one column twice.
		form := url.Values{"col_uscc": {"1"}, "col_name": {"1"}}
		if res := env.do(req{method: http.MethodPost, path: page, cookie: cookie, csrf: csrf, form: form}); res.status != http.StatusBadRequest ||
			!strings.Contains(res.body, "不能同时作为") {
			t.Errorf("double mapping: %d", res.status)
		}
		form = url.Values{}
		for col, i := range chosen {
			form.Set("col_"+col, i)
		}
		if res := env.do(req{method: http.MethodPost, path: page, cookie: cookie, csrf: csrf, form: form}); res.status != http.StatusSeeOther {
			t.Fatalf("start: %d %s", res.status, res.body)
		}
		var state string
		for range 200 {
			var st struct {
				State string `json:"state"`
			}
			json.Unmarshal([]byte(env.do(req{method: http.MethodGet, path: page + "/status", cookie: cookie}).body), &st)
			if state = st.State; state == uploadDone {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if state != uploadDone {
			t.Fatalf("import did not finish: %s", state)
		}
		body = html.UnescapeString(env.do(req{method: http.MethodGet, path: page, cookie: cookie}).body)
		if !strings.Contains(body, "读取3行:新增2,变更0,无变化0,拒绝1") || !strings.Contains(body, "第4行") {
			t.Errorf("result page: %s", body)
		}
		rej := readXLSX(t, env.do(req{method: http.MethodGet, path: page + "/rejected.xlsx", cookie: cookie}).body)
		if len(rej) != 2 || rej[0][0] != "行号" || rej[1][0] != "4" || !strings.Contains(rej[1][1], "“9999”不是GB/T 4754-2017(也不是2011)的行业小类代码") || rej[1][2] != "坏行" {
			t.Errorf("rejected rows: %v", rej)
		}
		if _, err := env.registry.Find(t.Context(), &auth.User{Role: auth.RoleAdmin}, firmB); err != nil {
			t.Errorf("乙 not imported: %v", err)
		}
		// Another user cannot see the upload.
		env.addUser("other", auth.RoleStatistician, "")
		c2, _ := env.session("other")
		if res := env.do(req{method: http.MethodGet, path: page, cookie: c2}); res.status != http.StatusNotFound {
			t.Errorf("someone else's upload: %d, want 404", res.status)
		}
	})
}

func TestImportUploadRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, csrf := env.session("stat")
		fields := map[string]string{"kind": "enterprises", "source": "official", "mode": "all"}
		for _, c := range []struct {
			name, content, want string
		}{
			{"名录.xlsx", "这不是Excel文件,只是改了扩展名", "不是有效的Excel文件"},
			{"名录.xlsx", "PK\x03\x04truncated", "不是有效的Excel文件"},
			{"名录.csv", "名称,地址\n甲,乙\n", "没有找到表头"},
			{"名录.csv", "", "请选择要上传的文件"},
		} {
			res := env.upload(cookie, csrf, c.name, []byte(c.content), fields)
			if res.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(res.body), c.want) {
				t.Errorf("%s %q: %d, want 400 with %q", c.name, c.content, res.status, c.want)
			}
		}
		// A body over the limit is refused before it is read.
		r := httptest.NewRequest(http.MethodPost, "/enterprises/imports?csrf_token="+url.QueryEscape(csrf), strings.NewReader("x"))
		r.ContentLength = 2 << 30
		r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		rec := httptest.NewRecorder()
		env.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "最多接受") {
			t.Errorf("2 GB upload: %d %s", rec.Code, rec.Body.String())
		}
		// Nothing reached the directory.
		if n, err := env.registry.Counts(t.Context(), &auth.User{Role: auth.RoleAdmin}, registry.Filter{}); err != nil || len(n) != 0 {
			t.Errorf("directory changed: %v %v", n, err)
		}
	})
}
