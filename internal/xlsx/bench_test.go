package xlsx_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/xuri/excelize/v2"

	"svcplan/internal/xlsx"
	"svcplan/internal/xlsx/xlsxtest"
)

// benchSizes are the row counts read by the benchmarks: the peak heap of
// the large file should be close to that of the small one.
var benchSizes = []int{40_000, 400_000}

// genFile writes n generated enterprises to a file in dir and returns its path.
func genFile(b *testing.B, dir, ext string, n int) string {
	b.Helper()
	path := filepath.Join(dir, fmt.Sprintf("enterprises-%d.%s", n, ext))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	write := xlsxtest.WriteEnterprisesCSV
	if ext == "xlsx" {
		write = xlsxtest.WriteEnterprisesXLSX
	}
	if err := write(f, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// heapSampler records the peak live heap above a baseline, sampling every
// 10,000 rows (ReadMemStats stops the world).
type heapSampler struct {
	base, peak uint64
	ms         runtime.MemStats
}

func newHeapSampler() *heapSampler {
	runtime.GC()
	h := &heapSampler{}
	runtime.ReadMemStats(&h.ms)
	h.base = h.ms.HeapAlloc
	return h
}

func (h *heapSampler) sample(rows int) {
	if rows%10_000 != 0 {
		return
	}
	runtime.ReadMemStats(&h.ms)
	if h.ms.HeapAlloc > h.base && h.ms.HeapAlloc-h.base > h.peak {
		h.peak = h.ms.HeapAlloc - h.base
	}
}

func (h *heapSampler) report(b *testing.B, rows int) {
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(h.peak)/(1<<20), "peak-heap-MB")
}

func benchRead(b *testing.B, ext string) {
	dir := b.TempDir()
	for _, n := range benchSizes {
		path := genFile(b, dir, ext, n)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			var rows int
			var h *heapSampler
			b.ResetTimer()
			for range b.N {
				h = newHeapSampler()
				rows = 0
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				fi, _ := f.Stat()
				rr, _, err := xlsx.Open(f, fi.Size(), filepath.Base(path), xlsx.Options{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := rr.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					rows++
					h.sample(rows)
				}
				if err := rr.Close(); err != nil {
					b.Fatal(err)
				}
				f.Close()
				if rows != n+1 {
					b.Fatalf("read %d rows, want %d", rows, n+1)
				}
			}
			h.report(b, rows)
		})
	}
}

func BenchmarkReadCSV(b *testing.B)  { benchRead(b, "csv") }
func BenchmarkReadXLSX(b *testing.B) { benchRead(b, "xlsx") }

// BenchmarkExcelizeBare is excelize's own streaming loop over the same
// files, doing nothing but Columns(), to compare BenchmarkReadXLSX with:
// mode=formatted is excelize's default (number formats applied), mode=raw
// opens with RawCellValue as Open does.
func BenchmarkExcelizeBare(b *testing.B) {
	dir := b.TempDir()
	for _, n := range benchSizes {
		path := genFile(b, dir, "xlsx", n)
		for _, raw := range []bool{false, true} {
			mode := "formatted"
			if raw {
				mode = "raw"
			}
			b.Run(fmt.Sprintf("mode=%s/rows=%d", mode, n), func(b *testing.B) {
				var rows int
				var h *heapSampler
				b.ResetTimer()
				for range b.N {
					h = newHeapSampler()
					rows = 0
					f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: raw})
					if err != nil {
						b.Fatal(err)
					}
					it, err := f.Rows("Sheet1")
					if err != nil {
						b.Fatal(err)
					}
					for it.Next() {
						if _, err := it.Columns(); err != nil {
							b.Fatal(err)
						}
						rows++
						h.sample(rows)
					}
					it.Close()
					f.Close()
					if rows != n+1 {
						b.Fatalf("read %d rows, want %d", rows, n+1)
					}
				}
				h.report(b, rows)
			})
		}
	}
}
