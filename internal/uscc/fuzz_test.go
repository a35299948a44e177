package uscc_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/uscc"
)

// refCheckChar is the GB 32100-2015 check character of 17 characters of
// the charset, written apart from the package: weights 3^(i-1) mod 31 by
// repeated multiplication, check (31 − Σ mod 31) mod 31.
func refCheckChar(first17 string) byte {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := range 17 {
		sum += strings.IndexByte(charset, first17[i]) * w
		w = w * 3 % 31
	}
	return charset[(31-sum%31)%31]
}

// sound reports whether s is made of the charset with digits in positions
// 3–8, i.e. whether s plus its check character is a valid code.
func sound(s string) bool {
	for i := range len(s) {
		c := s[i]
		if !strings.Contains("0123456789ABCDEFGHJKLMNPQRTUWXY", string(c)) || (i >= 2 && i <= 7 && (c < '0' || c > '9')) {
			return false
		}
	}
	return true
}

// FuzzCheck feeds arbitrary text to Normalize and Check: they must never
// panic, Normalize must be idempotent, and what Check says must hold
// together.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "91350100M000100Y4Z", "91321203MA10012200", "91321203MA1N7K3P5U",
		"A1321203MA0F2H9K9P", "N2321203MF4D7U0Q71", "Y1321203MB1G8L5T7C", "91321203MA1Q0007XA",
		"９１３５０１００ｍ０００１００ｙ４３", " 9135-0100 M000 100Y 43 ", "\ufeff9135\u200b0100", "9135A100M000100Y4Y",
		"9135O100M000100Y43", "91350100M000100Y4", "91350100M000100Y433", "", "-", "\xff\xfe", "\xef\xbc 1",
		"91350100M000100Y4\x00", "ı", "ß", "ǅ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm := uscc.Normalize(s)
		if again := uscc.Normalize(norm); again != norm {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, norm, again)
		}
		if !utf8.ValidString(norm) {
			t.Fatalf("Normalize(%q) = %q, not UTF-8", s, norm)
		}
		r := uscc.Check(s)
		if r.Code != norm {
			t.Fatalf("Check(%q).Code = %q, want %q", s, r.Code, norm)
		}
		if again := uscc.Check(norm); !cmp.Equal(r, again) {
			t.Fatalf("Check of the normalised code differs (-first +second):\n%s", cmp.Diff(r, again))
		}

		n := utf8.RuneCountInString(r.Code)
		errs := 0
		for i, p := range r.Problems {
			if p.Pos < 0 || p.Pos > n {
				t.Errorf("problem position %d outside 0..%d: %+v", p.Pos, n, p)
			}
			if i > 0 && p.Pos < r.Problems[i-1].Pos {
				t.Errorf("problems out of order: %+v", r.Problems)
			}
			if p.Msg == "" {
				t.Errorf("problem without message: %+v", p)
			}
			if !p.Warning {
				errs++
			}
		}
		if r.Valid != (errs == 0 && n == uscc.Length) {
			t.Errorf("Valid = %v with %d errors and %d characters: %+v", r.Valid, errs, n, r)
		}
		if (r.Err() == nil) != r.Valid {
			t.Errorf("Err() = %v, Valid = %v", r.Err(), r.Valid)
		}
		if r.Valid {
			if n != uscc.Length || len(r.Code) != uscc.Length {
				t.Fatalf("valid code %q of %d characters", r.Code, n)
			}
			if !r.CheckOK || !sound(r.Code[:17]) || r.Code[17] != refCheckChar(r.Code) {
				t.Errorf("valid code %q fails the reference check (want %c)", r.Code, refCheckChar(r.Code))
			}
			if r.Division != r.Code[2:8] || r.OrgCode != r.Code[8:17] {
				t.Errorf("parts of %q: %+v", r.Code, r)
			}
		}
		if r.OnlyCheckCharWrong() {
			if r.Valid || r.CheckOK || errs != 1 {
				t.Errorf("OnlyCheckCharWrong with %+v", r)
			}
			fixed := string([]rune(r.Code)[:17]) + string(refCheckChar(r.Code))
			if !uscc.Check(fixed).Valid {
				t.Errorf("%q: only the check character is wrong, yet %q is not valid", r.Code, fixed)
			}
		}
		// Any 17 sound characters plus the reference check character make
		// a valid code.
		if len(r.Code) >= 17 && sound(r.Code[:17]) {
			code := r.Code[:17] + string(refCheckChar(r.Code))
			if got := uscc.Check(code); !got.Valid || !got.CheckOK {
				t.Errorf("%q with reference check character: %+v", code, got)
			}
		}
	})
}
