package faults

import (
	"fmt"
	"strings"
	"time"
)

// Mode is how a partition cuts its links.
type Mode string

const (
	// ModeClose closes the cut links at once; the servers see them go.
	ModeClose Mode = "close"
	// ModeStall lets nothing through the cut links and closes none: the
	// servers find out through their route pings, after about
	// PingInterval × (MaxPingsOut+1), as with a silent network failure.
	ModeStall Mode = "stall"
)

// Partition cuts every route link between servers of different groups,
// and nothing else: client links, and routes inside a group, keep going.
// New route dials across the cut are held silently at the proxy, not
// refused (a refused gossiped route is retried hundreds of times a
// second), and go through when the partition heals. Every running server
// must be in exactly one group; servers not running may be left out, and
// are then cut from no one. mode "" is ModeClose; duration 0 lasts until
// healed.
func (l *Layer) Partition(groups [][]string, mode Mode, duration time.Duration) (string, error) {
	mode, eff, err := partitionEffect(mode, duration)
	if err != nil {
		return "", err
	}
	group, err := l.checkGroups(groups)
	if err != nil {
		return "", err
	}
	var all []string
	var copied [][]string
	var parts []string
	for _, g := range groups {
		all = append(all, g...)
		copied = append(copied, append([]string(nil), g...))
		parts = append(parts, strings.Join(g, ","))
	}
	f := &fault{
		kind: "partition", target: "partition:" + strings.Join(parts, "|"),
		servers: sorted(all...), groups: copied, cuts: true,
		scope: partitionScope{group: group}, eff: eff,
		detail: fmt.Sprintf("mode=%s", mode),
	}
	if duration > 0 {
		f.detail += " duration=" + duration.String()
	}
	return l.begin(f, duration)
}

// partitionEffect is what a partition in mode does to the links it cuts
// ("" is ModeClose).
func partitionEffect(mode Mode, duration time.Duration) (Mode, Effect, error) {
	if mode == "" {
		mode = ModeClose
	}
	if duration < 0 {
		return mode, Effect{}, fmt.Errorf("faults: negative duration %v", duration)
	}
	switch mode {
	case ModeClose:
		return mode, Effect{CloseNow: true, Admit: AdmitHold}, nil
	case ModeStall:
		return mode, Effect{Toxic: "natschaos_hold", Admit: AdmitHold}, nil
	}
	return mode, Effect{}, fmt.Errorf("faults: partition mode %q: want close or stall", mode)
}

// checkGroups maps each server to its group, refusing unknown, repeated
// or missing servers.
func (l *Layer) checkGroups(groups [][]string) (map[string]int, error) {
	if len(groups) < 2 {
		return nil, fmt.Errorf("faults: a partition needs at least two groups, got %d", len(groups))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	group := map[string]int{}
	for i, g := range groups {
		if len(g) == 0 {
			return nil, fmt.Errorf("faults: partition group %d is empty", i+1)
		}
		for _, name := range g {
			if l.servers[name] == nil {
				return nil, fmt.Errorf("faults: partition: no server named %q", name)
			}
			if _, dup := group[name]; dup {
				return nil, fmt.Errorf("faults: partition: %s is in two groups", name)
			}
			group[name] = i
		}
	}
	for name, s := range l.servers {
		if _, ok := group[name]; !ok && s.state != stateDown && !s.isLeaf {
			return nil, fmt.Errorf("faults: partition: running server %s is in no group", name)
		}
	}
	return group, nil
}
