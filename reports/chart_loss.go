package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/natschaos/natschaos/assert"
)

// maxLossRows bounds the publishers drawn: the most affected first.
const maxLossRows = 30

var gapColor = map[assert.GapKind]color.Color{
	assert.Explained:    color.NRGBA{0x8a, 0x8a, 0x8a, 0xb0},
	assert.SlowConsumer: color.NRGBA{0xf2, 0x8e, 0x2b, 0xe0},
	assert.Silent:       failRed,
}

// losses places the no_loss checker's gaps on the run's clock, one row per
// publisher, one bubble per window and kind, its area the messages missing.
func (f *figures) losses() chart {
	c := chart{ID: "loss", Title: "Lost messages per publisher"}
	res, found := lastResult(f.props, "no_loss")
	ld, ok := dataAs[assert.LossData](res.Data)
	switch {
	case !found:
		c.Note = "the run had no no_loss expectation"
		return c
	case !ok:
		c.Note = "no_loss drew no figure: " + res.Evidence
		return c
	}
	c.Caption = fmt.Sprintf("Of %d messages expected: %d missing silently, %d to slow consumers, %d explained by faults; %d publishes refused by the client library (counted apart).",
		ld.Expected, ld.Silent, ld.SlowConsumer, ld.Explained, ld.Refused)
	if len(ld.Gaps) == 0 {
		c.Note = "no message missing"
		return c
	}
	bucket := niceWindow(f.end / 80)
	type key struct {
		pub  string
		kind assert.GapKind
		at   time.Duration
	}
	sum := map[key]float64{}
	perPub := map[string]float64{}
	var shown uint64
	for _, g := range ld.Gaps {
		sum[key{g.Publisher, g.Kind, g.At / bucket * bucket}] += float64(g.Count())
		perPub[g.Publisher] += float64(g.Count())
		shown += g.Count()
	}
	if all := ld.Silent + ld.SlowConsumer + ld.Explained; shown < all {
		c.Caption += fmt.Sprintf(" Drawn: the %d gaps the checker keeps (%d of %d missing messages, failing ones first).", len(ld.Gaps), shown, all)
	}
	pubs := sortedKeys(perPub)
	slices.SortStableFunc(pubs, func(a, b string) int { return cmp.Compare(perPub[b], perPub[a]) })
	if len(pubs) > maxLossRows {
		c.Caption += fmt.Sprintf(" The %d publishers missing most of %d are drawn.", maxLossRows, len(pubs))
		pubs = pubs[:maxLossRows]
	}
	row := map[string]int{}
	var ticks plot.ConstantTicks
	for i, pub := range pubs {
		row[pub] = i
		ticks = append(ticks, plot.Tick{Value: -float64(i), Label: pub})
	}
	biggest := 0.0
	for _, v := range sum {
		biggest = max(biggest, v)
	}
	p := newPlot("seconds into the run", "", f.end)
	p.Add(f.back)
	keys := slices.SortedFunc(maps.Keys(sum), func(a, b key) int { // the same page for the same timeline
		return cmp.Or(cmp.Compare(a.pub, b.pub), cmp.Compare(a.kind, b.kind), cmp.Compare(a.at, b.at))
	})
	for _, kind := range []assert.GapKind{assert.Explained, assert.SlowConsumer, assert.Silent} {
		var xys plotter.XYs
		var sizes []float64
		for _, k := range keys {
			if _, drawn := row[k.pub]; drawn && k.kind == kind {
				xys = append(xys, plotter.XY{X: (k.at + bucket/2).Seconds(), Y: -float64(row[k.pub])})
				sizes = append(sizes, sum[k])
			}
		}
		if len(xys) == 0 {
			continue
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			continue
		}
		s.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: gapColor[kind], Shape: draw.CircleGlyph{}, Radius: vg.Points(2 + 7*math.Sqrt(sizes[i]/biggest))}
		}
		p.Add(s)
		c.Legend = append(c.Legend, legendItem{strings.ReplaceAll(string(kind), "_", " "), cssColor(gapColor[kind])})
	}
	p.Y.Tick.Marker = ticks
	p.Y.Min, p.Y.Max = -float64(len(pubs))+0.3, 0.9
	c.Legend = append(f.shadeLegend(), c.Legend...)
	c.SVG, c.Note = render(p, vg.Length(1.1+0.22*float64(len(pubs)))*vg.Inch, c.Title)
	return c
}
