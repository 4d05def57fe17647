package sim

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progressEvery is how often a publisher samples its progress onto the
// timeline. Checkers bound a message's publish time between two samples,
// so this is the resolution of "was it published inside a fault window".
const progressEvery = 25 * time.Millisecond

// publisher is one client's numbered publishing loop.
type publisher struct {
	cl      *client
	index   int // 1-based, unique in the fleet: written in every message
	subject string
	rate    float64
	size    int
	seq     uint64 // last sequence attempted
	defect  PublishDefect
	// quit stops this publisher alone (its client leaves); burst asks for
	// that many messages at once, on top of the rate.
	quit      chan struct{}
	quitOnce  sync.Once
	started   atomic.Bool
	done      chan struct{} // closed when run returns
	burst     chan struct{} // a kick: burstOwed has grown
	burstOwed atomic.Uint64
	extra     uint64 // burst messages taken so far

	refusedFrom  uint64
	refusedCount uint64
	refusedErr   string
}

func (f *Fleet) preparePublishers() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cl := range f.clients {
		if g, ok := f.group(cl.group); ok && g.Publish != nil {
			f.addPublisherLocked(cl, g.Publish)
		}
	}
}

// addPublisherLocked gives cl a publisher with the next index; f.mu held.
func (f *Fleet) addPublisherLocked(cl *client, pub *Publish) *publisher {
	size := max(pub.Size, headerSize)
	subject := strings.NewReplacer("{client}", cl.id, "{group}", cl.group).Replace(pub.Subject)
	p := &publisher{cl: cl, index: f.pubBase + len(f.pubs) + 1, subject: subject, rate: pub.Rate, size: size, defect: pub.Defect,
		quit: make(chan struct{}), done: make(chan struct{}), burst: make(chan struct{}, 1)}
	f.pubs = append(f.pubs, p)
	return p
}

// group returns the spec of the named group.
func (f *Fleet) group(name string) (GroupSpec, bool) {
	for _, g := range f.groups {
		if g.Name == name {
			return g, true
		}
	}
	return GroupSpec{}, false
}

func (f *Fleet) runPublishers() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped || f.closed {
		return
	}
	for _, p := range f.pubs {
		f.startPublisherLocked(p)
	}
}

// startPublisherLocked runs p until the fleet stops publishing or p's
// client leaves; f.mu held.
func (f *Fleet) startPublisherLocked(p *publisher) {
	f.pubWG.Add(1)
	p.started.Store(true)
	go p.run(f.stopPub, &f.pubWG)
}

func (p *publisher) run(stop <-chan struct{}, wg interface{ Done() }) {
	defer wg.Done()
	defer close(p.done)
	tl := p.cl.fleet.tl
	buf := make([]byte, p.size)
	start := time.Now()
	// Pace by the clock, not by ticks: a late tick publishes what is due.
	tick := time.Duration(float64(time.Second) / p.rate)
	if tick < 5*time.Millisecond {
		tick = 5 * time.Millisecond
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	// A sample at sequence 0 marks where publishing begins: a subscriber
	// ready before it is expected to receive everything.
	tl.Add(Event{Kind: PublishProgress, Client: p.cl.id, Group: p.cl.group, Pub: p.index, Seq: 0, Subject: p.subject})
	lastProgress := time.Now()
	for {
		select {
		case <-stop:
			p.finish(buf)
			return
		case <-p.quit:
			p.finish(buf)
			return
		case <-p.burst:
			// Back to back, as fast as the library takes them: a burst is
			// what fills buffers while a client reconnects.
			p.extra += p.burstOwed.Swap(0)
			due := uint64(p.rate*time.Since(start).Seconds()) + p.extra
			for p.seq < due {
				p.publishNext(buf)
			}
			p.flushRefused()
			tl.Add(Event{Kind: PublishProgress, Client: p.cl.id, Group: p.cl.group, Pub: p.index, Seq: p.seq, Subject: p.subject})
			lastProgress = time.Now()
		case now := <-t.C:
			due := uint64(p.rate*now.Sub(start).Seconds()) + p.extra
			for p.seq < due {
				p.publishNext(buf)
			}
			if now.Sub(lastProgress) >= progressEvery {
				p.flushRefused()
				tl.Add(Event{Kind: PublishProgress, Client: p.cl.id, Group: p.cl.group, Pub: p.index, Seq: p.seq, Subject: p.subject})
				lastProgress = now
			}
		}
	}
}

func (p *publisher) publishNext(buf []byte) {
	p.seq++
	if d := p.defect.SwapEvery; d > 1 && p.seq%d == d-1 {
		// Planted defect: hold this one back and send it after the next.
		p.seq++
		encodeHeader(buf, p.index, p.seq)
		_ = p.cl.nc.Publish(p.subject, buf)
		encodeHeader(buf, p.index, p.seq-1)
		_ = p.cl.nc.Publish(p.subject, buf)
		return
	}
	encodeHeader(buf, p.index, p.seq)
	if d := p.defect.RepeatEvery; d > 0 && p.seq%d == 0 {
		_ = p.cl.nc.Publish(p.subject, buf) // planted defect: sent twice
	}
	if err := p.cl.nc.Publish(p.subject, buf); err != nil {
		// The library refused it (closed, or the reconnect buffer is
		// full): counted apart from losses, with the error.
		if p.refusedCount > 0 && (p.refusedErr != err.Error() || p.refusedFrom+p.refusedCount != p.seq) {
			p.flushRefused()
		}
		if p.refusedCount == 0 {
			p.refusedFrom, p.refusedErr = p.seq, err.Error()
		}
		p.refusedCount++
		return
	}
	if p.refusedCount > 0 {
		p.flushRefused()
	}
}

func (p *publisher) flushRefused() {
	if p.refusedCount == 0 {
		return
	}
	p.cl.fleet.tl.Add(Event{Kind: PublishRefused, Client: p.cl.id, Group: p.cl.group, Pub: p.index, Seq: p.refusedFrom, Count: p.refusedCount, Err: p.refusedErr, Subject: p.subject})
	p.refusedCount = 0
}

func (p *publisher) finish(buf []byte) {
	p.flushRefused()
	// Push out what the library still holds; a failure here is not a
	// refusal (the messages were accepted), so it shows as loss if real.
	_ = p.cl.nc.FlushTimeout(2 * time.Second)
	tl := p.cl.fleet.tl
	tl.Add(Event{Kind: PublishProgress, Client: p.cl.id, Group: p.cl.group, Pub: p.index, Seq: p.seq, Subject: p.subject})
	tl.Add(Event{Kind: PublishEnd, Client: p.cl.id, Group: p.cl.group, Pub: p.index, Seq: p.seq, Subject: p.subject})
}
