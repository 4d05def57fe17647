package workers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// pubStride separates the publisher indices of workers: worker i numbers
// its publishers from i*pubStride+1, so indices stay unique across the run
// (they travel in every message's 4-byte header).
const pubStride = 1 << 22

// callWithin bounds a command that should be quick; connecting, joining
// and quiescing get the run's context or their own bound instead.
const callWithin = 2 * time.Minute

// Fleet is a sim.ClientFleet whose clients run in worker processes. Each
// group is cut into contiguous slices of client numbers, one per worker,
// except groups with a queue subscription: the members of a queue group
// share one receipt, so every group using a queue runs on one worker.
type Fleet struct {
	pool   *pool
	tl     *sim.Timeline
	groups []sim.GroupSpec
	dir    func() sim.DirectorySnapshot

	mu      sync.Mutex
	members []*remote
	pinned  map[string]*remote   // group → its worker (queue groups)
	next    map[string]int       // group → number of its next client
	segs    map[string][]segment // group → its slices, in number order
	errs    []error              // workers lost, commands failed
	stopDir chan struct{}
	dirWG   sync.WaitGroup
	closed  bool
}

// segment is a run of a group's client numbers on one worker.
type segment struct {
	w            *remote
	first, count int
	left         int // how many of its highest numbers left
}

// New starts listening for workers and launches the local ones; the
// clients connect at Start. dir is the cluster's directory now (it is
// sent again whenever servers are added or removed).
func New(cfg Config, tl *sim.Timeline, dir func() sim.DirectorySnapshot, groups []sim.GroupSpec) (*Fleet, error) {
	for _, g := range groups {
		if g.Options.ReconnectDelay != nil {
			return nil, fmt.Errorf("group %s: a ReconnectDelay hook cannot run in a worker process", g.Name)
		}
	}
	f := &Fleet{tl: tl, groups: groups, dir: dir, pinned: map[string]*remote{}, next: map[string]int{}, segs: map[string][]segment{}, stopDir: make(chan struct{})}
	p, err := newPool(cfg, tl)
	if err != nil {
		return nil, err
	}
	f.pool = p
	return f, nil
}

// Addr is where the runner listens for workers.
func (f *Fleet) Addr() string { return f.pool.Addr() }

// Token is what workers must present.
func (f *Fleet) Token() string { return f.pool.token }

// Err reports the workers lost and the commands that failed: a run with
// a lost worker lost clients the checkers cannot see.
func (f *Fleet) Err() error {
	f.pool.mu.Lock()
	lost := append([]error(nil), f.pool.lostErrs...)
	f.pool.mu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	return errors.Join(append(lost, f.errs...)...)
}

func (f *Fleet) fail(err error) {
	if err == nil {
		return
	}
	f.mu.Lock()
	f.errs = append(f.errs, err)
	f.mu.Unlock()
}

// Start waits for every worker, hands each its share, connects every
// client, warms up publishers and subscribers across workers, and starts
// publishing.
func (f *Fleet) Start(ctx context.Context) error {
	members, err := f.pool.wait(ctx)
	if err != nil {
		f.fail(err)
		return err
	}
	f.mu.Lock()
	f.members = members
	shares := f.planLocked()
	f.mu.Unlock()
	f.watchDirectory()

	dir := f.dir()
	var pubs []sim.PubInfo
	var pmu sync.Mutex
	err = f.each(members, func(i int, r *remote) error {
		rep, err := r.call(ctx, message{Op: opStart, Groups: shares[i], PubBase: i * pubStride, Dir: &dir})
		pmu.Lock()
		pubs = append(pubs, rep.Pubs...)
		pmu.Unlock()
		return err
	})
	if err != nil {
		return err
	}
	f.warmUp(ctx, members, pubs)
	return f.each(members, func(_ int, r *remote) error {
		_, err := r.call(ctx, message{Op: opPublish})
		return err
	})
}

// planLocked cuts the groups into one share per worker and records the
// slices.
func (f *Fleet) planLocked() [][]sim.GroupSpec {
	n := len(f.members)
	shares := make([][]sim.GroupSpec, n)
	byQueue := map[string]int{}
	rr := 0
	for _, g := range f.groups {
		f.next[g.Name] = g.First + g.Count
		var queues []string
		for _, s := range g.Subscribe {
			if s.Queue != "" {
				queues = append(queues, s.Queue)
			}
		}
		cut := func(i int) (int, int) { // worker i's slice [lo, hi)
			return g.First + i*g.Count/n, g.First + (i+1)*g.Count/n
		}
		if len(queues) > 0 {
			pin := -1
			for _, q := range queues {
				if w, ok := byQueue[q]; ok {
					pin = w
				}
			}
			if pin < 0 {
				pin = rr % n
				rr++
			}
			for _, q := range queues {
				byQueue[q] = pin
			}
			f.pinned[g.Name] = f.members[pin]
			cut = func(i int) (int, int) {
				if i == pin {
					return g.First, g.First + g.Count
				}
				return g.First + g.Count, g.First + g.Count
			}
		}
		for i := range n {
			lo, hi := cut(i)
			s := g
			s.First, s.Count = lo, hi-lo
			shares[i] = append(shares[i], s)
			if hi > lo {
				f.segs[g.Name] = append(f.segs[g.Name], segment{w: f.members[i], first: lo, count: hi - lo})
			}
		}
	}
	return shares
}

// warmUp probes until every subscriber, wherever it runs, has seen a
// probe from every publisher whose subject it matches (sim's warm-up,
// across processes), or WarmUpWithin passes.
func (f *Fleet) warmUp(ctx context.Context, members []*remote, pubs []sim.PubInfo) {
	if len(pubs) == 0 {
		return
	}
	pending := make([]int, 0, len(pubs))
	for _, p := range pubs {
		pending = append(pending, p.Index)
	}
	deadline := time.Now().Add(f.warmUpWithin())
	for round := 0; len(pending) > 0 && time.Now().Before(deadline) && ctx.Err() == nil; round++ {
		_ = f.each(members, func(_ int, r *remote) error {
			_, err := r.call(ctx, message{Op: opProbe, Indices: pending})
			return err
		})
		if !sim.WarmUpPause(ctx, round) {
			return
		}
		var pendingPubs []sim.PubInfo
		for _, p := range pubs {
			if slices.Contains(pending, p.Index) {
				pendingPubs = append(pendingPubs, p)
			}
		}
		unseen := map[int]bool{}
		var umu sync.Mutex
		_ = f.each(members, func(_ int, r *remote) error {
			rep, err := r.call(ctx, message{Op: opUnseen, Pubs: pendingPubs})
			umu.Lock()
			for _, i := range rep.Indices {
				unseen[i] = true
			}
			umu.Unlock()
			return err
		})
		pending = pending[:0]
		for i := range unseen {
			pending = append(pending, i)
		}
		slices.Sort(pending)
	}
}

// warmUpWithin bounds the warm-up: sim's bound, or a second per 2,000
// clients when that is longer (every probe reaches every subscriber of
// ">", and 50,000 of them take a while on two cores).
func (f *Fleet) warmUpWithin() time.Duration {
	n := 0
	for _, g := range f.groups {
		n += g.Count
	}
	return max(sim.WarmUpWithin, time.Duration(n/2000)*time.Second)
}

// each runs fn on every worker at once and returns the errors joined,
// also kept for Err.
func (f *Fleet) each(members []*remote, fn func(i int, r *remote) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(members))
	for i, r := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i, r)
		}()
	}
	wg.Wait()
	err := errors.Join(errs...)
	f.fail(err)
	return err
}

// watchDirectory sends the servers' directory to every worker whenever
// the cluster adds or removes one.
func (f *Fleet) watchDirectory() {
	kick := make(chan struct{}, 1)
	f.tl.Subscribe(func(ev sim.Event) {
		if ev.Kind == sim.ServerAdd || ev.Kind == sim.ServerRemove {
			select {
			case kick <- struct{}{}:
			default:
			}
		}
	})
	f.dirWG.Add(1)
	go func() {
		defer f.dirWG.Done()
		for {
			select {
			case <-f.stopDir:
				return
			case <-kick:
				dir := f.dir()
				ctx, cancel := context.WithTimeout(context.Background(), callWithin)
				_ = f.each(f.live(), func(_ int, r *remote) error {
					_, err := r.call(ctx, message{Op: opDir, Dir: &dir})
					return err
				})
				cancel()
			}
		}
	}()
}

// live lists the workers whose connection still stands.
func (f *Fleet) live() []*remote {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*remote
	for _, r := range f.members {
		select {
		case <-r.done:
		default:
			out = append(out, r)
		}
	}
	return out
}

func (f *Fleet) hasGroup(group string) (sim.GroupSpec, bool) {
	for _, g := range f.groups {
		if g.Name == group {
			return g, true
		}
	}
	return sim.GroupSpec{}, false
}

// Join connects count more clients of group, numbered after its last,
// spread over the live workers (all on its worker for a queue group).
func (f *Fleet) Join(ctx context.Context, group string, count int) error {
	if _, ok := f.hasGroup(group); !ok {
		return fmt.Errorf("join: no client group %q", group)
	}
	if count < 1 {
		return fmt.Errorf("join: count must be at least 1, got %d", count)
	}
	targets := f.live()
	f.mu.Lock()
	if w := f.pinned[group]; w != nil {
		targets = []*remote{w}
	}
	if len(targets) == 0 {
		f.mu.Unlock()
		return errors.New("join: no worker left")
	}
	first := f.next[group]
	f.next[group] = first + count
	type part struct {
		w            *remote
		first, count int
	}
	var parts []part
	n := len(targets)
	for i, w := range targets {
		lo, hi := first+i*count/n, first+(i+1)*count/n
		if hi > lo {
			parts = append(parts, part{w, lo, hi - lo})
			f.segs[group] = append(f.segs[group], segment{w: w, first: lo, count: hi - lo})
		}
	}
	f.mu.Unlock()
	dir := f.dir()
	var wg sync.WaitGroup
	errs := make([]error, len(parts))
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = p.w.call(ctx, message{Op: opJoin, Group: group, First: p.first, Count: p.count, Dir: &dir})
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Leave closes count clients of group, the most recently numbered first,
// whichever workers hold them.
func (f *Fleet) Leave(group string, count int) (int, error) {
	if _, ok := f.hasGroup(group); !ok {
		return 0, fmt.Errorf("leave: no client group %q", group)
	}
	if count < 1 {
		return 0, fmt.Errorf("leave: count must be at least 1, got %d", count)
	}
	left := 0
	for left < count {
		f.mu.Lock()
		segs := f.segs[group]
		i := len(segs) - 1
		for i >= 0 && segs[i].left >= segs[i].count {
			i--
		}
		if i < 0 {
			f.mu.Unlock()
			break
		}
		k := min(count-left, segs[i].count-segs[i].left)
		segs[i].left += k
		w := segs[i].w
		f.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), callWithin)
		rep, err := w.call(ctx, message{Op: opLeave, Group: group, Count: k})
		cancel()
		if err != nil {
			return left, err
		}
		left += rep.N
	}
	return left, nil
}

// Burst makes every publisher of group publish messages more at once.
func (f *Fleet) Burst(group string, messages int) (int, error) {
	g, ok := f.hasGroup(group)
	if !ok {
		return 0, fmt.Errorf("burst: no client group %q", group)
	}
	if g.Publish == nil {
		return 0, fmt.Errorf("burst: group %q does not publish", group)
	}
	if messages < 1 {
		return 0, fmt.Errorf("burst: messages must be at least 1, got %d", messages)
	}
	var n int
	var nmu sync.Mutex
	ctx, cancel := context.WithTimeout(context.Background(), callWithin)
	defer cancel()
	err := f.each(f.holders(group), func(_ int, r *remote) error {
		rep, err := r.call(ctx, message{Op: opBurst, Group: group, Count: messages})
		nmu.Lock()
		n += rep.N
		nmu.Unlock()
		return err
	})
	return n, err
}

// holders lists the workers that hold clients of group.
func (f *Fleet) holders(group string) []*remote {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*remote
	for _, s := range f.segs[group] {
		if !slices.Contains(out, s.w) {
			out = append(out, s.w)
		}
	}
	return out
}

// broadcast sends op to every live worker at once.
func (f *Fleet) broadcast(ctx context.Context, m message) error {
	return f.each(f.live(), func(_ int, r *remote) error {
		_, err := r.call(ctx, m)
		return err
	})
}

// StopPublishing stops every publisher in every worker.
func (f *Fleet) StopPublishing() {
	ctx, cancel := context.WithTimeout(context.Background(), callWithin)
	defer cancel()
	_ = f.broadcast(ctx, message{Op: opStop})
}

// Quiesce waits until every worker's subscribers stop receiving.
func (f *Fleet) Quiesce(quiet, within time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), within+callWithin)
	defer cancel()
	_ = f.broadcast(ctx, message{Op: opQuiesce, Quiet: quiet, Within: within})
}

// Close records every worker's receipts, then one FleetClose, then has
// the workers close their clients, and lets them go.
func (f *Fleet) Close() {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed = true
	started := f.members != nil
	f.mu.Unlock()
	close(f.stopDir)
	f.dirWG.Wait()
	if started {
		ctx, cancel := context.WithTimeout(context.Background(), callWithin)
		_ = f.broadcast(ctx, message{Op: opStop})
		_ = f.broadcast(ctx, message{Op: opReceipts})
		f.tl.Add(sim.Event{Kind: sim.FleetClose})
		_ = f.broadcast(ctx, message{Op: opClose})
		cancel()
	}
	f.mu.Lock()
	for _, r := range f.members {
		r.mu.Lock()
		r.over = true
		r.mu.Unlock()
	}
	f.mu.Unlock()
	f.pool.close()
}

// ConnectedTo adds up the clients per server the workers last reported.
func (f *Fleet) ConnectedTo() map[string]int {
	out := map[string]int{}
	for _, r := range f.live() {
		for s, n := range r.clients() {
			out[s] += n
		}
	}
	return out
}

var _ sim.ClientFleet = (*Fleet)(nil)
