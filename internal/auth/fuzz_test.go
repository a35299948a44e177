package auth

import "testing"

// FuzzVerifyPassword feeds arbitrary stored hashes and passwords to the PHC
// string parser: it must never panic, and must reject what it cannot read.
func FuzzVerifyPassword(f *testing.F) {
	h, _ := HashPassword("Svcplan#2026", HashParams{Memory: 64, Time: 1, Threads: 1})
	f.Add(h, "Svcplan#2026")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "x")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdA$aGFzaA", "x")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, hash, password string) {
		ok, err := VerifyPassword(hash, password)
		if err != nil && ok {
			t.Fatal("error and match at once")
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("Svcplan#2026", DefaultHashParams); err != nil {
			b.Fatal(err)
		}
	}
}
