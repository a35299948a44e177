package plan

import (
	"encoding/json"
	"os"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the plan-file parser: it must never
// panic, must explain every refusal with at least one error, and what it
// accepts must be valid and survive a JSON round trip.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/minimal.yaml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("schema: svcplan/plan/v1\nplan: {code: x}\n"))
	f.Add([]byte("{\"schema\": \"svcplan/plan/v1\", \"units\": [{\"code\": 1}]}"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse("fuzz.yaml", data, nil)
		if err != nil {
			probs, ok := err.(Problems)
			if !ok || !probs.HasErrors() {
				t.Fatalf("refusal without a problem: %#v", err)
			}
			return
		}
		if probs := Validate(got.Plan); probs.HasErrors() {
			t.Fatalf("accepted an invalid plan: %v", probs)
		}
		out, err := json.Marshal(got.Plan)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse("again.json", out, nil); err != nil {
			t.Fatalf("accepted plan does not parse again as JSON: %v", err)
		}
	})
}
