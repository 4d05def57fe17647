package reports

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// steps draws each step as a bar from its start to its end.
func (f *figures) steps() chart {
	c := chart{ID: "steps", Title: "Steps", Caption: "Each step of the scenario from its start to its end; red: the step failed."}
	bars := stepBars{}
	for _, s := range StepsOf(f.events) {
		from, _ := time.ParseDuration(s.Start)
		to, err := time.ParseDuration(s.End)
		if err != nil {
			to = f.end // still running when the timeline ends
		}
		bars = append(bars, stepBar{index: s.Index, text: s.Text, from: from, to: to, failed: s.Err != ""})
	}
	if len(bars) == 0 {
		c.Note = "no step started"
		return c
	}
	p := newPlot("seconds into the run", "step", f.end)
	p.Add(f.back, bars)
	var ticks plot.ConstantTicks
	for _, b := range bars {
		ticks = append(ticks, plot.Tick{Value: -float64(b.index), Label: fmt.Sprint(b.index)})
	}
	p.Y.Tick.Marker = ticks
	c.Legend = f.shadeLegend()
	c.SVG, c.Note = render(p, vg.Length(1.0+0.24*float64(len(bars)))*vg.Inch, c.Title)
	return c
}

type stepBar struct {
	index    int
	text     string
	from, to time.Duration
	failed   bool
}

// stepBars is a Gantt chart: bars labelled beside themselves, so the
// y axis keeps short tick labels like the other time charts.
type stepBars []stepBar

func (bs stepBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for _, b := range bs {
		xmax = max(xmax, b.to.Seconds())
		ymin = min(ymin, -float64(b.index))
	}
	return 0, xmax, ymin - 0.6, 0.4 // above step 1: room for the window labels
}

func (bs stepBars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	sty := draw.TextStyle{Color: color.Gray{0x22}, Font: p.X.Tick.Label.Font, YAlign: draw.YCenter, Handler: p.TextHandler}
	for _, b := range bs {
		y := -float64(b.index)
		x0, x1 := tx(b.from.Seconds()), tx(b.to.Seconds())
		x1 = max(x1, x0+vg.Points(2))
		y0, y1 := ty(y-0.32), ty(y+0.32)
		fill := color.Color(palette[0])
		if b.failed {
			fill = failRed
		}
		c.FillPolygon(fill, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
		label := b.text
		if len([]rune(label)) > 60 {
			label = string([]rune(label)[:59]) + "…"
		}
		// Beside the bar, on whichever side has room.
		if pt := (vg.Point{X: x1 + 4, Y: ty(y)}); pt.X+sty.Width(label) <= c.Max.X {
			sty.XAlign = draw.XLeft
			c.FillText(sty, pt, label)
		} else {
			sty.XAlign = draw.XRight
			c.FillText(sty, vg.Point{X: x0 - 4, Y: ty(y)}, label)
		}
	}
}
