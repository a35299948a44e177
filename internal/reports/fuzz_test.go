package reports

import (
	"bytes"
	"io"
	"os"
	"testing"

	"svcplan/internal/plan"
	"svcplan/internal/xlsx"
	"svcplan/plans"
)

// FuzzReadReport reads any bytes as a report file: finding the header and
// parsing every row must never panic, and a row accepted has what the
// store needs — a 12-digit area, a code, a name and a non-negative
// 1-本月 main measure.
func FuzzReadReport(f *testing.F) {
	fixture, err := os.ReadFile("testdata/f203-20250009.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte("数据处理地,统一社会信用代码,单位详细名称,1-本月;营业收入;千元,上年同期;营业收入;千元\n321203101200,91350100M000100Y43,甲,1e3,\n"))
	f.Add([]byte("数据处理地,组织机构代码,单位详细名称,上年同期;营业收入;千元,营业收入;1-本月;万元,期别\n321203101200,074728301,乙,-1,2.5,20250009\n"))
	form, _ := FormByCode("F203")
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), "f.csv", xlsx.Options{MaxRows: 1000})
		if err != nil {
			return
		}
		l, err := FindLayout(rows, form)
		if err != nil {
			return
		}
		for {
			cells, err := rows.Next()
			if err == io.EOF || err != nil {
				return
			}
			s, errs := parseRow(l, 202509, rows.Row(), cells)
			if len(errs) > 0 {
				continue
			}
			rev := s.Vals[Revenue]
			if len(s.Area) != 12 || s.Code == "" || s.Name == "" || !rev.HasCur || rev.Cur < 0 || rev.HasPrev && rev.Prev < 0 {
				t.Fatalf("accepted a row the store cannot take: %+v", s)
			}
		}
	})
}

// FuzzReadParkMembers reads any bytes as a park mapping file: it must
// never panic, and what it accepts names a park of the plan, a member of
// the right shape, and months in order.
func FuzzReadParkMembers(f *testing.F) {
	f.Add([]byte("园区,类型,代码,起始月份,终止月份\n生物医药产业园,企业,91350100M000100Y43,2025-01,\n"))
	f.Add([]byte("园区,类型,代码,起始月份,终止月份\n321203400,村社区,321203100201,2025-10,2026-12\n"))
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		f.Fatal(err)
	}
	p := parsed.Plan
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), "f.csv", xlsx.Options{MaxRows: 1000})
		if err != nil {
			return
		}
		ms, err := ReadParkMembers(rows, p, "f.csv")
		if err != nil {
			return
		}
		for _, m := range ms {
			u, ok := p.Unit(m.Park)
			if !ok || u.Kind != plan.KindPark || m.Member == "" || !validMonth(m.ValidFrom) ||
				m.ValidTo != "" && (!validMonth(m.ValidTo) || m.ValidTo < m.ValidFrom) {
				t.Fatalf("accepted %+v", m)
			}
		}
	})
}
