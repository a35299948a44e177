package table

import (
	"fmt"
	"time"
)

// Mode says what an import does when some rows are wrong.
type Mode string

// Modes.
const (
	AllOrNothing Mode = "all"   // any wrong row and nothing is imported (default)
	ValidRows    Mode = "valid" // import the rows that are right, reject the others
)

// Label is the mode's Chinese name.
func (m Mode) Label() string {
	if m == ValidRows {
		return "只导入正确的行"
	}
	return "全部正确才导入"
}

// File describes an imported file: its name as the user knows it, its
// SHA-256 and size, so that every stored value can say which file it
// came from.
type File struct {
	Name   string
	SHA256 string
	Size   int64
}

// Outcomes of an import run.
const (
	Running = "running"
	OK      = "ok"
	Failed  = "failed"
)

// Run is the record of one import of a file: who ran it, when, in which
// mode, what it read and did, and how it ended. Every importer keeps one
// per file (with what is particular to it beside: the kind of list, the
// report form and period).
type Run struct {
	ID         int64     `json:"id"`
	FileName   string    `json:"file_name"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	Mode       Mode      `json:"mode"`
	User       string    `json:"user"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Read       int       `json:"rows_read"`
	New        int       `json:"rows_new"`
	Changed    int       `json:"rows_changed"`
	Same       int       `json:"rows_same"`
	Rejected   int       `json:"rows_rejected"`
	// Restored counts the codes whose leading zeros a spreadsheet had
	// dropped and the import gave back (see Restore).
	Restored int    `json:"codes_restored"`
	Outcome  string `json:"outcome"` // running, ok, failed
	Message  string `json:"message"`
}

// NewRun starts the record of an import of f by user at t.
func NewRun(f File, mode Mode, user string, t time.Time) Run {
	if mode == "" {
		mode = AllOrNothing
	}
	return Run{FileName: f.Name, SHA256: f.SHA256, Size: f.Size, Mode: mode, User: user, StartedAt: t, Outcome: Running}
}

// Summary says in Chinese what the run did to the rows it read, with the
// word the importer uses for a changed row (变更 for a firm's data, 修订
// for a report): "新增10,修订1,无变化1,拒绝0", and the restored codes if
// there were any.
func (r *Run) Summary(changed string) string {
	s := fmt.Sprintf("新增%d,%s%d,无变化%d,拒绝%d", r.New, changed, r.Changed, r.Same, r.Rejected)
	if r.Restored > 0 {
		s += fmt.Sprintf(";%d个代码补回了表格软件丢失的前导零", r.Restored)
	}
	return s
}

// Reject counts a refused row; keep says whether to list it too (lists
// are bounded so that a file of nothing but errors does not fill memory).
func (r *Run) Reject(list *[]Rejected, row Rejected, max int) (kept bool) {
	r.Rejected++
	if len(*list) >= max {
		return false
	}
	*list = append(*list, row)
	return true
}
