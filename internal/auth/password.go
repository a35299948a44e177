package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// HashParams are the argon2id cost parameters. The defaults follow the
// OWASP Password Storage Cheat Sheet's minimum for argon2id: 19 MiB of
// memory, two passes, one lane.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultHashParams are the parameters new hashes use.
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of password as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string, p HashParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// VerifyPassword reports whether password matches a hash made by
// HashPassword, with whatever parameters the hash records.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Time == 0 || p.Threads == 0 ||
		// Bounds, so that a tampered or corrupt hash cannot make one login
		// take all memory or all night.
		p.Memory > 1<<20 || p.Time > 64 || p.Threads > 64 {
		return false, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 128 || len(salt) < 8 || len(salt) > 128 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// CheckPassword applies the password policy and returns the first rule a
// password breaks, in Chinese, or nil.
func (pol Policy) CheckPassword(username, password string) error {
	if n := len([]rune(password)); n < pol.MinLength {
		return fmt.Errorf("密码至少%d位,现为%d位", pol.MinLength, n)
	}
	if len(password) > 256 {
		return errors.New("密码不能超过256个字符")
	}
	var upper, lower, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r) || !unicode.IsPrint(r):
			return errors.New("密码不能包含空格或控制字符")
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < pol.MinClasses {
		return fmt.Errorf("密码须包含大写字母、小写字母、数字、符号中的至少%d类", pol.MinClasses)
	}
	if username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)) {
		return errors.New("密码不能包含用户名")
	}
	return nil
}

// RandomPassword returns a password that meets the policy, for an initial
// or reset password that its user must change. Ambiguous characters (0/O,
// 1/l/I) are left out so it can be read out or copied by hand.
func (pol Policy) RandomPassword() (string, error) {
	const (
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lower  = "abcdefghijkmnopqrstuvwxyz"
		digits = "23456789"
		symbol = "#%+=@!?"
	)
	sets := []string{upper, lower, digits, symbol}
	n := max(pol.MinLength, 12)
	b := make([]byte, n)
	for {
		for i := range b {
			set := sets[i%len(sets)]
			idx, err := randIndex(len(set))
			if err != nil {
				return "", err
			}
			b[i] = set[idx]
		}
		// Shuffle so the classes do not repeat in a fixed order.
		for i := len(b) - 1; i > 0; i-- {
			j, err := randIndex(i + 1)
			if err != nil {
				return "", err
			}
			b[i], b[j] = b[j], b[i]
		}
		if pol.CheckPassword("", string(b)) == nil {
			return string(b), nil
		}
	}
}

func randIndex(n int) (int, error) {
	var b [2]byte
	limit := 65536 - 65536%n // reject to avoid modulo bias
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return 0, fmt.Errorf("auth: random: %w", err)
		}
		if v := int(b[0])<<8 | int(b[1]); v < limit {
			return v % n, nil
		}
	}
}

// randomToken returns n random bytes, URL-safe base64 encoded.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
