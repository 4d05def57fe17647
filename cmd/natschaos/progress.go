package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/scenarios"
)

// progress shows the live state of a run: a redrawn line on a terminal,
// one line per step otherwise (CI logs).
type progress struct {
	w        io.Writer
	bar      *progressbar.ProgressBar
	lastStep int
}

func newProgress(w io.Writer, name string) *progress {
	p := &progress{w: w, lastStep: -1}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(name),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	return p
}

func (p *progress) update(s scenarios.Status) {
	line := fmt.Sprintf("step %d/%d %-28s %6s  %s", s.Step, s.Steps, trim(s.StepText, 28), s.Elapsed.Round(100*time.Millisecond), "clients "+reports.CountsText(s.Clients, ":"))
	if p.bar != nil {
		p.bar.Describe(line)
		_ = p.bar.Add(1)
		return
	}
	if s.Step != p.lastStep {
		p.lastStep = s.Step
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}

func trim(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
