# CI runs: make lint test build (see .ci/run).
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# Binaries ship under Go 1.27.3, which fixes net/http and crypto flaws of the
# machine's 1.26.8; the go command fetches it through the module proxy. Go
# installations that set GOTOOLCHAIN=local in their go.env (this machine's
# does) ignore go.mod's toolchain line, so every build or run of the server
# names it (cmd/svcplan/toolchain_test.go checks).
SHIP_GO   ?= go1.27.3
LDFLAGS   := -s -w -X main.version=$(VERSION)

.PHONY: build test lint run vuln

build:
	CGO_ENABLED=0 GOTOOLCHAIN=$(SHIP_GO) $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/svcplan ./cmd/svcplan

test:
	$(GO) test -race ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	CGO_ENABLED=0 $(GO) build ./...

run:
	GOTOOLCHAIN=$(SHIP_GO) $(GO) run ./cmd/svcplan serve

vuln:
	../shared/tools/govulncheck.sh ./...
