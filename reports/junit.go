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

	"github.com/natschaos/natschaos/assert"
)

// JUnit XML as GitHub Actions reporters, GitLab and Jenkins read it; the
// structure follows the schema Jenkins' xunit plugin validates against
// (junit-10.xsd, a copy is in testdata): testsuites > testsuite >
// properties, testcase > failure | error | skipped | system-out.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  *junitText      `xml:"system-out"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitOutcome `xml:"skipped"`
	Error     *junitOutcome `xml:"error"`
	Failure   *junitOutcome `xml:"failure"`
	SystemOut *junitText    `xml:"system-out"`
}

type junitOutcome struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",cdata"`
}

// junitText is CDATA so that multi-line text stays readable in the file.
type junitText struct {
	Text string `xml:",cdata"`
}

func cdata(s string) *junitText { return &junitText{xmlSafe(s)} }

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
	all := junitSuites{Name: "natschaos"}
	var total time.Duration
	for _, r := range runs {
		s := suiteOf(r)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		d, _ := time.ParseDuration(r.Elapsed)
		total += d
		all.Suites = append(all.Suites, s)
	}
	all.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteJUnitFile writes the runs' JUnit file at path, replacing it only
// once complete: a CI step reading it never sees half a file.
func WriteJUnitFile(path string, runs ...*Report) error {
	return writeFile(path, func(f *os.File) error { return WriteJUnit(f, runs...) })
}

func suiteOf(r *Report) junitSuite {
	d, _ := time.ParseDuration(r.Elapsed)
	s := junitSuite{
		Name: fmt.Sprintf("%s (seed %d)", r.Scenario, r.Seed),
		Time: seconds(d),
		Properties: []junitProperty{
			{"scenario", r.Scenario},
			{"seed", strconv.FormatInt(r.Seed, 10)},
			{"verdict", r.Verdict},
			{"replay", r.Replay},
		},
	}
	var versions map[string]string
	if json.Unmarshal(r.Versions, &versions) == nil {
		for _, k := range sortedKeys(versions) {
			s.Properties = append(s.Properties, junitProperty{"version " + k, versions[k]})
		}
	}
	names := caseNames(r.Properties)
	for i, p := range r.Properties {
		c := junitCase{Name: names[i], Classname: r.Scenario, Time: "0"}
		switch p.Verdict {
		case assert.Fail:
			c.Failure = &junitOutcome{Message: p.Evidence + replaySuffix(r), Type: "fail", Body: xmlSafe(body(p, r))}
			s.Failures++
		case assert.NotEvaluated:
			c.Skipped = &junitOutcome{Message: "not evaluated: " + p.Evidence}
			s.Skipped++
		case assert.Warn:
			c.SystemOut = cdata(body(p, r) + "(warn: true — reported, does not fail the run)\n")
		default:
			c.SystemOut = cdata(body(p, r))
		}
		s.Cases = append(s.Cases, c)
	}
	if r.Error != "" {
		s.Cases = append(s.Cases, junitCase{Name: "run", Classname: r.Scenario, Time: seconds(d),
			Error: &junitOutcome{Message: r.Error + replaySuffix(r), Type: "error", Body: xmlSafe(runBody(r))}})
		s.Errors++
	}
	s.Tests = len(s.Cases)
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
