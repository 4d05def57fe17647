package reports

import (
	"fmt"
	"html/template"
	"io"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WriteComparisonHTML writes lab.html: the table and one chart overlaying
// every variant's herd curve, self-contained like report.html.
func WriteComparisonHTML(w io.Writer, c *Comparison) error {
	ch := herdOverlay(c)
	return labTemplate.Execute(w, struct {
		C     *Comparison
		Chart chart
		Rows  []labRow
	}{c, ch, labRows(c)})
}

type labRow struct {
	CompareRow
	Color, Peak, PeakPer, AllBack, Skew, Loss string
}

func labRows(c *Comparison) []labRow {
	var out []labRow
	for i, r := range c.Rows {
		lr := labRow{CompareRow: r, Color: cssColor(palette[i%len(palette)]), Peak: num(r.Peak), PeakPer: peaks(r.PeakPer),
			AllBack: allBack(r.AllBack), Skew: skew(r.FinalSkew), Loss: "no publishers"}
		if r.HasLoss {
			lr.Loss = fmt.Sprintf("%d / %d / %d", r.Explained, r.Slow, r.Silent)
		}
		out = append(out, lr)
	}
	return out
}

// herdOverlay draws, for each variant's first run, the most reconnections
// any one server accepted per window, with time counted from the run's
// first fault so the curves line up.
func herdOverlay(c *Comparison) chart {
	ch := chart{ID: "herd", Title: "Herd curves"}
	first := map[string]LabRun{}
	for _, r := range c.Runs {
		if _, ok := first[r.Variant]; !ok {
			first[r.Variant] = r
		}
	}
	p := newPlot("seconds since the first fault", "most reconnections one server accepted per "+fmtDur(c.Window), 0)
	drawn := 0
	maxX := 0.0
	for i, row := range c.Rows {
		r, ok := first[row.Variant]
		if !ok {
			continue
		}
		f := r.Figures
		var xys plotter.XYs
		for b, top := range f.Curve {
			// A step: the count holds over its whole window.
			x0, x1 := (time.Duration(b) * f.Window).Seconds(), (time.Duration(b+1) * f.Window).Seconds()
			xys = append(xys, plotter.XY{X: x0, Y: float64(top)}, plotter.XY{X: x1, Y: float64(top)})
			maxX = max(maxX, x1)
		}
		if n := len(xys); n > 0 { // back to zero: the herd is over
			xys = append(xys, plotter.XY{X: xys[n-1].X, Y: 0})
		}
		if len(xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			continue
		}
		l.LineStyle = draw.LineStyle{Color: palette[i%len(palette)], Width: vg.Points(1.5)}
		p.Add(l)
		ch.Legend = append(ch.Legend, legendItem{Label: row.Variant, Color: cssColor(palette[i%len(palette)])})
		drawn++
	}
	if drawn == 0 {
		ch.Note = "no variant reconnected any client"
		return ch
	}
	p.X.Tick.Marker = roundTicks
	p.X.Min, p.X.Max = 0, maxX
	p.Y.Max *= 1.1
	ch.Caption = "Each line is one variant's first run: per window from its first fault, the reconnections the busiest server accepted. The peak column of the table is the same count over a sliding window, so it can be higher."
	ch.SVG, ch.Note = render(p, 3.5*vg.Inch, ch.Title)
	return ch
}

var labTemplate = template.Must(template.New("lab").Funcs(template.FuncMap{"dur": fmtDur}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>natschaos lab: {{.C.Scenario}}</title>
<style>
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:2em;color:#222;max-width:80em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.bad{color:#d62728;font-weight:bold}.swatch{display:inline-block;width:1em;height:.6em;margin-right:.4em}
svg.chart{width:100%;height:auto}code{background:#f4f4f4;padding:.1em .3em}
</style></head><body>
<h1>natschaos lab: {{.C.Scenario}}</h1>
<p>Herd window {{dur .C.Window}}. Every figure is computed from each run's events.jsonl.{{if .C.Command}} Produced by <code>{{.C.Command}}</code>.{{end}}</p>
<table><tr><th>variant</th><th>verdicts</th><th>peak / window</th><th>peak per server</th><th>all back after</th><th>stranded</th><th>final skew</th><th>lost: explained / slow / silent</th><th>against the baseline</th></tr>
{{range .Rows}}<tr><td><span class="swatch" style="background:{{.Color}}"></span>{{.Variant}}</td><td{{if not .AsExpected}} class="bad"{{end}}>{{.Verdicts}}{{if not .AsExpected}} (the scenario expects {{.Expected}}){{end}}</td><td>{{.Peak}} ({{.PeakServer}})</td><td>{{.PeakPer}}</td><td>{{.AllBack}}</td><td>{{.Stranded}}</td><td>{{.Skew}}</td><td>{{.Loss}}</td><td>{{.Improvement}}</td></tr>
{{end}}</table>
<h2>{{.Chart.Title}}</h2>
{{if .Chart.SVG}}{{.Chart.SVG}}<p>{{.Chart.Caption}}</p>{{end}}{{if .Chart.Note}}<p>{{.Chart.Note}}</p>{{end}}
<p>{{range .Chart.Legend}}<span class="swatch" style="background:{{.Color}}"></span>{{.Label}} &nbsp; {{end}}</p>
<h2>Runs</h2>
<table><tr><th>variant</th><th>run</th><th>seed</th><th>verdict (expected)</th><th>peak</th><th>output</th></tr>
{{range .C.Runs}}<tr><td>{{.Variant}}</td><td>{{.Run}}</td><td>{{.Seed}}</td><td>{{.Verdict}} ({{.Expected}}){{if .Err}} {{.Err}}{{end}}</td><td>{{.Figures.Peak}}</td><td>{{.Out}}</td></tr>
{{end}}</table>
</body></html>
`))
