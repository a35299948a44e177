package registry

import (
	"context"
	"errors"
	"hash/maphash"
	"io"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/money"
	"svcplan/internal/table"
)

// Import is one import as it is recorded: the run, and what was imported.
type Import struct {
	table.Run
	Kind   string `json:"kind"`   // enterprises or revenue
	Source string `json:"source"` // official/manual, or the revenue source
	// Converted counts the rows whose GB/T 4754-2011 industry code was
	// converted to 2017; Unsure those of them whose 2017 class awaits a
	// statistician's check (2017 split the old class).
	Converted int `json:"codes_converted"`
	Unsure    int `json:"industry_unsure"`
	// Edition is the edition of GB/T 4754 the file's industry codes were
	// read in: Edition2017 (a 2011-only code converted), or Edition2011.
	Edition string `json:"industry_edition"`
}

// Editions of GB/T 4754 an enterprise list's codes are read in.
const (
	Edition2017 = "2017"
	Edition2011 = "2011"
)

// Import kinds.
const (
	KindEnterprises = "enterprises"
	KindRevenue     = "revenue"
)

// Change is an update of a firm: its state before and after.
type Change struct {
	Old, New Enterprise
	Changed  []string // names of the fields that changed
}

// ImportTx is an import's transaction: nothing it writes is seen, or
// kept, until Commit.
type ImportTx interface {
	// Existing returns the directory's current rows for these codes.
	Existing(ctx context.Context, usccs []string) (map[string]Enterprise, error)
	// Insert adds new firms.
	Insert(ctx context.Context, es []Enterprise) error
	// Update changes firms, keeping each one's previous state in its
	// history.
	Update(ctx context.Context, cs []Change) error
	// CurrentRevenue returns the latest version of the figures of these
	// firms, keyed by RevenueKey.
	CurrentRevenue(ctx context.Context, usccs []string) (map[string]Revenue, error)
	// AppendRevenue adds revenue figures as new versions.
	AppendRevenue(ctx context.Context, rs []Revenue) error
	// Commit records the import and its audit entry and commits.
	Commit(ctx context.Context, imp *Import, e audit.Entry) error
	Rollback() error
}

// ImportStore begins imports and records failed ones.
type ImportStore interface {
	// BeginImport starts an import's transaction; imports run one at a
	// time.
	BeginImport(ctx context.Context, imp *Import) (ImportTx, error)
	// RecordImport records an import that wrote nothing (it failed), with
	// its audit entry, in a transaction of its own.
	RecordImport(ctx context.Context, imp *Import, e audit.Entry) error
}

// ImportOptions are the choices of the person importing.
type ImportOptions struct {
	Mode table.Mode
	// Official: the file is an export of a statistics bureau or market
	// regulator (see Lookups.Official).
	Official bool
	// Edition2011: the file's industry codes are GB/T 4754-2011 codes
	// (see Lookups.Edition2011).
	Edition2011 bool
	// Mapping, when not nil, is the column mapping the user confirmed; its
	// HeaderRow says where the data begins.
	Mapping *Mapping
	// Progress is called now and then with the number of rows read.
	Progress func(rows int)
	// RevenueSource is where revenue figures come from, unless a column
	// says; RevenueUnit is the unit of the revenue column, unless its
	// header says (万元, 千元, 元).
	RevenueSource Source
	RevenueUnit   money.Fen
}

// ImportResult is what an import did.
type ImportResult struct {
	Import   Import
	Mapping  Mapping
	Rejected []table.Rejected
	// Truncated is set when more rows were rejected than are listed.
	Truncated bool
}

// maxListedRejects bounds the rejected rows kept with their cells, so that
// a file of nothing but errors does not fill memory.
const maxListedRejects = 50_000

// batchSize is how many rows are checked against the directory and
// written at a time.
const batchSize = 1000

// item is a valid row on its way to the store.
type item[T any] struct {
	Row   int
	V     T
	Cells []string // the row as read, for the rejected-rows file
}

// handoff is what the reading goroutine passes to the writer: a batch of
// valid rows, or rows it rejected.
type handoff[T any] struct {
	rows    []item[T]
	rejects []table.Rejected
}

// rowSpec says how to read one kind of import: parse validates a row and
// returns its value and its key (rows with the same key are duplicates);
// dup says in Chinese that a row repeats an earlier one.
type rowSpec[T any] struct {
	parse func(row int, cells []string) (T, string, []table.RowError)
	dup   func(key string, first int) string
}

// runImport reads rows and validates them in a goroutine of its own, and
// hands batches to apply, which writes them (on two cores the two halves
// run side by side). In all-or-nothing mode nothing more is written once a
// row is wrong, but every row is still read so that all errors are
// reported. Progress is called from the reading goroutine.
func runImport[T any](ctx context.Context, rows table.Rows, m Mapping, spec rowSpec[T],
	apply func([]item[T]) ([]table.Rejected, error), opts ImportOptions, res *ImportResult) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan handoff[T], 4)
	var readErr error
	var read, restored int
	codes := codeColumns(m)
	go func() {
		defer close(out)
		send := func(h handoff[T]) bool {
			select {
			case out <- h:
				return true
			case <-ctx.Done():
				return false
			}
		}
		seen := newKeySet()
		batch := make([]item[T], 0, batchSize)
		var rejects []table.Rejected
		anyWrong := false
		for {
			cells, err := rows.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				readErr = err
				return
			}
			row := rows.Row()
			if row <= m.HeaderRow || table.Blank(cells) {
				continue
			}
			read++
			restored += table.Restore(rows, cells, codes)
			if read%10000 == 0 && opts.Progress != nil {
				opts.Progress(read)
			}
			v, key, errs := spec.parse(row, cells)
			if len(errs) == 0 {
				if first, dup := seen.add(key, row); dup {
					errs = append(errs, table.RowError{Row: row, Msg: spec.dup(key, first)})
				}
			}
			if len(errs) > 0 {
				anyWrong = true
				rejects = append(rejects, table.Rejected{Row: row, Cells: append([]string(nil), cells...), Errors: errs})
				if len(rejects) == 100 {
					if !send(handoff[T]{rejects: rejects}) {
						return
					}
					rejects = nil
				}
				continue
			}
			if anyWrong && opts.Mode != table.ValidRows {
				continue
			}
			batch = append(batch, item[T]{Row: row, V: v, Cells: append([]string(nil), cells...)})
			if len(batch) == batchSize {
				if !send(handoff[T]{rows: batch}) {
					return
				}
				batch = make([]item[T], 0, batchSize)
			}
		}
		send(handoff[T]{rows: batch, rejects: rejects})
	}()

	var applyErr error
	for h := range out {
		for _, r := range h.rejects {
			res.reject(r)
		}
		if applyErr != nil || len(h.rows) == 0 || opts.Mode != table.ValidRows && res.Import.Rejected > 0 {
			continue // drain: nothing more is written
		}
		rejected, err := apply(h.rows)
		if err != nil {
			applyErr = err
			cancel()
			continue
		}
		for _, r := range rejected {
			res.reject(r)
		}
	}
	res.Import.Read, res.Import.Restored = read, restored // the reading goroutine has finished
	if opts.Progress != nil {
		opts.Progress(read)
	}
	if applyErr != nil {
		return applyErr
	}
	if readErr != nil {
		return apperr.Invalidf("读取文件出错: %s", readErrText(readErr))
	}
	return ctx.Err()
}

// codeColumns are the mapped columns whose codes have a fixed number of
// digits, for table.Restore: an industry class has 4, a 统计用区划代码 12.
func codeColumns(m Mapping) []table.CodeColumn {
	var out []table.CodeColumn
	for _, c := range []struct {
		col    Column
		digits int
	}{{ColIndustry, 4}, {ColDivision, 12}} {
		if i, ok := m.Index[c.col]; ok {
			out = append(out, table.CodeColumn{Col: i, Digits: c.digits})
		}
	}
	return out
}

// keySet remembers the rows' keys to find duplicates in a file, by a
// 128-bit hash of each key (two 64-bit hashes with independent seeds):
// 20 bytes a row whatever the key, no pointer for the garbage collector to
// scan, and no row of the file kept alive (a key read from a CSV line
// shares the line's memory). Two different keys of one file share a hash
// with a probability below 10^-27 for a million rows.
type keySet struct {
	seed1, seed2 maphash.Seed
	m            map[[2]uint64]int32
}

func newKeySet() *keySet {
	return &keySet{seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed(), m: make(map[[2]uint64]int32, 1024)}
}

// add records key at row, or returns the row it was first seen at.
func (k *keySet) add(key string, row int) (first int, dup bool) {
	h := [2]uint64{maphash.String(k.seed1, key), maphash.String(k.seed2, key)}
	if f, ok := k.m[h]; ok {
		return int(f), true
	}
	k.m[h] = int32(row)
	return 0, false
}

func readErrText(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Msg
	}
	return err.Error()
}

func (res *ImportResult) reject(r table.Rejected) {
	res.Import.Rejected++
	if len(res.Rejected) >= maxListedRejects {
		res.Truncated = true
		return
	}
	res.Rejected = append(res.Rejected, r)
}

func invalidf(format string, args ...any) error { return apperr.Invalidf(format, args...) }

func headerOf(m Mapping, c Column) string {
	if i, ok := m.Index[c]; ok && i < len(m.Header) {
		return strings.TrimSpace(m.Header[i])
	}
	return c.Label()
}
