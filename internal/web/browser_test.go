package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"svcplan/internal/store/storetest"
	"svcplan/internal/web/browsertest"
)

// TestBrowserPlanPages opens the plan in a real browser as a reader would:
// the overview shows the plan's title and its headline targets; following
// an indicator leads to its source sentence, and 查看原文 to the paragraph
// of the original text.
func TestBrowserPlanPages(t *testing.T) {
	ctx := browsertest.New(t)
	db := storetest.MustOpen(t, storetest.SQLiteDSN(t))
	srv := httptest.NewServer(newTestServer(t, db).Handler())
	defer srv.Close()

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if h1 := text("h1"); h1 != "泰州医药高新区(高港区)加快推动现代服务业高质量发展的实施方案(2025-2027年)" {
		t.Errorf("overview h1 = %q", h1)
	}
	goal := text("#goal-G1")
	for _, want := range []string{"扩大总量规模", "服务业增加值", ">680", "规模以上服务业企业总数", ">1500"} {
		if !strings.Contains(goal, want) {
			t.Errorf("goal 二(一) does not show %q; it shows:\n%s", want, goal)
		}
	}
	// The stylesheet loaded (CSP allows it): the header bar is coloured.
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("header.top")).backgroundColor`))
	if err != nil || bg != "rgb(27, 79, 143)" {
		t.Errorf("header background = %q (%v): stylesheet not applied", bg, err)
	}
	browsertest.Screenshot(t, ctx, "plan")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#goal-G1 a[href="/indicators/SVC_VALUE_ADDED"]`)),
		chromedp.WaitVisible(chromedp.CSS("blockquote.source"))); err != nil {
		t.Fatal(err)
	}
	if h1 := text("h1"); h1 != "服务业增加值" {
		t.Errorf("indicator h1 = %q", h1)
	}
	if q := text("blockquote.source p"); !strings.Contains(q, "服务业增加值力争突破680亿元") {
		t.Errorf("source sentence = %q", q)
	}
	browsertest.Screenshot(t, ctx, "indicator")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.source-link")),
		chromedp.WaitVisible(chromedp.CSS("article.original"))); err != nil {
		t.Fatal(err)
	}
	if p := text("p:target"); !strings.HasPrefix(p, "(一)扩大总量规模。") {
		t.Errorf("original text opened at %q, want the paragraph of 二(一)", p)
	}

	for _, page := range []struct{ path, name string }{
		{"/fields/sci-tech", "field"}, {"/units/development-reform", "unit"}, {"/indicators", "indicators"}, {"/units", "units"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page.path)); err != nil {
			t.Fatal(err)
		}
		// Nothing on an office screen may be wider than the window.
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || w > browsertest.Width {
			t.Errorf("%s is %d px wide (%v), wider than a %d px screen", page.path, w, err, browsertest.Width)
		}
		browsertest.Screenshot(t, ctx, page.name)
	}
}
