package scenarios

import (
	"fmt"
	"strings"

	sg "github.com/natschaos/natschaos/internal/suggest"
)

// suggest is the likely meant candidate, or "".
func suggest(word string, candidates []string) string { return sg.Nearest(word, candidates) }

// didYouMean formats the hint for an unknown word: "; did you mean "x"?"
// when a candidate is close, else the list of valid words (when short).
func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	if len(candidates) > 0 && len(candidates) <= 16 {
		return " (want one of: " + strings.Join(candidates, ", ") + ")"
	}
	return ""
}

// didYouMeanKey is didYouMean for mapping keys.
func didYouMeanKey(key string, keys []string) string {
	if s := suggest(key, keys); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	if len(keys) > 0 {
		return " (known keys: " + strings.Join(keys, ", ") + ")"
	}
	return ""
}
