package reports_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/sim"
)

func htmlOf(t *testing.T, run *reports.Judged) string {
	t.Helper()
	var b bytes.Buffer
	if err := reports.WriteHTML(&b, run); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func fixture(t *testing.T) *reports.Judged {
	t.Helper()
	run, err := reports.Load("testdata/small")
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// Anything a browser would fetch: report.html must open offline.
var fetches = regexp.MustCompile(`(?i)https?://|<script|<link|<iframe|<img|\ssrc=|\shref=|url\(|@import`)

func TestHTMLIsSelfContained(t *testing.T) {
	run := fixture(t)
	page := htmlOf(t, run)
	if m := fetches.FindString(page); m != "" {
		i := strings.Index(page, m)
		t.Fatalf("report.html refers outside itself (%q): …%s…", m, page[max(0, i-80):min(len(page), i+80)])
	}
	for _, id := range []string{"clients", "herd", "reconnects", "routes", "steps"} {
		sec := section(page, id)
		if !strings.Contains(sec, `<svg class="chart"`) || !strings.Contains(sec, "<path") {
			t.Errorf("section %s has no drawn SVG chart:\n%.300s", id, sec)
		}
	}
	for _, want := range []string{run.Report.Replay, "kill A", "partition A | B,C", "lame duck C", "no failing loss of 880 expected messages"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(page, "ZgotmplZ") {
		t.Error("html/template refused a value (ZgotmplZ in the page)")
	}
}

func section(page, id string) string {
	i := strings.Index(page, `<section id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</section>")
	return page[i : i+j]
}

func TestHTMLEscapesEvidence(t *testing.T) {
	run := fixture(t)
	run.Report.Properties[0].Evidence = `<script>alert(1)</script>`
	if page := htmlOf(t, run); strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert") {
		t.Error("evidence is not escaped")
	}
}

// lossyRun is a run whose no_loss found gaps of two kinds.
func lossyRun() *reports.Judged {
	ms := time.Millisecond
	events := []sim.Event{
		{T: 0, Kind: sim.RunStart, Scenario: "lossy", Seed: 1},
		{T: 100 * ms, Kind: sim.ServerKill, Server: "A"},
		{T: 900 * ms, Kind: sim.RunEnd, Detail: "completed"},
	}
	loss := assert.LossData{Expected: 1000, Silent: 33, Explained: 12, Gaps: []assert.Gap{
		{Publisher: "pubs-0", Subscriber: "subs-1/0", First: 5, Last: 34, Kind: assert.Silent, At: 300 * ms},
		{Publisher: "pubs-1", Subscriber: "subs-1/0", First: 1, Last: 12, Kind: assert.Explained, At: 120 * ms},
		{Publisher: "pubs-0", Subscriber: "subs-2/0", First: 50, Last: 51, Kind: assert.Silent, At: 500 * ms},
		{Publisher: "pubs-1", Subscriber: "subs-2/0", First: 70, Last: 70, Kind: assert.Silent, At: 700 * ms},
	}}
	return &reports.Judged{Events: events, Report: &reports.Report{Scenario: "lossy", Verdict: "fail", Properties: []assert.Result{
		{Name: "no_loss", Verdict: assert.Fail, Evidence: "lost 30 silently", At: 300 * ms, Data: loss},
	}}}
}

// The loss chart draws the no_loss checker's gaps, one row per publisher.
func TestHTMLDrawsLosses(t *testing.T) {
	sec := section(htmlOf(t, lossyRun()), "loss")
	for _, want := range []string{`<svg class="chart"`, ">pubs-0<", ">pubs-1<", "33 missing silently", "FAIL no_loss"} {
		if !strings.Contains(sec, want) {
			t.Errorf("loss section lacks %q:\n%.600s", want, sec)
		}
	}
}

// A timeline with nothing but its start still renders, with notes.
func TestHTMLOfAnEmptyTimeline(t *testing.T) {
	run := reports.Judge([]sim.Event{{Kind: sim.RunStart, Scenario: "empty"}}, reports.Extra{})
	page := htmlOf(t, run)
	if !strings.Contains(page, "no server observation") || !strings.Contains(page, "no run_end") {
		t.Errorf("empty timeline: notes missing:\n%s", page)
	}
}

// The same timeline gives the same page, byte for byte: a re-render can be
// diffed against the run's own.
func TestHTMLIsDeterministic(t *testing.T) {
	if a, b := htmlOf(t, fixture(t)), htmlOf(t, fixture(t)); a != b {
		t.Error("two renders of one timeline differ")
	}
	if a, b := htmlOf(t, lossyRun()), htmlOf(t, lossyRun()); a != b {
		t.Error("two renders of the loss chart differ")
	}
}
