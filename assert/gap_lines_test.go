package assert

import (
	"strings"
	"testing"
)

// A line lists at most six gaps and counts the rest; a line within that
// counts none.
func TestJSGapLinesCountOnlyTheGapsLeftOut(t *testing.T) {
	var gaps []JSGap
	for i := range uint64(7) {
		gaps = append(gaps, JSGap{Publisher: "w-0", Where: "stream S", First: 10*i + 1, Last: 10*i + 2, Acked: 2, Position: "middle"})
	}
	gaps = append(gaps, JSGap{Publisher: "w-1", Where: "stream S", First: 1, Last: 2, Acked: 2, Position: "prefix"})
	lines := jsGapLines(gaps)
	if len(lines) != 2 {
		t.Fatalf("lines %q, want one per publisher", lines)
	}
	if n := strings.Count(lines[0], "acknowledged seq"); n != 6 || !strings.HasSuffix(lines[0], "; (+1 more)") {
		t.Errorf("line %q: want 6 gaps and one more", lines[0])
	}
	if strings.Contains(lines[1], "more") {
		t.Errorf("line %q counts gaps left out, but none was", lines[1])
	}
}

// A gap's messages published at one instant show that instant, not a span.
func TestGapWhenIsASpanOnlyWhenItLasted(t *testing.T) {
	if got := (Gap{At: sec(4.2), LastAt: sec(4.2)}).when(); got != dur(sec(4.2)) {
		t.Errorf("one instant: %q", got)
	}
	if got := (Gap{At: sec(4.2), LastAt: sec(4.4)}).when(); got != dur(sec(4.2))+"–"+dur(sec(4.4)) {
		t.Errorf("a span: %q", got)
	}
}
