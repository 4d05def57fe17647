package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"regexp"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Drawing with gonum/plot, written as SVG and inlined into report.html.

const chartWidth = 10 * vg.Inch

// sans is Liberation Sans: gonum measures text with its metrics, and it is
// metric-compatible with Arial and Helvetica, which the page names as
// fallbacks (fonts are not embedded: that would add ~0.5 MB per chart).
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// palette is Tableau 10, minus its red: red means failure here.
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0x59, 0xa1, 0x4f, 0xff},
	{0x76, 0xb7, 0xb2, 0xff}, {0xb0, 0x7a, 0xa1, 0xff}, {0xed, 0xc9, 0x48, 0xff},
	{0x9c, 0x75, 0x5f, 0xff}, {0xff, 0x9d, 0xa7, 0xff}, {0xba, 0xb0, 0xac, 0xff},
}

var (
	failRed   = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	shadeOf   = map[string]color.Color{"down": color.NRGBA{0xe1, 0x57, 0x59, 0x30}, "lame duck": color.NRGBA{0xf2, 0x8e, 0x2b, 0x38}, "fault": color.NRGBA{0x8e, 0x6b, 0xc4, 0x30}}
	labelGrey = color.Gray{0x55}
)

// colors gives every server the same colour in every chart.
type colors map[string]color.RGBA

func colorsFor(names []string) colors {
	c := colors{}
	for i, n := range names {
		c[n] = palette[i%len(palette)]
	}
	return c
}

func cssColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

// roundTicks marks about ten round values, where gonum's default marks
// three or four: a reader lines moments and durations up against them.
var roundTicks = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
	step := niceStep((hi - lo) / 10)
	decimals := max(0, -int(math.Floor(math.Log10(step))))
	var out []plot.Tick
	for i := math.Ceil(lo / step * 2); i/2*step <= hi+step*1e-9; i++ {
		v := i / 2 * step
		t := plot.Tick{Value: v}
		if int(i)%2 == 0 {
			t.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		out = append(out, t)
	}
	return out
})

// newPlot is a plot in the report's fonts. Its x axis is the run's clock
// when end > 0, the same for every time chart so that they line up.
func newPlot(xLabel, yLabel string, end time.Duration) *plot.Plot {
	p := plot.New()
	for _, sty := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.Legend.TextStyle} {
		sty.Font = font.From(sans, 11)
	}
	for _, sty := range []*text.Style{&p.X.Tick.Label, &p.Y.Tick.Label} {
		sty.Font = font.From(sans, 9)
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	if end > 0 {
		p.X.Min, p.X.Max = 0, end.Seconds()
		p.X.Tick.Marker = roundTicks
	}
	p.Y.Min = 0
	p.Y.Tick.Marker = countTicks
	return p
}

// countTicks marks whole numbers only: counts of clients, peers, messages.
var countTicks = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
	step := max(1, niceStep((hi-lo)/5))
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return out
})

// backdrop draws the fault windows behind a time chart, each labelled at
// the top, and a dashed red line at every failure's moment. It spans the
// chart's height whatever the data, and does not move the axes.
type backdrop struct {
	windows []window
	fails   []mark
}

// mark is a moment to point at.
type mark struct {
	t     time.Duration
	label string
}

func (b backdrop) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	sty := draw.TextStyle{Color: labelGrey, Font: font.From(sans, 8), XAlign: draw.XLeft, YAlign: draw.YTop, Handler: p.TextHandler}
	lineH := sty.Height("X") * 1.1
	var rowEnd []vg.Length // where the last label of each row ends
	for _, w := range b.windows {
		x0, x1 := tx(w.from.Seconds()), tx(w.to.Seconds())
		if x1-x0 < 1 {
			x1 = x0 + 1 // an instant still shows
		}
		c.FillPolygon(shadeOf[w.kind], c.ClipPolygonXY([]vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}}))
		row := 0 // the first row whose last label ends before this one starts
		for row < len(rowEnd) && rowEnd[row] > x0 {
			row++
		}
		if row == len(rowEnd) {
			rowEnd = append(rowEnd, 0)
		}
		rowEnd[row] = x0 + sty.Width(w.label) + 4
		if c.ContainsX(x0) {
			c.FillText(sty, vg.Point{X: x0 + 2, Y: c.Max.Y - 2 - vg.Length(row)*lineH}, w.label)
		}
	}
	red := draw.LineStyle{Color: failRed, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	rsty := sty
	rsty.Color, rsty.XAlign, rsty.YAlign = failRed, draw.XRight, draw.YBottom
	for _, m := range b.fails {
		x := tx(m.t.Seconds())
		if !c.ContainsX(x) {
			continue
		}
		c.StrokeLine2(red, x, c.Min.Y, x, c.Max.Y)
		c.FillText(rsty, vg.Point{X: x - 2, Y: c.Min.Y + 2}, m.label)
	}
}

// svgStart matches the root element vgsvg writes, to rewrite it for
// inlining: HTML needs no XML prolog or namespace declarations, and the
// report keeps no URL of any kind, namespaces included.
var svgStart = regexp.MustCompile(`(?s)^.*?<svg [^>]*viewBox="([^"]*)"[^>]*>`)

// svgOf renders the plot as an inline <svg> element scaled by CSS.
func svgOf(p *plot.Plot, h vg.Length, title string) (template.HTML, error) {
	c := vgsvg.New(chartWidth, h)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	m := svgStart.FindSubmatchIndex(buf.Bytes())
	if m == nil {
		return "", fmt.Errorf("unexpected SVG from vgsvg: %.80q", buf.String())
	}
	head := fmt.Sprintf(`<svg class="chart" viewBox="%s" role="img" aria-label="%s">`,
		buf.Bytes()[m[2]:m[3]], template.HTMLEscapeString(title))
	return template.HTML(head + buf.String()[m[1]:]), nil
}
