package sim

import (
	"slices"
	"time"
)

// StopPublishing stops every publisher, flushes what each client holds, and
// records where each one ended. Safe to call more than once.
func (f *Fleet) StopPublishing() {
	f.mu.Lock()
	if f.stopped {
		f.mu.Unlock()
		f.pubWG.Wait()
		return
	}
	f.stopped = true
	close(f.stopPub)
	f.mu.Unlock()
	f.pubWG.Wait()
}

// Quiesce waits until the subscribers stop receiving: nothing new arrives
// for quiet, or within bounds the whole wait. Call it after StopPublishing
// so that messages still in flight are not counted as lost.
func (f *Fleet) Quiesce(quiet, within time.Duration) {
	deadline := time.Now().Add(within)
	last, since := f.totalReceived(), time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polling a counter, not synchronising
		n := f.totalReceived()
		if n != last {
			last, since = n, time.Now()
			continue
		}
		if time.Since(since) >= quiet {
			return
		}
	}
}

func (f *Fleet) totalReceived() uint64 {
	f.mu.Lock()
	ts := make([]*tracker, 0, len(f.trackers))
	for _, t := range f.trackers {
		ts = append(ts, t)
	}
	f.mu.Unlock()
	var n uint64
	for _, t := range ts {
		n += t.received()
	}
	return n
}

// Close stops publishing, records every logical subscriber's receipt, and
// closes every connection. The recorded receipts are what no_loss,
// no_duplicates and ordered judge.
func (f *Fleet) Close() {
	if !f.RecordReceipts() {
		return
	}
	// Servers observed from here on count clients going away on purpose.
	f.tl.Add(Event{Kind: FleetClose})
	f.CloseClients()
}

// RecordReceipts is Close's first half: it stops publishing and the
// background work and records every receipt, leaving the connections
// open. It reports false when the fleet was closed already. A worker
// runs the halves apart so the runner records one FleetClose between.
func (f *Fleet) RecordReceipts() bool {
	f.StopPublishing()
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return false
	}
	f.closed = true
	close(f.stopBg)
	order := f.order
	trackers := f.trackers
	f.mu.Unlock()

	f.bgWG.Wait()
	for _, id := range order {
		f.recordReceipts(trackers[id])
	}
	return true
}

// CloseClients is Close's second half: every connection closes, silently.
func (f *Fleet) CloseClients() {
	f.mu.Lock()
	clients := f.clients
	f.mu.Unlock()
	for _, cl := range clients {
		cl.nc.Close()
	}
}

func (f *Fleet) recordReceipts(t *tracker) {
	var dropped uint64
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, h := range t.subsUsed {
		if d, err := h.sub.Dropped(); err == nil && d > 0 {
			dropped += uint64(d)
		} else if err != nil && h.dropped > 0 {
			dropped += uint64(h.dropped)
		}
	}
	pubs := make([]int, 0, len(t.pubs))
	for p := range t.pubs {
		pubs = append(pubs, p)
	}
	slices.Sort(pubs)
	for _, p := range pubs {
		s := t.pubs[p]
		f.tl.Add(Event{Kind: Receipt, Client: t.client, Sub: t.id, Subject: t.subject, Queue: t.queue, Pub: p,
			Received: append([]Range(nil), s.ranges...), Duplicates: s.duplicates, Reordered: s.reordered, Dropped: dropped,
			FirstDuplicate: s.firstDup, LastDuplicate: s.lastDup, DuplicateSeqs: s.dupSeqs})
	}
	if len(pubs) == 0 && dropped > 0 {
		f.tl.Add(Event{Kind: Receipt, Client: t.client, Sub: t.id, Subject: t.subject, Queue: t.queue, Dropped: dropped})
	}
}
