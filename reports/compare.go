package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
)

// The thundering-herd lab's comparison: one scenario run across variants,
// every figure computed from each run's timeline by assert.Herd.

// LabRun is one run of one variant.
type LabRun struct {
	Variant  string             `json:"variant"`
	Settings []string           `json:"settings"` // key=value, in axis order
	Run      int                `json:"run"`      // 1-based
	Seed     int64              `json:"seed"`
	Verdict  string             `json:"verdict"`
	Expected string             `json:"expected"` // the scenario's expected verdict
	Out      string             `json:"out"`
	Err      string             `json:"error,omitempty"`
	Figures  assert.HerdFigures `json:"figures"`
}

// Comparison is the lab's result: every run, and each variant against its
// baseline.
type Comparison struct {
	Scenario string        `json:"scenario"`
	Command  string        `json:"command"`
	Window   time.Duration `json:"window"`
	Runs     []LabRun      `json:"runs"`
	Rows     []CompareRow  `json:"rows"`
}

// CompareRow is one variant, its runs averaged, against its baseline: the
// variant with the same settings but the first axis at its first value.
type CompareRow struct {
	Variant     string         `json:"variant"`
	Baseline    string         `json:"baseline,omitempty"` // empty for a baseline itself
	Runs        int            `json:"runs"`
	Verdicts    string         `json:"verdicts"` // "fail fail fail"
	AsExpected  bool           `json:"as_expected"`
	Expected    string         `json:"expected"` // the scenario's expected verdict
	Peak        float64        `json:"peak"`
	PeakServer  string         `json:"peak_server"`
	PeakPer     map[string]int `json:"peak_per_server"` // of the first run
	AllBack     time.Duration  `json:"all_back"`
	Stranded    int            `json:"stranded"`
	FinalSkew   float64        `json:"final_skew"`
	Explained   uint64         `json:"loss_explained"`
	Slow        uint64         `json:"loss_slow_consumer"`
	Silent      uint64         `json:"loss_silent"`
	HasLoss     bool           `json:"has_loss"`
	PeakChange  *float64       `json:"peak_change,omitempty"` // fraction: −0.9 is 90% lower
	SkewChange  *float64       `json:"skew_change,omitempty"` // absolute difference
	BackChange  *float64       `json:"all_back_change,omitempty"`
	Improvement string         `json:"improvement,omitempty"` // one line a person reads
	// Stats test each figure of the runs against the baseline's runs
	// (compare_stats.go); Improvement ends with what changed significantly.
	Stats []LabStat `json:"stats,omitempty"`
}

// Compare averages each variant's runs and sets each against its
// baseline. Runs must be grouped by variant, in variant order.
func Compare(scenario, command string, window time.Duration, runs []LabRun) *Comparison {
	c := &Comparison{Scenario: scenario, Command: command, Window: window, Runs: runs}
	byVariant := map[string][]LabRun{}
	var order []string
	for _, r := range runs {
		if _, ok := byVariant[r.Variant]; !ok {
			order = append(order, r.Variant)
		}
		byVariant[r.Variant] = append(byVariant[r.Variant], r)
	}
	rows := map[string]*CompareRow{}
	firstOf := firstValues(runs)
	// Variant names leave out axes with one value: find baselines by
	// their full settings.
	bySettings := map[string]string{}
	for _, r := range runs {
		bySettings[strings.Join(r.Settings, ",")] = r.Variant
	}
	for _, v := range order {
		rs := byVariant[v]
		row := &CompareRow{Variant: v, Runs: len(rs), AsExpected: true, Expected: rs[0].Expected, PeakPer: rs[0].Figures.PeakPerServer, PeakServer: rs[0].Figures.PeakServer}
		var verdicts []string
		skews := 0
		for _, r := range rs {
			f := r.Figures
			verdicts = append(verdicts, r.Verdict)
			row.AsExpected = row.AsExpected && r.Verdict == r.Expected
			row.Peak += float64(f.Peak)
			row.AllBack += f.AllBack
			row.Stranded += f.Stranded
			if !math.IsNaN(f.FinalSkew) {
				row.FinalSkew += f.FinalSkew
				skews++
			}
			if f.Loss != nil {
				row.HasLoss = true
				row.Explained += f.Loss.Explained
				row.Slow += f.Loss.SlowConsumer
				row.Silent += f.Loss.Silent
			}
		}
		n := float64(len(rs))
		row.Peak /= n
		row.AllBack = time.Duration(float64(row.AllBack) / n)
		if skews > 0 {
			row.FinalSkew /= float64(skews)
		} else {
			row.FinalSkew = math.NaN()
		}
		row.Verdicts = strings.Join(verdicts, " ")
		if b := bySettings[baselineOf(rs[0].Settings, firstOf)]; b != v {
			row.Baseline = b
		}
		rows[v] = row
	}
	for _, v := range order {
		row := rows[v]
		if b := rows[row.Baseline]; row.Baseline != "" && b != nil {
			row.against(b)
			var line string
			row.Stats, line = labStats(byVariant[v], byVariant[row.Baseline])
			if line != "" {
				row.Improvement += "; " + line
			}
		}
		c.Rows = append(c.Rows, *row)
	}
	return c
}

// firstValues is the first axis's first value, per the first axis's key.
func firstValues(runs []LabRun) string {
	if len(runs) == 0 || len(runs[0].Settings) == 0 {
		return ""
	}
	return runs[0].Settings[0]
}

// baselineOf is the variant with the same settings but the first axis at
// its first value.
func baselineOf(settings []string, first string) string {
	if len(settings) == 0 || first == "" {
		return strings.Join(settings, ",")
	}
	s := append([]string{first}, settings[1:]...)
	return strings.Join(s, ",")
}

func (r *CompareRow) against(b *CompareRow) {
	var parts []string
	if b.Peak > 0 {
		ch := (r.Peak - b.Peak) / b.Peak
		r.PeakChange = &ch
		parts = append(parts, fmt.Sprintf("peak %s (%.0f → %.0f per window)", pct(ch), b.Peak, r.Peak))
	}
	if !math.IsNaN(r.FinalSkew) && !math.IsNaN(b.FinalSkew) {
		d := r.FinalSkew - b.FinalSkew
		r.SkewChange = &d
		parts = append(parts, fmt.Sprintf("final skew %.2f → %.2f", b.FinalSkew, r.FinalSkew))
	}
	if b.AllBack > 0 {
		ch := float64(r.AllBack-b.AllBack) / float64(b.AllBack)
		r.BackChange = &ch
		parts = append(parts, fmt.Sprintf("all back %s → %s", fmtDur(b.AllBack), fmtDur(r.AllBack)))
	}
	r.Improvement = "vs " + b.Variant + ": " + strings.Join(parts, "; ")
}

func pct(f float64) string {
	if f <= 0 {
		return fmt.Sprintf("−%.0f%%", -f*100)
	}
	return fmt.Sprintf("+%.0f%%", f*100)
}

// WriteComparisonJSON writes lab.json.
func WriteComparisonJSON(w io.Writer, c *Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonSafe(c))
}

// jsonSafe replaces the NaN skews (servers never all observed) that JSON
// cannot carry with -1.
func jsonSafe(c *Comparison) *Comparison {
	out := *c
	out.Runs = append([]LabRun(nil), c.Runs...)
	for i := range out.Runs {
		if math.IsNaN(out.Runs[i].Figures.FinalSkew) {
			out.Runs[i].Figures.FinalSkew = -1
		}
	}
	out.Rows = append([]CompareRow(nil), c.Rows...)
	for i := range out.Rows {
		if math.IsNaN(out.Rows[i].FinalSkew) {
			out.Rows[i].FinalSkew = -1
		}
	}
	return &out
}

// WriteComparisonMarkdown writes the comparison table, the lines that say
// by how much each variant differs from its baseline, and the command.
func WriteComparisonMarkdown(w io.Writer, c *Comparison) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Scenario %s, herd window %s, %d run(s) per variant.\n\n", c.Scenario, fmtDur(c.Window), runsPer(c))
	b.WriteString("| variant | verdicts | peak / window (server) | peak per server | all back after | stranded | final skew | lost: explained / slow / silent |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range c.Rows {
		verdicts := r.Verdicts
		if !r.AsExpected {
			verdicts += " (the scenario expects " + r.Expected + ")"
		}
		loss := "no publishers"
		if r.HasLoss {
			loss = fmt.Sprintf("%d / %d / %d", r.Explained, r.Slow, r.Silent)
		}
		fmt.Fprintf(&b, "| %s | %s | %s (%s) | %s | %s | %d | %s | %s |\n", r.Variant, verdicts, num(r.Peak), orDash(r.PeakServer),
			peaks(r.PeakPer), allBack(r.AllBack), r.Stranded, skew(r.FinalSkew), loss)
	}
	var lines []string
	for _, r := range c.Rows {
		if r.Improvement != "" {
			lines = append(lines, "- "+r.Variant+" "+r.Improvement)
		}
	}
	if len(lines) > 0 {
		b.WriteString("\n" + strings.Join(lines, "\n") + "\n")
	}
	if c.Command != "" {
		fmt.Fprintf(&b, "\nProduced by: `%s`\n", c.Command)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func runsPer(c *Comparison) int {
	if len(c.Rows) == 0 {
		return 0
	}
	return c.Rows[0].Runs
}

func num(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.1f", f)
}

func skew(f float64) string {
	if math.IsNaN(f) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", f)
}

// allBack is "–" when no client was disconnected at all.
func allBack(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmtDur(d)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func peaks(m map[string]int) string {
	if len(m) == 0 {
		return "–"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
