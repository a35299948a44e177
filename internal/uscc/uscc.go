// Package uscc checks the 统一社会信用代码 (unified social credit code,
// USCC) of GB 32100-2015: 18 characters, a registration authority
// (position 1), an organisation category (2), the registering authority's
// administrative division (3–8), the organisation code of GB 11714 (9–17)
// and a mod-31 check character (18).
//
// The package only says what is wrong with a code. Whether a code that
// fails its check character is still accepted (for instance one taken from
// an official registry export) is the caller's decision; Result carries
// CheckOK, Valid and OnlyCheckCharWrong for it.
package uscc

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length is the number of characters of a code.
const Length = 18

// charset holds the 31 characters a code may use, in value order: digits
// and upper-case letters without I, O, S, V and Z.
const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// Messages that do not depend on the code.
const (
	msgEmpty    = "统一社会信用代码为空"
	msgDivision = "第3—8位应为数字(登记管理机关行政区划码)"
)

// Result is what Check found out about one code.
type Result struct {
	Code      string    // the normalised code
	Valid     bool      // 18 characters of the charset, positions 3–8 digits, and the check character (position 18) right
	CheckOK   bool      // the check character alone is right (false when the length is wrong or positions 1–17 leave the charset)
	Problems  []Problem // every problem found, in position order, in Chinese
	Authority string    // 登记管理部门 of position 1, e.g. "工商(市场监管)"; "" if unknown
	Category  string    // 机构类别 of positions 1–2, e.g. "企业", "个体工商户"; "" if unknown
	Division  string    // positions 3–8: the registering authority's division code (not validated against any list)
	OrgCode   string    // positions 9–17 (组织机构代码)
	OrgCodeOK bool      // the GB 11714 check of the organisation-code part passed (false too when it could not be made); a failure is only a warning
}

// Problem is one thing wrong with a code. Pos is the 1-based character
// position, 0 for the code as a whole. A warning does not make the code
// invalid.
type Problem struct {
	Pos     int
	Msg     string
	Warning bool
}

// Normalize returns s in the canonical form Check validates: separators
// people type (white space including the full-width space, hyphens and
// dashes of every width, the minus sign, invisible formatting characters
// such as zero-width spaces and byte-order marks) removed, full-width
// digits and letters made half-width, and letters upper-cased. Invalid
// UTF-8 bytes become U+FFFD. Nothing else is changed, so a mistyped
// character stays for Check to report.
func Normalize(s string) string {
	if canonical(s) {
		return s // the common case, without allocating
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // invalid bytes arrive as utf8.RuneError, U+FFFD
		switch {
		case unicode.IsSpace(r), unicode.Is(unicode.Pd, r), r == '\u2212', unicode.Is(unicode.Cf, r):
			continue
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r >= 'Ａ' && r <= 'Ｚ':
			r = r - 'Ａ' + 'A'
		case r >= 'ａ' && r <= 'ｚ':
			r = r - 'ａ' + 'A'
		case r >= 'a' && r <= 'z':
			r = r - 'a' + 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// canonical reports whether s has only digits and capital Latin letters,
// which Normalize leaves as they are.
func canonical(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// Check normalises s and checks it against GB 32100-2015: its length, the
// charset of every position, digits in positions 3–8, the check character
// and, as a warning only, the GB 11714 check character of the organisation
// code (position 17). Problems come in position order, the code as a whole
// (position 0) first. The decoded parts (Authority, Category, Division,
// OrgCode) are filled whenever the code has 18 characters, also when it is
// invalid; positions 1–2 outside the known table are not a problem, just
// left undecoded.
func Check(s string) Result {
	code := Normalize(s)
	r := Result{Code: code}
	if code == "" {
		r.Problems = []Problem{{Pos: 0, Msg: msgEmpty}}
		return r
	}
	var buf [Length]rune
	chars := buf[:0]
	if len(code) <= Length {
		for _, c := range code {
			chars = append(chars, c)
		}
	} else {
		chars = []rune(code)
	}
	n := len(chars)
	if n != Length {
		r.Problems = append(r.Problems, Problem{Pos: 0, Msg: fmt.Sprintf("长度应为%d位,实际为%d位", Length, n)})
	}

	// Position 18 of an 18-character code is the check character: when
	// positions 1–17 are sound, whatever it holds is reported as the wrong
	// check character, even one outside the charset, so the message says
	// what it should be.
	body := chars
	if n == Length {
		body = chars[:Length-1]
	}
	bodyLegal := true // positions 1–17 (all, if the length is wrong) are in the charset
	orgLegal := true  // positions 9–17 are in the charset
	divisionReported := false
	for i, c := range body {
		pos := i + 1
		if value(c) < 0 {
			bodyLegal = false
			if pos >= 9 {
				orgLegal = false
			}
			r.Problems = append(r.Problems, Problem{Pos: pos, Msg: illegalMsg(pos, c)})
			continue
		}
		if pos >= 3 && pos <= 8 && (c < '0' || c > '9') && !divisionReported {
			r.Problems = append(r.Problems, Problem{Pos: pos, Msg: msgDivision})
			divisionReported = true
		}
	}

	if n == Length {
		r.Authority = authorities[chars[0]]
		if len(code) == Length {
			r.Category = categories[code[:2]]
		} else {
			r.Category = categories[string(chars[:2])]
		}
		if len(code) == Length { // ASCII: the parts are substrings
			r.Division, r.OrgCode = code[2:8], code[8:17]
		} else {
			r.Division, r.OrgCode = string(chars[2:8]), string(chars[8:17])
		}
		if orgLegal {
			want := orgCheckChar(chars[8:16])
			r.OrgCodeOK = chars[16] == want
			if !r.OrgCodeOK {
				r.Problems = append(r.Problems, Problem{Pos: 17, Warning: true,
					Msg: fmt.Sprintf("第17位组织机构代码校验码应为%c,实际为%s(仅提示)", want, show(chars[16]))})
			}
		}
		last := chars[Length-1]
		switch {
		case bodyLegal:
			want := checkChar(body)
			r.CheckOK = last == want
			if !r.CheckOK {
				r.Problems = append(r.Problems, Problem{Pos: Length,
					Msg: fmt.Sprintf("第18位校验码应为%c,实际为%s", want, show(last))})
			}
		case value(last) < 0:
			r.Problems = append(r.Problems, Problem{Pos: Length, Msg: illegalMsg(Length, last)})
		}
	}
	r.Valid = n == Length && errorCount(r.Problems) == 0
	return r
}

// Err returns nil for a valid code, else an error whose message joins the
// problems that are not warnings with ";".
func (r Result) Err() error {
	if r.Valid {
		return nil
	}
	var msgs []string
	for _, p := range r.Problems {
		if !p.Warning {
			msgs = append(msgs, p.Msg)
		}
	}
	if len(msgs) == 0 { // a Result not made by Check
		msgs = append(msgs, "统一社会信用代码未通过校验")
	}
	return errors.New(strings.Join(msgs, ";"))
}

// OnlyCheckCharWrong reports whether the code has 18 characters, nothing
// wrong in positions 1–17, and a wrong check character in position 18 that
// is still a digit or a Latin capital (e.g. the "Z" of
// 91350100M000100Y4Z): the case of legacy pilot codes that registries
// still carry, which a caller may keep and flag for review. A symbol in
// position 18 is a typing or export error, not a legacy code.
func (r Result) OnlyCheckCharWrong() bool {
	chars := []rune(r.Code)
	if r.Valid || r.CheckOK || len(chars) != Length {
		return false
	}
	if c := chars[Length-1]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
		return false
	}
	for _, c := range chars[:Length-1] {
		if value(c) < 0 {
			return false
		}
	}
	return errorCount(r.Problems) == 1 // the check character's
}

func errorCount(ps []Problem) int {
	n := 0
	for _, p := range ps {
		if !p.Warning {
			n++
		}
	}
	return n
}

// value is the value of c in the code charset (0–30), or -1.
func value(c rune) int {
	if c >= utf8.RuneSelf {
		return -1
	}
	return strings.IndexByte(charset, byte(c))
}

// checkChar is the GB 32100-2015 check character of the first 17
// characters, all in the charset: weights 3^(i-1) mod 31 and
// C18 = (31 − Σ mod 31) mod 31, so a sum divisible by 31 gives "0".
func checkChar(first17 []rune) rune {
	sum, w := 0, 1
	for _, c := range first17 {
		sum += value(c) * w
		w = w * 3 % 31
	}
	return rune(charset[(31-sum%31)%31])
}

// orgWeights are the GB 11714-1997 weights of the 8 body characters of an
// organisation code.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCheckChar is the GB 11714-1997 check character of an organisation
// code body of 8 characters from the code charset. GB 11714 values letters
// by the plain Latin alphabet, A=10 … Z=35 (so J=19, not its USCC value
// 18); C9 = 11 − Σ mod 11, where 10 is written "X" and 11 is written "0".
func orgCheckChar(body []rune) rune {
	sum := 0
	for i, c := range body {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * orgWeights[i]
	}
	switch c9 := 11 - sum%11; c9 {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return rune('0' + c9)
	}
}

func illegalMsg(pos int, c rune) string {
	if strings.ContainsRune("IOSVZ", c) {
		return fmt.Sprintf("第%d位“%c”不是合法字符(统一社会信用代码不使用I、O、S、V、Z)", pos, c)
	}
	return fmt.Sprintf("第%d位“%s”不是合法字符(只能是数字或除I、O、S、V、Z以外的大写字母)", pos, show(c))
}

// show renders a character for a message; one that cannot be seen is
// written as its code point.
func show(c rune) string {
	if unicode.IsPrint(c) {
		return string(c)
	}
	return fmt.Sprintf("U+%04X", c)
}

// authorities are the 登记管理部门 of position 1 (国发〔2015〕33号 as
// published; informative).
var authorities = map[rune]string{
	'1': "机构编制",
	'2': "外交",
	'3': "司法行政",
	'4': "文化",
	'5': "民政",
	'6': "旅游",
	'7': "宗教",
	'8': "工会",
	'9': "工商(市场监管)",
	'A': "中央军委改革和编制办公室",
	'N': "农业",
	'Y': "其他",
}

// categories are the 机构类别 of positions 1–2 (informative, as
// authorities).
var categories = map[string]string{
	"11": "机关",
	"12": "事业单位",
	"13": "中央编办直接管理机构编制的群众团体",
	"19": "其他",
	"21": "外国常驻新闻机构",
	"29": "其他",
	"31": "律师执业机构",
	"32": "公证处",
	"33": "基层法律服务所",
	"34": "司法鉴定机构",
	"35": "仲裁委员会",
	"39": "其他",
	"41": "外国在华文化中心",
	"49": "其他",
	"51": "社会团体",
	"52": "民办非企业单位",
	"53": "基金会",
	"59": "其他",
	"61": "外国旅游部门常驻代表机构",
	"62": "港澳台地区旅游部门常驻内地(大陆)代表机构",
	"69": "其他",
	"71": "宗教活动场所",
	"72": "宗教院校",
	"79": "其他",
	"81": "基层工会",
	"89": "其他",
	"91": "企业",
	"92": "个体工商户",
	"93": "农民专业合作社",
	"A1": "军队事业单位",
	"A9": "其他",
	"N1": "组级集体经济组织",
	"N2": "村级集体经济组织",
	"N3": "乡镇级集体经济组织",
	"N9": "其他",
	"Y1": "其他", // Y is not divided into categories; 1 is the only one
}

// CheckCharOf is the check character (position 18) of a code's first 17
// characters, for making valid codes (test data, demonstrations). The
// characters must be from the charset.
func CheckCharOf(first17 string) byte { return byte(checkChar([]rune(first17))) }

// OrgCheckCharOf is the GB 11714 check character of an 8-character
// organisation-code body (positions 9–16 of a USCC), for making valid
// codes.
func OrgCheckCharOf(body string) byte { return byte(orgCheckChar([]rune(body))) }
