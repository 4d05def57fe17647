package sim

import (
	"context"
	"time"
)

// warmUpWithin bounds the warm-up: a subscriber whose interest has not
// reached a publisher's server by then starts with a visible prefix gap.
const warmUpWithin = 5 * time.Second

// warmUp makes every connected publisher send probes (sequence 0) until
// every ready subscriber whose subject matches has seen one. NATS spreads
// interest across routes asynchronously; without this, the first numbered
// messages could reach a server before a remote subscriber's interest did
// and be lost for a reason that is no fault at all.
func (f *Fleet) warmUp(ctx context.Context, within time.Duration) {
	f.mu.Lock()
	pubs := append([]*publisher(nil), f.pubs...)
	var trackers []*tracker
	for _, id := range f.order {
		trackers = append(trackers, f.trackers[id])
	}
	f.mu.Unlock()
	if len(pubs) == 0 || len(trackers) == 0 {
		return
	}
	probe := make([]byte, headerSize)
	deadline := time.Now().Add(within)
	for round := 0; time.Now().Before(deadline) && ctx.Err() == nil; round++ {
		pending := false
		for _, p := range pubs {
			waiting := false
			for _, t := range trackers {
				if SubjectMatches(t.subject, p.subject) && !t.sawProbe(p.index) {
					waiting = true
					break
				}
			}
			if waiting && p.cl.nc.IsConnected() {
				pending = true
				encodeHeader(probe, p.index, 0)
				_ = p.cl.nc.Publish(p.subject, probe)
			}
		}
		if !pending {
			return
		}
		if !WarmUpPause(ctx, round) {
			return
		}
	}
}
