package qualify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/natschaos/natschaos/internal/compare"
)

// ParseTolerance reads one --tolerance: FIGURE=20% (relative to the
// baseline's median), FIGURE=50ms (a time figure's absolute tolerance) or
// FIGURE=3 (absolute, in the figure's unit). FIGURE is a kind
// (reconnect.p99, herd.peak, verdict) or one figure (herd.peak.A,
// verdict.no_loss).
func ParseTolerance(s string) (string, compare.Tolerance, error) {
	name, val, ok := strings.Cut(s, "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" || val == "" {
		return "", compare.Tolerance{}, fmt.Errorf("--tolerance %q: want FIGURE=VALUE, like reconnect.p99=20%%", s)
	}
	k, known := KindOf(name)
	if !known {
		var kinds []string
		for _, k := range Kinds {
			kinds = append(kinds, k.Name)
		}
		return "", compare.Tolerance{}, fmt.Errorf("--tolerance %q: no figure %q (figures: %s)", s, name, strings.Join(kinds, ", "))
	}
	if p, isPct := strings.CutSuffix(val, "%"); isPct {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f < 0 {
			return "", compare.Tolerance{}, fmt.Errorf("--tolerance %q: %q is not a percentage", s, val)
		}
		return name, compare.Tolerance{Rel: f / 100}, nil
	}
	if k.Unit == "ms" {
		if d, err := time.ParseDuration(val); err == nil && d >= 0 {
			return name, compare.Tolerance{Abs: float64(d) / float64(time.Millisecond)}, nil
		}
	}
	f, err := strconv.ParseFloat(val, 64)
	if err != nil || f < 0 {
		return "", compare.Tolerance{}, fmt.Errorf("--tolerance %q: %q is neither a percentage nor a %s value", s, val, k.Unit)
	}
	return name, compare.Tolerance{Abs: f}, nil
}
