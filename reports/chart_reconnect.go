package reports

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/natschaos/natschaos/assert"
)

// reconnects is the distribution of disconnect-to-reconnect times.
func (f *figures) reconnects() chart {
	durs, stranded := reconnectTimes(f.events)
	c := chart{ID: "reconnects", Title: "Reconnect time"}
	if len(durs) == 0 {
		c.Note = "no client disconnected and came back"
		if stranded > 0 {
			c.Note += fmt.Sprintf("; %d still disconnected at the end", stranded)
		}
		return c
	}
	p50, p99, worst := assert.Quantile(durs, .5), assert.Quantile(durs, .99), durs[len(durs)-1]
	c.Caption = fmt.Sprintf("Time from each client's disconnection to its next connection, %d reconnections: p50 %s, p99 %s, max %s.", len(durs), fmtDur(p50), fmtDur(p99), fmtDur(worst))
	if stranded > 0 {
		c.Caption += fmt.Sprintf(" %d clients were still disconnected at the end.", stranded)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	width := niceStep(ms(worst) / 40)
	h := &plotter.Histogram{FillColor: palette[0], LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}, Width: width}
	for _, d := range durs {
		i := int(ms(d) / width)
		for len(h.Bins) <= i {
			n := float64(len(h.Bins))
			h.Bins = append(h.Bins, plotter.HistogramBin{Min: n * width, Max: (n + 1) * width})
		}
		h.Bins[i].Weight++
	}
	p := newPlot("disconnect → reconnect (ms)", "reconnections", 0)
	p.Add(h)
	p.X.Min, p.X.Max = 0, float64(len(h.Bins))*width*1.04 // room for the max label
	p.X.Tick.Marker = roundTicks
	p.Y.Max *= 1.25
	marks := []mark{{p50, "p50"}, {p99, "p99"}, {worst, "max"}}
	p.Add(quantileMarks{marks: marks, ms: ms})
	c.SVG, c.Note = render(p, 2.8*vg.Inch, c.Title)
	return c
}

// quantileMarks draws a labelled vertical line at each quantile.
type quantileMarks struct {
	marks []mark
	ms    func(time.Duration) float64
}

func (q quantileMarks) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	line := draw.LineStyle{Color: color.Gray{0x33}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	sty := draw.TextStyle{Color: color.Gray{0x33}, Font: p.X.Tick.Label.Font, XAlign: draw.XLeft, YAlign: draw.YTop, Handler: p.TextHandler}
	for i, m := range q.marks {
		x := tx(q.ms(m.t))
		c.StrokeLine2(line, x, c.Min.Y, x, c.Max.Y)
		c.FillText(sty, vg.Point{X: x + 2, Y: c.Max.Y - 2 - vg.Length(i)*sty.Height("X")}, m.label)
	}
}

// niceStep rounds up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= x {
			return m * pow
		}
	}
	return 10 * pow
}
