package qualify

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/natschaos/natschaos/internal/compare"
)

// WriteHTML writes qualify.html: one self-contained page (no script, no
// external file) with, per scenario and figure, both sides' runs drawn
// side by side on one axis, their medians marked.
func WriteHTML(w io.Writer, r *Report) error {
	return page.Execute(w, r)
}

var page = template.Must(template.New("qualify").Funcs(template.FuncMap{
	"strip":   strip,
	"median":  func(f FigureResult, base bool) string { return f.median(base) },
	"delta":   func(f FigureResult) string { return f.delta() },
	"p":       func(f FigureResult) string { return f.p() },
	"outcome": func(f FigureResult) string { return f.outcome() },
	"class": func(f FigureResult) string {
		switch f.Outcome {
		case compare.Regression:
			return "reg"
		case compare.Improvement:
			return "imp"
		}
		return ""
	},
	"conclusion": func(r *Report) string { return strings.ReplaceAll(r.Conclusion(), "**", "") },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Qualification {{.Baseline}} → {{.Candidate}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin-bottom:2em}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:middle}
tr.reg td{background:#fde2e2}
tr.imp td{background:#e2f5e2}
.b{fill:#1f77b4}.c{fill:#ff7f0e}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
</style></head><body>
<h1>Qualification: {{.Baseline}} → {{.Candidate}}</h1>
<p><strong>{{conclusion .}}</strong></p>
<p>{{.Runs}} run(s) per side per scenario, interleaved with the same seeds; α={{.Alpha}}, Holm's correction over each scenario's figures.
<span class="legend"><span style="background:#1f77b4"></span>baseline {{.Baseline}}<span style="background:#ff7f0e"></span>candidate {{.Candidate}}</span></p>
{{if .Interrupted}}<p><strong>Interrupted</strong>: the scenarios below are the ones that ran.</p>{{end}}
{{range .Errors}}<p>run not judged: {{.}}</p>{{end}}
{{range .Scenarios}}<h2>{{.Name}}</h2>
{{if .Blind}}<p><strong>Blind</strong>: {{.Blind}}.</p>{{end}}
<table><tr><th>figure</th><th>runs (each dot one run; bar: median)</th><th>baseline</th><th>candidate</th><th>Δ (CI)</th><th>p (Holm)</th><th>outcome</th></tr>
{{range .Figures}}<tr class="{{class .}}"><td title="{{.What}}">{{.Figure}}</td><td>{{strip .}}</td><td>{{median . true}}</td><td>{{median . false}}</td><td>{{delta .}}</td><td>{{p .}}</td><td>{{outcome .}}</td></tr>
{{end}}</table>
{{end}}
{{if .Command}}<p>Produced by: <code>{{.Command}}</code></p>{{end}}
</body></html>
`))

// strip draws both samples as rows of dots on one axis.
func strip(f FigureResult) template.HTML {
	const w, h, pad = 240.0, 34.0, 6.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range append(append([]float64(nil), f.Baseline...), f.Candidate...) {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(lo, 0) {
		return ""
	}
	if hi == lo {
		hi = lo + 1
	}
	x := func(v float64) float64 { return pad + (v-lo)/(hi-lo)*(w-2*pad) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" role="img" aria-label="%s">`, w, h, template.HTMLEscapeString(f.Figure))
	for i, row := range []struct {
		vals   []float64
		median float64
		class  string
	}{{f.Baseline, f.BaseMedian, "b"}, {f.Candidate, f.CandMedian, "c"}} {
		y := 9 + float64(i)*16
		for _, v := range row.vals {
			fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="3" fill-opacity="0.6"><title>%g</title></circle>`, row.class, x(v), y, v)
		}
		if !math.IsNaN(row.median) {
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="2" height="12"/>`, row.class, x(row.median)-1, y-6)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
