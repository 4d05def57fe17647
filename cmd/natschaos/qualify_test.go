package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/qualify"
	"github.com/natschaos/natschaos/sim"
)

const qualifyScenario = "../../qualify/testdata/reconnect-wait.yaml"

func TestQualifyInvalidInputExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"qualify", "--candidate", "v2.15.3"}, "--baseline and --candidate go together"},
		{[]string{"qualify"}, "are required"},
		{[]string{"qualify", "--client-baseline", "v1.55.0"}, "--client-baseline and --client-candidate go together"},
		{[]string{"qualify", "--client-baseline", "v1.55.0", "--client-candidate", "1.56"}, "not a nats.go release"},
		{[]string{"qualify", "--baseline", "v2.15.2", "--candidate", "2.15"}, "not a nats-server release"},
		{[]string{"qualify", "--baseline", "embedded", "--candidate", "embedded", "--tolerance", "reconect.p99=20%"}, "no figure"},
		{[]string{"qualify", "--baseline", "embedded", "--candidate", "embedded", "--tolerance", "reconnect.p99=fast"}, "neither a percentage"},
		{[]string{"qualify", "--baseline", "embedded", "--candidate", "embedded", "testdata/bad.yaml"}, "testdata/bad.yaml:8:"},
		{[]string{"qualify", "--baseline", "embedded", "--candidate", "embedded", "--runs", "0"}, "--runs"},
		{[]string{"qualify", "--baseline", "embedded", "--candidate", "embedded", "--suite", "core"}, "only named suite"},
	} {
		_, stderr, code := natschaos(t, append(c.args, "--out", t.TempDir())...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 2 with %q; stderr:\n%s", c.args, code, c.want, stderr)
		}
	}
}

// qualifyInProcess runs the command in this process, so a test can plant a
// regression on the candidate's side.
func qualifyInProcess(t *testing.T, plant func(*qualify.Options), args ...string) (string, int) {
	t.Helper()
	qualifyPlant = plant
	t.Cleanup(func() { qualifyPlant = nil })
	cmd := newQualifyCmd()
	var out, errw bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errw)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	var ee *exitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &ee):
		return out.String() + errw.String(), ee.code
	}
	t.Fatalf("%v\n%s", err, errw.String())
	return "", 0
}

// The planted regression (the candidate's clients wait twice as long
// between attempts) exits 1 naming the reconnect figures; the same
// release on both sides exits 0.
func TestQualifyExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	double := func(o *qualify.Options) {
		o.Candidate.Groups = func(gs []sim.GroupSpec) {
			for i := range gs {
				gs[i].Options.ReconnectWait *= 2
			}
		}
	}
	out := t.TempDir()
	stdout, code := qualifyInProcess(t, double, "--baseline", "embedded", "--candidate", "embedded", qualifyScenario, "--runs", "5", "--seed", "1", "--out", out)
	if code != exitFail || !strings.Contains(stdout, "**REGRESSION**") || !strings.Contains(stdout, "reconnect-wait reconnect.p50") {
		t.Errorf("planted regression: exit %d, want 1 naming reconnect.p50:\n%s", code, stdout)
	}
	for _, f := range []string{"qualify.md", "qualify.json", "qualify.html", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	junit, _ := os.ReadFile(filepath.Join(out, "junit.xml"))
	if !strings.Contains(string(junit), `<failure message="regression: reconnect.p50"`) {
		t.Errorf("junit.xml lacks the failing reconnect.p50 case:\n%s", junit)
	}
	stdout, code = qualifyInProcess(t, nil, "--baseline", "embedded", "--candidate", "embedded", qualifyScenario, "--runs", "5", "--seed", "1", "--out", t.TempDir())
	if code != 0 || !strings.Contains(stdout, "No significant regression") {
		t.Errorf("same release: exit %d, want 0:\n%s", code, stdout)
	}
}
