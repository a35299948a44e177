package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"svcplan/internal/auth"
	"svcplan/internal/buildings/buildingstest"
	"svcplan/internal/store"
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

// BenchmarkBuildingsList serves the building list to 50 concurrent
// clients over a city of buildings (SVCPLAN_BENCH_FIRMS firms, 20,000 by
// default, the city 400,000: 2,000 buildings, 300,000 occupancies, two
// months of tax) and reports the latency's p50 and p99 and the errors.
func BenchmarkBuildingsList(b *testing.B) {
	n := storetest.BenchSize(b, "SVCPLAN_BENCH_FIRMS", 20_000)
	db := storetest.MustOpen(b, storetest.SQLiteDSN(b))
	env := newTestEnv(b, db, true)
	if _, err := buildingstest.SeedCity(b.Context(), store.NewBuildingStore(db), n, 2, testStart); err != nil {
		b.Fatal(err)
	}
	env.addUser("stat", auth.RoleStatistician, "")
	cookie, _ := env.session("stat")
	get := func(path string) int {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		rec := httptest.NewRecorder()
		env.h.ServeHTTP(rec, r)
		return rec.Code
	}
	if code := get("/buildings"); code != http.StatusOK { // the board is worked out once
		b.Fatalf("/buildings: %d", code)
	}
	var mu sync.Mutex
	var took []time.Duration
	var errs atomic.Int64
	b.SetParallelism(25) // 50 clients on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		i := 0
		for pb.Next() {
			i++
			path := "/buildings"
			if i%3 == 0 {
				path = "/buildings?page=" + strconv.Itoa(1+i%40)
			}
			start := time.Now()
			if get(path) != http.StatusOK {
				errs.Add(1)
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		took = append(took, mine...)
		mu.Unlock()
	})
	slices.Sort(took)
	if len(took) > 0 {
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(float64(errs.Load()), "errors")
}
