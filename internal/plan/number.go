package plan

import (
	"fmt"
	"math/big"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Number is a decimal number kept exactly as written ("680", "1.5"), so a
// target never passes through a binary float.
type Number string

// validNumber reports whether s is a plain decimal: an optional minus sign,
// digits, and an optional fraction. No exponent, no grouping, no plus sign.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		frac := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == frac {
			return false
		}
	}
	return i == len(s)
}

// Rat returns the number as an exact rational; ok is false for an empty or
// malformed number.
func (n Number) Rat() (r *big.Rat, ok bool) {
	if !validNumber(string(n)) {
		return nil, false
	}
	return new(big.Rat).SetString(string(n))
}

// numberError reports a value that is not a decimal number, with the place
// it was found.
type numberError struct {
	tok *token.Token
	got string
}

func (e *numberError) Error() string { return fmt.Sprintf("应为数字,实际为“%s”", e.got) }

// UnmarshalYAML reads a number from a YAML or JSON scalar, keeping its
// literal text. Quoted numbers ("680") are accepted too.
func (n *Number) UnmarshalYAML(node ast.Node) error {
	var lit string
	switch v := node.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		lit = v.GetToken().Value
	case *ast.StringNode:
		lit = v.Value
	case *ast.NullNode:
		*n = ""
		return nil
	default:
		return &numberError{tok: node.GetToken(), got: node.String()}
	}
	if !validNumber(lit) {
		return &numberError{tok: node.GetToken(), got: lit}
	}
	*n = Number(lit)
	return nil
}

// MarshalYAML writes the number as a plain YAML number.
func (n Number) MarshalYAML() ([]byte, error) { return []byte(n), nil }

// UnmarshalJSON reads a number from a JSON number or string, keeping its
// literal text.
func (n *Number) UnmarshalJSON(b []byte) error {
	lit := string(b)
	if lit == "null" {
		*n = ""
		return nil
	}
	if len(lit) >= 2 && lit[0] == '"' && lit[len(lit)-1] == '"' {
		lit = lit[1 : len(lit)-1]
	}
	if !validNumber(lit) {
		return fmt.Errorf("应为数字,实际为%s", b)
	}
	*n = Number(lit)
	return nil
}

// MarshalJSON writes the number as a JSON number.
func (n Number) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	return []byte(n), nil
}

// Valid reports whether n is a plain decimal: an optional minus sign,
// digits and an optional fraction.
func (n Number) Valid() bool { return validNumber(string(n)) }
