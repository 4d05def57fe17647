package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Timeline is the run's one ordered record. Everything that happens is
// appended here; checkers and reports read only what it holds. Appends are
// safe from any goroutine; each gets its timestamp under the lock, so times
// never decrease along the slice or the file.
type Timeline struct {
	start time.Time

	mu     sync.Mutex
	events []Event
	out    *bufio.Writer
	file   io.Closer
	werr   error
	subs   []func(Event)
	// relay timelines (a worker's) keep no events: they pass each one to
	// their subscribers only, and last is the latest stamp.
	relay bool
	last  time.Duration
	// late and lateMax count AddAt's events dated later than measured.
	late    int
	lateMax time.Duration
}

// NewTimeline starts an in-memory timeline whose clock starts now.
func NewTimeline() *Timeline {
	return &Timeline{start: time.Now()}
}

// StreamTo writes every event, past and future, as one JSON line each to
// path. Lines are flushed at least every Flush call (the runner calls it
// periodically and at the end), so a crashed run still leaves its history.
func (tl *Timeline) StreamTo(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.out = bufio.NewWriterSize(f, 64<<10)
	tl.file = f
	for _, ev := range tl.events {
		tl.writeLocked(ev)
	}
	return tl.werr
}

// Subscribe calls fn with every event appended from now on, under the
// timeline's lock: fn must be quick and must not append.
func (tl *Timeline) Subscribe(fn func(Event)) {
	tl.mu.Lock()
	tl.subs = append(tl.subs, fn)
	tl.mu.Unlock()
}

// Since is the time elapsed on the timeline's clock.
func (tl *Timeline) Since() time.Duration { return time.Since(tl.start) }

// Start is the wall-clock moment the timeline's clock started.
func (tl *Timeline) Start() time.Time { return tl.start }

// Add appends ev, stamping it with the current time, and returns the stamp.
func (tl *Timeline) Add(ev Event) time.Duration {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	ev.T = max(time.Since(tl.start), tl.last)
	return tl.appendLocked(ev)
}

// appendLocked records ev, already stamped: kept (unless a relay),
// written, passed to the subscribers.
func (tl *Timeline) appendLocked(ev Event) time.Duration {
	tl.last = ev.T
	if !tl.relay {
		tl.events = append(tl.events, ev)
	}
	if tl.out != nil {
		tl.writeLocked(ev)
	}
	for _, fn := range tl.subs {
		fn(ev)
	}
	return ev.T
}

func (tl *Timeline) writeLocked(ev Event) {
	if tl.werr != nil {
		return
	}
	b, err := json.Marshal(ev)
	if err == nil {
		b = append(b, '\n')
		_, err = tl.out.Write(b)
	}
	if err != nil {
		tl.werr = fmt.Errorf("writing events: %w", err)
	}
}

// Events returns a copy of every event so far.
func (tl *Timeline) Events() []Event {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return append([]Event(nil), tl.events...)
}

// Flush pushes buffered lines to the file.
func (tl *Timeline) Flush() error {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.out != nil && tl.werr == nil {
		if err := tl.out.Flush(); err != nil {
			tl.werr = err
		}
	}
	return tl.werr
}

// Close flushes and closes the file, if any. The in-memory events stay.
func (tl *Timeline) Close() error {
	err := tl.Flush()
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.file != nil {
		if cerr := tl.file.Close(); err == nil {
			err = cerr
		}
		tl.file, tl.out = nil, nil
	}
	return err
}

// ReadEventsFile reads a run's events.jsonl from path, as ReadEvents.
func ReadEventsFile(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadEvents(f)
}

// ReadEvents parses an events.jsonl stream, as written by StreamTo. A torn
// last line (a run killed mid-write) is ignored; any other bad line is an
// error naming its line number.
func ReadEvents(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var evs []Event
	var pending error
	line := 0
	for sc.Scan() {
		line++
		if pending != nil {
			return nil, pending
		}
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			pending = fmt.Errorf("events line %d: %w", line, err)
			continue
		}
		evs = append(evs, ev)
	}
	return evs, sc.Err()
}

// NewRelayTimeline is a worker's timeline: its clock starts at start (the
// run's start, as the runner told it) and it keeps no events, only passes
// each to its subscribers.
func NewRelayTimeline(start time.Time) *Timeline {
	return &Timeline{start: start, relay: true}
}

// Late says how many events AddAt dated later than measured, because
// they arrived after an event dated later (a worker's batch that came
// late), and the largest such shift. Their times are upper bounds.
func (tl *Timeline) Late() (int, time.Duration) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.late, tl.lateMax
}

// AddAt appends ev stamped t, an offset on this timeline's clock measured
// elsewhere (a worker's synchronised clock), kept unless it would go back
// before the last event (then that event's time) or beyond now (then
// now): times never decrease, and no event is dated in the future.
func (tl *Timeline) AddAt(ev Event, t time.Duration) time.Duration {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	ev.T = max(min(t, time.Since(tl.start)), tl.last)
	if t < tl.last {
		tl.late++
		tl.lateMax = max(tl.lateMax, tl.last-t)
	}
	return tl.appendLocked(ev)
}
