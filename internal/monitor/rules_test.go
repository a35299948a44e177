package monitor

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/apperr"
)

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name   string
		rules  Rules
		fields map[string]string // nil: valid
	}{
		{name: "defaults", rules: DefaultRules()},
		{name: "银川 bands", rules: Rules{YellowBelowPP: "10", RedBelowPP: "30", RateRedBelow: "0.5", Decimals: 2}},
		{name: "no yellow band", rules: Rules{YellowBelowPP: "10", RedBelowPP: "10", RateRedBelow: "1", Decimals: 0}},
		{
			name:  "not numbers",
			rules: Rules{YellowBelowPP: "abc", RedBelowPP: "", RateRedBelow: "1e1", Decimals: 1},
			fields: map[string]string{
				"yellow_below_pp": "黄灯起点(落后序时进度百分点)应为数字",
				"red_below_pp":    "红灯起点(落后序时进度百分点)应为数字",
				"rate_red_below":  "比率类指标红灯起点(低于目标百分点)应为数字",
			},
		},
		{
			name:  "signs",
			rules: Rules{YellowBelowPP: "-1", RedBelowPP: "0", RateRedBelow: "-0.5", Decimals: 1},
			fields: map[string]string{
				"yellow_below_pp": "黄灯起点(落后序时进度百分点)不能为负数",
				"red_below_pp":    "红灯起点(落后序时进度百分点)应大于0",
				"rate_red_below":  "比率类指标红灯起点(低于目标百分点)应大于0",
			},
		},
		{
			name:   "yellow beyond red",
			rules:  Rules{YellowBelowPP: "12", RedBelowPP: "10", RateRedBelow: "1", Decimals: 1},
			fields: map[string]string{"yellow_below_pp": "黄灯起点不能大于红灯起点"},
		},
		{
			name:   "decimals",
			rules:  Rules{YellowBelowPP: "0", RedBelowPP: "10", RateRedBelow: "1", Decimals: 5},
			fields: map[string]string{"decimals": "保留小数位数应为0—4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rules.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *apperr.Error
			if !errors.As(err, &e) || e.Kind != apperr.Invalid {
				t.Fatalf("Validate() = %#v, want an Invalid apperr.Error", err)
			}
			if e.Msg != "预警规则有误" {
				t.Errorf("message = %q", e.Msg)
			}
			if diff := cmp.Diff(tt.fields, e.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLights(t *testing.T) {
	th, err := DefaultRules().parse()
	if err != nil {
		t.Fatal(err)
	}
	// Gaps as printed (already rounded). Flows: green ≥ 0, yellow (−10, 0),
	// red ≤ −10. Rates: green ≥ 0, yellow (−1, 0), red ≤ −1.
	tests := []struct {
		gap         string
		pace, rates Light
	}{
		{"5", Green, Green},
		{"0", Green, Green},
		{"-0.1", Yellow, Yellow},
		{"-0.9", Yellow, Yellow},
		{"-1", Yellow, Red},
		{"-9.9", Yellow, Red},
		{"-10", Red, Red},
		{"-50", Red, Red},
	}
	for _, tt := range tests {
		if got := th.paceLight(rat(tt.gap)); got != tt.pace {
			t.Errorf("paceLight(%s) = %s, want %s", tt.gap, got, tt.pace)
		}
		if got := th.rateLight(rat(tt.gap)); got != tt.rates {
			t.Errorf("rateLight(%s) = %s, want %s", tt.gap, got, tt.rates)
		}
	}
}
