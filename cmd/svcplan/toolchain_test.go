package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shipToolchain is the Go release svcplan binaries are built with: it
// fixes standard-library flaws (net/http, crypto) of the 1.26.8 installed
// on the machines here, and the go command fetches it through the module
// proxy when GOTOOLCHAIN names it.
const shipToolchain = "go1.27.3"

// goCommand finds a go build, go install or go run of the svcplan command
// in one shell command (the Makefile's $(GO) included).
var goCommand = regexp.MustCompile(`(^|\s)(go|\$\(GO\))\s+(build|install|run)\s[^;&|]*\bcmd/svcplan\b`)

// commandBreak separates the commands of a line: Markdown puts them
// between backquotes, shell separates them with ; && || and |.
var commandBreak = regexp.MustCompile("`|;|&&|\\|\\|?")

// TestBuildsPinTheToolchain: every documented way of building or running
// the binary (README, doc/, the Makefile, CI and the benchmark scripts)
// sets GOTOOLCHAIN to the shipping release on the same command. Machines
// here set GOTOOLCHAIN=local in the Go installation's go.env, which makes
// the go command ignore the toolchain line of go.mod: an unpinned
// "go build ./cmd/svcplan" makes a 1.26.8 binary there.
func TestBuildsPinTheToolchain(t *testing.T) {
	files := []string{"../../README.md", "../../Makefile", "../../.ci/run"}
	for _, pattern := range []string{"../../doc/*.md", "../../bench/*.sh", "../../plans/*.md"} {
		more, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	pinned := map[string]int{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if filepath.Base(file) == "Makefile" {
			text = expandShipGo(t, text)
		}
		// A shell line continued with a backslash is one command.
		text = strings.ReplaceAll(text, "\\\n", " ")
		for n, line := range strings.Split(text, "\n") {
			for _, cmd := range commandBreak.Split(line, -1) {
				m := goCommand.FindStringIndex(cmd)
				if m == nil {
					continue
				}
				if !strings.Contains(cmd[:m[0]+1], "GOTOOLCHAIN="+shipToolchain+" ") {
					t.Errorf("%s:%d: %q builds svcplan without GOTOOLCHAIN=%s", file, n+1, strings.TrimSpace(cmd), shipToolchain)
					continue
				}
				pinned[filepath.Base(file)]++
			}
		}
	}
	// The Makefile's build and the README's own command must have been
	// seen, or this test would pass by finding nothing.
	for _, file := range []string{"Makefile", "README.md"} {
		if pinned[file] == 0 {
			t.Errorf("%s: no pinned build of svcplan found", file)
		}
	}

	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(gomod), "\n")
	for _, want := range []string{"toolchain " + shipToolchain, "go 1.26"} {
		found := false
		for _, l := range lines {
			if l == want || strings.HasPrefix(l, want+".") {
				found = true
			}
		}
		if !found {
			t.Errorf("go.mod has no line %q", want)
		}
	}
}

// expandShipGo replaces $(SHIP_GO) in the Makefile by the value it is set
// to there, which must be the shipping toolchain.
func expandShipGo(t *testing.T, makefile string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^SHIP_GO\s*\??=\s*(\S+)`).FindStringSubmatch(makefile)
	if m == nil {
		t.Fatal("Makefile: SHIP_GO is not set")
	}
	if m[1] != shipToolchain {
		t.Errorf("Makefile: SHIP_GO = %s, want %s", m[1], shipToolchain)
	}
	return strings.ReplaceAll(makefile, "$(SHIP_GO)", m[1])
}
