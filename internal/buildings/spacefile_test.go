package buildings_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/buildings"
	"svcplan/internal/table"
)

// spaceHeader is a building's 台账 header as the operators keep it.
var spaceHeader = []any{"楼层", "房号", "面积（㎡）", "用途", "入驻企业", "统一社会信用代码", "使用面积(平方米)", "入驻日期", "迁出日期",
	"注册在楼", "实际在楼"}

func TestParseSpaceLedger(t *testing.T) {
	// A title row; floors, rooms and areas stored as numbers; a room let
	// to two firms on two rows with its cells merged; a date as a serial
	// number; a firm gone.
	rows := workbook(t, [][]any{
		{"港城大厦楼宇台账(2026年3月)"},
		spaceHeader,
		{12, 1201, 320.5, "出租", "泰州甲科技有限公司", firmA, 300.5, "2024-03-01", "", "是", "是"},
		{12, 1202, 180, "出租", "泰州乙咨询有限公司", firmB, 100, "2025/1/15", "", "√", ""},
		{"", 1202, "", "", "某设计工作室", "", 80, 45658, "", "否", "否"},
		{"B1", "B101", 50, "配套"},
		{"12F", 1203, "1,200.00", "招商", "", "", "", "", "", "", ""},
		{"地下2层", "B201", 30.25, "自用", "泰州丙物流有限公司", " 913212710747283018 ", "", "2023年6月1日", "", "1", "0"},
		{},
		{"13层", 1301, 200, "", "泰州丁设计有限公司", firmD, "", "2023-06-01", "2025-12-31", "Y", "N"},
		{12, 1201, 320.50, "可租", "泰州甲科技有限公司", firmA, 20, "2026-01-01"},
	})
	sp, errs, err := buildings.ParseSpace(rows, "GG-001")
	if err != nil || len(errs) > 0 {
		t.Fatalf("ParseSpace: %v %v", errs, err)
	}
	want := &buildings.Space{Building: "GG-001",
		Rooms: []buildings.Room{
			{Floor: 12, Number: "1201", Area: 32_050, Rentable: true},
			{Floor: 12, Number: "1202", Area: 18_000, Rentable: true},
			{Floor: -1, Number: "B101", Area: 5_000},
			{Floor: 12, Number: "1203", Area: 120_000, Rentable: true},
			{Floor: -2, Number: "B201", Area: 3_025},
			{Floor: 13, Number: "1301", Area: 20_000, Rentable: true},
		},
		Occupancies: []buildings.Occupancy{
			{Room: "1201", USCC: firmA, Firm: "泰州甲科技有限公司", Area: 30_050, From: "2024-03-01", Registered: true, Present: true},
			{Room: "1202", USCC: firmB, Firm: "泰州乙咨询有限公司", Area: 10_000, From: "2025-01-15", Registered: true, Present: true},
			{Room: "1202", Firm: "某设计工作室", Area: 8_000, From: "2025-01-01"},
			{Room: "B201", USCC: firmC, Firm: "泰州丙物流有限公司", Area: 3_025, From: "2023-06-01", Registered: true},
			{Room: "1301", USCC: firmD, Firm: "泰州丁设计有限公司", Area: 20_000, From: "2023-06-01", To: "2025-12-31", Registered: true},
			// Present, not registered here: the blanks' defaults.
			{Room: "1201", USCC: firmA, Firm: "泰州甲科技有限公司", Area: 2_000, From: "2026-01-01", Present: true},
		},
		Rows: []int{3, 4, 5, 8, 10, 11},
	}
	if d := cmp.Diff(want, sp); d != "" {
		t.Errorf("space (-want +got):\n%s", d)
	}
}

func TestParseSpaceHeaders(t *testing.T) {
	for _, header := range []string{
		"房号,面积", "房间号,房间面积(m²)", "单元号,建筑面积（平方米）", "所在楼层,房号,面积㎡,是否可租,企业名称,使用面积(m2),入驻时间",
	} {
		t.Run(header, func(t *testing.T) {
			sp, errs, err := buildings.ParseSpace(lines("某楼台账", header, strings.Repeat(",", strings.Count(header, ","))), "GG-001")
			if err != nil || len(errs) > 0 || len(sp.Rooms) != 0 {
				t.Fatalf("ParseSpace: %+v %v %v", sp, errs, err)
			}
		})
	}
	sp, errs, err := buildings.ParseSpace(lines("所在楼层,房号,面积㎡,是否可租,企业名称,使用面积(m2),入驻时间", "5,501,88.8,否,某公司,8,2025-01-02"), "GG-002")
	want := &buildings.Space{Building: "GG-002", Rooms: []buildings.Room{{Floor: 5, Number: "501", Area: 8_880}},
		Occupancies: []buildings.Occupancy{{Room: "501", Firm: "某公司", Area: 800, From: "2025-01-02", Present: true}}, Rows: []int{2}}
	if d := cmp.Diff(want, sp); d != "" || err != nil || len(errs) > 0 {
		t.Errorf("other names (-want +got):\n%s %v %v", d, errs, err)
	}
}

func TestParseSpaceMistakes(t *testing.T) {
	const header = "楼层,房号,面积(㎡),用途,入驻企业,统一社会信用代码,使用面积,入驻日期,迁出日期,注册在楼,实际在楼"
	e := func(row, col int, value, msg string) table.RowError {
		return table.RowError{Row: row, Col: col, Header: strings.Split(header, ",")[col-1], Value: value, Msg: msg}
	}
	for _, tc := range []struct {
		name string
		rows []string
		want []table.RowError
	}{
		{
			name: "room cells",
			rows: []string{"十二层,1201,100", "0,1202,100", "B21,1203,100", "3,,100", "3,301,", "3,302,abc", "3,303,-5", "3,304,12.345", "3,305,10,办公"},
			want: []table.RowError{
				e(2, 1, "十二层", "楼层“十二层”应为1至200的层号(如12、12F、12层),地下层写B1、-1或地下1层(至多地下20层)"),
				e(3, 1, "0", "楼层“0”应为1至200的层号(如12、12F、12层),地下层写B1、-1或地下1层(至多地下20层)"),
				e(4, 1, "B21", "楼层“B21”应为1至200的层号(如12、12F、12层),地下层写B1、-1或地下1层(至多地下20层)"),
				e(5, 2, "", "房号为空"),
				e(6, 3, "", "面积为空"),
				e(7, 3, "abc", "面积“abc”不是面积数字(平方米)"),
				e(8, 3, "-5", "面积不能为负数(-5)"),
				e(9, 3, "12.345", "面积“12.345”超过两位小数"),
				e(10, 4, "办公", "“办公”应为可租、出租、招商或自用、公共、配套、不可租"),
			},
		},
		{
			name: "a room on several rows",
			rows: []string{"3,301,100,出租,甲,,50,2025-01-01", "3,301,120,,乙,,50,2025-01-01", "4,301,,自用,丙,,,2025-01-01", "3,301",
				"3,301,100.00,出租,丁,,50,2026-01-01", "3,302,50", "3,302,50"},
			want: []table.RowError{
				e(3, 3, "120", "房间301的面积“120”与第2行的“100”不一致"),
				e(4, 1, "4", "房间301的楼层“4”与第2行的“3”不一致"),
				e(4, 4, "自用", "房间301的用途“自用”与第2行的“出租”不一致"),
				e(5, 2, "301", "房间301已在第2行列出;同一房间的多行应各填一家入驻企业"),
				e(8, 2, "302", "房间302已在第7行列出;同一房间的多行应各填一家入驻企业"),
			},
		},
		{
			name: "tenant cells",
			rows: []string{
				"3,301,100,,甲,91350100M000100Y44,,2025-01-01",
				"3,302,100,,乙,,abc,2025-01-01",
				"3,303,100,,丙",
				"3,304,100,,丁,,,2025-02-30,下月",
				"3,305,100,,戊,,,2025-01-01,,有,2",
				"3,306,100,,,,,,,否,否", // no tenant; the flags are still read
			},
			want: []table.RowError{
				e(2, 6, "91350100M000100Y44", "第18位校验码应为3,实际为4"),
				e(3, 7, "abc", "使用面积“abc”不是面积数字(平方米)"),
				e(4, 8, "", "入驻日期为空"),
				e(5, 8, "2025-02-30", "入驻日期“2025-02-30”不是存在的日期"),
				e(5, 9, "下月", "迁出日期“下月”应为2025-03-01这样的日期"),
				e(6, 10, "有", "“有”应为是或否(也可写Y/N、√/×、1/0)"),
				e(6, 11, "2", "“2”应为是或否(也可写Y/N、√/×、1/0)"),
			},
		},
		{
			name: "what Space.Check finds, at the rows",
			rows: []string{
				"3,301,100,,甲,,120,2025-01-01",
				"3,302,0",
				"3,303,100,,," + firmA + ",,2025-01-01",
				"3,304,100,,乙,,,2025-06-01,2025-01-01",
				"3,305,100,,丙,,60,2025-01-01",
				"3,305,,,丁,,50,2025-03-01,2025-12-31",
				"3,306,100,,戊,,,2025-01-01,2025-06-30",
				"3,306,,,己,,,2025-07-01",
			},
			want: []table.RowError{
				e(2, 7, "120.00", "甲在301的使用面积120.00平方米大于房间面积100.00平方米"),
				e(3, 3, "0", "房间302的面积应大于0"),
				e(4, 5, "", "房间303的入驻企业名称为空"),
				e(5, 9, "2025-01-01", "乙的迁出日期2025-01-01早于入驻日期2025-06-01"),
				e(7, 7, "50.00", "房间305在2025-03-01同时入驻丙、丁,使用面积合计110.00平方米,大于房间面积100.00平方米"),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp, errs, err := buildings.ParseSpace(lines(append([]string{header}, tc.rows...)...), "GG-001")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, errs); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
			for i, row := range sp.Rows {
				for _, e := range errs {
					if e.Row == row && e.Col != 3 && e.Col != 5 && e.Col != 7 && e.Col != 9 { // only Check's may be on a kept row
						t.Errorf("occupancy %d kept from row %d with its mistake %q", i, row, e.Msg)
					}
				}
			}
		})
	}
}

func TestParseSpaceFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows table.Rows
		want string
	}{
		{"no header", lines("港城大厦台账", "楼层,面积,入驻企业"), "前20行中没有找到含“房号”(或“房间号”“单元号”)的表头"},
		{"no area", lines("标题", "楼层,房号,使用面积"), "第2行表头缺少列:面积(如“面积(㎡)”)"},
		{"too wide", lines(strings.Repeat("备注,", 199) + "房号,面积"), "第1行表头有201列,超过200列"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := buildings.ParseSpace(tc.rows, "GG-001")
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}

func TestParseSpaceNoDateColumn(t *testing.T) {
	_, errs, err := buildings.ParseSpace(lines("房号,面积,入驻企业", "301,100,甲", "302,100"), "GG-001")
	want := []table.RowError{{Row: 2, Col: 1, Header: "房号", Msg: "房间301有入驻企业,表中却没有“入驻日期”列"}}
	if d := cmp.Diff(want, errs); d != "" || err != nil {
		t.Errorf("errors (-want +got):\n%s %v", d, err)
	}
}
