package sim

import "testing"

func TestSubjectMatches(t *testing.T) {
	cases := []struct {
		pattern, subject string
		want             bool
	}{
		{">", "a", true}, {">", "a.b.c", true},
		{"orders.>", "orders", false}, {"orders.>", "orders.x", true}, {"orders.>", "orders.x.y", true},
		{"orders.*", "orders.x", true}, {"orders.*", "orders.x.y", false}, {"*.x", "a.x", true},
		{"a.b", "a.b", true}, {"a.b", "a.c", false}, {"a.b", "a.b.c", false}, {"a.b.c", "a.b", false},
	}
	for _, c := range cases {
		if got := SubjectMatches(c.pattern, c.subject); got != c.want {
			t.Errorf("SubjectMatches(%q, %q) = %v, want %v", c.pattern, c.subject, got, c.want)
		}
	}
}
