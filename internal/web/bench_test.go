package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"svcplan/internal/store/storetest"
)

// BenchmarkPages measures rendering the heaviest pages from the cached
// active plan (the database is read once, at the first request).
func BenchmarkPages(b *testing.B) {
	for _, path := range []string{"/", "/indicators", "/fields/sci-tech", "/units/development-reform", "/api/v1/plan"} {
		b.Run(path, func(b *testing.B) {
			db := storetest.MustOpen(b, storetest.SQLiteDSN(b))
			h := newTestServer(b, db).Handler()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
