// Package registry is the enterprise directory (名录库): every firm's
// industry, field, town and statistical status, its history, the revenue
// figures that say whether it belongs in the above-size statistics, and the
// imports that keep it current.
package registry

import "time"

// Register is the statistical register a firm is counted in.
type Register string

// Registers. The plan's 每年新增限上(规上)服务业企业 counts the first two.
const (
	RegisterNone     Register = "none"     // 未纳统
	RegisterServices Register = "services" // 规上服务业
	RegisterTrade    Register = "trade"    // 限上批零住餐
	RegisterIndustry Register = "industry" // 规上工业
	RegisterOther    Register = "other"    // 其他四上: 有资质建筑业, 房地产开发经营
)

// Registers lists the registers in display order.
var Registers = []Register{RegisterServices, RegisterTrade, RegisterIndustry, RegisterOther, RegisterNone}

// Label is the register's Chinese name.
func (r Register) Label() string {
	switch r {
	case RegisterNone:
		return "未纳统"
	case RegisterServices:
		return "规上服务业"
	case RegisterTrade:
		return "限上批零住餐"
	case RegisterIndustry:
		return "规上工业"
	case RegisterOther:
		return "其他四上"
	}
	return ""
}

// Status is a firm's registration status.
type Status string

// Statuses.
const (
	StatusActive       Status = "active"       // 存续(在业)
	StatusMovedOut     Status = "moved_out"    // 迁出
	StatusDeregistered Status = "deregistered" // 注销
	StatusRevoked      Status = "revoked"      // 吊销
	StatusOther        Status = "other"        // 其他
)

// Statuses lists the statuses in display order.
var Statuses = []Status{StatusActive, StatusMovedOut, StatusDeregistered, StatusRevoked, StatusOther}

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusActive:
		return "存续"
	case StatusMovedOut:
		return "迁出"
	case StatusDeregistered:
		return "注销"
	case StatusRevoked:
		return "吊销"
	case StatusOther:
		return "其他"
	}
	return ""
}

// Source is where a revenue figure comes from. Figures that are not the
// statistics' own are kept apart from statistical totals.
type Source string

// Sources.
const (
	SourceTax        Source = "tax"        // 税务
	SourceMarket     Source = "market"     // 市场监管
	SourceSelf       Source = "self"       // 企业自报
	SourceStatistics Source = "statistics" // 统计
)

// Sources lists the sources in display order.
var Sources = []Source{SourceTax, SourceMarket, SourceSelf, SourceStatistics}

// Label is the source's Chinese name.
func (s Source) Label() string {
	switch s {
	case SourceTax:
		return "税务"
	case SourceMarket:
		return "市场监管"
	case SourceSelf:
		return "企业自报"
	case SourceStatistics:
		return "统计"
	}
	return ""
}

// Enterprise is a firm of the directory, keyed by its USCC.
type Enterprise struct {
	USCC         string   `json:"uscc"`
	Name         string   `json:"name"`
	Industry     string   `json:"industry"` // GB/T 4754-2017 class
	Unit         string   `json:"unit"`     // town, street or park of the plan
	Address      string   `json:"address"`
	Building     string   `json:"building"`
	RegisteredOn string   `json:"registered_on"` // YYYY-MM-DD or ""
	Status       Status   `json:"status"`
	Register     Register `json:"register"`
	IncludedOn   string   `json:"included_on"` // YYYY-MM the firm entered its register, or ""
	ExitedOn     string   `json:"exited_on"`   // YYYY-MM it left, or ""
	// USCCFlag is "check" when the code's check character is wrong but it
	// came from an official export: kept, for review.
	USCCFlag string `json:"uscc_flag"`
	// Industry2011 is the GB/T 4754-2011 class the firm came with while
	// its 2017 class is unsure (2017 split the old class): Industry holds
	// the most likely class until a statistician confirms one.
	Industry2011 string    `json:"industry_2011"`
	Version      int       `json:"version"`
	UpdatedAt    time.Time `json:"updated_at"`
	UpdatedBy    string    `json:"updated_by"`
	ImportID     int64     `json:"import_id"`
}

// Version is one state of a firm in its history.
type Version struct {
	Enterprise
	Changed []string `json:"changed"` // the fields that changed; empty when created
}

// Revenue is a version of a revenue figure of a firm, as stored.
type Revenue struct {
	USCC      string    `json:"uscc"`
	Figure              // period, months, amount, source
	Version   int       `json:"version"`
	ImportID  int64     `json:"import_id"`
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

// RevenueKey identifies a figure across its versions.
func RevenueKey(uscc, period string, source Source) string {
	return uscc + "|" + period + "|" + string(source)
}
