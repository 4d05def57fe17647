package faults

import (
	"fmt"
	"github.com/natschaos/natschaos/internal/suggest"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file reads a fault's parameters as a scenario writes them and
// refuses, with a hint, the keys a kind does not take.

// params are a fault's parameters as written in the scenario.
type params map[string]string

// duration reads a Go duration; absent means def.
func (p params) duration(key string, def time.Duration) (time.Duration, error) {
	s, ok := p[key]
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s: %q is not a non-negative duration like 150ms", key, s)
	}
	return d, nil
}

// size reads a byte count with an optional KB or MB suffix (1024-based,
// as nats.go's sizes); absent means def.
func (p params) size(key string, def int64) (int64, error) {
	s, ok := p[key]
	if !ok {
		return def, nil
	}
	n, mult := splitUnit(s, "B")
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%s: %q is not a size like 1024, 64KB or 8MB", key, s)
	}
	return v * mult, nil
}

// rate reads a bandwidth in KB/s: "100", "100KB/s" or "2MB/s".
func (p params) rate(key string) (int64, error) {
	s, ok := p[key]
	if !ok {
		return 0, fmt.Errorf("%s is required (KB/s)", key)
	}
	n, mult := splitUnit(strings.TrimSuffix(strings.TrimSpace(s), "/s"), "KB")
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil || v <= 0 || mult < 1<<10 {
		return 0, fmt.Errorf("%s: %q is not a rate like 100 (KB/s), 100KB/s or 2MB/s", key, s)
	}
	return v * mult >> 10, nil
}

// splitUnit splits "64KB" into "64" and its multiplier in bytes; a bare
// number is in def units.
func splitUnit(s, def string) (string, int64) {
	units := map[string]int64{"B": 1, "KB": 1 << 10, "MB": 1 << 20}
	t := strings.ToUpper(strings.TrimSpace(s))
	for _, u := range []string{"KB", "MB", "B"} {
		if strings.HasSuffix(t, u) {
			return strings.TrimSpace(strings.TrimSuffix(t, u)), units[u]
		}
	}
	return t, units[def]
}

// millis converts to toxiproxy's unit, rounding up so 500µs is not 0.
func millis(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}

// checkParams refuses keys the kind does not take, naming the close one.
func checkParams(k kind, p map[string]string) (params, error) {
	for key := range p {
		if slices.Contains(k.params, key) {
			continue
		}
		hint := ""
		if near := suggest.Nearest(key, k.params); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
		return nil, fmt.Errorf("faults: kind %s takes no parameter %q%s; it takes %v", k.name, key, hint, k.params)
	}
	return params(p), nil
}
