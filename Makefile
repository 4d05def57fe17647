# natschaos — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/natschaos
.PHONY: all build run test test-race soak bench lint clean binaries mutation bin/binaries

# The nats-server releases the tests run as processes (upgrade, downgrade,
# parity), built once into the cache ($NATSCHAOS_CACHE or
# ~/.cache/natschaos) through the Go module proxy; later runs find them.
# In the order make test builds them: first the release go.mod pins
# (compiled into natschaos; its build is a link of what the tests
# compile), then the older ones one at a time, the one the tests need
# first (the leaf hub's rolling upgrade runs v2.15.2) first.
NATS_RELEASES := v2.15.3 v2.15.2 v2.14.9

# Builds are pure Go, as the releases, the toxiproxy server and the
# workers are built: the tests, vet and the release pinned in go.mod then
# share one compile of nats-server and the rest (with cgo on, each is
# compiled twice from a cold cache). The race detector needs cgo:
# test-race turns it back on.
export CGO_ENABLED ?= 0

all: build

build:
	$(GO) build -o $(BIN) ./cmd/natschaos

# Runs the docs' rolling upgrade on the embedded default and prints the verdict.
run: build
	./$(BIN) run rolling-upgrade --out out/rolling-upgrade

binaries: bin/binaries
	bin/binaries $(NATS_RELEASES)

# The command that builds the releases; building it compiles sim and
# nats-server, once, before anything else compiles them.
bin/binaries:
	$(GO) build -o $@ ./sim/internal/binaries

# The releases build in the background while the Go build runs; a test
# that needs one before it is ready waits on the cache's lock. The pinned
# one, a link, comes first; the older ones, whole compiles of their own,
# and the race pass's compile (run with -exec true: it compiles and links,
# and runs nothing) run at the lowest priority, on the CPU the plain pass
# leaves idle while its real clusters wait out declared durations and
# raft elections (measured: its tests took the same time beside two
# nice 19 busy loops as alone). Vet: make lint runs go vet,
# and go test runs its own checks. scenarios is named first: its tests
# take longest (over 2 minutes, mostly waiting), so they start first while
# the other packages share the second slot.
test: bin/binaries
	@(set -e; bin/binaries $(firstword $(NATS_RELEASES)); \
	  for v in $(wordlist 2,$(words $(NATS_RELEASES)),$(NATS_RELEASES)); do nice -n 19 bin/binaries $$v; done) & bins=$$!; \
	CGO_ENABLED=1 nice -n 19 $(GO) test -race -short -vet=off -count=1 -exec true $(RACE_PKGS) >/dev/null 2>&1 & race=$$!; \
	$(GO) test -count=1 -timeout 30m ./scenarios/ ./...; rc=$$?; \
	wait $$race; wait $$bins || [ $$rc -ne 0 ] || rc=3; exit $$rc
	$(MAKE) test-race

# The real-cluster passes test runs once, over and over: each built-in ten
# times (three for process and JetStream ones), each herd built-in three,
# the leaf herd three, js-isolate-leader twice, auth-warning and its twin
# three. CI runs it after test.
soak: binaries
	NATSCHAOS_SOAK=1 $(GO) test -count=1 -timeout 30m -run 'TestBuiltinsPassRepeatedly|TestHerdBuiltinsReachTheirVerdict|TestLeafBuiltinsReachTheirVerdicts|TestJSIsolateLeaderKeepsAcknowledgedData|TestAuthWarningAndTwin' ./scenarios/

# The race detector, over the packages whose code starts goroutines (sim,
# faults, workers, scenarios) or whose tests drive that code concurrently
# (an extension's fault under the runner, go test's helper, the build
# cache's lock, port reservations). The packages in RACE_SKIP run their
# code on the test's goroutine alone, where the detector has nothing to
# find; a new package is raced unless it is added there. cmd/natschaos
# is left out: its tests run the CLI as a separate binary, built without
# -race, so under -race they would repeat the plain pass.
# -short leaves out the long runs of real scenarios (the built-ins, every
# property on a real cluster), which the plain pass already ran: the race
# detector slows them tenfold on two cores without exercising any code
# they do not. -vet=off: the plain pass vetted the same code.
RACE_SKIP := assert cmd/natschaos deploy docs/findings/.* explore internal/compare \
	internal/leftovers internal/suggest internal/testwait lab qualify reports scenarios/library
RACE_PKGS = $$($(GO) list ./... | grep -vx $(foreach p,$(RACE_SKIP),-e 'github.com/natschaos/natschaos/$(p)'))

test-race: binaries
	CGO_ENABLED=1 $(GO) test -race -short -vet=off -count=1 -timeout 20m $(RACE_PKGS)

# Mutation testing of the checkers (docs/VERDICTS.md): gremlins, pinned as
# a tool in go.mod, mutates assert/ and runs its unit tests against each
# mutant. The tag `mutation` and -short leave out the real-cluster runs,
# which take minutes and judge through the same code; -vet=off and
# -trimpath (each worker's copy of the module reuses the build cache) keep
# one mutant to a compile and a link. Prints the kill rate (test efficacy:
# killed / (killed + lived)) and fails below 85%.
MUTATION_WORKERS ?= 2
mutation:
	@mkdir -p out
	GOFLAGS="$$($(GO) env GOFLAGS) -short -vet=off -trimpath" $(GO) tool gremlins unleash \
		--tags mutation --workers $(MUTATION_WORKERS) --timeout-coefficient 20 \
		--output out/mutation.json --threshold-efficacy 85 ./assert | tee out/mutation.txt
	@awk '/Test efficacy:/ { sub("%","",$$3); if ($$3+0 < 85) { print "mutation: test efficacy " $$3 "% is below 85%"; bad=1 } } END { exit bad }' out/mutation.txt

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

# go mod tidy -diff fails (and shows the diff) when go.mod or go.sum is
# not tidy: run go mod tidy.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

clean:
	rm -rf bin out
