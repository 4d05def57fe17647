package assert

import (
	"fmt"
	"strings"
	"time"
)

// dur prints a duration for people: "3.2s", "410ms".
func dur(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d >= time.Second || d <= -time.Second:
		return d.Round(10 * time.Millisecond).String()
	default:
		return d.Round(time.Millisecond).String()
	}
}

// list prints names as "[A B]".
func list(names []string) string { return "[" + strings.Join(names, " ") + "]" }

// seqs prints an inclusive range of sequences: "1200–1340" or "7".
func seqs(first, last uint64) string {
	if first == last {
		return fmt.Sprint(first)
	}
	return fmt.Sprintf("%d–%d", first, last)
}

// capLines keeps at most n lines and says how many it left off.
func capLines(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	out := append(lines[:n:n], fmt.Sprintf("… %d more", len(lines)-n))
	return out
}

// joinCap joins up to n items and says how many more there were.
func joinCap(items []string, n int, sep string) string {
	if len(items) <= n {
		return strings.Join(items, sep)
	}
	return strings.Join(items[:n], sep) + fmt.Sprintf("%s(+%d more)", sep, len(items)-n)
}
