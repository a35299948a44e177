// Package xlsxtest generates deterministic, realistic-looking enterprise
// lists (as a statistics bureau or market regulator would hand them out) for
// tests and benchmarks of the tabular import code.
//
// The data is synthetic: unified social credit codes carry correct GB 32100
// and GB 11714 check characters but belong to nobody, industry codes are real
// GB/T 4754-2017 service classes, towns are the district's street/town codes.
package xlsxtest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"svcplan/internal/uscc"
)

// Header is the header row of the generated lists.
var Header = []string{
	"统一社会信用代码", "单位详细名称", "行业代码", "所在镇街", "详细地址", "成立日期",
	"登记状态", "纳统状态", "入库时间", "营业收入(万元)", "从业人员", "联系电话",
}

// Enterprise is one generated row.
type Enterprise struct {
	USCC      string
	Name      string
	Industry  string // GB/T 4754 four-digit class
	Town      string // nine-digit town/street code
	Address   string
	Founded   time.Time // date, UTC midnight
	Status    string
	Counted   string
	Entered   string // yyyymm
	Revenue   string // 万元, decimal with up to 4 fraction digits
	Employees int
	Phone     string
}

// Strings returns the row as text, dates as 2006-01-02.
func (e Enterprise) Strings() []string {
	return []string{
		e.USCC, e.Name, e.Industry, e.Town, e.Address, e.Founded.Format(time.DateOnly),
		e.Status, e.Counted, e.Entered, e.Revenue, strconv.Itoa(e.Employees), e.Phone,
	}
}

// industries are real GB/T 4754-2017 service-sector classes with a word
// that fits into a company name.
var industries = []struct{ code, word string }{
	{"5111", "粮油贸易"}, {"5121", "食品批发"}, {"5171", "农机销售"}, {"5211", "百货"},
	{"5221", "粮油商行"}, {"5261", "汽车销售"}, {"5292", "电子商务"}, {"5411", "公交客运"},
	{"5810", "多式联运"}, {"5821", "货运代理"}, {"5920", "仓储"}, {"6020", "快递"},
	{"6110", "大酒店"}, {"6121", "酒店管理"}, {"6210", "餐饮"}, {"6220", "快餐"},
	{"6311", "通信"}, {"6421", "网络科技"}, {"6513", "软件"}, {"6531", "信息系统"},
	{"7010", "房地产开发"}, {"7020", "物业管理"}, {"7030", "房产经纪"}, {"7121", "文体设备租赁"},
	{"7211", "投资控股"}, {"7231", "法律咨询"}, {"7241", "财税咨询"}, {"7261", "人力资源"},
	{"7281", "会展服务"}, {"7291", "旅行社"}, {"7320", "检测技术"}, {"7410", "气象科技"},
	{"7451", "检验检测"}, {"7520", "技术推广"}, {"7540", "科技服务"}, {"8010", "家政服务"},
	{"8020", "托育服务"}, {"8040", "理发美容"}, {"8111", "汽车维修"}, {"8211", "培训"},
	{"8310", "幼儿园"}, {"8411", "医院"}, {"8514", "养老服务"}, {"8710", "文化传媒"},
	{"8810", "文艺演出"}, {"9011", "娱乐"},
}

// towns are the district's town and street codes.
var towns = func() []string {
	var t []string
	for i := 1; i <= 7; i++ {
		t = append(t, fmt.Sprintf("321203%03d", i))
	}
	for i := 100; i <= 105; i++ {
		if i != 102 {
			t = append(t, fmt.Sprintf("321203%03d", i))
		}
	}
	for i := 400; i <= 402; i++ {
		t = append(t, fmt.Sprintf("321203%03d", i))
	}
	return t
}()

var (
	brandChars = []rune("鑫达华泰恒盛通宏远兴隆瑞祥嘉禾新源润丰金海天成永安博创明德汇聚利民顺昌凯翔中联同心")
	roads      = []string{"人民路", "通江路", "永安路", "港城路", "疏港路", "金港路", "刁铺大道", "口岸路", "许庄街", "大泗路"}
	statuses   = []string{"存续", "存续", "存续", "存续", "在业", "在业", "迁出", "吊销", "注销"}
	counted    = []string{"已纳统", "已纳统", "未纳统"}
)

// Generator produces a deterministic sequence of enterprises.
type Generator struct {
	rnd *rand.Rand
	n   int
}

// NewGenerator returns a generator; the same seed gives the same rows.
func NewGenerator(seed int64) *Generator {
	return &Generator{rnd: rand.New(rand.NewPCG(uint64(seed), 0x5eedc0de))}
}

// Next returns the next enterprise.
func (g *Generator) Next() Enterprise {
	r := g.rnd
	g.n++
	ind := industries[r.IntN(len(industries))]
	brand := string([]rune{brandChars[r.IntN(len(brandChars))], brandChars[r.IntN(len(brandChars))]})
	name := "泰州市高港区" + brand + ind.word + "有限公司"
	switch r.IntN(20) {
	case 0:
		name = "泰州" + brand + ind.word + "有限公司(分公司)"
	case 1:
		name = "高港区" + brand + ind.word + "店(个体工商户)"
	}
	addr := fmt.Sprintf("江苏省泰州市高港区%s%d号", roads[r.IntN(len(roads))], 1+r.IntN(300))
	switch r.IntN(50) {
	case 0:
		addr += ",3幢201室" // a comma: CSV must quote it
	case 1:
		addr += `"金港"大厦` // quotes inside a field
	}
	// Every date lies before 2026, so that the rows stay valid whatever
	// day a test's clock says.
	founded := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(25*365+180))
	entered := founded.AddDate(0, 1+r.IntN(60), 0)
	if entered.Year() > 2025 {
		entered = founded
	}
	// Revenue in 万元, log-normal: median about 150, long tail into the millions.
	rev := math.Exp(5 + 2.2*r.NormFloat64())
	revenue := strconv.FormatFloat(rev, 'f', r.IntN(5), 64)
	if strings.Contains(revenue, ".") {
		revenue = strings.TrimRight(strings.TrimRight(revenue, "0"), ".")
	}
	employees := int(math.Exp(2 + 1.3*r.NormFloat64()))
	phone := fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
	if r.IntN(3) == 0 {
		phone = fmt.Sprintf("0523-8%07d", r.IntN(10_000_000))
	}
	kind := "1" // 企业
	if r.IntN(10) == 0 {
		kind = "2" // 个体工商户
	}
	return Enterprise{
		USCC:      USCC("9"+kind+"321203", g.n),
		Name:      name,
		Industry:  ind.code,
		Town:      towns[r.IntN(len(towns))],
		Address:   addr,
		Founded:   founded,
		Status:    statuses[r.IntN(len(statuses))],
		Counted:   counted[r.IntN(len(counted))],
		Entered:   entered.Format("200601"),
		Revenue:   revenue,
		Employees: employees,
		Phone:     phone,
	}
}

// USCC builds an 18-character unified social credit code from an
// eight-character prefix (registration authority, kind, region) and a
// serial number, with correct GB 11714 and GB 32100 check characters.
func USCC(prefix string, serial int) string {
	body := prefix + fmt.Sprintf("%08d", (serial*7919+12345)%100_000_000)
	body += string(uscc.OrgCheckCharOf(body[8:16]))
	return body + string(CheckChar(body))
}

// CheckChar is the GB 32100 check character of the first 17 characters of a
// unified social credit code.
func CheckChar(first17 string) byte { return uscc.CheckCharOf(first17) }

// WriteEnterprisesCSV writes a header and n enterprises as UTF-8 CSV.
func WriteEnterprisesCSV(w io.Writer, n int, seed int64) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	g := NewGenerator(seed)
	for range n {
		if err := cw.Write(g.Next().Strings()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteEnterprisesXLSX writes a header and n enterprises as an XLSX workbook
// (sheet "Sheet1") with excelize's stream writer: text as inline strings,
// 成立日期 as a date cell, revenue and employees as numbers.
func WriteEnterprisesXLSX(w io.Writer, n int, seed int64) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	row := make([]any, len(Header))
	for i, h := range Header {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	g := NewGenerator(seed)
	for i := range n {
		e := g.Next()
		rev, err := strconv.ParseFloat(e.Revenue, 64)
		if err != nil {
			return err
		}
		row = append(row[:0], e.USCC, e.Name, e.Industry, e.Town, e.Address,
			excelize.Cell{StyleID: dateStyle, Value: e.Founded},
			e.Status, e.Counted, e.Entered, rev, e.Employees, e.Phone)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// Workbook writes rows into the first sheet of an .xlsx file, each cell
// with the type of its value: an int or float is a number cell, as Excel
// stores a code typed into a General cell.
func Workbook(rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
