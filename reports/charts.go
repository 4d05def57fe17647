package reports

import (
	"fmt"
	"html/template"
	"image/color"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// chart is one figure of report.html: an inline SVG, or a note saying why
// there is nothing to draw.
type chart struct {
	ID, Title, Caption string
	Legend             []legendItem
	SVG                template.HTML
	Note               string
}

type legendItem struct{ Label, Color string }

// figures holds what every chart of one run shares.
type figures struct {
	events  []sim.Event
	props   []assert.Result
	end     time.Duration
	servers []string
	colors  colors
	back    backdrop
}

func newFigures(r *Judged) *figures {
	f := &figures{events: r.Events, props: r.Report.Properties, end: lastT(r.Events)}
	seen := map[string]bool{}
	for _, ev := range r.Events {
		switch ev.Kind {
		case sim.ServerStart, sim.ServerAdd, sim.Observe:
			if ev.Server != "" && !seen[ev.Server] {
				seen[ev.Server] = true
				f.servers = append(f.servers, ev.Server)
			}
		}
	}
	slices.Sort(f.servers)
	f.colors = colorsFor(f.servers)
	f.back.windows = faultWindows(r.Events)
	for _, p := range f.props {
		if p.Verdict == assert.Fail && p.At > 0 {
			f.back.fails = append(f.back.fails, mark{p.At, "FAIL " + p.Name})
		}
	}
	return f
}

// all draws every chart. One that fails to draw (gonum panics on data it
// cannot lay out) becomes a note: the rest of the report still renders.
func (f *figures) all() []chart {
	build := []func() chart{f.clients, f.herd, f.reconnects, f.losses, f.routes, f.steps}
	out := make([]chart, 0, len(build))
	for _, b := range build {
		out = append(out, safely(b))
	}
	return out
}

func safely(b func() chart) (c chart) {
	defer func() {
		if p := recover(); p != nil {
			c.SVG, c.Note = "", fmt.Sprintf("this chart could not be drawn: %v", p)
		}
	}()
	return b()
}

// serverLegend names each server drawn, in its colour, after the shading.
func (f *figures) serverLegend(drawn []string) []legendItem {
	out := f.shadeLegend()
	for _, s := range drawn {
		out = append(out, legendItem{s, cssColor(f.colors[s])})
	}
	return out
}

func (f *figures) shadeLegend() []legendItem {
	var out []legendItem
	for _, kind := range []string{"down", "lame duck", "fault"} {
		for _, w := range f.back.windows {
			if w.kind == kind {
				out = append(out, legendItem{shadeName[kind], cssShade(kind)})
				break
			}
		}
	}
	return out
}

// timeLines draws one step line per server over the backdrop.
func (f *figures) timeLines(series map[string][]point, yLabel string) (*plot.Plot, []string) {
	p := newPlot("seconds into the run", yLabel, f.end)
	p.Add(f.back)
	var drawn []string
	top := 0.0
	for _, s := range f.servers {
		pts := series[s]
		if len(pts) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(pts))
		for i, pt := range pts {
			xys[i] = plotter.XY{X: pt.t.Seconds(), Y: pt.v}
			top = max(top, pt.v)
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			continue
		}
		l.StepStyle = plotter.PostStep
		l.Color, l.Width = f.colors[s], vg.Points(1.6)
		p.Add(l)
		drawn = append(drawn, s)
	}
	p.Y.Max = max(top*1.25, 1) // headroom for the window labels
	return p, drawn
}

func (f *figures) clients() chart {
	c := chart{ID: "clients", Title: "Clients per server",
		Caption: "Each server's own client count at every observation; shaded: servers down, in lame duck, or under a fault; dashed red: the moment a property failed."}
	p, drawn := f.timeLines(clientsPerServer(f.events), "clients")
	if len(drawn) == 0 {
		c.Note = "no server observation on the timeline"
		return c
	}
	c.Legend = f.serverLegend(drawn)
	c.SVG, c.Note = render(p, 3.2*vg.Inch, c.Title)
	return c
}

func (f *figures) routes() chart {
	c := chart{ID: "routes", Title: "Route peers per server",
		Caption: "How many servers each server routes to, at every observation: the mesh breaking and re-forming. Every change is listed below."}
	p, drawn := f.timeLines(peersPerServer(f.events), "route peers")
	if len(drawn) == 0 {
		c.Note = "no server observation on the timeline"
		return c
	}
	c.Legend = f.serverLegend(drawn)
	c.SVG, c.Note = render(p, 2.6*vg.Inch, c.Title)
	return c
}

// maxPoints bounds a curve's points: beyond it, neighbouring windows are
// merged keeping their maximum, so a herd's peak is never smoothed away.
const maxPoints = 1500

func (f *figures) herd() chart {
	w, series := herdCurve(f.events, f.props)
	c := chart{ID: "herd", Title: "New reconnections per server",
		Caption: fmt.Sprintf("Reconnections each server accepted per %s window (first connections are not counted): the thundering-herd curve.", fmtDur(w))}
	res, _ := lastResult(f.props, "herd")
	if hd, ok := dataAs[assert.HerdData](res.Data); ok && hd.Peak > 0 {
		c.Caption += fmt.Sprintf(" Peak over any sliding window: %d on %s from %s.", hd.Peak, hd.PeakServer, fmtDur(hd.PeakAt))
	}
	pts := map[string][]point{}
	merged := 1
	for s, counts := range series {
		k := (len(counts) + maxPoints - 1) / maxPoints
		for i := 0; i < len(counts); i += k {
			pts[s] = append(pts[s], point{time.Duration(i) * w, float64(slices.Max(counts[i:min(i+k, len(counts))]))})
		}
		merged = max(merged, k)
	}
	if merged > 1 {
		c.Caption += fmt.Sprintf(" Drawn as the busiest window of every %d.", merged)
	}
	p, drawn := f.timeLines(pts, "reconnections / "+fmtDur(w))
	if len(drawn) == 0 {
		c.Note = "no client reconnected"
		return c
	}
	c.Legend = f.serverLegend(drawn)
	c.SVG, c.Note = render(p, 2.8*vg.Inch, c.Title)
	return c
}

// render draws p as inline SVG; a failure becomes the chart's note.
func render(p *plot.Plot, h vg.Length, title string) (template.HTML, string) {
	svg, err := svgOf(p, h, title)
	if err != nil {
		return "", "this chart could not be drawn: " + err.Error()
	}
	return svg, ""
}

var shadeName = map[string]string{"down": "server down", "lame duck": "lame duck", "fault": "fault"}

// cssShade is a window's shade, stronger: a legend swatch is small.
func cssShade(kind string) string {
	c := color.NRGBAModel.Convert(shadeOf[kind]).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, min(255, int(c.A)*5/2))
}
