# natschaos — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/natschaos
# Packages cheap enough to run under the race detector on a 2-core machine
# (the cluster and fault-layer tests run thousands of goroutines; they get
# their own -race pass on a short subset, see test-race-engine).
RACE_PKGS := ./scenarios/... ./assert/... ./reports/...

.PHONY: all build run test test-race test-race-engine bench lint clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/natschaos

# Runs the docs' rolling upgrade on the embedded default and prints the verdict.
run: build
	./$(BIN) run rolling-upgrade --out out/rolling-upgrade

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...
	$(MAKE) test-race

test-race:
	$(GO) test -race -count=1 -timeout 20m $(RACE_PKGS)

# The engine under -race, on the tests that exercise its concurrency most.
test-race-engine:
	$(GO) test -race -count=1 -timeout 20m -run 'Fleet|Lifecycle|Partition|Freeze' ./sim/... ./faults/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

clean:
	rm -rf bin out
