package registry

import (
	"fmt"
	"math/big"
	"strconv"
	"svcplan/internal/money"
	"time"
)

// Threshold is the size test of an enterprise's industry: which
// statistical register it leads into and the annual revenue it takes.
type Threshold struct {
	Register  Register  `json:"register"`
	Label     string    `json:"label"`      // e.g. 规模以上服务业, 限额以上零售业
	AmountFen money.Fen `json:"amount_fen"` // annual revenue, in fen; > 0
}

// Figure is a revenue figure of a firm for a period.
type Figure struct {
	// Period is YYYY for a full year or YYYY-MM for January (or the month
	// the firm opened) through that month.
	Period string `json:"period"`
	// Months is how many months of operation the figure covers; 0 means
	// derive it from the period and the registration date.
	Months    int       `json:"months"`
	AmountFen money.Fen `json:"amount_fen"`
	Source    Source    `json:"source"`
}

// Assessment says whether a firm outside the statistics belongs in them,
// or is close, and when it could be included.
type Assessment struct {
	Threshold    Threshold `json:"threshold"`
	New          bool      `json:"new"`           // opened since 1 October of the previous year: may enter in any month
	ProjectedFen money.Fen `json:"projected_fen"` // projected revenue of a full year
	Percent      int       `json:"percent"`       // projected revenue as a whole percentage of the threshold, rounded down
	// Qualifies: a door admits the firm now (应统未统).
	Qualifies bool `json:"qualifies"`
	// InPool: not admitted now, but projected at or above the pool share
	// of the threshold (培育库).
	InPool bool `json:"in_pool"`
	// Entry is the earliest month (YYYY-MM) the firm can be counted in the
	// statistics; "" when no date can be foreseen at the current pace.
	Entry  string `json:"entry"`
	Reason string `json:"reason"`
}

// isNewFirm reports whether a firm registered on date (YYYY-MM-DD) counts
// as newly opened in the year of now: registered since 1 October of the
// previous year. Such firms may enter the statistics in any month.
func isNewFirm(registeredOn string, now time.Time) bool {
	d, err := time.Parse(time.DateOnly, registeredOn)
	if err != nil {
		return false
	}
	return !d.Before(time.Date(now.Year()-1, time.October, 1, 0, 0, 0, 0, time.UTC))
}

// monthsCovered is how many months of operation a figure covers: the
// figure's own count if given, else from January (or the registration
// month, if the firm opened in that year) through the period's month.
func monthsCovered(fig Figure, registeredOn string) (year, first, last, months int, err error) {
	var month int
	switch len(fig.Period) {
	case 4:
		year, err = strconv.Atoi(fig.Period)
		month = 12
	case 7:
		year, err = strconv.Atoi(fig.Period[:4])
		if err == nil {
			month, err = strconv.Atoi(fig.Period[5:])
		}
	default:
		err = fmt.Errorf("期间“%s”应为YYYY或YYYY-MM", fig.Period)
	}
	if err != nil || month < 1 || month > 12 {
		return 0, 0, 0, 0, fmt.Errorf("期间“%s”应为YYYY或YYYY-MM", fig.Period)
	}
	first = 1
	if d, derr := time.Parse(time.DateOnly, registeredOn); derr == nil && d.Year() == year {
		first = int(d.Month())
	}
	months = month - first + 1
	if fig.Months > 0 {
		months = fig.Months
	}
	if months < 1 {
		return 0, 0, 0, 0, fmt.Errorf("期间%s早于成立日期", fig.Period)
	}
	return year, first, month, months, nil
}

// projected is a year's revenue at the pace of amount over months:
// amount × 12 ÷ months, rounded half up to the fen.
func projected(amount money.Fen, months int) money.Fen {
	if months >= 12 {
		return amount
	}
	m := money.Fen(months)
	return (amount*12*2 + m) / (m * 2)
}

// percentOf is a of b as a whole percentage, rounded down.
func percentOf(a, b money.Fen) int {
	p := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(100))
	return int(p.Quo(p, big.NewInt(int64(b))).Int64())
}

// Assess applies the two doors into the statistics (conventions §3.1) to a
// firm outside them, given its latest revenue figure, at time now:
//
//   - a new firm (opened since 1 October of last year) may enter in the month
//     after its revenue this year reaches the threshold;
//   - an existing firm enters only through the annual review in October to
//     December, on the year's revenue, and is counted from the next January.
//
// poolPercent is the share of the threshold (e.g. 80) from which a firm
// that does not qualify yet belongs in the cultivation pool.
func Assess(registeredOn string, fig Figure, th Threshold, now time.Time, poolPercent int) (Assessment, error) {
	a := Assessment{Threshold: th, New: isNewFirm(registeredOn, now)}
	year, first, last, months, err := monthsCovered(fig, registeredOn)
	if err != nil {
		return a, err
	}
	if fig.AmountFen < 0 {
		return a, fmt.Errorf("营业收入不能为负数")
	}
	a.ProjectedFen = projected(fig.AmountFen, months)
	a.Percent = percentOf(a.ProjectedFen, th.AmountFen)
	T := th.AmountFen
	thisYear := now.Year()
	inReview := now.Month() >= time.October
	span := fmt.Sprintf("%d年%d—%d月", year, first, last)
	if first == last {
		span = fmt.Sprintf("%d年%d月", year, last)
	}
	if len(fig.Period) == 4 && months == 12 {
		span = fmt.Sprintf("%d年", year)
	}
	std := fmt.Sprintf("%s入库标准%s万元", th.Label, T.Wan())
	got := fmt.Sprintf("%s营业收入%s万元", span, fig.AmountFen.Wan())

	switch {
	// A new firm this year: the monthly door, on cumulative revenue.
	case a.New && year == thisYear:
		if fig.AmountFen >= T {
			a.Qualifies = true
			a.Entry = monthAfter(year, last)
			a.Reason = fmt.Sprintf("新开业企业,%s,已达到%s,可按月申报入库,最早%s纳入统计", got, std, monthLabel(a.Entry))
			return a, nil
		}
		// The month cumulative revenue reaches the threshold at this pace.
		if fig.AmountFen > 0 {
			k := (T*money.Fen(months) + fig.AmountFen - 1) / fig.AmountFen // months from opening, rounded up
			if cross := first + int(k) - 1; cross <= 12 {
				a.Entry = monthAfter(year, cross)
				a.Reason = fmt.Sprintf("新开业企业,%s,按此进度约%d年%d月累计达到%s,可按月申报入库,预计%s纳入统计",
					got, year, cross, std, monthLabel(a.Entry))
			}
		}
		if a.Entry == "" {
			a.Reason = fmt.Sprintf("新开业企业,%s,按此进度本年累计达不到%s,全年预计%s万元,为标准的%d%%",
				got, std, a.ProjectedFen.Wan(), a.Percent)
		}

	// A full year that has ended: the annual review of that year.
	case year < thisYear || len(fig.Period) == 4:
		if fig.AmountFen >= T && year >= thisYear-1 {
			a.Qualifies = true
			if year == thisYear && inReview {
				a.Entry = fmt.Sprintf("%d-01", year+1)
				a.Reason = fmt.Sprintf("%s,已达到%s,可在本年10—12月年度入库中申报,%s纳入统计", got, std, monthLabel(a.Entry))
			} else {
				a.Entry = fmt.Sprintf("%d-01", thisYear+1)
				a.Reason = fmt.Sprintf("%s,已达到%s,但未纳入统计(应统未统);须在%d年10—12月年度入库中申报,最早%s纳入统计",
					got, std, thisYear, monthLabel(a.Entry))
			}
			return a, nil
		}
		a.Reason = fmt.Sprintf("%s,为%s的%d%%,还差%s万元", got, std, percentOf(fig.AmountFen, T), (T - fig.AmountFen).Wan())
		if fig.AmountFen >= T { // an old year above the threshold: no door on it now
			a.Reason = fmt.Sprintf("%s,曾达到%s;需以%d年营业收入在年度入库中申报", got, std, thisYear)
		}

	// An existing firm, this year so far: the coming annual review.
	default:
		if a.ProjectedFen >= T {
			a.Entry = fmt.Sprintf("%d-01", thisYear+1)
			if inReview {
				a.Qualifies = true
				a.Reason = fmt.Sprintf("%s,全年预计%s万元,达到%s,可在本年10—12月年度入库中申报,%s纳入统计",
					got, a.ProjectedFen.Wan(), std, monthLabel(a.Entry))
				return a, nil
			}
			a.Reason = fmt.Sprintf("%s,全年预计%s万元,可达到%s,可在本年10—12月年度入库中申报,最早%s纳入统计",
				got, a.ProjectedFen.Wan(), std, monthLabel(a.Entry))
		} else {
			a.Reason = fmt.Sprintf("%s,全年预计%s万元,为%s的%d%%,还差%s万元",
				got, a.ProjectedFen.Wan(), std, a.Percent, (T - a.ProjectedFen).Wan())
		}
	}
	a.InPool = a.Percent >= poolPercent
	return a, nil
}

// monthAfter is the month after year-month as YYYY-MM.
func monthAfter(year, month int) string {
	if month >= 12 {
		return fmt.Sprintf("%d-01", year+1)
	}
	return fmt.Sprintf("%d-%02d", year, month+1)
}

func monthOf(ym string) int {
	m, _ := strconv.Atoi(ym[5:])
	return m
}

// monthLabel is YYYY-MM as 2026年6月.
func monthLabel(ym string) string {
	y, _ := strconv.Atoi(ym[:4])
	return fmt.Sprintf("%d年%d月", y, monthOf(ym))
}
