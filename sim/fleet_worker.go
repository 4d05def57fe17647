package sim

import (
	"context"
	"fmt"
	"time"
)

// A worker process runs a slice of the run's client groups. These are the
// pieces of Start, Join and Close it needs separately, so that the runner
// can warm up publishers and subscribers that live in different processes
// and record one FleetClose for all of them.

// PubInfo is one publisher: its index (in every message) and subject.
type PubInfo struct {
	Index   int    `json:"index"`
	Subject string `json:"subject"`
}

// NewWorkerFleet prepares a slice of the run's groups against a directory
// of servers, numbering its publishers from pubBase+1.
func NewWorkerFleet(dir Directory, tl *Timeline, groups []GroupSpec, pubBase int) (*Fleet, error) {
	if dir == nil {
		return nil, fmt.Errorf("no server directory")
	}
	f, err := newFleet(dir, tl, groups)
	if err != nil {
		return nil, err
	}
	f.pubBase = pubBase
	return f, nil
}

// Connect is Start without the warm-up and the publishers: every client
// connects and subscribes, publishers are prepared but do not run.
func (f *Fleet) Connect(ctx context.Context) ([]PubInfo, error) {
	var jobs []clientJob
	for _, g := range f.groups {
		for n := g.First; n < g.First+g.Count; n++ {
			jobs = append(jobs, clientJob{g, n})
		}
	}
	if err := f.connectAll(ctx, jobs); err != nil {
		return nil, err
	}
	f.startKnowledgePoller()
	f.preparePublishers()
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]PubInfo, 0, len(f.pubs))
	for _, p := range f.pubs {
		out = append(out, PubInfo{p.index, p.subject})
	}
	return out, nil
}

// Probe makes the connected publishers among indices send one warm-up
// probe (sequence 0) each.
func (f *Fleet) Probe(indices []int) {
	want := map[int]bool{}
	for _, i := range indices {
		want[i] = true
	}
	f.mu.Lock()
	pubs := append([]*publisher(nil), f.pubs...)
	f.mu.Unlock()
	probe := make([]byte, headerSize)
	for _, p := range pubs {
		if want[p.index] && p.cl.nc.IsConnected() {
			encodeHeader(probe, p.index, 0)
			_ = p.cl.nc.Publish(p.subject, probe)
		}
	}
}

// Unseen lists the publishers of pubs (from every process) whose probe a
// ready local subscriber with a matching subject has not seen yet.
func (f *Fleet) Unseen(pubs []PubInfo) []int {
	f.mu.Lock()
	trackers := make([]*tracker, 0, len(f.order))
	for _, id := range f.order {
		trackers = append(trackers, f.trackers[id])
	}
	f.mu.Unlock()
	var out []int
	for _, p := range pubs {
		for _, t := range trackers {
			if SubjectMatches(t.subject, p.Subject) && !t.sawProbe(p.Index) {
				out = append(out, p.Index)
				break
			}
		}
	}
	return out
}

// RunPublishers starts every prepared publisher.
func (f *Fleet) RunPublishers() { f.runPublishers() }

// JoinAt connects count clients of group numbered from first: the runner
// numbers a group across its workers.
func (f *Fleet) JoinAt(ctx context.Context, group string, first, count int) error {
	g, ok := f.group(group)
	if !ok {
		return fmt.Errorf("join: no client group %q", group)
	}
	if count < 1 {
		return fmt.Errorf("join: count must be at least 1, got %d", count)
	}
	return f.joinAt(ctx, g, first, count)
}

// WarmUpPause waits out the pause after warm-up probe round n (0-based):
// 20 ms, doubling to at most a second. It reports false if ctx ended
// first. Every probe reaches every matching subscriber, so a fixed 20 ms
// kept 50,000 subscribers of ">" under 10 million deliveries a second for
// the whole warm-up and saturated two cores long after it (the servers'
// outbound buffers held the backlog). Interest spreads in milliseconds on
// a calm cluster, where the first rounds suffice as before. The pause is
// the probe period, not synchronisation: the caller polls receipts.
func WarmUpPause(ctx context.Context, round int) bool {
	t := time.NewTimer(warmUpPause(round))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func warmUpPause(round int) time.Duration {
	return min(time.Second, 20*time.Millisecond<<min(round, 6)) // 1.28 s at 6: capped, and no shift overflows
}

// WarmUpWithin bounds the warm-up (see warmUp).
const WarmUpWithin = warmUpWithin
