package workers

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/natschaos/natschaos/sim"
)

// remote is the runner's handle on one connected worker.
type remote struct {
	name, addr string
	w          *wire

	mu        sync.Mutex
	nextID    uint64
	pending   map[uint64]chan message
	err       error // set once the connection is gone
	done      chan struct{}
	connected map[string]int
	over      bool // the runner closed it on purpose
}

// read appends the worker's events to the timeline and hands replies to
// their callers, until the connection ends.
func (r *remote) read(tl *sim.Timeline, lost func(*remote, error)) {
	var err error
	for {
		var m message
		m, err = r.w.recv()
		if err != nil {
			break
		}
		switch m.Type {
		case msgEvent:
			if m.Event != nil {
				// The worker's time, on the run's clock, unless it would
				// go back or ahead (see Run).
				tl.AddAt(*m.Event, m.Event.T)
			}
		case msgStatus:
			r.mu.Lock()
			r.connected = m.Connected
			r.mu.Unlock()
		case msgReply:
			r.mu.Lock()
			ch := r.pending[m.ID]
			delete(r.pending, m.ID)
			r.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		}
	}
	r.mu.Lock()
	r.err = fmt.Errorf("worker %s: connection lost: %w", r.name, err)
	for id, ch := range r.pending {
		close(ch)
		delete(r.pending, id)
	}
	close(r.done)
	r.mu.Unlock()
	lost(r, err)
}

func (r *remote) finished() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.over
}

// call sends a command and waits for its reply, the connection's end, or
// ctx: a worker that dies or hangs never hangs the run.
func (r *remote) call(ctx context.Context, m message) (message, error) {
	ch := make(chan message, 1)
	r.mu.Lock()
	if r.err != nil {
		r.mu.Unlock()
		return message{}, r.err
	}
	r.nextID++
	id := r.nextID
	r.pending[id] = ch
	r.mu.Unlock()
	m.Type, m.ID = msgCmd, id
	if err := r.w.send(m); err != nil {
		r.mu.Lock()
		delete(r.pending, id)
		r.mu.Unlock()
		return message{}, fmt.Errorf("worker %s: %w", r.name, err)
	}
	select {
	case rep, ok := <-ch:
		if !ok {
			return message{}, r.lostErr()
		}
		if rep.Err != "" {
			return rep, fmt.Errorf("worker %s: %s", r.name, rep.Err)
		}
		return rep, nil
	case <-ctx.Done():
		r.mu.Lock()
		delete(r.pending, id)
		r.mu.Unlock()
		return message{}, fmt.Errorf("worker %s: %s: %w", r.name, m.Op, ctx.Err())
	}
}

func (r *remote) lostErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		return errors.New("worker " + r.name + ": lost")
	}
	return r.err
}

func (r *remote) clients() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.connected)
}
