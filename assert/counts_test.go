package assert

import (
	"regexp"
	"strconv"
	"testing"
)

// countOf reads the number printed right before noun in text ("2 clients
// accepted" -> 2), sign included, so a count gone negative or off by one
// shows; it fails the test when text has no such count.
func countOf(t *testing.T, text, noun string) int {
	t.Helper()
	m := regexp.MustCompile(`(-?\d+) ` + regexp.QuoteMeta(noun)).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no count of %q in %q", noun, text)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
