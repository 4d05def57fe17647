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
// never decrease along what subscribers see and the file is written.
//
// Events measured elsewhere (AddAt: worker processes) can arrive after
// events dated later. Subscribers (the live state the waits poll) and the
// file as it streams get them re-dated to keep time monotonic; the record
// keeps the time each was measured at, and is put in time order when read
// (Events) and when the file is closed (rewritten in that order). So the
// verdicts and `natschaos report` see when things happened, not when the
// runner heard of them.
type Timeline struct {
	start time.Time

	mu       sync.Mutex
	events   eventLog
	unsorted bool // an event was recorded before a later-dated one
	path     string
	out      *bufio.Writer
	file     io.Closer
	werr     error
	subs     []func(Event)
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
	tl.path = path
	tl.out = bufio.NewWriterSize(f, 64<<10)
	tl.file = f
	tl.sortLocked()
	_ = tl.events.each(func(ev Event) error {
		tl.writeLocked(ev)
		return nil
	})
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
	return tl.appendLocked(ev, ev.T)
}

// appendLocked records ev, already stamped: kept (unless a relay) with
// the time it was measured at, written and passed to the subscribers with
// its stamp.
func (tl *Timeline) appendLocked(ev Event, measured time.Duration) time.Duration {
	tl.last = ev.T
	if !tl.relay {
		kept := ev
		kept.T = measured
		if last, ok := tl.events.lastT(); ok && measured < last {
			tl.unsorted = true
		}
		tl.events.append(kept)
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
	if err := writeLine(tl.out, ev); err != nil {
		tl.werr = fmt.Errorf("writing events: %w", err)
	}
}

// writeLine writes ev as one line of events.jsonl.
func writeLine(w io.Writer, ev Event) error {
	b, err := json.Marshal(ev)
	if err == nil {
		b = append(b, '\n')
		_, err = w.Write(b)
	}
	return err
}

// Events returns a copy of every event so far, in the order of the times
// they were measured at (the order of appending among equal times).
func (tl *Timeline) Events() []Event {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.sortLocked()
	return tl.events.flat()
}

func (tl *Timeline) sortLocked() {
	if tl.unsorted {
		tl.events.sortStable()
		tl.unsorted = false
	}
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
// When events were re-dated as they streamed (see Timeline), the file is
// rewritten in the order and with the times of the record; a crash before
// leaves the streamed file, re-dated but whole.
func (tl *Timeline) Close() error {
	err := tl.Flush()
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.file != nil {
		if cerr := tl.file.Close(); err == nil {
			err = cerr
		}
		tl.file, tl.out = nil, nil
		if tl.late > 0 && err == nil {
			tl.sortLocked()
			err = tl.rewriteLocked()
		}
	}
	return err
}

// rewriteLocked replaces the file with the record, through a temporary
// file renamed over it.
func (tl *Timeline) rewriteLocked() error {
	tmp := tl.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("rewriting events: %w", err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	err = tl.events.each(func(ev Event) error { return writeLine(w, ev) })
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, tl.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rewriting events: %w", err)
	}
	return nil
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

// Late says how many events arrived after an event dated later (a
// worker's batch that came late), and the largest such delay: the live
// state saw them that late, re-dated; the record keeps their times.
func (tl *Timeline) Late() (int, time.Duration) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.late, tl.lateMax
}

// AddAt appends ev measured at t, an offset on this timeline's clock
// taken elsewhere (a worker's synchronised clock). The record keeps t
// (never before the start nor after now); subscribers and the streaming
// file get it no earlier than the last event they got, so their times
// never decrease. It returns the stamp they got.
func (tl *Timeline) AddAt(ev Event, t time.Duration) time.Duration {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	measured := max(min(t, time.Since(tl.start)), 0)
	ev.T = max(measured, tl.last)
	if measured < tl.last {
		tl.late++
		tl.lateMax = max(tl.lateMax, tl.last-measured)
	}
	return tl.appendLocked(ev, measured)
}
