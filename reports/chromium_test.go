package reports_test

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/reports"
)

// chromium runs Debian's headless Chromium on a file, offline and with a
// throwaway profile, and returns what it printed and logged.
func chromium(t *testing.T, page string, args ...string) (stdout, logs string) {
	t.Helper()
	if testing.Short() {
		// The race pass: the browser runs none of this package's code.
		t.Skip("opens chromium, seconds a page: the plain pass does")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (Debian: apt-get install -y chromium): report.html is not opened in a browser")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+page)...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, e.String())
	}
	return o.String(), e.String()
}

// consoleLine is anything a page said on the console: the report has no
// script, so any such line (an exception, a resource that failed to load)
// is a defect.
var consoleLine = regexp.MustCompile(`(?m)^.*(:CONSOLE|Uncaught).*$`)

func TestReportOpensInChromium(t *testing.T) {
	dir := t.TempDir()
	run, err := reports.Load("testdata/small")
	if err != nil {
		t.Fatal(err)
	}
	if err := run.WriteAll(dir); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, reports.HTMLFile)

	dom, logs := chromium(t, page, "--dump-dom")
	if n := strings.Count(dom, `<svg class="chart"`); n < 5 {
		t.Errorf("the rendered DOM holds %d charts, want at least 5", n)
	}
	if !strings.Contains(dom, "<path") || !strings.Contains(dom, "seconds into the run") {
		t.Error("the charts' SVG content did not reach the DOM")
	}
	if m := consoleLine.FindAllString(logs, -1); len(m) > 0 {
		t.Errorf("console messages opening report.html:\n%s", strings.Join(m, "\n"))
	}

	shot := filepath.Join(dir, "report.png")
	chromium(t, page, "--screenshot="+shot, "--window-size=1400,2400", "--hide-scrollbars")
	// The charts really drew: the first server's colour (solid in the
	// histogram bars and the lines) covers many pixels of the screenshot.
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	want, n := color.NRGBA{0x4e, 0x79, 0xa7, 0xff}, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.NRGBAModel.Convert(img.At(x, y)) == want {
				n++
			}
		}
	}
	t.Logf("%d pixels of the charts' blue in the screenshot", n)
	if n < 500 {
		t.Errorf("only %d pixels of the charts' blue in the screenshot: the charts did not draw", n)
	}
	if out := os.Getenv("NATSCHAOS_REPORT_PNG"); out != "" {
		data, _ := os.ReadFile(shot)
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The console check is live: a page that throws is caught.
func TestChromiumConsoleCheckCatchesErrors(t *testing.T) {
	page := filepath.Join(t.TempDir(), "bad.html")
	if err := os.WriteFile(page, []byte(`<!DOCTYPE html><p>x</p><script>throw new Error("boom")</script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, logs := chromium(t, page, "--dump-dom")
	if !consoleLine.MatchString(logs) || !strings.Contains(logs, "Uncaught") {
		t.Fatalf("an uncaught exception went unseen; logs:\n%s", logs)
	}
}
