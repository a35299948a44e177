package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"svcplan/internal/plan"
)

// TestExportDefaultPlan: a database with no plan yet, or no database at
// all, exports the shipped default plan and says so on stderr; once a
// plan is stored, that one is exported without the note.
func TestExportDefaultPlan(t *testing.T) {
	shipped, err := plan.ParseFile(shippedPlan)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(shipped.Plan)
	tests := []struct {
		name    string
		setup   func(t *testing.T, db string)
		note    bool // stderr says the default plan is exported
		created bool // the database file exists afterwards
	}{
		{"no database file", func(*testing.T, string) {}, true, false},
		{"schema but no plan", func(t *testing.T, db string) {
			if code, _, errs := svcplan(t, "migrate", "--db", db); code != 0 {
				t.Fatal(errs)
			}
		}, true, true},
		{"plan loaded", func(t *testing.T, db string) {
			if code, _, errs := svcplan(t, "plan", "load", "--db", db, shippedPlan); code != 0 {
				t.Fatal(errs)
			}
		}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := tempDB(t)
			tt.setup(t, db)
			code, out, errs := svcplan(t, "plan", "export", "--db", db, "--format", "json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if got := strings.Contains(errs, "数据库中还没有规划,导出的是内置的默认规划"); got != tt.note {
				t.Errorf("note on stderr: %v, want %v\n%s", got, tt.note, errs)
			}
			var got plan.Plan
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v\n%.300s", err, out)
			}
			if gotJSON, _ := json.Marshal(got); !bytes.Equal(gotJSON, want) {
				t.Error("exported plan differs from the shipped plan file")
			}
			if _, err := os.Stat(db); (err == nil) != tt.created {
				t.Errorf("database file exists: %v, want %v", err == nil, tt.created)
			}
		})
	}
}
