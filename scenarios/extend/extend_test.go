// Package extend_test shows the registries are the vocabulary: a fault
// kind (kind_drip_test.go), a property (property_faults_seen_test.go) and
// a step (step_bounce_test.go), each declared in one file outside faults,
// assert and scenarios, are read, checked,
// written back, run and judged like the built-ins, with nothing else
// edited.
package extend_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/explore"
	"github.com/natschaos/natschaos/scenarios"
)

func dripFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/drip.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDeclaredElsewhereParses(t *testing.T) {
	sc, err := scenarios.Parse("drip.yaml", []byte(dripFile(t)))
	if err != nil {
		t.Fatal(err)
	}
	f, ok := sc.Steps[1].Action.(*scenarios.Fault)
	if !ok {
		t.Fatalf("step 2 is %T, want a fault", sc.Steps[1].Action)
	}
	if v := f.Values(); v["size"] != int64(16) || v["gap"] != time.Millisecond {
		t.Errorf("drip parameters %v, want size 16 (bytes) and gap 1ms", v)
	}
	seen := sc.Expect.Get("faults_seen")
	if p, ok := seen.Params.(*faultsSeenParams); !ok || p.Kind != "drip" || p.AtLeast != 1 {
		t.Errorf("faults_seen parameters %#v, want kind drip and the default at_least 1", seen.Params)
	}
	// explore's writer knows them from the registries too.
	out, err := explore.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := scenarios.Parse("back.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	bf, _ := back.Steps[1].Action.(*scenarios.Fault)
	if bf == nil {
		t.Fatalf("written back without its fault:\n%s", out)
	}
	if got := bf.Values(); got["size"] != int64(16) || got["gap"] != time.Millisecond || !strings.Contains(string(out), "kind: drip") {
		t.Errorf("written back as:\n%s", out)
	}
	if p, ok := back.Expect.Get("faults_seen").Params.(*faultsSeenParams); !ok || p.Kind != "drip" {
		t.Errorf("faults_seen written back as:\n%s", out)
	}
}

func TestDeclaredElsewhereBadParameters(t *testing.T) {
	src := dripFile(t)
	for _, tc := range []struct{ name, old, new, want string }{
		{"fault rule", "size: 16B", "size: 0", "15:49: steps[1].fault.size must be at least 1 byte, got 0"},
		{"fault unit", "size: 16B", "size: 16XB", `15:49: steps[1].fault.size: invalid size "16XB"`},
		{"fault type", "gap: 1ms", "gap: soon", `15:59: steps[1].fault.gap: `},
		{"fault rule 2", "gap: 1ms", "gap: -1ms", "15:59: steps[1].fault.gap must not be negative, got -1ms"},
		{"fault misspelt", "size: 16B", "sise: 16B", `15:43: unknown key "sise" in steps[1].fault; did you mean "size"?`},
		{"fault required", "size: 16B, ", "", "15:5: steps[1].fault: a drip fault needs size"},
		{"property rule", "{kind: drip}", "{kind: drip, at_least: 0}", "20:39: expect.faults_seen.at_least must be at least 1, got 0"},
		{"property type", "{kind: drip}", "{kind: drip, at_least: many}", `20:39: expect.faults_seen.at_least: expected an integer, got "many"`},
		{"property misspelt", "{kind: drip}", "{kind: drip, atleast: 2}", `20:29: unknown key "atleast" in expect.faults_seen; did you mean "at_least"?`},
		{"property required", "{kind: drip}", "{}", "20:3: expect.faults_seen.kind is required"},
		{"step rule", "pause: 100ms", "pause: 1m", "17:32: steps[3].bounce.pause must be at most 5s, got 1m0s"},
		{"step server", "server: A, pause", "server: Z, pause", `17:22: steps[3].bounce.server: unknown server "Z" (declared: A)`},
		{"step misspelt", "pause: 100ms", "pause: 100ms, paws: 1s", `17:39: unknown key "paws" in steps[3].bounce (known keys: server, pause)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(src, tc.old) {
				t.Fatalf("testdata/drip.yaml has no %q", tc.old)
			}
			_, err := scenarios.Parse("drip.yaml", []byte(strings.Replace(src, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), "drip.yaml:"+tc.want) {
				t.Errorf("got %v\nwant drip.yaml:%s", err, tc.want)
			}
		})
	}
}

// run runs the file with at_least set as given, on one embedded server.
func run(t *testing.T, atLeast string) *scenarios.Outcome {
	t.Helper()
	src := strings.Replace(dripFile(t), "{kind: drip}", "{kind: drip, at_least: "+atLeast+"}", 1)
	sc, err := scenarios.Parse("drip.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{})
	if o.Err != nil {
		t.Fatalf("run: %v", o.Err)
	}
	return o
}

func verdictOf(o *scenarios.Outcome, name string) assert.Result {
	for _, r := range o.Results {
		if r.Name == name {
			return r
		}
	}
	return assert.Result{}
}

func TestDeclaredElsewhereRunsAndIsJudged(t *testing.T) {
	defer goleak.VerifyNone(t)
	o := run(t, "1")
	if r := verdictOf(o, "faults_seen"); r.Verdict != assert.Pass || r.Evidence != "1 drip faults started (at least 1)" {
		t.Errorf("faults_seen: %s %q", r.Verdict, r.Evidence)
	}
	if r := verdictOf(o, "no_loss"); r.Verdict != assert.Pass {
		t.Errorf("no_loss through the drip and the bounce: %s %q", r.Verdict, r.Evidence)
	}
	if want := "step 4 (bounce: A for 100ms): bounced A after 100ms"; !slices.Contains(o.Notes, want) {
		t.Errorf("notes %q, want %q", o.Notes, want)
	}
	if o.Verdict != "pass" {
		t.Errorf("verdict %s: %+v", o.Verdict, o.Results)
	}
	o = run(t, "2")
	if r := verdictOf(o, "faults_seen"); r.Verdict != assert.Fail || r.Evidence != "1 drip faults started, want at least 2" {
		t.Errorf("faults_seen asking for 2: %s %q", r.Verdict, r.Evidence)
	}
	if o.Verdict != "fail" {
		t.Errorf("verdict %s, want fail", o.Verdict)
	}
}
