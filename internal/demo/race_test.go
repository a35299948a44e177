//go:build race

package demo_test

// raceDetector is set when the tests run with the race detector, which
// slows the pure-Go SQLite down about tenfold: the heavy tests then do
// less.
const raceDetector = true
