package indicators

import (
	"bytes"
	"testing"

	"svcplan/internal/plan"
	"svcplan/internal/xlsx"
	"svcplan/plans"
)

// FuzzReadValueFile reads any bytes as a values file: it must never panic,
// and every line it accepts is a valid input for the plan.
func FuzzReadValueFile(f *testing.F) {
	f.Add([]byte("指标,单位,期别,数值,价格口径,发布日期,核算阶段\n服务业增加值,,2025Q3,462.40,现价,2025-10-20,初步核算\n"))
	f.Add([]byte("指标,单位,期别,数值\nSVC_VALUE_ADDED_GROWTH,白马镇,2025,-0.5\n"))
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		f.Fatal(err)
	}
	p := parsed.Plan
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), "v.csv", xlsx.Options{MaxRows: 1000})
		if err != nil {
			return
		}
		lines, _, err := readValueFile(rows, p, "v.csv", false)
		if err != nil {
			return
		}
		for _, l := range lines {
			if _, err := check(p, l.in); err != nil {
				t.Fatalf("accepted row %d that does not check: %v", l.row, err)
			}
			if _, ok := p.Unit(l.in.Unit); !ok {
				t.Fatalf("accepted row %d with unit %q", l.row, l.in.Unit)
			}
		}
	})
}
