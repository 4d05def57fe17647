package workers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// statusEvery is how often a worker tells the runner its clients per
// server, for progress displays only.
const statusEvery = 500 * time.Millisecond

// helloWithin bounds the handshake on both sides.
const helloWithin = 10 * time.Second

// ErrRefused is returned by Run when the runner refuses the worker.
var ErrRefused = errors.New("the runner refused this worker")

// Run is a worker: it connects to the runner at addr, proves itself with
// token, runs the client groups it is given, and streams their events
// back until the runner closes the connection or ctx ends.
//
// Clocks: the worker's timeline starts at the run's start as the welcome
// told it (see runStart), and every event carries its time on that clock.
// The runner's record keeps that time, never after the runner's own now
// (sim.Timeline.AddAt): an event is dated when it happened, not when it
// arrived, though under load the stream lags by tens of milliseconds (at
// 50,000 clients, seconds). Durations inside events (a receipt's first
// and last duplicate) are on the same synchronised clock.
func Run(ctx context.Context, addr, token, name string) error {
	conn, err := dial(ctx, addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	w := newWire(conn)
	_ = conn.SetDeadline(time.Now().Add(helloWithin))
	if err := w.send(message{Type: msgHello, Token: token, Name: name}); err != nil {
		return err
	}
	m, err := w.recv()
	if err != nil {
		return fmt.Errorf("handshake: %w", err)
	}
	if m.Type == msgRefused {
		return fmt.Errorf("%w: %s", ErrRefused, m.Err)
	}
	if m.Type != msgWelcome {
		return fmt.Errorf("handshake: unexpected %q", m.Type)
	}
	_ = conn.SetDeadline(time.Time{})
	wk := &worker{w: w, dir: &liveDir{}, tl: sim.NewRelayTimeline(runStart(time.Now(), m, isLoopback(conn.RemoteAddr())))}
	wk.out.cond = sync.NewCond(&wk.out.mu)
	wk.tl.Subscribe(func(ev sim.Event) { wk.queue(message{Type: msgEvent, Event: &ev}) })
	// The worker's own lag, under the name the runner gave it, until the
	// runner closes the run (see serve).
	wk.stopHarness = sim.WatchHarness(wk.tl, m.Name)
	defer wk.stopHarness()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); wk.writeLoop() }()
	go func() { defer wg.Done(); wk.statusLoop(ctx) }()
	go func() {
		<-ctx.Done()
		_ = conn.Close() // unblocks the reader
	}()
	err = wk.serve(ctx)
	cancel()
	if f := wk.currentFleet(); f != nil {
		f.Close() // the runner is gone: nobody records what remains
	}
	wk.closeOut()
	wg.Wait()
	return err
}

// dialWithin is how long a worker keeps trying to reach its runner: a
// worker may start before the runner listens (two Jobs started together).
const dialWithin = 60 * time.Second

func dial(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: helloWithin}
	deadline := time.Now().Add(dialWithin)
	for {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil || ctx.Err() != nil || time.Now().After(deadline) {
			return conn, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond): // a retry period, not synchronisation
		}
	}
}

type worker struct {
	w   *wire
	dir *liveDir
	tl  *sim.Timeline

	fleetMu sync.Mutex
	fleet   *sim.Fleet
	closed  bool // the runner sent close: the end of the stream is normal
	// stopHarness ends the worker's lag sampler; idempotent.
	stopHarness func()

	out struct {
		mu     sync.Mutex
		cond   *sync.Cond
		q      []message
		closed bool
	}
}

// queue puts m on the ordered outgoing stream. Called under the
// timeline's lock for events: it only appends.
func (wk *worker) queue(m message) {
	wk.out.mu.Lock()
	if !wk.out.closed {
		wk.out.q = append(wk.out.q, m)
		wk.out.cond.Signal()
	}
	wk.out.mu.Unlock()
}

func (wk *worker) closeOut() {
	wk.out.mu.Lock()
	wk.out.closed = true
	wk.out.cond.Broadcast()
	wk.out.mu.Unlock()
}

// writeLoop sends the queue in batches, flushing when it runs dry.
func (wk *worker) writeLoop() {
	for {
		wk.out.mu.Lock()
		for len(wk.out.q) == 0 && !wk.out.closed {
			wk.out.cond.Wait()
		}
		batch := wk.out.q
		wk.out.q = nil
		closed := wk.out.closed
		wk.out.mu.Unlock()
		if len(batch) > 0 {
			if err := wk.w.sendBatch(batch); err != nil {
				return
			}
		}
		if closed {
			return
		}
	}
}

func (wk *worker) statusLoop(ctx context.Context) {
	t := time.NewTicker(statusEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if f := wk.currentFleet(); f != nil {
				wk.queue(message{Type: msgStatus, Connected: f.ConnectedTo()})
			}
		}
	}
}

func (wk *worker) currentFleet() *sim.Fleet {
	wk.fleetMu.Lock()
	defer wk.fleetMu.Unlock()
	return wk.fleet
}

// serve runs the runner's commands in order until the connection ends.
func (wk *worker) serve(ctx context.Context) error {
	for {
		m, err := wk.w.recv()
		if err != nil {
			if wk.closed {
				return nil
			}
			return fmt.Errorf("connection to the runner: %w", err)
		}
		if m.Type != msgCmd {
			continue
		}
		if m.Op == opClose {
			wk.stopHarness() // its last sample goes before the reply
		}
		reply := wk.do(ctx, m)
		reply.Type, reply.ID = msgReply, m.ID
		wk.queue(reply)
		if m.Op == opClose {
			// Everything recorded is queued before this reply; the runner
			// closes the connection once it has read it.
			wk.closed = true
		}
	}
}

func (wk *worker) do(ctx context.Context, m message) (r message) {
	if m.Dir != nil {
		wk.dir.set(*m.Dir)
	}
	f := wk.currentFleet()
	if f == nil && m.Op != opStart && m.Op != opDir {
		return message{Err: "no groups started"}
	}
	var err error
	switch m.Op {
	case opStart:
		if f != nil {
			return message{Err: "started twice"}
		}
		f, err = sim.NewWorkerFleet(wk.dir, wk.tl, m.Groups, m.PubBase)
		if err != nil {
			break
		}
		wk.fleetMu.Lock()
		wk.fleet = f
		wk.fleetMu.Unlock()
		r.Pubs, err = f.Connect(ctx)
	case opProbe:
		f.Probe(m.Indices)
	case opUnseen:
		r.Indices = f.Unseen(m.Pubs)
	case opPublish:
		f.RunPublishers()
	case opJoin:
		err = f.JoinAt(ctx, m.Group, m.First, m.Count)
	case opLeave:
		r.N, err = f.Leave(m.Group, m.Count)
	case opBurst:
		r.N, err = f.Burst(m.Group, m.Count)
	case opDir:
	case opStop:
		f.StopPublishing()
	case opQuiesce:
		f.Quiesce(m.Quiet, m.Within)
	case opReceipts:
		f.RecordReceipts()
	case opClose:
		f.CloseClients()
	default:
		err = fmt.Errorf("unknown command %q", m.Op)
	}
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// liveDir is the worker's view of the servers, replaced whenever the
// runner sends a new snapshot. byAddr is precomputed: every client asks
// it for every URL it knows, ten times a second.
type liveDir struct {
	mu     sync.RWMutex
	s      sim.DirectorySnapshot
	byAddr map[string]string
}

func (d *liveDir) set(s sim.DirectorySnapshot) {
	by := map[string]string{}
	for _, n := range s.Order {
		if u, err := url.Parse(s.URLs[n]); err == nil {
			by[u.Host] = n
		}
	}
	d.mu.Lock()
	d.s, d.byAddr = s, by
	d.mu.Unlock()
}

func (d *liveDir) get() sim.DirectorySnapshot {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.s
}

func (d *liveDir) Names() []string                    { return d.get().Names() }
func (d *liveDir) ClientURL(n string) (string, error) { return d.get().ClientURL(n) }
func (d *liveDir) IsRemoved(n string) bool            { return d.get().IsRemoved(n) }

func (d *liveDir) ServerForAddr(a string) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	n, ok := d.byAddr[a]
	return n, ok
}

// runStart is the run's start on this worker's clock, from the welcome
// received at now. The run's clock when the runner sent it (Elapsed) puts
// the start late by the one-way delay, which grows with load. A runner
// reached over loopback runs on this machine: its wall clock (Start) is
// this one's, and exact. now keeps its monotonic reading, so the worker's
// clock does not jump with the wall clock afterwards.
func runStart(now time.Time, m message, sameMachine bool) time.Time {
	byElapsed := now.Add(-m.Elapsed)
	if !sameMachine || m.Start == 0 {
		return byElapsed
	}
	late := byElapsed.Sub(time.Unix(0, m.Start)) // on the wall clock: Unix has no monotonic reading
	return byElapsed.Add(-late)
}

func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}
