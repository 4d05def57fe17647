package reports

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/natschaos/natschaos/assert"
)

// JUnit XML as GitHub Actions reporters, GitLab and Jenkins read it,
// written with go-junit-report's model of the format; the structure
// follows the schema Jenkins' xunit plugin validates against (junit-10.xsd,
// a copy is in testdata): testsuites > testsuite > properties, testcase >
// failure | error | skipped | system-out.

func cdata(s string) *junit.Output { return &junit.Output{Data: xmlSafe(s)} }

// xmlSafe replaces what XML 1.0 cannot carry at all, even escaped (most
// control characters, from a server's error text for instance). CDATA is
// written as is, so this is needed before encoding.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

// WriteJUnit writes one testsuite per run and one testcase per verdict:
// fail is a failure whose message is the evidence and the replay command;
// warn passes with the evidence on system-out; not_evaluated is skipped.
// A run that ended in an error (infrastructure, timeout, interruption, a
// crash) gets one more testcase, "run", holding that error.
func WriteJUnit(w io.Writer, runs ...*Report) error {
	all := junit.Testsuites{Name: "natschaos"}
	var total time.Duration
	for i, r := range runs {
		all.AddSuite(suiteOf(i, r))
		d, _ := time.ParseDuration(r.Elapsed)
		total += d
	}
	all.Time = seconds(total)
	all.Skipped = 0 // junit-10.xsd has no skipped on testsuites; each testsuite counts its own
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	return all.WriteXML(w)
}

// WriteJUnitFile writes the runs' JUnit file at path, replacing it only
// once complete: a CI step reading it never sees half a file.
func WriteJUnitFile(path string, runs ...*Report) error {
	return writeFile(path, func(f *os.File) error { return WriteJUnit(f, runs...) })
}

func suiteOf(id int, r *Report) junit.Testsuite {
	d, _ := time.ParseDuration(r.Elapsed)
	s := junit.Testsuite{
		ID:   id,
		Name: fmt.Sprintf("%s (seed %d)", r.Scenario, r.Seed),
		Time: seconds(d),
	}
	s.AddProperty("scenario", r.Scenario)
	s.AddProperty("seed", strconv.FormatInt(r.Seed, 10))
	s.AddProperty("verdict", r.Verdict)
	s.AddProperty("replay", r.Replay)
	var versions map[string]string
	if json.Unmarshal(r.Versions, &versions) == nil {
		for _, k := range sortedKeys(versions) {
			s.AddProperty("version "+k, versions[k])
		}
	}
	names := caseNames(r.Properties)
	for i, p := range r.Properties {
		// A verdict's time is the stretch of the run it judged: from the
		// start to the moment it was judged.
		c := junit.Testcase{Name: names[i], Classname: r.Scenario, Time: seconds(p.JudgedAt)}
		switch p.Verdict {
		case assert.Fail:
			c.Failure = &junit.Result{Message: p.Evidence + replaySuffix(r), Type: "fail", Data: xmlSafe(body(p, r))}
		case assert.NotEvaluated:
			c.Skipped = &junit.Result{Message: "not evaluated: " + p.Evidence}
		case assert.Warn:
			c.SystemOut = cdata(body(p, r) + "(warn: true — reported, does not fail the run)\n")
		default:
			c.SystemOut = cdata(body(p, r))
		}
		s.AddTestcase(c)
	}
	if r.Error != "" {
		s.AddTestcase(junit.Testcase{Name: "run", Classname: r.Scenario, Time: seconds(d),
			Error: &junit.Result{Message: r.Error + replaySuffix(r), Type: "error", Data: xmlSafe(runBody(r))}})
	}
	s.SystemOut = cdata(runBody(r))
	return s
}

// caseNames makes testcase names unique within a suite, as CI tools key
// results by (classname, name). A property judged during the run (a check
// step, a wait that timed out) and again over the whole run appears twice;
// the last one is the whole-run verdict and keeps the plain name.
func caseNames(props []assert.Result) []string {
	last := map[string]int{}
	for i, p := range props {
		last[p.Name] = i
	}
	seen := map[string]int{}
	out := make([]string, len(props))
	for i, p := range props {
		if last[p.Name] == i {
			out[i] = p.Name
			continue
		}
		seen[p.Name]++
		out[i] = fmt.Sprintf("%s (during the run, #%d)", p.Name, seen[p.Name])
	}
	return out
}

func replaySuffix(r *Report) string {
	if r.Replay == "" {
		return ""
	}
	return " — replay: " + r.Replay
}

// body is a verdict's full text: evidence, the moment, the details.
func body(p assert.Result, r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", strings.ToUpper(string(p.Verdict)), p.Evidence)
	if p.At > 0 {
		fmt.Fprintf(&b, "at %s into the run\n", p.At.Round(time.Millisecond))
	}
	for _, d := range p.Details {
		fmt.Fprintf(&b, "  %s\n", d)
	}
	for _, f := range p.Fidelity {
		fmt.Fprintf(&b, "fidelity: %s\n", f)
	}
	if p.Verdict == assert.Fail && r.Replay != "" {
		fmt.Fprintf(&b, "replay: %s\n", r.Replay)
	}
	return b.String()
}

func runBody(r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s seed %d: %s in %s\n", r.Scenario, r.Seed, strings.ToUpper(r.Verdict), r.Elapsed)
	if r.Error != "" {
		fmt.Fprintf(&b, "error: %s\n", r.Error)
	}
	if f := finalText(r.FinalClients); f != "" {
		fmt.Fprintf(&b, "clients per server at the end: %s\n", f)
	}
	if r.Replay != "" {
		fmt.Fprintf(&b, "replay: %s\n", r.Replay)
	}
	return b.String()
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// finalText is "A=2 B=150 C=148", as the terminal summary prints it.
func finalText(m map[string]int) string {
	var parts []string
	for _, n := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%d", n, m[n]))
	}
	return strings.Join(parts, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
