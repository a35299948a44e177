package buildings

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// The columns of a building's 台账.
const (
	spFloor = iota
	spRoom
	spArea
	spUse
	spFirm
	spUSCC
	spUsed
	spFrom
	spTo
	spRegistered
	spPresent
	spCols
)

// spaceHeaders are the headers of each column, folded by table.SplitUnit
// and without an area unit.
var spaceHeaders = [spCols][]string{
	spFloor:      {"楼层", "所在楼层"},
	spRoom:       {"房号", "房间号", "单元号"},
	spArea:       {"面积", "房间面积", "建筑面积"},
	spUse:        {"用途", "是否可租"},
	spFirm:       {"入驻企业", "企业名称", "入驻企业名称"},
	spUSCC:       {"统一社会信用代码", "社会信用代码"},
	spUsed:       {"使用面积", "租用面积"},
	spFrom:       {"入驻日期", "入驻时间"},
	spTo:         {"迁出日期", "迁出时间"},
	spRegistered: {"注册在楼", "是否注册在楼"},
	spPresent:    {"实际在楼", "是否实际在楼"},
}

// areaUnits are the ways a header states square metres, folded.
var areaUnits = []string{"(㎡)", "(平方米)", "(m²)", "(m2)", "(平米)", "㎡", "平方米"}

// trimAreaUnit takes the unit of square metres off a folded header:
// "面积(㎡)" is "面积".
func trimAreaUnit(key string) string {
	for _, u := range areaUnits {
		if strings.HasSuffix(key, u) && len(key) > len(u) {
			return strings.TrimSuffix(key, u)
		}
	}
	return key
}

// spaceHeader is where the columns of a 台账 are, -1 for a column it
// lacks.
type spaceHeader struct {
	cells []string
	row   int
	at    [spCols]int
}

func (h *spaceHeader) text(col int) string { return strings.TrimSpace(h.cells[col]) }

// findSpaceHeader looks for the header row in the first 20 rows: the
// first with a room number column.
func findSpaceHeader(rows table.Rows) (*spaceHeader, error) {
	for range 20 {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		h := &spaceHeader{cells: cells, row: rows.Row()}
		for c := range h.at {
			h.at[c] = -1
		}
		for i, cell := range cells {
			key, unit := table.SplitUnit(cell)
			if unit != 0 { // a money column, not one of the 台账's
				continue
			}
			key = trimAreaUnit(key)
			for c, names := range spaceHeaders {
				if h.at[c] < 0 && slices.Contains(names, key) {
					h.at[c] = i
					break
				}
			}
		}
		if h.at[spRoom] < 0 {
			continue
		}
		switch {
		case len(cells) > maxFileCols:
			return nil, fmt.Errorf("第%d行表头有%d列,超过%d列", h.row, len(cells), maxFileCols)
		case h.at[spArea] < 0:
			return nil, fmt.Errorf("第%d行表头缺少列:面积(如“面积(㎡)”)", h.row)
		}
		return h, nil
	}
	return nil, errors.New("前20行中没有找到含“房号”(或“房间号”“单元号”)的表头")
}

// roomLine is a room as its first row gives it, to compare the rows that
// repeat it with.
type roomLine struct {
	row   int
	index int // in Space.Rooms; -1 when its first row was wrong
	room  Room
	text  [spCols]string // the room's cells as written
}

// ParseSpace reads a building's 台账 into a space of the building: a
// header row in the first 20 rows with a room number (房号, 房间号 or 单元号)
// and an area (面积, 房间面积 or 建筑面积, optionally in (㎡) or (平方米)),
// then one row per room or per occupancy. A room let to several firms
// is repeated, one row each; its floor, area and use are then given
// again alike or left blank (merged cells). Optional columns: 楼层, 用途
// (or 是否可租), 入驻企业 (or 企业名称), 统一社会信用代码, 使用面积 (the
// room's area when blank), 入驻日期 (needed for a firm), 迁出日期, 注册在楼
// (no when blank) and 实际在楼 (yes when blank).
//
// ParseSpace returns the space of the rows without mistakes and every
// mistake found, those of Space.Check included, placed at their rows;
// err is for a 台账 that cannot be read at all.
func ParseSpace(rows table.Rows, building string) (*Space, []table.RowError, error) {
	h, err := findSpaceHeader(rows)
	if err != nil {
		return nil, nil, err
	}
	at := h.at
	sp := &Space{Building: building}
	var errs []table.RowError
	rooms := map[string]*roomLine{}
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if table.Blank(cells) {
			continue
		}
		row, failed := rows.Row(), len(errs)
		bad := func(col int, v, format string, args ...any) {
			errs = append(errs, table.RowError{Row: row, Col: col + 1, Header: h.text(col), Value: v, Msg: fmt.Sprintf(format, args...)})
		}
		cell := func(c int) string { return table.Cell(cells, at[c]) }
		number := cell(spRoom)
		if number == "" {
			bad(at[spRoom], "", "房号为空")
		}
		// The room's own cells.
		var room Room
		room.Number = number
		roomOK := number != ""
		if v := cell(spFloor); v != "" {
			f, ok := parseFloor(v)
			if !ok {
				bad(at[spFloor], v, "楼层“%s”应为1至200的层号(如12、12F、12层),地下层写B1、-1或地下1层(至多地下20层)", v)
				roomOK = false
			}
			room.Floor = f
		}
		room.Area = -1 // not given: a room's first row must give it
		if v := cell(spArea); v != "" {
			a, err := ParseArea(v, "面积")
			if err != nil {
				bad(at[spArea], v, "%s", err)
				roomOK = false
			}
			room.Area = a
		}
		use := cell(spUse)
		if r, ok := parseRentable(use); ok {
			room.Rentable = r
		} else {
			bad(at[spUse], use, "“%s”应为可租、出租、招商或自用、公共、配套、不可租", use)
			roomOK = false
		}

		// The occupancy's cells, when the row names a tenant.
		tenant := cell(spFirm) != "" || cell(spUSCC) != "" || cell(spUsed) != "" || cell(spFrom) != "" || cell(spTo) != ""
		o := Occupancy{Room: number, Firm: cell(spFirm), Present: true}
		var used Area = -1
		if tenant {
			if v := cell(spUSCC); v != "" {
				o.USCC = uscc.Normalize(v)
				if err := uscc.Check(o.USCC).Err(); err != nil {
					msg := err.Error()
					if rows.Numeric(at[spUSCC]) {
						msg += msgNumericCode
					}
					bad(at[spUSCC], v, "%s", msg)
				}
			}
			if v := cell(spUsed); v != "" {
				a, err := ParseArea(v, "使用面积")
				if err != nil {
					bad(at[spUsed], v, "%s", err)
				}
				used = a
			}
			switch v := cell(spFrom); {
			case v != "":
				o.From = parseSpaceDate(v, "入驻日期", at[spFrom], bad)
			case at[spFrom] < 0:
				bad(at[spRoom], "", "房间%s有入驻企业,表中却没有“入驻日期”列", number)
			default:
				bad(at[spFrom], "", "入驻日期为空")
			}
			if v := cell(spTo); v != "" {
				o.To = parseSpaceDate(v, "迁出日期", at[spTo], bad)
			}
		}
		// 注册在楼 and 实际在楼 are read on every row: a wrong cell is a
		// mistake also where no firm is named.
		if v := cell(spRegistered); v != "" {
			if b, ok := parseYesNo(v); ok {
				o.Registered = b
			} else {
				bad(at[spRegistered], v, "“%s”应为是或否(也可写Y/N、√/×、1/0)", v)
			}
		}
		if v := cell(spPresent); v != "" {
			if b, ok := parseYesNo(v); ok {
				o.Present = b
			} else {
				bad(at[spPresent], v, "“%s”应为是或否(也可写Y/N、√/×、1/0)", v)
			}
		}
		if number == "" {
			continue
		}

		line := rooms[number]
		switch {
		case line == nil:
			line = &roomLine{row: row, index: -1, room: room}
			for _, c := range []int{spFloor, spArea, spUse} {
				line.text[c] = cell(c)
			}
			rooms[number] = line
			if room.Area < 0 {
				bad(at[spArea], "", "面积为空")
				roomOK = false
			}
			if roomOK {
				line.index = len(sp.Rooms)
				sp.Rooms = append(sp.Rooms, room)
			}
		case !tenant:
			bad(at[spRoom], number, "房间%s已在第%d行列出;同一房间的多行应各填一家入驻企业", number, line.row)
		case line.index >= 0 && roomOK:
			first := line.room
			differ := func(c int, same bool) {
				if v := cell(c); v != "" && !same {
					bad(at[c], v, "房间%s的%s“%s”与第%d行的“%s”不一致", number, spaceHeaders[c][0], v, line.row, line.text[c])
				}
			}
			differ(spFloor, room.Floor == first.Floor)
			differ(spArea, room.Area == first.Area)
			differ(spUse, room.Rentable == first.Rentable)
		}
		if !tenant || line.index < 0 || len(errs) > failed {
			continue
		}
		o.Area = used
		if used < 0 {
			o.Area = line.room.Area
		}
		sp.Occupancies = append(sp.Occupancies, o)
		sp.Rows = append(sp.Rows, row)
	}
	errs = append(errs, spaceProblems(sp, h, rooms)...)
	slices.SortStableFunc(errs, func(a, b table.RowError) int { return a.Row - b.Row })
	return sp, errs, nil
}

// spaceProblems places what Space.Check finds at the rows it came from:
// an occupancy's problem at its row, a room's at the room's first row,
// in the column it is about.
func spaceProblems(sp *Space, h *spaceHeader, rooms map[string]*roomLine) []table.RowError {
	at := h.at
	col := func(cs ...int) int {
		for _, c := range cs {
			if at[c] >= 0 {
				return at[c]
			}
		}
		return at[spRoom]
	}
	var errs []table.RowError
	for _, p := range sp.Check() {
		e := table.RowError{Msg: p.Msg}
		var c int
		switch {
		case p.Index >= 0 && p.Index < len(sp.Occupancies):
			o := sp.Occupancies[p.Index]
			e.Row = sp.Rows[p.Index]
			switch {
			case strings.TrimSpace(o.Firm) == "":
				c = col(spFirm, spUSCC)
			case o.To != "" && o.To < o.From:
				c, e.Value = col(spTo), o.To
			default:
				c, e.Value = col(spUsed, spArea), o.Area.String()
			}
		default:
			line := rooms[p.Room]
			if line == nil {
				continue // a room the sheet cannot hold: its numbers are unique and never blank
			}
			e.Row, c = line.row, at[spRoom]
			if line.room.Area <= 0 {
				c, e.Value = at[spArea], line.text[spArea]
			}
		}
		e.Col, e.Header = c+1, h.text(c)
		errs = append(errs, e)
	}
	return errs
}

// parseSpaceDate reads a date cell as YYYY-MM-DD, reporting a cell that
// is not a date with bad.
func parseSpaceDate(v, what string, col int, bad func(col int, v, format string, args ...any)) string {
	t, err := table.ParseDate(v)
	switch {
	case errors.Is(err, table.ErrNoDate):
		bad(col, v, "%s“%s”不是存在的日期", what, v)
		return ""
	case err != nil:
		bad(col, v, "%s“%s”应为2025-03-01这样的日期", what, v)
		return ""
	}
	return t.Format(time.DateOnly)
}

// parseFloor reads a floor: "12", "12F", "12层", "12楼", "F12"; below
// ground "B1", "-1", "地下1层", "负1层" are -1. Floors run from 20 below
// ground to 200; there is no floor 0.
func parseFloor(s string) (int, bool) {
	t := strings.ToUpper(strings.TrimSpace(s))
	neg := false
	for _, p := range []string{"地下", "负", "B", "-"} {
		if strings.HasPrefix(t, p) {
			neg, t = true, strings.TrimPrefix(t, p)
			break
		}
	}
	for _, suf := range []string{"层", "楼", "F"} {
		if strings.HasSuffix(t, suf) {
			t = strings.TrimSuffix(t, suf)
			break
		}
	}
	if !neg {
		t = strings.TrimPrefix(t, "F")
	}
	if len(t) > 3 || !allDigits(t) {
		return 0, false
	}
	n, _ := strconv.Atoi(t)
	if neg {
		n = -n
	}
	return n, n != 0 && n >= -20 && n <= 200
}

// parseRentable reads a room's 用途 or 是否可租: for rent (可租, 出租,
// 招商, 已租, 空置, 是; blank too) or not (自用, 公共, 配套, 不可租, 否).
func parseRentable(s string) (rentable, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "可租", "出租", "招商", "已租", "已出租", "待租", "空置":
		return true, true
	case "自用", "公共", "配套", "不可租", "公共区域", "配套用房", "业主自用":
		return false, true
	}
	return parseYesNo(s)
}

// parseYesNo reads a yes-or-no cell: 是/否, Y/N, √/×, 1/0 (a spreadsheet's
// TRUE and FALSE read as 1 and 0).
func parseYesNo(s string) (yes, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "是", "Y", "YES", "√", "✓", "✔", "1", "TRUE":
		return true, true
	case "否", "N", "NO", "×", "✗", "✘", "X", "0", "FALSE":
		return false, true
	}
	return false, false
}
