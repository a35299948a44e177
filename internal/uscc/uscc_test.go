package uscc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/uscc"
)

// How the codes below were checked. Values: digits 0–9, then
// A=10 B=11 C=12 D=13 E=14 F=15 G=16 H=17 J=18 K=19 L=20 M=21 N=22 P=23 Q=24
// R=25 T=26 U=27 W=28 X=29 Y=30. Weights of positions 1–17:
// 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28. Check = (31 − Σ mod 31) mod 31.
// Organisation code (positions 9–16, GB 11714): plain alphabet A=10 … Z=35,
// weights 3 7 9 10 5 8 4 2, C9 = 11 − Σ mod 11, 10 → X, 11 → 0.
// Σ was worked out by hand for the first two and the Taizhou 321271 code,
// and for all with a throwaway script written apart from this package:
//
//	code                  Σ     mod 31  check   org Σ  mod 11  C9
//	91350100M000100Y43    1640  28      3       139    7       4   (GB 32100 worked example)
//	91321203MA10012200    1054   0      0       165    0       0   (see TestCheckSumDivisibleBy31)
//	91321203MA1N7K3P6Y    2636   1      Y       632    5       6
//	92321203MA1QB6WE7R    2393   6      R       664    4       7
//	93321203MA1TC2L85W    2018   3      W       611    6       5
//	123212034660192562    1176  29      2       203    5       6
//	51321203MJ0C3R4D2Y    2419   1      Y       592    9       2
//	A1321203MA0F2H9K9P    2457   8      P       508    2       9
//	N2321203MF4D7U0Q71    2975  30      1       664    4       7
//	Y1321203MB1G8L5T7C    2778  19      C       598    4       7
//	91321271MA1ME3WD3Q    2239   7      Q       613    8       3
//	913212710747283018     953  23      8       241   10       1
//	91110000600037341L     538  11      L       109   10       1   (example quoted by python-stdnum)
//	91321203MA1Q0007XA    2284  21      A       419    1       X
//	91321203MA1N7K3P5U    2608   4      U       632    5       6   (position 17 is 5: warning)
//	9135A100M000100Y4Y    1830   1      Y       139    7       4   (letter in position 5)
//
// By hand, 91321271MA1ME3WD3Q: positions 1–8 give 9+3+27+54+19+52+112+17 = 293;
// 9–17 give M 21·20=420, A 10·29=290, 1·25=25, M 21·13=273, E 14·8=112,
// 3·24=72, W 28·10=280, D 13·30=390, 3·28=84, together 1946; Σ = 2239 =
// 72·31 + 7, check 31 − 7 = 24 = Q. Organisation code MA1ME3WD: M 22·3=66,
// A 10·7=70, 1·9=9, M 22·10=220, E 14·5=70, 3·8=24, W 32·4=128, D 13·2=26,
// Σ = 613 = 55·11 + 8, C9 = 11 − 8 = 3.

// valid is the Result of a valid code whose organisation code passes too.
func valid(code, authority, category, division, orgCode string) uscc.Result {
	return uscc.Result{Code: code, Valid: true, CheckOK: true, Authority: authority, Category: category,
		Division: division, OrgCode: orgCode, OrgCodeOK: true}
}

const (
	msgIOSVZ   = "不是合法字符(统一社会信用代码不使用I、O、S、V、Z)"
	msgCharset = "不是合法字符(只能是数字或除I、O、S、V、Z以外的大写字母)"
)

func TestCheck(t *testing.T) {
	example := valid("91350100M000100Y43", "工商(市场监管)", "企业", "350100", "M000100Y4")
	tests := []struct {
		name string
		in   string
		want uscc.Result
	}{
		{"worked example of GB 32100", "91350100M000100Y43", example},
		{"lower case", "91350100m000100y43", example},
		{"full width", "９１３５０１００Ｍ０００１００Ｙ４３", example},
		{"full width lower case", "９１３５０１００ｍ０００１００ｙ４３", example},
		{"spaces and hyphens", " 9135-0100 M000 100Y 43\t", example},
		{"full-width space, dashes, zero-width space, BOM", "\ufeff9135　0100–M000—100Y\u200b43\r\n", example},

		{"sum divisible by 31", "91321203MA10012200", valid("91321203MA10012200", "工商(市场监管)", "企业", "321203", "MA1001220")},
		{"Taizhou Gaogang enterprise", "91321203MA1N7K3P6Y", valid("91321203MA1N7K3P6Y", "工商(市场监管)", "企业", "321203", "MA1N7K3P6")},
		{"92 individual business", "92321203MA1QB6WE7R", valid("92321203MA1QB6WE7R", "工商(市场监管)", "个体工商户", "321203", "MA1QB6WE7")},
		{"93 farmer co-operative", "93321203MA1TC2L85W", valid("93321203MA1TC2L85W", "工商(市场监管)", "农民专业合作社", "321203", "MA1TC2L85")},
		{"12 public institution", "123212034660192562", valid("123212034660192562", "机构编制", "事业单位", "321203", "466019256")},
		{"51 social organisation", "51321203MJ0C3R4D2Y", valid("51321203MJ0C3R4D2Y", "民政", "社会团体", "321203", "MJ0C3R4D2")},
		{"A1 letter in position 1", "A1321203MA0F2H9K9P", valid("A1321203MA0F2H9K9P", "中央军委改革和编制办公室", "军队事业单位", "321203", "MA0F2H9K9")},
		{"N2 village collective", "N2321203MF4D7U0Q71", valid("N2321203MF4D7U0Q71", "农业", "村级集体经济组织", "321203", "MF4D7U0Q7")},
		{"Y1 other", "Y1321203MB1G8L5T7C", valid("Y1321203MB1G8L5T7C", "其他", "其他", "321203", "MB1G8L5T7")},
		{"abolished division 321271", "91321271MA1ME3WD3Q", valid("91321271MA1ME3WD3Q", "工商(市场监管)", "企业", "321271", "MA1ME3WD3")},
		{"pre-2015 numeric organisation code", "913212710747283018", valid("913212710747283018", "工商(市场监管)", "企业", "321271", "074728301")},
		{"Beijing enterprise", "91110000600037341L", valid("91110000600037341L", "工商(市场监管)", "企业", "110000", "600037341")},
		{"organisation check X", "91321203MA1Q0007XA", valid("91321203MA1Q0007XA", "工商(市场监管)", "企业", "321203", "MA1Q0007X")},
		{"unknown authority and category", "B4321203MA1N7K3P6Y", uscc.Result{Code: "B4321203MA1N7K3P6Y",
			Division: "321203", OrgCode: "MA1N7K3P6", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 18, Msg: "第18位校验码应为K,实际为Y"}}}},

		{"organisation code fails: warning only", "91321203MA1N7K3P5U", uscc.Result{
			Code: "91321203MA1N7K3P5U", Valid: true, CheckOK: true, Authority: "工商(市场监管)", Category: "企业",
			Division: "321203", OrgCode: "MA1N7K3P5",
			Problems: []uscc.Problem{{Pos: 17, Msg: "第17位组织机构代码校验码应为6,实际为5(仅提示)", Warning: true}}}},

		{"empty", "", uscc.Result{Problems: []uscc.Problem{{Pos: 0, Msg: "统一社会信用代码为空"}}}},
		{"only separators", " - 　", uscc.Result{Problems: []uscc.Problem{{Pos: 0, Msg: "统一社会信用代码为空"}}}},
		{"17 characters", "91350100M000100Y4", uscc.Result{Code: "91350100M000100Y4",
			Problems: []uscc.Problem{{Pos: 0, Msg: "长度应为18位,实际为17位"}}}},
		{"19 characters", "91350100M000100Y433", uscc.Result{Code: "91350100M000100Y433",
			Problems: []uscc.Problem{{Pos: 0, Msg: "长度应为18位,实际为19位"}}}},
		{"17 characters and an I", "9I350100M000100Y4", uscc.Result{Code: "9I350100M000100Y4",
			Problems: []uscc.Problem{{Pos: 0, Msg: "长度应为18位,实际为17位"}, {Pos: 2, Msg: "第2位“I”" + msgIOSVZ}}}},
		{"O in position 5", "9135O100M000100Y43", uscc.Result{Code: "9135O100M000100Y43",
			Authority: "工商(市场监管)", Category: "企业", Division: "35O100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 5, Msg: "第5位“O”" + msgIOSVZ}}}},
		{"S, V and Z", "9S350100M000V00Y4Z", uscc.Result{Code: "9S350100M000V00Y4Z",
			Authority: "工商(市场监管)", Division: "350100", OrgCode: "M000V00Y4",
			Problems: []uscc.Problem{{Pos: 2, Msg: "第2位“S”" + msgIOSVZ}, {Pos: 13, Msg: "第13位“V”" + msgIOSVZ}, {Pos: 18, Msg: "第18位“Z”" + msgIOSVZ}}}},
		{"character outside the charset as check character", "91350100M000100Y4#", uscc.Result{Code: "91350100M000100Y4#",
			Authority: "工商(市场监管)", Category: "企业", Division: "350100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 18, Msg: "第18位校验码应为3,实际为#"}}}},
		{"Chinese character as check character", "91350100M000100Y4号", uscc.Result{Code: "91350100M000100Y4号",
			Authority: "工商(市场监管)", Category: "企业", Division: "350100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 18, Msg: "第18位校验码应为3,实际为号"}}}},
		{"control character", "9135\x00100M000100Y43", uscc.Result{Code: "9135\x00100M000100Y43",
			Authority: "工商(市场监管)", Category: "企业", Division: "35\x00100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 5, Msg: "第5位“U+0000”" + msgCharset}}}},
		{"invalid UTF-8", "9135\xff100M000100Y43", uscc.Result{Code: "9135\uFFFD100M000100Y43",
			Authority: "工商(市场监管)", Category: "企业", Division: "35\uFFFD100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 5, Msg: "第5位“\uFFFD”" + msgCharset}}}},
		{"letter in position 5", "9135A100M000100Y4Y", uscc.Result{Code: "9135A100M000100Y4Y",
			CheckOK: true, Authority: "工商(市场监管)", Category: "企业", Division: "35A100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 5, Msg: "第3—8位应为数字(登记管理机关行政区划码)"}}}},
		{"letters in positions 4 and 7, wrong check", "913BA1D0M000100Y43", uscc.Result{Code: "913BA1D0M000100Y43",
			Authority: "工商(市场监管)", Category: "企业", Division: "3BA1D0", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 4, Msg: "第3—8位应为数字(登记管理机关行政区划码)"}, {Pos: 18, Msg: "第18位校验码应为1,实际为3"}}}},
		{"wrong check character", "91350100M000100Y4Z", uscc.Result{Code: "91350100M000100Y4Z",
			Authority: "工商(市场监管)", Category: "企业", Division: "350100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 18, Msg: "第18位校验码应为3,实际为Z"}}}},
		{"wrong check character, lower case", "91350100m000100y4a", uscc.Result{Code: "91350100M000100Y4A",
			Authority: "工商(市场监管)", Category: "企业", Division: "350100", OrgCode: "M000100Y4", OrgCodeOK: true,
			Problems: []uscc.Problem{{Pos: 18, Msg: "第18位校验码应为3,实际为A"}}}},
		{"organisation warning and wrong check character", "91321203MA1N7K3P5#", uscc.Result{Code: "91321203MA1N7K3P5#",
			Authority: "工商(市场监管)", Category: "企业", Division: "321203", OrgCode: "MA1N7K3P5",
			Problems: []uscc.Problem{{Pos: 17, Msg: "第17位组织机构代码校验码应为6,实际为5(仅提示)", Warning: true}, {Pos: 18, Msg: "第18位校验码应为U,实际为#"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, uscc.Check(tt.in)); diff != "" {
				t.Errorf("Check(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestCheckSumDivisibleBy31 is pitfall 1 of the standard: a weighted sum
// divisible by 31 gives check character 0, not index 31.
//
// 91321203MA1001220 by hand (position, value × weight = product):
//
//	1  9×1  =   9     7  0×16 =   0    13  0×8  =  0
//	2  1×3  =   3     8  3×17 =  51    14  1×24 = 24
//	3  3×9  =  27     9  M 21×20 = 420 15  2×10 = 20
//	4  2×27 =  54    10  A 10×29 = 290 16  2×30 = 60
//	5  1×19 =  19    11  1×25 =  25    17  0×28 =  0
//	6  2×26 =  52    12  0×13 =   0
//
// Σ = 215 (positions 1–8) + 420 + 290 + 25 + 24 + 20 + 60 = 1054 = 34 × 31,
// so Σ mod 31 = 0 and the check is (31 − 0) mod 31 = 0: 91321203MA10012200.
// Its organisation code happens to hit the GB 11714 wrap-around too:
// MA100122 gives M 22×3 + A 10×7 + 1×9 + 0×10 + 0×5 + 1×8 + 2×4 + 2×2 =
// 66+70+9+0+0+8+8+4 = 165 = 15 × 11, C9 = 11 → "0". (With the USCC value
// M=21 instead it would be 162, C9 = 3: the case pins down the alphabet.)
func TestCheckSumDivisibleBy31(t *testing.T) {
	r := uscc.Check("91321203MA10012200")
	if !r.Valid || !r.CheckOK || !r.OrgCodeOK || len(r.Problems) != 0 {
		t.Fatalf("Check: %+v", r)
	}
	// Every other last character is wrong, and the message names 0.
	for _, c := range "123456789ABCDEFGHJKLMNPQRTUWXY" {
		r := uscc.Check("91321203MA1001220" + string(c))
		want := []uscc.Problem{{Pos: 18, Msg: "第18位校验码应为0,实际为" + string(c)}}
		if r.Valid || r.CheckOK || !cmp.Equal(r.Problems, want) {
			t.Errorf("last character %c: %+v", c, r)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"９１３２", "9132"},
		{"ａｂｃ ｘｙｚ", "ABCXYZ"},
		{"  91350100m000100y43  ", "91350100M000100Y43"},
		{"9135-0100－M000‐100Y‑43", "91350100M000100Y43"}, // ASCII, full-width, Unicode and non-breaking hyphens
		{"9135\u00a00100\u3000M000\u00ad100Y\u206043", "91350100M000100Y43"},
		{"9135−0100", "91350100"}, // minus sign
		{"9135o100", "9135O100"},  // no O → 0 "fix"
		{"91350100Ｉ", "91350100I"},
		{"9135.0100/M000_100", "9135.0100/M000_100"}, // not separators
		{"统一社会信用代码:91350100", "统一社会信用代码:91350100"},
		{"9135\xff", "9135\uFFFD"},
		{"ß", "ß"}, // only ASCII letters are upper-cased
	}
	for _, tt := range tests {
		if got := uscc.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckErr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"91350100M000100Y43", ""},
		{"91321203MA1N7K3P5U", ""}, // organisation-code warning only
		{"91350100M000100Y4Z", "第18位校验码应为3,实际为Z"},
		{"9I350100M000100Y4", "长度应为18位,实际为17位;第2位“I”" + msgIOSVZ},
		{"91321203MA1N7K3P5#", "第18位校验码应为U,实际为#"}, // the warning is left out
		{"", "统一社会信用代码为空"},
	}
	for _, tt := range tests {
		err := uscc.Check(tt.in).Err()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Check(%q).Err() = %v, want nil", tt.in, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("Check(%q).Err() = %v, want %s", tt.in, err, tt.want)
		}
	}
	if err := (uscc.Result{}).Err(); err == nil {
		t.Error("zero Result: Err() = nil")
	}
}

func TestCheckOnlyCheckCharWrong(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"91350100M000100Y4Z", true},
		{"91321203MA1N7K3P5A", true}, // and an organisation-code warning
		{"91350100M000100Y43", false},
		{"91350100M000100Y4", false},   // length
		{"91350100M000100Y4#", false},  // a symbol in 18 is no legacy code
		{"9135O100M000100Y43", false},  // illegal elsewhere
		{"9135O100M000100Y4Z", false},  // illegal elsewhere and in 18
		{"9135A100M000100Y43", false},  // letter in positions 3–8 as well
		{"91350100M000100Y433", false}, // length
		{"", false},
	}
	for _, tt := range tests {
		if got := uscc.Check(tt.in).OnlyCheckCharWrong(); got != tt.want {
			t.Errorf("Check(%q).OnlyCheckCharWrong() = %v, want %v", tt.in, got, tt.want)
		}
	}
}
