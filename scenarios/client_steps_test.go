package scenarios

import (
	"strings"
	"testing"
)

// The steps that change the fleet and the cluster's membership: join,
// leave, burst, remove. head's servers are A, B and C (C starts later).
const fleetHead = head + `clients:
  - name: subs
    count: 5
    subscribe: [">"]
  - name: pubs
    publish: {subject: x, rate: 10/s}
steps:
`

func TestChurnStepsValid(t *testing.T) {
	src := fleetHead + `  - join: {group: subs, count: 3}
  - join: pubs
  - leave: {group: subs, count: 8}
  - leave: pubs
  - burst: {group: pubs, messages: 100}
  - start: C
  - remove: C
  - remove: B
  - partition: {groups: [[A], [C]]}
`
	_, err := Parse("t.yaml", []byte(strings.Replace(src, "[[A], [C]]", "[[A]]", 1)))
	if err == nil || !strings.Contains(err.Error(), "at least two groups") {
		t.Fatalf("a one-group partition after removals: %v", err)
	}
	if ps := problemsOf(t, strings.Replace(src, "  - partition: {groups: [[A], [C]]}\n", "", 1)); len(ps) > 0 {
		t.Fatalf("valid churn rejected: %v", ps)
	}
}

func TestChurnStepsInvalid(t *testing.T) {
	// Line numbers: fleetHead is 14 lines, so the first step is line 15.
	for _, tc := range []struct {
		name, steps string
		want        []string
	}{
		{"unknown group", "  - join: {group: sbus, count: 2}\n",
			[]string{`15:19: steps[0].join: unknown client group "sbus"; did you mean "subs"?`}},
		{"zero count", "  - join: {group: subs, count: 0}\n",
			[]string{`15:32: steps[0].join.count must be at least 1, got 0`}},
		{"more leave than present", "  - join: {group: subs, count: 2}\n  - leave: {group: subs, count: 8}\n",
			[]string{`16:33: steps[1].leave.count: 8 clients of "subs" cannot leave: 7 are present here`}},
		{"burst as a scalar", "  - burst: pubs\n",
			[]string{`15:12: steps[0].burst: expected a mapping, got "pubs"`}},
		{"burst without messages", "  - burst: {group: pubs}\n",
			[]string{`15:5: steps[0].burst.messages is required`}},
		{"burst from a group that does not publish", "  - burst: {group: subs, messages: 10}\n",
			[]string{`15:20: steps[0].burst: group "subs" does not publish`}},
		{"burst too large", "  - burst: {group: pubs, messages: 20000000}\n",
			[]string{`15:36: steps[0].burst.messages must be from 1 to 10000000, got 20000000`}},
		{"start after remove", "  - remove: B\n  - start: B\n",
			[]string{`16:12: steps[1].start: server "B" was removed at line 15; a removed server cannot come back`}},
		{"restart after remove", "  - remove: B\n  - restart: B\n",
			[]string{`16:14: steps[1].restart: server "B" was removed at line 15`}},
		{"remove twice", "  - remove: C\n  - remove: C\n",
			[]string{`16:13: steps[1].remove: server "C" was removed at line 15`}},
		{"partition names a removed server", "  - remove: C\n  - partition: {groups: [[A], [B, C]]}\n",
			[]string{`16:35: steps[1].partition.groups[1][1]: server "C" was removed at line 15`}},
		{"unknown server", "  - remove: D\n",
			[]string{`15:13: steps[0].remove: unknown server "D"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problemsOf(t, fleetHead+tc.steps)
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], w)
				}
			}
		})
	}
}
