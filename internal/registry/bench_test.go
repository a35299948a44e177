package registry_test

import (
	"bytes"
	"testing"

	"svcplan/internal/registry"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
	"svcplan/internal/xlsx/xlsxtest"
)

// benchRows is the size of the benchmarks' list; SVCPLAN_BENCH_ROWS
// changes it (bench/import.sh runs 400,000).
func benchRows(b *testing.B) int { return storetest.BenchSize(b, "SVCPLAN_BENCH_ROWS", 20_000) }

// BenchmarkImportEnterprises imports a generated list into an empty
// directory, from CSV and from XLSX, on each engine; rows/s is the figure
// the goals speak of.
func BenchmarkImportEnterprises(b *testing.B) {
	n := benchRows(b)
	var csvFile, xlsxFile bytes.Buffer
	if err := xlsxtest.WriteEnterprisesCSV(&csvFile, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := xlsxtest.WriteEnterprisesXLSX(&xlsxFile, n, 1); err != nil {
		b.Fatal(err)
	}
	for _, eng := range storetest.Engines {
		for _, file := range []struct {
			name string
			data []byte
		}{{"csv", csvFile.Bytes()}, {"xlsx", xlsxFile.Bytes()}} {
			b.Run(eng.Name+"/"+file.name, func(b *testing.B) {
				b.StopTimer()
				for range b.N {
					db := storetest.MustOpen(b, eng.DSN(b))
					e := newEnv(b, db)
					rows, _, err := xlsx.Open(bytes.NewReader(file.data), int64(len(file.data)), "名录."+file.name, xlsx.Options{})
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					res, err := e.svc.ImportEnterprises(b.Context(), e.actor, e.admin, rows, table.File{Name: "名录", SHA256: "x"},
						registry.ImportOptions{Official: true, Mode: table.ValidRows})
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					rows.Close()
					if res.Import.New+res.Import.Rejected != n {
						b.Fatalf("imported %+v", res.Import)
					}
					db.Close()
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
