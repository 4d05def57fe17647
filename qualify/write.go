package qualify

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/natschaos/natschaos/internal/compare"
)

// write puts qualify.md, qualify.json, qualify.html and junit.xml in dir.
func write(dir string, r *Report) error {
	for _, f := range []struct {
		name  string
		write func(io.Writer, *Report) error
	}{{"qualify.md", WriteMarkdown}, {"qualify.json", WriteJSON}, {"qualify.html", WriteHTML}, {"junit.xml", WriteJUnit}} {
		file, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		werr := f.write(file, r)
		if cerr := file.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("%s: %w", f.name, werr)
		}
	}
	return nil
}

// MarshalJSON writes the figure's name and unit, then its comparison.
func (f FigureResult) MarshalJSON() ([]byte, error) {
	return f.Result.MarshalWith(struct {
		Figure string `json:"figure"`
		Unit   string `json:"unit"`
		What   string `json:"what"`
	}{f.Figure, f.Unit, f.What})
}

// WriteJSON writes qualify.json.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteMarkdown writes qualify.md: the conclusion first, then per
// scenario every figure.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Qualification: %s → %s\n\n", r.Baseline, r.Candidate)
	fmt.Fprintf(&b, "%s\n\n", r.Conclusion())
	fmt.Fprintf(&b, "%d scenario(s), %d run(s) per side each, interleaved with the same seeds; Mann–Whitney U test at α=%g, pass rates by Fisher's exact test, Holm's correction over each scenario's figures; %s.\n\n",
		len(r.Scenarios), r.Runs, r.Alpha, fmtSeconds(r.Seconds))
	if r.Interrupted {
		b.WriteString("**Interrupted**: the scenarios below are the ones that ran.\n\n")
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "- run not judged: %s\n", e)
	}
	if len(r.Errors) > 0 {
		b.WriteString("\n")
	}
	for _, s := range r.Scenarios {
		fmt.Fprintf(&b, "## %s\n\n", s.Name)
		if s.Blind != "" {
			fmt.Fprintf(&b, "**Blind**: %s.\n\n", s.Blind)
		}
		b.WriteString("| figure | baseline median | candidate median | Δ (95% CI) | p (Holm) | outcome |\n|---|---|---|---|---|---|\n")
		for _, f := range s.Figures {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", f.Figure, f.median(true), f.median(false), f.delta(), f.p(), f.outcome())
		}
		b.WriteString("\n")
	}
	if r.Command != "" {
		fmt.Fprintf(&b, "Produced by: `%s`\n", r.Command)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Conclusion is the one line a release engineer reads first.
func (r *Report) Conclusion() string {
	var regs []string
	for _, s := range r.Scenarios {
		for _, f := range s.Figures {
			if f.Outcome == compare.Regression {
				regs = append(regs, s.Name+" "+f.Figure)
			}
		}
	}
	figures := 0
	for _, s := range r.Scenarios {
		figures += len(s.Figures)
	}
	if len(regs) > 0 {
		return fmt.Sprintf("**REGRESSION**: %d significant regression(s) beyond tolerance: %s.", len(regs), strings.Join(regs, ", "))
	}
	blind := 0
	for _, s := range r.Scenarios {
		if s.Blind != "" {
			blind++
		}
	}
	if blind > 0 {
		return fmt.Sprintf("**No significant regression** over %d figures (%d improvement(s)); %d of %d scenario(s) could not show one in a measured figure at %d run(s) a side (see Blind).", figures, r.Improved, blind, len(r.Scenarios), r.Runs)
	}
	return fmt.Sprintf("**No significant regression** over %d figures (%d improvement(s)).", figures, r.Improved)
}

func (f FigureResult) median(base bool) string {
	m, n := f.BaseMedian, len(f.Baseline)
	if !base {
		m, n = f.CandMedian, len(f.Candidate)
	}
	if f.Unit == "rate" {
		fails := 0
		vals := f.Baseline
		if !base {
			vals = f.Candidate
		}
		for _, v := range vals {
			if v == 0 {
				fails++
			}
		}
		return fmt.Sprintf("%d/%d pass", n-fails, n)
	}
	return num(m, f.Unit) + fmt.Sprintf(" (n=%d)", n)
}

func (f FigureResult) delta() string {
	if f.Unit == "rate" || math.IsNaN(f.Delta) {
		return "–"
	}
	ci := "[−∞, +∞]"
	if !math.IsInf(f.Lo, 0) && !math.IsInf(f.Hi, 0) {
		ci = "[" + num(f.Lo, f.Unit) + ", " + num(f.Hi, f.Unit) + "]"
	}
	return signed(f.Delta, f.Unit) + " " + ci
}

func (f FigureResult) outcome() string {
	out := string(f.Outcome)
	if f.Outcome == compare.Regression {
		out = "**REGRESSION**"
	}
	if f.Note != "" {
		out += " (" + f.Note + ")"
	}
	return out
}

func num(v float64, unit string) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case unit == "ms":
		return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
	case unit == "ratio":
		return strconv.FormatFloat(v, 'f', 3, 64)
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}

func signed(v float64, unit string) string {
	if v >= 0 {
		return "+" + num(v, unit)
	}
	return num(v, unit)
}

// p is the figure's p-value, and Holm's adjustment of it when that
// differs: "0.008 (Holm 0.056)".
func (f FigureResult) p() string {
	if f.Family == 0 || pval(f.PHolm) == pval(f.P) {
		return pval(f.P)
	}
	return pval(f.P) + " (Holm " + pval(f.PHolm) + ")"
}

func pval(p float64) string {
	if p >= 1 {
		return "1"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

func fmtSeconds(s float64) string {
	if s < 60 {
		return fmt.Sprintf("%.0f s", s)
	}
	return fmt.Sprintf("%.0f min %02.0f s", math.Floor(s/60), math.Mod(s, 60))
}

func itoa(i int) string { return strconv.Itoa(i) }

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes junit.xml: one test suite per scenario, one test case
// per figure, failing on a regression.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitSuites{}
	for _, s := range r.Scenarios {
		js := junitSuite{Name: "qualify." + s.Name, Tests: len(s.Figures)}
		for _, f := range s.Figures {
			line := fmt.Sprintf("%s: baseline %s, candidate %s, Δ %s, p=%s: %s", f.Figure, f.median(true), f.median(false), f.delta(), f.p(), f.outcome())
			c := junitCase{Name: f.Figure, ClassName: "qualify." + s.Name, SystemOut: line}
			if f.Outcome == compare.Regression {
				js.Failures++
				c.Failure = &junitFailure{Message: "regression: " + f.Figure, Text: line}
			}
			js.Cases = append(js.Cases, c)
		}
		out.Suites = append(out.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
