package reports_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
)

// everyVerdict is a report holding one of each verdict, a property judged
// twice, an infrastructure error, and text that XML must escape.
func everyVerdict() *reports.Report {
	return &reports.Report{
		SchemaVersion: reports.SchemaVersion,
		Scenario:      "kill-one",
		Seed:          42,
		Verdict:       "error",
		Error:         "the scenario's timeout of 1m ran out at step 3 \x00",
		Replay:        "natschaos run testdata/kill-one.yaml --seed 42",
		Elapsed:       "61.5s",
		Versions:      []byte(`{"nats.go":"v1.55.0"}`),
		FinalClients:  map[string]int{"A": 2, "B": 150},
		Properties: []assert.Result{
			{Name: "balance", Verdict: assert.Pass, Evidence: "check at step 2: skew 0.05"},
			{Name: "mesh", Verdict: assert.Pass, Evidence: "held"},
			{Name: "no_loss", Verdict: assert.Fail, Evidence: `sub s-1 missed p-0 seq 5–10 <silent> & "more" ]]>`, Details: []string{"line one", "line ]]> two"}},
			{Name: "balance", Verdict: assert.Warn, Evidence: "skew 0.98 > 0.25: A=2 B=150 C=148"},
			{Name: "herd", Verdict: assert.NotEvaluated, Evidence: "herd: window must be > 0"},
		},
	}
}

func junitOf(t *testing.T, runs ...*reports.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := reports.WriteJUnit(&b, runs...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// go-junit-report's own model of the format reads the file back.
func TestJUnitReadByGoJUnitReport(t *testing.T) {
	pass := everyVerdict()
	pass.Error, pass.Verdict, pass.Seed = "", "fail", 43
	var got junit.Testsuites
	if err := xml.Unmarshal(junitOf(t, everyVerdict(), pass), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Suites) != 2 {
		t.Fatalf("%d suites, want one per run", len(got.Suites))
	}
	s := got.Suites[0]
	if s.Name != "kill-one (seed 42)" || s.Tests != 6 || s.Failures != 1 || s.Errors != 1 || s.Skipped != 1 {
		t.Fatalf("suite %q tests=%d failures=%d errors=%d skipped=%d, want 6/1/1/1", s.Name, s.Tests, s.Failures, s.Errors, s.Skipped)
	}
	if got.Tests != 11 || got.Failures != 2 || got.Errors != 1 {
		t.Errorf("testsuites tests=%d failures=%d errors=%d, want 11/2/1", got.Tests, got.Failures, got.Errors)
	}
	byName := map[string]junit.Testcase{}
	for _, c := range s.Testcases {
		if c.Classname != "kill-one" {
			t.Errorf("%s: classname %q, want the scenario", c.Name, c.Classname)
		}
		if _, dup := byName[c.Name]; dup {
			t.Errorf("testcase name %q twice in one suite", c.Name)
		}
		byName[c.Name] = c
	}
	f := byName["no_loss"].Failure
	if f == nil || !strings.Contains(f.Message, `seq 5–10 <silent> & "more" ]]>`) || !strings.Contains(f.Message, "replay: natschaos run testdata/kill-one.yaml --seed 42") {
		t.Fatalf("no_loss failure = %+v, want the evidence and the replay command in its message", f)
	}
	if !strings.Contains(f.Data, "line ]]> two") || !strings.Contains(f.Data, "replay: ") {
		t.Errorf("failure body lacks the details or the replay: %q", f.Data)
	}
	warn := byName["balance"]
	if warn.Failure != nil || warn.Error != nil || warn.SystemOut == nil || !strings.HasPrefix(warn.SystemOut.Data, "WARN: skew 0.98") {
		t.Errorf("warn = %+v, want a passing case with the evidence on system-out", warn)
	}
	if c, ok := byName["balance (during the run, #1)"]; !ok || c.Failure != nil {
		t.Errorf("the check-step verdict is missing or failing: %+v", c)
	}
	if c := byName["herd"]; c.Skipped == nil || !strings.Contains(c.Skipped.Message, "window must be > 0") {
		t.Errorf("not_evaluated = %+v, want skipped with the reason", c)
	}
	if c := byName["run"]; c.Error == nil || !strings.Contains(c.Error.Message, "timeout of 1m") || strings.ContainsRune(c.Error.Message, 0) {
		t.Errorf("run error = %+v, want the error, sanitised", c.Error)
	}
	if props := *s.Properties; !slices.Contains(props, junit.Property{Name: "seed", Value: "42"}) {
		t.Errorf("properties %v lack the seed", props)
	}
}

// junit10 is the structure of Jenkins' junit-10.xsd (testdata), checked
// on every run; TestJUnitValidatesWithXmllint checks the schema itself
// where xmllint is installed.
var junit10 = map[string]struct{ children, attrs, required []string }{
	"testsuites": {[]string{"testsuite"}, []string{"name", "time", "tests", "failures", "errors"}, nil},
	"testsuite": {[]string{"testsuite", "properties", "testcase", "system-out", "system-err"},
		[]string{"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp", "hostname", "id", "package", "file", "log", "url"},
		[]string{"name", "tests", "failures", "errors"}},
	"properties": {[]string{"property"}, nil, nil},
	"property":   {nil, []string{"name", "value"}, []string{"name", "value"}},
	"testcase":   {[]string{"skipped", "error", "failure", "system-out", "system-err"}, []string{"name", "time", "classname", "group"}, []string{"name"}},
	"failure":    {nil, []string{"type", "message"}, nil},
	"error":      {nil, []string{"type", "message"}, nil},
	"skipped":    {nil, []string{"type", "message"}, nil},
	"system-out": {nil, nil, nil},
	"system-err": {nil, nil, nil},
}

var surefireTime = regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$`)

func checkJUnit10(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	counts := map[string]int{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			if _, end := tok.(xml.EndElement); end {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		name := se.Name.Local
		rule, known := junit10[name]
		switch {
		case !known:
			t.Errorf("element <%s> is not in the schema", name)
		case len(stack) == 0 && name != "testsuites":
			t.Errorf("root <%s>, want <testsuites>", name)
		case len(stack) > 0 && !slices.Contains(junit10[stack[len(stack)-1]].children, name):
			t.Errorf("<%s> inside <%s>", name, stack[len(stack)-1])
		}
		var have []string
		for _, a := range se.Attr {
			have = append(have, a.Name.Local)
			if !slices.Contains(rule.attrs, a.Name.Local) {
				t.Errorf("<%s %s=...> is not in the schema", name, a.Name.Local)
			}
			if a.Name.Local == "time" && name != "testcase" && !surefireTime.MatchString(a.Value) {
				t.Errorf("<%s time=%q> does not match SUREFIRE_TIME", name, a.Value)
			}
		}
		for _, r := range rule.required {
			if !slices.Contains(have, r) {
				t.Errorf("<%s> lacks required %s", name, r)
			}
		}
		counts[name]++
		stack = append(stack, name)
	}
	var root junit.Testsuites
	if err := xml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	if root.Tests != counts["testcase"] || root.Failures != counts["failure"] || root.Errors != counts["error"] {
		t.Errorf("totals tests=%d failures=%d errors=%d, counted %d/%d/%d", root.Tests, root.Failures, root.Errors, counts["testcase"], counts["failure"], counts["error"])
	}
}

func TestJUnitFollowsTheJenkinsSchema(t *testing.T) {
	checkJUnit10(t, junitOf(t, everyVerdict()))
	checkJUnit10(t, junitOf(t)) // no run at all: still a valid, empty file
	crashed := &reports.Report{Scenario: "x", Verdict: "error", Error: "no run_end", Properties: []assert.Result{}}
	checkJUnit10(t, junitOf(t, crashed))
}

func TestJUnitValidatesWithXmllint(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian: libxml2-utils): the schema itself is not checked, its structure is (TestJUnitFollowsTheJenkinsSchema)")
	}
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := reports.WriteJUnitFile(path, everyVerdict(), everyVerdict()); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	// The validator is live: a testcase without a name must be refused.
	bad := filepath.Join(t.TempDir(), "bad.xml")
	if err := os.WriteFile(bad, []byte(`<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", bad).Run(); err == nil {
		t.Fatal("xmllint accepted a testcase without a name: the schema check proves nothing")
	}
}

func TestJUnitSuiteTimeIsTheRunsElapsed(t *testing.T) {
	var got junit.Testsuites
	if err := xml.Unmarshal(junitOf(t, everyVerdict()), &got); err != nil {
		t.Fatal(err)
	}
	if sec, _ := strconv.ParseFloat(got.Suites[0].Time, 64); sec != 61.5 {
		t.Errorf("suite time %q, want 61.500", got.Suites[0].Time)
	}
}

// Each testcase's time is the stretch of the run its verdict judged.
func TestJUnitTestcaseTimeIsWhenJudged(t *testing.T) {
	r := everyVerdict()
	r.Properties[0].JudgedAt = 2500 * time.Millisecond
	r.Properties[1].JudgedAt = 61 * time.Second
	var got junit.Testsuites
	if err := xml.Unmarshal(junitOf(t, r), &got); err != nil {
		t.Fatal(err)
	}
	cases := got.Suites[0].Testcases
	if cases[0].Time != "2.500" || cases[1].Time != "61.000" {
		t.Fatalf("testcase times %q, %q; want 2.500 and 61.000", cases[0].Time, cases[1].Time)
	}
}
