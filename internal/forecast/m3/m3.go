// Package m3 reads the M3 competition data in the long layout of
// /work/shared/data/m3-dev (series_id,category,period_index,value,part) and
// scores forecasts with the M3/M4 measures: sMAPE, MASE, OWA against Naive2
// and prediction-interval coverage.
//
// The reader keeps the in-sample ("train") part and the out-of-sample
// ("test") part apart: Read returns the training series, which are all a
// forecaster may see, and a Holdout that is consulted only to score
// forecasts that have already been made.
package m3

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Frequency is one of the three M3 sets handled here.
type Frequency struct {
	Name    string // "yearly", "quarterly", "monthly"
	Period  int    // observations per year: 1, 4, 12
	Horizon int    // forecast horizon: 6, 8, 18
}

// The M3 frequencies, in the order they are reported.
var (
	Yearly    = Frequency{"yearly", 1, 6}
	Quarterly = Frequency{"quarterly", 4, 8}
	Monthly   = Frequency{"monthly", 12, 18}
)

// Frequencies lists the sets in reporting order.
var Frequencies = []Frequency{Yearly, Quarterly, Monthly}

// Series is the in-sample part of one M3 series: everything a forecaster
// is allowed to see.
type Series struct {
	ID       string
	Category string
	Freq     Frequency
	Train    []float64 // in period_index order
}

// Holdout holds the out-of-sample values of a set. It is only meant to be
// consulted after the forecasts have been made.
type Holdout struct {
	test map[string][]float64
}

// Test returns the out-of-sample values of a series, or nil.
func (h *Holdout) Test(id string) []float64 {
	if h == nil {
		return nil
	}
	return h.test[id]
}

// Len is the number of series with test values.
func (h *Holdout) Len() int { return len(h.test) }

// ReadFile reads one set (e.g. DIR/yearly.csv).
func ReadFile(path string, f Frequency) ([]Series, *Holdout, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	s, h, err := Read(fh, f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, h, nil
}

type obs struct {
	idx int
	v   float64
}

// Read parses the long CSV. Rows may come in any order; within a series the
// period indices of the train part must be 1..n without gaps and those of
// the test part n+1..n+h (a gap in train is an error here, since M3 has
// none; the forecasting package handles gaps in its own input).
func Read(r io.Reader, f Frequency) ([]Series, *Holdout, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	want := []string{"series_id", "category", "period_index", "value", "part"}
	if len(head) < len(want) {
		return nil, nil, fmt.Errorf("header %q: want %s", strings.Join(head, ","), strings.Join(want, ","))
	}
	for i, w := range want {
		if strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff")) != w {
			return nil, nil, fmt.Errorf("header column %d is %q, want %q", i+1, head[i], w)
		}
	}
	type acc struct {
		cat         string
		train, test []obs
	}
	byID := map[string]*acc{}
	var order []string
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		id := rec[0]
		idx, err := strconv.Atoi(rec[2])
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: period_index %q", line, rec[2])
		}
		v, err := strconv.ParseFloat(rec[3], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("line %d: value %q", line, rec[3])
		}
		a := byID[id]
		if a == nil {
			a = &acc{cat: rec[1]}
			byID[id] = a
			order = append(order, id)
		}
		switch rec[4] {
		case "train":
			a.train = append(a.train, obs{idx, v})
		case "test":
			a.test = append(a.test, obs{idx, v})
		default:
			return nil, nil, fmt.Errorf("line %d: part %q, want train or test", line, rec[4])
		}
	}
	sort.Strings(order)
	out := make([]Series, 0, len(order))
	h := &Holdout{test: make(map[string][]float64, len(order))}
	for _, id := range order {
		a := byID[id]
		train, err := ordered(a.train, 1)
		if err != nil {
			return nil, nil, fmt.Errorf("series %s train: %w", id, err)
		}
		test, err := ordered(a.test, len(train)+1)
		if err != nil {
			return nil, nil, fmt.Errorf("series %s test: %w", id, err)
		}
		out = append(out, Series{ID: id, Category: a.cat, Freq: f, Train: train})
		if len(test) > 0 {
			h.test[id] = test
		}
	}
	return out, h, nil
}

func ordered(o []obs, first int) ([]float64, error) {
	sort.Slice(o, func(i, j int) bool { return o[i].idx < o[j].idx })
	v := make([]float64, len(o))
	for i, x := range o {
		if x.idx != first+i {
			return nil, fmt.Errorf("period_index %d where %d was expected", x.idx, first+i)
		}
		v[i] = x.v
	}
	return v, nil
}

// ReadForecasts reads a forecast file `series_id,h,forecast[,...]` into
// per-series point forecasts indexed by h-1. Blank or non-numeric forecasts
// are kept as NaN.
func ReadForecasts(r io.Reader) (map[string][]float64, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	if _, err := cr.Read(); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	out := map[string][]float64{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) < 3 {
			return nil, fmt.Errorf("line %d: %d columns", line, len(rec))
		}
		h, err := strconv.Atoi(rec[1])
		if err != nil || h < 1 || h > 1000 {
			return nil, fmt.Errorf("line %d: h %q", line, rec[1])
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
		if err != nil {
			v = math.NaN()
		}
		f := out[rec[0]]
		for len(f) < h {
			f = append(f, math.NaN())
		}
		f[h-1] = v
		out[rec[0]] = f
	}
	return out, nil
}
