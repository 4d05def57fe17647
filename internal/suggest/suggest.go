package suggest

import "strings"

// Nearest returns the candidate closest to word by edit distance (optimal
// string alignment: insertions, deletions, substitutions, transpositions),
// case-insensitively, or "" when none is close enough to be a likely typo.
func Nearest(word string, candidates []string) string {
	w := strings.ToLower(word)
	if w == "" || len(w) > 64 {
		return ""
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(w, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	// Allow about one edit in three characters, at most three; words of one
	// or two characters only match when the case differs.
	n := len([]rune(w))
	limit := min(n/3, 3)
	if n >= 3 {
		limit = max(limit, 1)
	}
	if best == "" || bestDist > limit || best == word {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: two back for transpositions.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
