package sim

import "strings"

// SubjectMatches says whether a NATS subscription pattern matches a
// published subject: `*` matches one token, `>` one or more trailing ones.
func SubjectMatches(pattern, subject string) bool {
	pt := strings.Split(pattern, ".")
	st := strings.Split(subject, ".")
	for i, p := range pt {
		if p == ">" {
			return len(st) > i
		}
		if i >= len(st) || (p != "*" && p != st[i]) {
			return false
		}
	}
	return len(pt) == len(st)
}
