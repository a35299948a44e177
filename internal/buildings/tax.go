package buildings

import (
	"strings"
	"time"

	"svcplan/internal/money"
)

// Caliber is what a tax figure counts (cn-stats-conventions §5: districts
// measure 亿元楼 on different calibers, so every figure states its own).
type Caliber string

// The calibers of the tax bureau's figures.
const (
	CaliberFull     Caliber = "全口径"        // all taxes collected from the firm
	CaliberLocal    Caliber = "地方一般公共预算收入" // the local share in the general budget
	CaliberDistrict Caliber = "区级留成"       // what stays with the district (区级实际贡献)
)

// Calibers lists the calibers widest first.
var Calibers = []Caliber{CaliberFull, CaliberLocal, CaliberDistrict}

// ParseCaliber reads a caliber by its name or a name districts use for
// it: 全口径税收, 地方口径, 地方一般公共预算, 区级实际贡献, 留区税收, 经济贡献.
func ParseCaliber(s string) (Caliber, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", false
	case strings.Contains(s, "全口径"):
		return CaliberFull, true
	case strings.Contains(s, "地方一般公共预算") || strings.Contains(s, "地方口径") || s == "地方级":
		return CaliberLocal, true
	case strings.Contains(s, "区级") || strings.Contains(s, "留区") || strings.Contains(s, "经济贡献") || strings.Contains(s, "区留成"):
		return CaliberDistrict, true
	}
	return "", false
}

// Tax is one version of a tax figure: of a firm (USCC) or of a whole
// building (its code), for a year or a month's own amount.
type Tax struct {
	USCC     string    `json:"uscc,omitempty"`
	Building string    `json:"building,omitempty"`
	Period   string    `json:"period"` // 2025, or 2025-03 (the month alone)
	Caliber  Caliber   `json:"caliber"`
	Version  int       `json:"version"`
	Amount   money.Fen `json:"amount_fen"`
	// The file and row it came from.
	SourceFile string    `json:"source_file"`
	SHA256     string    `json:"source_sha256"`
	SourceRow  int       `json:"source_row"`
	ImportedBy string    `json:"imported_by"`
	ImportedAt time.Time `json:"imported_at"`
}

// TaxRow is a row of the tax bureau's file as read, before it is matched
// to the directory and the buildings.
type TaxRow struct {
	Row      int
	USCC     string // the firm's code (统一社会信用代码/纳税人识别号), or
	Building string // the building's code (楼宇编号) for a building's own figure
	Name     string // 纳税人名称 or 楼宇名称, as the file gives it
	Period   string // 2025 or 2025-03
	Caliber  Caliber
	Amount   money.Fen
}

// TaxFigure is the latest version of a tax figure without its
// provenance: what the board and an import's comparison read.
type TaxFigure struct {
	USCC     string
	Building string
	Period   string
	Caliber  Caliber
	Version  int
	Amount   money.Fen
}
