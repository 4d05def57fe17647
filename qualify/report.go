package qualify

import (
	"fmt"
	"slices"
	"time"

	"github.com/natschaos/natschaos/internal/compare"
)

// Report is a qualification's result: every run, and per scenario every
// figure compared.
type Report struct {
	Command     string           `json:"command"`
	Baseline    string           `json:"baseline"`
	Candidate   string           `json:"candidate"`
	Runs        int              `json:"runs"` // per side per scenario
	Alpha       float64          `json:"alpha"`
	Scenarios   []ScenarioReport `json:"scenarios"`
	Regressions int              `json:"regressions"`
	Improved    int              `json:"improvements"`
	Errors      []string         `json:"errors,omitempty"` // runs that could not be judged
	Interrupted bool             `json:"interrupted,omitempty"`
	Seconds     float64          `json:"seconds"`
	tolerances  map[string]compare.Tolerance
}

// ScenarioReport is one scenario's runs and figures.
type ScenarioReport struct {
	Name    string         `json:"name"`
	Ref     string         `json:"ref"` // file or built-in name
	Window  time.Duration  `json:"herd_window"`
	Figures []FigureResult `json:"figures"`
	Runs    []RunRecord    `json:"runs"`
	// Blind says why no figure of this scenario could be significant.
	Blind string `json:"blind,omitempty"`
}

// FigureResult is one figure compared.
type FigureResult struct {
	Figure string `json:"figure"`
	Unit   string `json:"unit"`
	What   string `json:"what"`
	compare.Result
}

func newReport(opts Options, runs int) *Report {
	alpha := opts.Alpha
	if alpha <= 0 {
		alpha = compare.DefaultAlpha
	}
	return &Report{Command: opts.Command, Baseline: opts.Baseline.Label(), Candidate: opts.Candidate.Label(),
		Runs: runs, Alpha: alpha, tolerances: opts.Tolerances}
}

// Tolerance is a figure's: an override by its own name, else by its
// kind's, else the kind's default.
func (r *Report) tolerance(figure string, k Kind) compare.Tolerance {
	if t, ok := r.tolerances[figure]; ok {
		return t
	}
	if t, ok := r.tolerances[k.Name]; ok {
		return t
	}
	return k.Tol
}

// add compares one scenario's runs. Runs that errored are left out of
// the figures and listed in Errors.
func (r *Report) add(p planned, records []RunRecord) {
	s := ScenarioReport{Name: p.name, Ref: p.ref, Window: p.window, Runs: records, Figures: []FigureResult{}}
	var base, cand []Figures
	for _, rec := range records {
		if rec.Err != "" {
			r.Errors = append(r.Errors, rec.Scenario+" "+rec.Side+" run "+itoa(rec.Run)+": "+rec.Err)
			continue
		}
		if rec.Side == sideBaseline {
			base = append(base, rec.Figures)
		} else {
			cand = append(cand, rec.Figures)
		}
	}
	verdict, _ := KindOf("verdict")
	for _, prop := range properties(append(slices.Clone(base), cand...)) {
		bf, bn := fails(base, prop)
		cf, cn := fails(cand, prop)
		name := "verdict." + prop
		s.Figures = append(s.Figures, FigureResult{Figure: name, Unit: verdict.Unit, What: "pass rate of " + prop,
			Result: compare.Verdicts(bf, bn, cf, cn, r.tolerance(name, verdict), r.Alpha)})
	}
	for _, name := range names(append(slices.Clone(base), cand...)) {
		k, _ := KindOf(name)
		s.Figures = append(s.Figures, FigureResult{Figure: name, Unit: k.Unit, What: k.What,
			Result: compare.Values(values(base, name), values(cand, name), k.Worse, r.tolerance(name, k), r.Alpha)})
	}
	s.Blind = r.correct(s.Figures, min(len(base), len(cand)))
	r.Scenarios = append(r.Scenarios, s)
}

// correct applies Holm's correction over a scenario's figures (one
// family) and says, when it is so, that at n runs a side no figure of
// that family can come out significant whatever the samples.
func (r *Report) correct(figs []FigureResult, n int) string {
	rs := make([]*compare.Result, len(figs))
	for i := range figs {
		rs[i] = &figs[i].Result
	}
	compare.CorrectHolm(rs)
	m := 0
	for _, f := range figs {
		m = max(m, f.Family)
	}
	if m == 0 || n == 0 {
		return ""
	}
	if least := compare.SmallestP(n, n); least*float64(m) >= r.Alpha {
		return fmt.Sprintf("at %d run(s) a side the U test's smallest p-value is %.4f, so after Holm's correction over %d figures no measured figure can be significant (a pass rate only by falling from every run to none): use more --runs", n, least, m)
	}
	return ""
}

func (r *Report) finish() {
	r.Regressions, r.Improved = 0, 0
	for _, s := range r.Scenarios {
		for _, f := range s.Figures {
			switch f.Outcome {
			case compare.Regression:
				r.Regressions++
			case compare.Improvement:
				r.Improved++
			}
		}
	}
}

func properties(runs []Figures) []string {
	return unionKeys(runs, func(f Figures) map[string]bool { return f.Verdicts })
}

// fails counts the runs that failed a property, of those that judged it.
func fails(runs []Figures, prop string) (failed, judged int) {
	for _, f := range runs {
		if ok, seen := f.Verdicts[prop]; seen {
			judged++
			if !ok {
				failed++
			}
		}
	}
	return failed, judged
}

func values(runs []Figures, name string) []float64 {
	var out []float64
	for _, f := range runs {
		if v, ok := f.Values[name]; ok {
			out = append(out, v)
		}
	}
	return out
}
