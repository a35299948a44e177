package registry

import (
	"strings"
	"testing"
	"time"
)

const wanFen = 1_000_000 // fen in one 万元

// TestAssess checks the two doors into the statistics with figures worked
// out by hand (see each case's comment).
func TestAssess(t *testing.T) {
	services := Threshold{Register: RegisterServices, Label: "规模以上服务业", AmountFen: 1000 * wanFen}
	retail := Threshold{Register: RegisterTrade, Label: "限额以上零售业", AmountFen: 500 * wanFen}
	may := time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)
	october := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		registered string
		fig        Figure
		th         Threshold
		now        time.Time
		qualifies  bool
		pool       bool
		entry      string
		projected  int64 // 万元
		percent    int
		reason     string
	}{
		{
			// Opened in February; Feb–Apr revenue 1050 ≥ 1000: the monthly door, from May.
			"new firm over the line", "2026-02-10", Figure{Period: "2026-04", AmountFen: 1050 * wanFen}, services, may,
			true, false, "2026-05", 4200, 420,
			"新开业企业,2026年2—4月营业收入1050万元,已达到规模以上服务业入库标准1000万元,可按月申报入库,最早2026年5月纳入统计",
		},
		{
			// Opened in March, 300 in two months = 150 a month: 1000 takes ⌈1000/150⌉ = 7
			// months, March..September (900 by August); counted from October. Full year
			// at that pace 1800 = 180%.
			"new firm on its way", "2026-03-01", Figure{Period: "2026-04", AmountFen: 300 * wanFen}, services, may,
			false, true, "2026-10", 1800, 180,
			"新开业企业,2026年3—4月营业收入300万元,按此进度约2026年9月累计达到规模以上服务业入库标准1000万元,可按月申报入库,预计2026年10月纳入统计",
		},
		{
			// Opened in November last year (still new); 200 in Jan–Apr = 50 a month: 20
			// months to 1000, not this year. 600 a year = 60% < 80%: not in the pool.
			"new firm too slow", "2025-11-20", Figure{Period: "2026-04", AmountFen: 200 * wanFen}, services, may,
			false, false, "", 600, 60,
			"新开业企业,2026年1—4月营业收入200万元,按此进度本年累计达不到规模以上服务业入库标准1000万元,全年预计600万元,为标准的60%",
		},
		{
			// An old firm with 1200 last year is above the line but not in: it missed the
			// 2025 review; next door is October–December 2026, counted from January 2027.
			"existing firm missed", "2015-06-01", Figure{Period: "2025", AmountFen: 1200 * wanFen}, services, may,
			true, false, "2027-01", 1200, 120,
			"2025年营业收入1200万元,已达到规模以上服务业入库标准1000万元,但未纳入统计(应统未统);须在2026年10—12月年度入库中申报,最早2027年1月纳入统计",
		},
		{
			// 300 in four months: 900 a year = 90%: in the pool, no date at this pace.
			"existing firm close", "2015-06-01", Figure{Period: "2026-04", AmountFen: 300 * wanFen}, services, may,
			false, true, "", 900, 90,
			"2026年1—4月营业收入300万元,全年预计900万元,为规模以上服务业入库标准1000万元的90%,还差100万元",
		},
		{
			// 400 in four months: 1200 a year: the 2026 review admits it, from January 2027.
			"existing firm projected over", "2015-06-01", Figure{Period: "2026-04", AmountFen: 400 * wanFen}, services, may,
			false, true, "2027-01", 1200, 120,
			"2026年1—4月营业收入400万元,全年预计1200万元,可达到规模以上服务业入库标准1000万元,可在本年10—12月年度入库中申报,最早2027年1月纳入统计",
		},
		{
			// The same firm in October: the review is open: it qualifies now.
			"existing firm during the review", "2015-06-01", Figure{Period: "2026-09", AmountFen: 900 * wanFen}, services, october,
			true, false, "2027-01", 1200, 120,
			"2026年1—9月营业收入900万元,全年预计1200万元,达到规模以上服务业入库标准1000万元,可在本年10—12月年度入库中申报,2027年1月纳入统计",
		},
		{
			// 700 last year = 70%: neither list.
			"existing firm far", "2015-06-01", Figure{Period: "2025", AmountFen: 700 * wanFen}, services, may,
			false, false, "", 700, 70,
			"2025年营业收入700万元,为规模以上服务业入库标准1000万元的70%,还差300万元",
		},
		{
			// Retail, opened in January; 499.9999 (one yuan short of 500) in Jan–Mar: it
			// reaches 500 in the fourth month (⌈500×3/499.9999⌉ = 4), counted from May.
			"retail one yuan short", "2026-01-05", Figure{Period: "2026-03", AmountFen: 4_999_999 * 100}, retail, may,
			false, true, "2026-05", 1999_9996 / 10000, 399,
			"新开业企业,2026年1—3月营业收入499.9999万元,按此进度约2026年4月累计达到限额以上零售业入库标准500万元,可按月申报入库,预计2026年5月纳入统计",
		},
		{
			// A firm that worked two of the four months: 200 over 2 months = 1200 a year.
			"explicit months", "2015-06-01", Figure{Period: "2026-04", Months: 2, AmountFen: 200 * wanFen}, services, may,
			false, true, "2027-01", 1200, 120,
			"2026年1—4月营业收入200万元,全年预计1200万元,可达到规模以上服务业入库标准1000万元,可在本年10—12月年度入库中申报,最早2027年1月纳入统计",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Assess(tt.registered, tt.fig, tt.th, tt.now, 80)
			if err != nil {
				t.Fatal(err)
			}
			if a.Qualifies != tt.qualifies || a.InPool != tt.pool || a.Entry != tt.entry || a.Percent != tt.percent {
				t.Errorf("qualifies %v pool %v entry %q percent %d, want %v %v %q %d",
					a.Qualifies, a.InPool, a.Entry, a.Percent, tt.qualifies, tt.pool, tt.entry, tt.percent)
			}
			if int64(a.ProjectedFen/wanFen) != tt.projected {
				t.Errorf("projected %s万元, want %d", a.ProjectedFen.Wan(), tt.projected)
			}
			if a.Reason != tt.reason {
				t.Errorf("reason\n got %s\nwant %s", a.Reason, tt.reason)
			}
		})
	}
}

func TestAssessErrors(t *testing.T) {
	th := Threshold{Register: RegisterServices, Label: "规模以上服务业", AmountFen: 1000 * wanFen}
	now := time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		registered string
		fig        Figure
		want       string
	}{
		{"", Figure{Period: "2026-13", AmountFen: 1}, "应为YYYY或YYYY-MM"},
		{"", Figure{Period: "26", AmountFen: 1}, "应为YYYY或YYYY-MM"},
		{"", Figure{Period: "2026-04", AmountFen: -1}, "不能为负数"},
		{"2026-05-01", Figure{Period: "2026-03", AmountFen: 1}, "早于成立日期"},
	} {
		if _, err := Assess(tt.registered, tt.fig, th, now, 80); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.fig, err, tt.want)
		}
	}
}

func TestIsNewFirm(t *testing.T) {
	now := time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		date string
		want bool
	}{{"2025-10-01", true}, {"2025-09-30", false}, {"2026-05-01", true}, {"", false}, {"2025/10/01", false}} {
		if got := isNewFirm(tt.date, now); got != tt.want {
			t.Errorf("isNewFirm(%q) = %v", tt.date, got)
		}
	}
}
