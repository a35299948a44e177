package buildings

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"svcplan/internal/money"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// maxFileCols bounds the width of a file this package reads: the tax
// bureau's file and a building's 台账.
const maxFileCols = 200

// The headers of the tax bureau's file, folded by table.SplitUnit.
var (
	taxFirmHeaders     = []string{"统一社会信用代码", "纳税人识别号", "社会信用代码"}
	taxBuildingHeaders = []string{"楼宇编号"}
	taxNameHeaders     = []string{"纳税人名称", "企业名称", "单位名称", "楼宇名称"}
	taxPeriodHeaders   = []string{"所属期", "税款所属期", "期间", "年度", "月份", "所属年月"}
	taxCaliberHeaders  = []string{"口径", "税收口径"}
	// taxTotalHeaders name a whole figure. Any other header ending in
	// 税收, 税额 or 税款 is taken too, but only when it is the file's one
	// amount column: "增值税税额" beside "企业所得税税额" is a part, not the
	// figure.
	taxTotalHeaders = []string{"税收合计", "税额", "入库税款", "实缴税款", "税收", "全口径税收", "地方一般公共预算收入",
		"区级留成", "区级实际贡献", "税收总额", "纳税总额", "实缴税额", "入库税收", string(CaliberFull)}
)

// Messages of the tax bureau's file that tests and callers quote.
const (
	msgTaxNoCaliber = "税收口径未注明:请在表中加“口径”列、在金额列名中写明(如“全口径税收(万元)”)或在导入时选择口径"
	msgTaxPeriod    = "应为年份(2025)或月份(2025-03)"
	msgCaliberNames = "应为全口径、地方一般公共预算收入或区级留成"
	msgNumericCode  = "(该单元格是数字格式,长代码会丢失位数,请把这一列设为文本后重新导出)"
)

// taxAmount is an amount column: where, in what unit, and the caliber
// its header names ("" for none).
type taxAmount struct {
	col     int
	unit    money.Fen
	caliber Caliber
}

// taxHeader is where the columns of the tax bureau's file are, -1 for a
// column it lacks.
type taxHeader struct {
	cells                                 []string
	row                                   int
	firm, building, name, period, caliber int
	amounts                               []taxAmount
}

// text is a header cell as the file writes it, for messages.
func (h *taxHeader) text(col int) string { return strings.TrimSpace(h.cells[col]) }

// isTaxAmount reports whether a folded header names a tax figure.
func isTaxAmount(key string) bool {
	return slices.Contains(taxTotalHeaders, key) || strings.HasSuffix(key, "税收") || strings.HasSuffix(key, "税额") || strings.HasSuffix(key, "税款")
}

// findTaxHeader looks for the header row in the first 20 rows: the first
// with a firm's or a building's code column. It chooses the amount
// columns: those whose header names a caliber, else the one of the
// whole-figure names, else the one other tax column; a choice it cannot
// make is an error.
func findTaxHeader(rows table.Rows) (*taxHeader, error) {
	var h *taxHeader
	var withCaliber, totals, others []taxAmount
	for range 20 {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		c := &taxHeader{cells: cells, row: rows.Row(), firm: -1, building: -1, name: -1, period: -1, caliber: -1}
		withCaliber, totals, others = nil, nil, nil
		for i, cell := range cells {
			key, unit := table.SplitUnit(cell)
			first := func(at *int) {
				if *at < 0 {
					*at = i
				}
			}
			is := func(names []string) bool { return slices.Contains(names, key) || slices.Contains(names, bare(key)) }
			switch {
			case is(taxFirmHeaders):
				first(&c.firm)
			case is(taxBuildingHeaders):
				first(&c.building)
			case is(taxNameHeaders):
				first(&c.name)
			case is(taxPeriodHeaders):
				first(&c.period)
			case is(taxCaliberHeaders):
				first(&c.caliber)
			case isTaxAmount(key):
				a := taxAmount{col: i, unit: unit}
				a.caliber, _ = ParseCaliber(key)
				switch {
				case a.caliber != "":
					withCaliber = append(withCaliber, a)
				case slices.Contains(taxTotalHeaders, key):
					totals = append(totals, a)
				default:
					others = append(others, a)
				}
			}
		}
		if c.firm >= 0 || c.building >= 0 {
			h = c
			break
		}
	}
	if h == nil {
		return nil, errors.New("前20行中没有找到含“统一社会信用代码”(或“纳税人识别号”)或“楼宇编号”的表头")
	}
	if len(h.cells) > maxFileCols {
		return nil, fmt.Errorf("第%d行表头有%d列,超过%d列", h.row, len(h.cells), maxFileCols)
	}
	names := func(as []taxAmount) string {
		var s []string
		for _, a := range as {
			s = append(s, "“"+h.text(a.col)+"”")
		}
		return strings.Join(s, "、")
	}
	switch {
	case len(withCaliber) > 0:
		h.amounts = withCaliber
	case len(totals) > 0:
		h.amounts = totals
	default:
		h.amounts = others
	}
	switch {
	case len(h.amounts) == 0:
		return nil, fmt.Errorf("第%d行表头缺少列:税收金额(如“税收合计(万元)”)", h.row)
	case len(h.amounts) > 1 && h.amounts[0].caliber == "":
		return nil, fmt.Errorf("第%d行有多个税收金额列(%s),请只保留一列,或在列名中写明口径(如“全口径税收(万元)”)", h.row, names(h.amounts))
	case len(h.amounts) > 1 && h.caliber >= 0:
		return nil, fmt.Errorf("第%d行既有“%s”列,又有分口径的金额列(%s),请只用一种写法", h.row, h.text(h.caliber), names(h.amounts))
	case h.period < 0:
		return nil, fmt.Errorf("第%d行表头缺少列:所属期(如“所属期”“税款所属期”)", h.row)
	}
	for i, a := range h.amounts {
		if a.unit == 0 {
			return nil, fmt.Errorf("第%d行“%s”未注明单位,请写明(元)或(万元)", h.row, h.text(a.col))
		}
		for _, b := range h.amounts[:i] {
			if a.caliber == b.caliber {
				return nil, fmt.Errorf("第%d行“%s”和“%s”都是%s税收,请只保留一列", h.row, h.text(b.col), h.text(a.col), a.caliber)
			}
		}
	}
	return h, nil
}

// taxKey is what a figure is of: a firm's or a building's code, a period
// and a caliber. A file states each at most once.
type taxKey struct {
	code     string
	building bool
	period   string
	caliber  Caliber
}

// ParseTax reads the tax bureau's file: a header row in the first 20 rows
// with a firm's code (统一社会信用代码, 纳税人识别号) or a building's code
// (楼宇编号), a period (所属期) and a tax amount with its unit
// ("税收合计(万元)"), optionally a name and a caliber (口径) column, then
// one figure per row. A row with a firm's code is the firm's figure, any
// building code beside it notwithstanding; a row with only a building's
// code is the building's own figure.
//
// A figure's caliber is its row's 口径 cell, else the one the amount
// column names ("全口径税收(万元)"), else caliber, the one chosen for the
// import; a file that states none and an import that chose none is an
// error. A file may give a figure on several calibers side by side, one
// column each ("全口径税收(万元)", "区级留成(万元)"): each row is then one
// figure per column.
//
// ParseTax returns the figures of the rows without mistakes, in file
// order, and every mistake found; err is for a file that cannot be read
// at all.
func ParseTax(rows table.Rows, caliber Caliber) ([]TaxRow, []table.RowError, error) {
	if caliber != "" {
		c, ok := ParseCaliber(string(caliber))
		if !ok {
			return nil, nil, fmt.Errorf("导入时选择的税收口径“%s”%s", caliber, msgCaliberNames)
		}
		caliber = c
	}
	h, err := findTaxHeader(rows)
	if err != nil {
		return nil, nil, err
	}
	if caliber == "" && h.caliber < 0 && h.amounts[0].caliber == "" {
		return nil, nil, errors.New(msgTaxNoCaliber)
	}
	var out []TaxRow
	var errs []table.RowError
	seen := map[taxKey]int{}
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
		base := TaxRow{Row: row, Name: table.Cell(cells, h.name)}
		key := taxKey{}
		codeCol := h.firm
		switch firm, building := table.Cell(cells, h.firm), table.Cell(cells, h.building); {
		case firm != "":
			base.USCC = uscc.Normalize(firm)
			if err := uscc.Check(base.USCC).Err(); err != nil {
				msg := err.Error()
				if rows.Numeric(h.firm) {
					msg += msgNumericCode
				}
				bad(h.firm, firm, "%s", msg)
			}
			key.code = base.USCC
		case building != "":
			codeCol = h.building
			base.Building = building
			if badBuildingCode(building) {
				bad(h.building, building, "楼宇编号“%s”应为不超过32个字符的字母、数字或短横线", building)
			}
			key.code, key.building = building, true
		case h.firm >= 0 && h.building >= 0:
			bad(h.firm, "", "%s和%s均为空", h.text(h.firm), h.text(h.building))
		case h.firm >= 0:
			bad(h.firm, "", "%s为空", h.text(h.firm))
		default:
			codeCol = h.building
			bad(h.building, "", "楼宇编号为空")
		}
		switch v := table.Cell(cells, h.period); {
		case v == "":
			bad(h.period, "", "所属期为空,%s", msgTaxPeriod)
		default:
			p, msg := parseTaxPeriod(v, rows.Numeric(h.period))
			if msg != "" {
				bad(h.period, v, "%s", msg)
			}
			base.Period = p
		}
		// The row's own caliber, when it has a 口径 column.
		var cellCaliber Caliber
		if v := table.Cell(cells, h.caliber); v != "" {
			c, ok := ParseCaliber(v)
			if !ok {
				bad(h.caliber, v, "口径“%s”%s", v, msgCaliberNames)
			}
			cellCaliber = c
		}
		var figures []TaxRow
		for _, a := range h.amounts {
			r := base
			switch {
			case cellCaliber != "" && a.caliber != "" && cellCaliber != a.caliber:
				bad(h.caliber, table.Cell(cells, h.caliber), "口径“%s”与金额列“%s”的%s不符", table.Cell(cells, h.caliber), h.text(a.col), a.caliber)
			case cellCaliber != "":
				r.Caliber = cellCaliber
			case a.caliber != "":
				r.Caliber = a.caliber
			case caliber != "":
				r.Caliber = caliber
			case table.Cell(cells, h.caliber) == "": // only with a 口径 column: without one the file says or caliber is set
				bad(h.caliber, "", "口径为空,%s", msgCaliberNames)
			}
			v := table.Cell(cells, a.col)
			if v == "" {
				bad(a.col, "", "税收金额为空")
			} else if fen, err := money.ParseAmount(v, a.unit, "税收"); err != nil {
				bad(a.col, v, "%s", err)
			} else {
				r.Amount = fen
			}
			figures = append(figures, r)
		}
		if len(errs) > failed {
			continue
		}
		for _, r := range figures {
			key.period, key.caliber = r.Period, r.Caliber
			if first, dup := seen[key]; dup {
				bad(codeCol, key.code, "%s在%s的%s税收与第%d行重复", key.code, r.Period, r.Caliber, first)
				continue
			}
			seen[key] = row
			out = append(out, r)
		}
	}
	return out, errs, nil
}

// bare is a folded header without the note in brackets it ends with:
// "纳税人识别号(统一社会信用代码)" is "纳税人识别号", "所属期(年月)" "所属期".
func bare(key string) string {
	if i := strings.LastIndex(key, "("); i > 0 && strings.HasSuffix(key, ")") {
		return key[:i]
	}
	return key
}

// badBuildingCode reports a building code Building.Check would refuse.
func badBuildingCode(code string) bool {
	return len(code) > 32 || strings.ContainsAny(code, " /?#%\\\"<>")
}

// parseTaxPeriod reads a period cell as a year ("2025", "2025年",
// "2025年度") or a month ("2025-03", "2025-3", "2025/03", "2025.03",
// "202503", "2025年3月"), written 2025 or 2025-03; msg says what is wrong
// with any other. A month formatted as a date in Excel reads as the
// date of its first day ("2025-03-01") and is taken as the month. A
// number cell "2025.1" may be 2025.10 with its zero dropped and is
// refused as unclear; numeric says whether the cell is a number.
func parseTaxPeriod(v string, numeric bool) (period, msg string) {
	wrong := fmt.Sprintf("所属期“%s”%s", v, msgTaxPeriod)
	s := strings.TrimSuffix(v, "年度")
	if strings.Contains(s, "年") {
		s = strings.TrimSuffix(s, "月")
	}
	if y, m, ok := strings.Cut(s, "年"); ok && m == "" {
		s = y
	}
	var year, month string
	switch {
	case len(s) == 4:
		year = s
	case len(s) == 6 && allDigits(s):
		year, month = s[:4], s[4:]
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && strings.HasSuffix(s, "-01"):
		year, month = s[:4], s[5:7]
	default:
		var ok bool
		year, month, ok = cutAny(s, "-/.年")
		if !ok {
			return "", wrong
		}
		if numeric && month == "1" && strings.Contains(s, ".") {
			return "", fmt.Sprintf("所属期“%s”是数字单元格,看不出是1月还是10月,请写成2025-01或2025-10", v)
		}
	}
	if len(year) != 4 || !allDigits(year) || year < "1990" || year > "2100" {
		return "", wrong
	}
	if month == "" {
		return year, ""
	}
	n, err := strconv.Atoi(month)
	if !allDigits(month) || len(month) > 2 || err != nil || n < 1 || n > 12 {
		return "", wrong
	}
	return fmt.Sprintf("%s-%02d", year, n), ""
}

// cutAny cuts s around the first of the separators in seps.
func cutAny(s, seps string) (before, after string, found bool) {
	for _, sep := range seps {
		if b, a, ok := strings.Cut(s, string(sep)); ok {
			return b, a, true
		}
	}
	return s, "", false
}

// allDigits reports whether s is a non-empty string of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
