package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUSCC(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string // stdout lines
		wantErr string
	}{
		{
			name: "valid",
			args: []string{"91350100M000100Y43", "９２３２１２０３ｍａ１ｑｂ６ｗｅ７ｒ", "Y1321203-MB1G-8L5T-7C"},
			want: []string{
				"91350100M000100Y43 有效 登记管理部门:工商(市场监管) 机构类别:企业 登记机关行政区划码:350100 组织机构代码:M000100Y4",
				"92321203MA1QB6WE7R 有效 登记管理部门:工商(市场监管) 机构类别:个体工商户 登记机关行政区划码:321203 组织机构代码:MA1QB6WE7",
				"Y1321203MB1G8L5T7C 有效 登记管理部门:其他 机构类别:其他 登记机关行政区划码:321203 组织机构代码:MB1G8L5T7",
			},
		},
		{
			name: "organisation-code warning and unknown category",
			args: []string{"91321203MA1N7K3P5U", "9B321271MA1ME3WD3R"},
			want: []string{
				"91321203MA1N7K3P5U 有效 登记管理部门:工商(市场监管) 机构类别:企业 登记机关行政区划码:321203 组织机构代码:MA1N7K3P5 警告:第17位组织机构代码校验码应为6,实际为5(仅提示)",
				"9B321271MA1ME3WD3R 有效 登记管理部门:工商(市场监管) 机构类别:未知 登记机关行政区划码:321271 组织机构代码:MA1ME3WD3",
			},
		},
		{
			name: "invalid",
			args: []string{"91350100M000100Y4Z", "91350100M000100Y43", "9I350100M000100Y4", "", "9135\x00100M000100Y43"},
			want: []string{
				"91350100M000100Y4Z 无效 第18位校验码应为3,实际为Z",
				"91350100M000100Y43 有效 登记管理部门:工商(市场监管) 机构类别:企业 登记机关行政区划码:350100 组织机构代码:M000100Y4",
				"9I350100M000100Y4 无效 长度应为18位,实际为17位;第2位“I”不是合法字符(统一社会信用代码不使用I、O、S、V、Z)",
				"(空) 无效 统一社会信用代码为空",
				`"9135\x00100M000100Y43" 无效 第5位“U+0000”不是合法字符(只能是数字或除I、O、S、V、Z以外的大写字母)`,
			},
			wantErr: "4个代码无效",
		},
		{
			name:    "letter in the division and a warning",
			args:    []string{"9132A203MA1N7K3P5U"},
			want:    []string{"9132A203MA1N7K3P5U 无效 第3—8位应为数字(登记管理机关行政区划码);第17位组织机构代码校验码应为6,实际为5(仅提示);第18位校验码应为B,实际为U"},
			wantErr: "1个代码无效",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := cmdUSCC(tt.args, &out, &errb)
			if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); !cmp.Equal(got, tt.want) {
				t.Errorf("output (-want +got):\n%s", cmp.Diff(tt.want, got))
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Errorf("error %v, want %s", err, tt.wantErr)
			}
			if errors.As(err, new(usageError)) || errb.Len() > 0 {
				t.Errorf("usage error %v, stderr %q", err, errb.String())
			}
		})
	}
}

func TestUSCCUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if err := cmdUSCC([]string{"--help"}, &out, &errb); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
	if s := errb.String(); !strings.Contains(s, "Usage: svcplan uscc CODE...") || !strings.Contains(s, "统一社会信用代码校验") {
		t.Errorf("--help: %q", s)
	}

	errb.Reset()
	if err := cmdUSCC(nil, &out, &errb); !errors.As(err, new(usageError)) || !strings.Contains(errb.String(), "Usage:") {
		t.Errorf("no code: %v %q", err, errb.String())
	}
	if err := cmdUSCC([]string{"--strict", "91350100M000100Y43"}, &out, &errb); !errors.As(err, new(usageError)) {
		t.Errorf("unknown flag: %v", err)
	}
	if out.Len() > 0 {
		t.Errorf("output on usage errors: %q", out.String())
	}
}
