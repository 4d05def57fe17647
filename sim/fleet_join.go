package sim

import (
	"context"
	"fmt"
	"slices"
)

// Clients joining and leaving a running fleet, and bursts of publishing:
// the changes of load a cluster sees besides its own faults.

// Join connects count more clients of group, numbered after the group's
// last, with the group's URL list, options, subscriptions and publishing.
// It returns once each has connected and flushed its subscriptions, or
// keeps retrying in the background when none of its servers is reachable
// (as at Start). A joining subscriber counts from its SubReady; a joining
// publisher starts at once, with no warm-up: the interest of the
// subscribers already there has reached every server.
func (f *Fleet) Join(ctx context.Context, group string, count int) error {
	g, ok := f.group(group)
	if !ok {
		return fmt.Errorf("join: no client group %q", group)
	}
	if count < 1 {
		return fmt.Errorf("join: count must be at least 1, got %d", count)
	}
	f.mu.Lock()
	first := f.next[group]
	f.mu.Unlock()
	return f.joinAt(ctx, g, first, count)
}

// joinAt connects count clients of g numbered from first.
func (f *Fleet) joinAt(ctx context.Context, g GroupSpec, first, count int) error {
	group := g.Name
	f.mu.Lock()
	if f.stopped || f.closed {
		f.mu.Unlock()
		return fmt.Errorf("join: the fleet has stopped")
	}
	f.next[group] = max(f.next[group], first+count)
	before := len(f.clients)
	f.mu.Unlock()

	jobs := make([]clientJob, count)
	for i := range jobs {
		jobs[i] = clientJob{g, first + i}
	}
	err := f.connectAll(ctx, jobs)
	if g.Publish == nil {
		return err
	}
	// Every client that connected publishes, even if a sibling failed.
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cl := range f.clients[before:] {
		if cl.group != group || cl.left {
			continue
		}
		p := f.addPublisherLocked(cl, g.Publish)
		if !f.stopped && !f.closed {
			f.startPublisherLocked(p)
		}
	}
	return err
}

// Leave closes count clients of group on purpose, the most recently
// numbered first, and returns how many left (fewer when fewer remain).
// Each one's publisher stops and records where it ended, then a
// ClientLeave event says the application closed it, then the connection
// closes: what it had not received by then is no longer expected of it.
func (f *Fleet) Leave(group string, count int) (int, error) {
	if _, ok := f.group(group); !ok {
		return 0, fmt.Errorf("leave: no client group %q", group)
	}
	if count < 1 {
		return 0, fmt.Errorf("leave: count must be at least 1, got %d", count)
	}
	f.mu.Lock()
	var leaving []*client
	for i := len(f.clients) - 1; i >= 0 && len(leaving) < count; i-- {
		if cl := f.clients[i]; cl.group == group && !cl.left {
			leaving = append(leaving, cl)
		}
	}
	// f.clients is in connection order, not index order: leave by index.
	slices.SortFunc(leaving, func(a, b *client) int { return b.index - a.index })
	pubs := map[*client]*publisher{}
	for _, p := range f.pubs {
		pubs[p.cl] = p
	}
	for _, cl := range leaving {
		cl.mu.Lock()
		cl.left = true
		cl.mu.Unlock()
	}
	f.mu.Unlock()

	for _, cl := range leaving {
		if p := pubs[cl]; p != nil {
			p.stop()
		}
		cl.mu.Lock()
		for _, h := range cl.subs {
			h.noteDropped() // the count is gone once the connection closes
		}
		cl.mu.Unlock()
		f.tl.Add(Event{Kind: ClientLeave, Client: cl.id, Group: cl.group, Server: cl.nc.ConnectedServerName()})
		cl.nc.Close()
	}
	return len(leaving), nil
}

// Burst makes every publisher of group that has not left publish messages
// more at once, on top of its rate. It returns without waiting for them.
func (f *Fleet) Burst(group string, messages int) (int, error) {
	g, ok := f.group(group)
	if !ok {
		return 0, fmt.Errorf("burst: no client group %q", group)
	}
	if g.Publish == nil {
		return 0, fmt.Errorf("burst: group %q does not publish", group)
	}
	if messages < 1 {
		return 0, fmt.Errorf("burst: messages must be at least 1, got %d", messages)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, p := range f.pubs {
		if p.cl.group != group || p.cl.hasLeft() {
			continue
		}
		p.burstOwed.Add(uint64(messages))
		select {
		case p.burst <- struct{}{}:
		default: // a kick is pending already: it takes this burst too
		}
		n++
	}
	return n, nil
}

func (cl *client) hasLeft() bool {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.left
}

// stop ends this publisher alone and, if it runs, waits until it has
// recorded its end.
func (p *publisher) stop() {
	p.quitOnce.Do(func() { close(p.quit) })
	if p.started.Load() {
		<-p.done
	}
}
