package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/reports"
)

func TestSummaryMarkdown(t *testing.T) {
	r := everyVerdict()
	r.Properties[1].Evidence = "A|B routes <b>up</b>\nsecond line"
	var b bytes.Buffer
	if err := reports.WriteSummaryMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"`kill-one` — ERROR",
		"**Error:** the scenario's timeout",
		"| ✅ pass | `mesh` | A\\|B routes &lt;b&gt;up&lt;/b&gt; second line |",
		"| ❌ fail | `no_loss` |",
		"| ⚠️ warn | `balance` |",
		"| ➖ not_evaluated | `herd` |",
		"line ]]> two",
		"Clients per server at the end: `A=2 B=150`",
		"```sh\nnatschaos run testdata/kill-one.yaml --seed 42\n```",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary.md lacks %q:\n%s", want, md)
		}
	}
	// One table row per property: a stray newline would break the table.
	if rows := strings.Count(md, "\n| "); rows != len(r.Properties)+1 {
		t.Errorf("%d table rows, want a header and %d", rows, len(r.Properties))
	}
}
