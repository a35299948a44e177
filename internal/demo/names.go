package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"svcplan/internal/uscc"
)

// Firm names are made of a place, a two-character trade name from brandChars,
// a business word of the class and a legal form: 泰州瑞航物流有限公司. Trade
// names that belong to well-known companies are never used.
var brandChars = []rune("华瑞恒鑫盛宏通达安康润博凯锦诚信德远航汇启明宇嘉源和丰益隆祥昌晟睿智联创卓越众合正泓澜铭轩舜拓峰岳弘鼎誉辰杰骏茂瀚沐禾翔逸曜谦")

var famousBrands = []string{
	"华瑞", "华信", "华通", "华安", "华康", "华润", "华联", "华创", "中华", "恒大", "恒通", "恒信", "宏达", "宏源", "通达",
	"安信", "安康", "康德", "博瑞", "凯德", "锦江", "诚通", "信达", "德邦", "远航", "汇丰", "汇通", "启明", "明德", "嘉和",
	"源达", "和信", "丰华", "隆基", "祥和", "昌盛", "智联", "联创", "卓越", "众合", "正大", "正泰", "鼎信", "辰宇",
}

// businessWords are the business part of names, by the longest matching
// industry code prefix.
var businessWords = map[string][]string{
	"51": {"商贸", "贸易", "物资", "实业", "国际贸易"}, "5151": {"医药"}, "5152": {"中药饮片", "医药"}, "5154": {"医疗器械"},
	"5161": {"能源"}, "5162": {"石化", "石油化工"}, "5164": {"金属材料"}, "5165": {"建材"}, "5169": {"化工", "化工贸易"},
	"5172": {"汽车销售"}, "5176": {"电子"},
	"52": {"商贸", "商业", "商行"}, "5211": {"百货"}, "5212": {"超市"}, "5251": {"大药房"}, "5261": {"汽车销售服务"},
	"5265": {"石油销售"}, "5283": {"家居"}, "5292": {"电子商务", "网络科技"},
	"53": {"运输"}, "54": {"运输", "汽车运输"}, "543": {"物流", "货运", "运输"}, "5411": {"公共交通"}, "5413": {"出租汽车"},
	"5442": {"物流园"}, "55": {"航运", "船务"}, "553": {"港务", "码头", "港口"}, "56": {"航空服务"},
	"58": {"物流", "国际货运代理"}, "5821": {"国际货运代理", "物流", "船舶代理"}, "59": {"仓储", "储运", "物流"},
	"5942": {"化工仓储", "储运"}, "60": {"快递", "速递"},
	"61": {"酒店", "宾馆", "酒店管理"}, "62": {"餐饮", "餐饮管理", "饮食"},
	"63": {"通信", "通信技术"}, "64": {"网络科技", "信息科技", "互联网科技"}, "65": {"软件", "信息技术", "数据科技", "智能科技", "数字科技"},
	"66": {"投资"}, "6631": {"融资租赁"}, "6633": {"典当"}, "6635": {"农村小额贷款"}, "67": {"投资"}, "68": {"保险代理"},
	"6851": {"保险经纪"}, "69": {"投资", "金融信息服务"},
	"7020": {"物业服务", "物业管理"}, "71": {"租赁", "设备租赁"}, "7111": {"汽车租赁"},
	"72": {"企业管理", "商务咨询", "管理咨询"}, "7212": {"投资管理", "资产管理"}, "7221": {"园区发展", "园区运营管理"},
	"7224": {"供应链管理", "供应链"}, "7241": {"会计服务", "税务咨询"}, "725": {"广告", "文化传媒"},
	"726": {"人力资源", "人力资源服务"}, "7262": {"职业介绍"}, "7263": {"劳务派遣", "人力资源"}, "727": {"保安服务"},
	"728": {"会展服务", "展览"}, "7291": {"国际旅行社", "旅行社"}, "7520": {"知识产权代理"},
	"73": {"生物科技", "技术研究"}, "7340": {"医药科技", "生物医药研究院"}, "74": {"技术服务", "工程咨询"},
	"745": {"检测技术", "检验检测"}, "748": {"工程设计", "工程管理", "工程咨询"}, "749": {"设计"},
	"75": {"科技", "科技发展", "技术服务"}, "7540": {"孵化器管理", "创业服务"},
	"78": {"旅游发展", "景区管理"}, "80": {"家政服务", "生活服务"}, "8010": {"家政服务"}, "8040": {"美容"},
	"8053": {"养生"}, "8070": {"婚庆"}, "81": {"设备维修"}, "8111": {"汽车服务", "汽车维修"}, "82": {"保洁服务", "环境服务"},
	"84": {"医院", "门诊部"}, "8491": {"健康管理"}, "8492": {"医学检验所"}, "7244": {"健康咨询", "健康管理"},
	"85": {"养老服务", "康养"}, "8512": {"护理院"}, "8020": {"托育服务"},
	"86": {"文化传媒"}, "87": {"影视", "文化传媒"}, "88": {"文化发展", "文化艺术"}, "89": {"体育发展"}, "8930": {"健身"},
	"90": {"文化娱乐", "游乐"},
}

// nameFirms gives every firm its USCC, name and 数据处理地.
func (g *generator) nameFirms() {
	r := g.rng(streamNames)
	codes := map[string]bool{}
	names := map[string]bool{}
	for _, f := range g.firms {
		for {
			f.uscc = newUSCC(r, f)
			if !codes[f.uscc] {
				codes[f.uscc] = true
				break
			}
		}
		for try := 0; ; try++ {
			f.name = newName(r, f, try >= 20) // a longer trade name when short ones run out
			if !names[f.name] {
				names[f.name] = true
				break
			}
		}
		// Villages and communities: 0xx are 社区, 2xx are 村.
		f.area = fmt.Sprintf("%s%d%02d", f.town.unit.DivisionCode, []int{0, 2}[r.IntN(2)], 1+r.IntN(25))
	}
}

func newName(r *rand.Rand, f *firm, long bool) string {
	var brand string
	for {
		a, b := brandChars[r.IntN(len(brandChars))], brandChars[r.IntN(len(brandChars))]
		brand = string([]rune{a, b})
		if a != b && !slices.Contains(famousBrands, brand) {
			break
		}
	}
	if long {
		brand += string(brandChars[r.IntN(len(brandChars))])
	}
	words := businessWords[longestPrefixWords(f.class.code)]
	if len(words) == 0 {
		words = []string{"服务"}
	}
	word := words[r.IntN(len(words))]
	place := []string{"泰州", "泰州", "泰州", "泰州", "泰州", "泰州市", "江苏"}[r.IntN(7)]
	form := "有限公司"
	switch {
	case f.size > 50*float64(f.class.threshold) && r.IntN(2) == 0:
		form = "股份有限公司"
	case r.IntN(12) == 0:
		form = "有限责任公司"
	}
	return place + brand + word + form
}

func longestPrefixWords(code string) string {
	for n := len(code); n > 0; n-- {
		if _, ok := businessWords[code[:n]]; ok {
			return code[:n]
		}
	}
	return ""
}

// uscChars are the characters of a USCC, in value order (GB 32100-2015).
const uscChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// newUSCC makes a valid code for a firm: 91 (an enterprise registered
// with market regulation), the registering authority's division —
// 321271 (医药高新区) for most firms founded before 2021 in its former
// towns, 321203 otherwise — and an organisation code: eight digits for
// firms founded before the USCC reform, MA plus six characters after it,
// each with its GB 11714 check character; then the GB 32100 check.
func newUSCC(r *rand.Rand, f *firm) string {
	division := "321203"
	if f.town.former && f.founded.Before(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)) && r.IntN(100) < 85 {
		division = "321271"
	}
	body := make([]byte, 0, 8)
	if f.founded.Before(time.Date(2015, 10, 1, 0, 0, 0, 0, time.UTC)) {
		body = append(body, byte('0'+r.IntN(8)))
		for len(body) < 8 {
			body = append(body, byte('0'+r.IntN(10)))
		}
	} else {
		body = append(body, 'M', 'A')
		for len(body) < 8 {
			body = append(body, uscChars[r.IntN(len(uscChars))])
		}
	}
	first17 := "91" + division + string(body) + string(uscc.OrgCheckCharOf(string(body)))
	return first17 + string(uscc.CheckCharOf(first17))
}
