package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"svcplan/internal/forecast"
	"svcplan/internal/forecast/m3"
)

const forecastUsage = `Usage:
  svcplan forecast m3 --data DIR --out FILE [--method NAME] [--workers N]
      forecast the M3 yearly, quarterly and monthly series (DIR/yearly.csv, quarterly.csv,
      monthly.csv) from their train part and score the test part (M3 预测评估)

FILE gets series_id,h,forecast,lo80,hi80,lo95,hi95. The test values are read only after all
forecasts are made. Printed per frequency: series, sMAPE, MASE, OWA (vs Naive2), 80%/95%
interval coverage; then the overall figures and the time taken. When DIR/original-forecasts holds
original submissions (series_id,h,forecast per method), they are re-scored the same way below.
Series without a test part are forecast but not scored; the output says which sets had none.
Methods: ` + "naive, snaive, naive2, ses, holt, damped, ets, theta, comb (default)\n"

func cmdForecast(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, forecastUsage)
		if len(args) == 0 {
			return usageError{}
		}
		return nil
	}
	if args[0] != "m3" {
		fmt.Fprint(stderr, forecastUsage)
		return usageError{"forecast: unknown command " + args[0]}
	}
	fs := newFlags("forecast m3 [flags]", forecastUsage, stderr)
	dir := fs.String("data", "", "M3 data folder (数据目录) with yearly.csv, quarterly.csv, monthly.csv")
	out := fs.String("out", "", "forecast file to write (输出文件)")
	method := fs.String("method", "comb", "forecasting method (预测方法)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "parallel workers (并行数)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *dir == "" || *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return usageError{"forecast m3: 需要 --data 和 --out"}
	}
	ok := false
	for _, m := range forecast.Methods {
		ok = ok || m == *method
	}
	if !ok {
		return usageError{fmt.Sprintf("forecast m3: 未知的预测方法 %q(可选:%s)", *method, strings.Join(forecast.Methods, ", "))}
	}
	return runM3(*dir, *out, *method, max(*workers, 1), stdout)
}

type m3Result struct {
	r     forecast.Result
	naive []float64 // Naive2 points, for the OWA reference
}

func runM3(dir, outPath, method string, workers int, stdout io.Writer) error {
	t0 := time.Now()
	type set struct {
		f       m3.Frequency
		series  []m3.Series
		holdout *m3.Holdout
		res     []m3Result
	}
	var sets []*set
	for _, f := range m3.Frequencies {
		s, h, err := m3.ReadFile(filepath.Join(dir, f.Name+".csv"), f)
		if err != nil {
			return err
		}
		sets = append(sets, &set{f: f, series: s, holdout: h, res: make([]m3Result, len(s))})
	}
	// Forecast every series from its train part only.
	type job struct {
		s *set
		i int
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				x := j.s.series[j.i]
				o := forecast.Options{Method: method, Period: j.s.f.Period, Horizon: j.s.f.Horizon}
				r, err := forecast.Predict(x.Train, o)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", x.ID, err)
					}
					mu.Unlock()
					continue
				}
				j.s.res[j.i] = m3Result{r: r, naive: forecast.Naive2(x.Train, j.s.f.Period, j.s.f.Horizon)}
			}
		})
	}
	for _, s := range sets {
		for i := range s.series {
			jobs <- job{s, i}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := writeM3(outPath, sets[0].series, sets[0].res, sets[1].series, sets[1].res, sets[2].series, sets[2].res); err != nil {
		return err
	}
	elapsed := time.Since(t0)
	// Only now look at the test part.
	scores := make([]struct{ sc, n2 m3.Score }, len(sets))
	var all, allN2 m3.Score
	var fallbacks int
	for k, s := range sets {
		sc, n2 := &scores[k].sc, &scores[k].n2
		for i, x := range s.series {
			test := s.holdout.Test(x.ID)
			r := s.res[i].r
			if r.Method != method {
				fallbacks++
			}
			sc.Add(x.Train, test, r.Point, s.f.Period, r.Lo80, r.Hi80, r.Lo95, r.Hi95)
			n2.Add(x.Train, test, s.res[i].naive, s.f.Period, nil, nil, nil, nil)
		}
		all.Merge(*sc)
		allN2.Merge(*n2)
	}
	if all.N == 0 {
		// Without a test part every figure would be NaN: say so instead.
		fmt.Fprintf(stdout, "没有可评分的检验段:%s 中的 %d 个序列都只有训练段(没有 part=test 的行),预测已写出,未计算 sMAPE、MASE、OWA 和区间覆盖率\n",
			dir, all.Untested)
		fmt.Fprintf(stdout, "%d series used another method (fallback or selection)\n", fallbacks)
		fmt.Fprintf(stdout, "forecast time %.2fs (%d workers), wrote %s\n", elapsed.Seconds(), workers, outPath)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "method %s\tseries\tsMAPE\tMASE\tOWA\tcov80\tcov95\t\n", method)
	var notes []string
	for k, s := range sets {
		sc, n2 := scores[k].sc, scores[k].n2
		switch {
		case sc.N == 0:
			fmt.Fprintf(tw, "%s\t0\t-\t-\t-\t-\t-\t\n", s.f.Name)
			notes = append(notes, fmt.Sprintf("%s: 没有可评分的检验段:%s.csv 中的 %d 个序列都没有 part=test 的行", s.f.Name, s.f.Name, sc.Untested))
			continue
		case sc.Untested > 0:
			notes = append(notes, fmt.Sprintf("%s: %d 个序列没有检验段,未计入评分", s.f.Name, sc.Untested))
		}
		c80, c95 := sc.Coverage()
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.3f\t%.3f\t%.1f%%\t%.1f%%\t\n", s.f.Name, sc.N, sc.SMAPE(), sc.MASE(),
			m3.OWA(sc.SMAPE(), sc.MASE(), n2.SMAPE(), n2.MASE()), 100*c80, 100*c95)
	}
	c80, c95 := all.Coverage()
	fmt.Fprintf(tw, "overall\t%d\t%.2f\t%.3f\t%.3f\t%.1f%%\t%.1f%%\t\n", all.N, all.PointSMAPE(), all.MASE(),
		m3.OWA(all.PointSMAPE(), all.MASE(), allN2.PointSMAPE(), allN2.MASE()), 100*c80, 100*c95)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(stdout, n)
	}
	fmt.Fprintf(stdout, "overall sMAPE is over all %d forecasts, MASE over series; %d series used another method (fallback or selection)\n", all.Points(), fallbacks)
	fmt.Fprintf(stdout, "forecast time %.2fs (%d workers), wrote %s\n", elapsed.Seconds(), workers, outPath)
	return scoreOriginals(filepath.Join(dir, "original-forecasts"), sets[0].series, sets[0].holdout,
		sets[1].series, sets[1].holdout, sets[2].series, sets[2].holdout, stdout)
}

// scoreOriginals re-scores the original M3 submissions kept in dir (one
// series_id,h,forecast file per method), when there are any, with the same
// evaluator and Naive2 reference as our own forecasts, so that the figures
// compare like with like.
func scoreOriginals(dir string, parts ...any) error {
	stdout := parts[len(parts)-1].(io.Writer)
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		return nil
	}
	type fset struct {
		f      m3.Frequency
		series []m3.Series
		h      *m3.Holdout
		n2     m3.Score
	}
	var sets []fset
	for k := 0; k+1 < len(parts)-1; k += 2 {
		s := fset{series: parts[k].([]m3.Series), h: parts[k+1].(*m3.Holdout)}
		if len(s.series) > 0 {
			s.f = s.series[0].Freq
		}
		for _, x := range s.series {
			s.n2.Add(x.Train, s.h.Test(x.ID), forecast.Naive2(x.Train, s.f.Period, s.f.Horizon), s.f.Period, nil, nil, nil, nil)
		}
		sets = append(sets, s)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "original submissions re-scored (sMAPE/MASE/OWA)	")
	for _, s := range sets {
		fmt.Fprintf(tw, "%s	", s.f.Name)
	}
	fmt.Fprintf(tw, "overall	\n")
	for _, path := range files {
		fh, err := os.Open(path)
		if err != nil {
			return err
		}
		fc, err := m3.ReadForecasts(fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Fprintf(tw, "%s	", strings.TrimSuffix(filepath.Base(path), ".csv"))
		var all, allN2 m3.Score
		for _, s := range sets {
			var sc m3.Score
			for _, x := range s.series {
				sc.Add(x.Train, s.h.Test(x.ID), fc[x.ID], s.f.Period, nil, nil, nil, nil)
			}
			all.Merge(sc)
			allN2.Merge(s.n2)
			if sc.N == 0 {
				fmt.Fprintf(tw, "-	")
				continue
			}
			fmt.Fprintf(tw, "%.2f/%.3f/%.3f	", sc.SMAPE(), sc.MASE(), m3.OWA(sc.SMAPE(), sc.MASE(), s.n2.SMAPE(), s.n2.MASE()))
		}
		fmt.Fprintf(tw, "%.2f/%.3f/%.3f	\n", all.PointSMAPE(), all.MASE(),
			m3.OWA(all.PointSMAPE(), all.MASE(), allN2.PointSMAPE(), allN2.MASE()))
	}
	return tw.Flush()
}

func writeM3(path string, parts ...any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString("series_id,h,forecast,lo80,hi80,lo95,hi95\n")
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	for k := 0; k+1 < len(parts); k += 2 {
		series := parts[k].([]m3.Series)
		res := parts[k+1].([]m3Result)
		for i, x := range series {
			r := res[i].r
			for j := range r.Point {
				fmt.Fprintf(w, "%s,%d,%s,%s,%s,%s,%s\n", x.ID, j+1, num(r.Point[j]),
					num(r.Lo80[j]), num(r.Hi80[j]), num(r.Lo95[j]), num(r.Hi95[j]))
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
