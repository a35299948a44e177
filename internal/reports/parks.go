package reports

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// Parks are not in the statistical area code (conventions §1.5): a dated
// mapping says which firms, or which villages (村/社区), belong to a park.
// A report imported for a period goes to the park its firm — or else its
// 数据处理地's village — belongs to in that month, and otherwise to the
// town of its area code. A firm in a park counts under the park only, so
// the parks and towns of a ranking add up to the district.

// Member kinds.
const (
	MemberFirm    = "firm"
	MemberVillage = "village"
)

// ParkMember is one line of the mapping: from a month, until a month
// (ValidTo "" while it lasts).
type ParkMember struct {
	Park      string `json:"park"`
	Kind      string `json:"kind"`
	Member    string `json:"member"`
	ValidFrom string `json:"valid_from"` // YYYY-MM
	ValidTo   string `json:"valid_to"`   // YYYY-MM or ""
	FileName  string `json:"file_name"`
	LoadedBy  string `json:"loaded_by"`
	LoadedAt  time.Time
}

// ParkStore keeps the mapping, every line ever loaded.
type ParkStore interface {
	// ParkMembers returns the park mapping, every line in load order.
	ParkMembers(ctx context.Context) ([]ParkMember, error)
	// AddParkMembers appends lines with the audit entry, in one
	// transaction.
	AddParkMembers(ctx context.Context, ms []ParkMember, e audit.Entry) error
}

// Parks maps firms and villages to parks by month.
type Parks struct {
	byMember map[string][]ParkMember // kind + ":" + member, in load order
}

// NewParks indexes the mapping's lines (in the order they were loaded).
func NewParks(ms []ParkMember) *Parks {
	p := &Parks{byMember: map[string][]ParkMember{}}
	for _, m := range ms {
		k := m.Kind + ":" + m.Member
		p.byMember[k] = append(p.byMember[k], m)
	}
	return p
}

// Of returns the park a firm, or its village, belongs to in a period's
// month, and whether there is one. The line loaded last that covers the
// month wins.
func (p *Parks) Of(usccCode, area string, per Period) (string, bool) {
	if p == nil {
		return "", false
	}
	month := per.String()
	for _, k := range []string{MemberFirm + ":" + usccCode, MemberVillage + ":" + area} {
		ms := p.byMember[k]
		for i := len(ms) - 1; i >= 0; i-- {
			m := ms[i]
			if m.ValidFrom <= month && (m.ValidTo == "" || month <= m.ValidTo) {
				return m.Park, true
			}
		}
	}
	return "", false
}

// parkHeader are the mapping file's columns.
var parkHeader = []string{"园区", "类型", "代码", "起始月份", "终止月份"}

// ReadParkMembers reads a mapping file: 园区 (a park of the plan, by name
// or code), 类型 (企业 or 村社区), 代码 (USCC or 12-digit village code),
// 起始月份 and 终止月份 (YYYY-MM; the end may be blank). Every problem is
// reported with its row and column; nothing is kept if any row is wrong.
func ReadParkMembers(rows table.Rows, p *plan.Plan, fileName string) ([]ParkMember, error) {
	header, err := rows.Next()
	if err != nil {
		return nil, apperr.Invalidf("文件为空,应有表头:%s", strings.Join(parkHeader, ","))
	}
	for i, h := range parkHeader {
		if i >= len(header) || norm(header[i]) != h {
			return nil, apperr.Invalidf("第1行表头应为:%s", strings.Join(parkHeader, ","))
		}
	}
	var out []ParkMember
	var problems []string
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if table.Blank(cells) {
			continue
		}
		row := rows.Row()
		cell := func(i int) string { return table.Cell(cells, i) }
		bad := func(col int, format string, args ...any) {
			problems = append(problems, fmt.Sprintf("第%d行第%d列(%s): %s", row, col+1, parkHeader[col], fmt.Sprintf(format, args...)))
		}
		m := ParkMember{Member: cell(2), ValidFrom: cell(3), ValidTo: cell(4), FileName: fileName}
		park, ok := p.Unit(cell(0))
		if !ok {
			park, ok = p.UnitByName(cell(0))
		}
		if !ok || park.Kind != plan.KindPark {
			bad(0, "“%s”不是本方案的园区", cell(0))
		} else {
			m.Park = park.Code
		}
		switch cell(1) {
		case "企业", "firm":
			m.Kind = MemberFirm
			m.Member = uscc.Normalize(m.Member)
			if r := uscc.Check(m.Member); !r.Valid {
				bad(2, "统一社会信用代码“%s”有误", cell(2))
			}
		case "村社区", "村(社区)", "村", "社区", "village":
			m.Kind = MemberVillage
			if len(m.Member) != 12 || !allDigits(m.Member) {
				bad(2, "村(社区)代码应为12位数字,实际为“%s”", cell(2))
			}
		default:
			bad(1, "类型应为“企业”或“村社区”,实际为“%s”", cell(1))
		}
		if !validMonth(m.ValidFrom) {
			bad(3, "起始月份应为YYYY-MM,实际为“%s”", cell(3))
		}
		if m.ValidTo != "" && (!validMonth(m.ValidTo) || m.ValidTo < m.ValidFrom) {
			bad(4, "终止月份应为YYYY-MM且不早于起始月份,实际为“%s”", cell(4))
		}
		out = append(out, m)
	}
	if len(problems) > 0 {
		return nil, apperr.Invalidf("%d处错误,未载入任何一行:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	if len(out) == 0 {
		return nil, apperr.Invalidf("文件中没有数据行")
	}
	return out, nil
}

// validMonth reports YYYY-MM with a month of 01–12.
func validMonth(s string) bool {
	return len(s) == 7 && s[4] == '-' && allDigits(s[:4]) && allDigits(s[5:]) && s[5:] >= "01" && s[5:] <= "12"
}

// LoadParks checks a mapping file against the active plan and appends it
// (statistics staff and administrators). It applies to reports imported
// afterwards.
func (s *Service) LoadParks(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, fileName string) (int, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return 0, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return 0, err
	}
	ms, err := ReadParkMembers(rows, st.Plan, fileName)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	for i := range ms {
		ms[i].LoadedBy, ms[i].LoadedAt = actor.Name, now
	}
	e := audit.New(now, actor, "parks.load", "park_members", fileName, nil, map[string]any{"file_name": fileName, "rows": len(ms)})
	if err := s.store.AddParkMembers(ctx, ms, e); err != nil {
		return 0, err
	}
	return len(ms), nil
}

// ParkMembers lists the park mapping in load order (statistics staff and
// administrators).
func (s *Service) ParkMembers(ctx context.Context, u *auth.User) ([]ParkMember, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return nil, err
	}
	return s.store.ParkMembers(ctx)
}
