package sim

import (
	"cmp"
	"slices"
	"time"
)

// eventLog holds a timeline's record in chunks that are never moved once
// allocated. An Event is 568 bytes; one growing slice copied the
// whole record (megabytes at thousands of clients) each time it doubled,
// under the timeline's lock, while every client's callback waited for it.
type eventLog struct {
	chunks [][]Event
	n      int
}

// eventChunkMin and eventChunkMax bound a chunk's capacity: small
// timelines stay small, large ones allocate a chunk per thousand events.
const (
	eventChunkMin = 64
	eventChunkMax = 1024
)

func (l *eventLog) append(ev Event) {
	k := len(l.chunks) - 1
	if k < 0 || len(l.chunks[k]) == cap(l.chunks[k]) {
		l.chunks = append(l.chunks, make([]Event, 0, min(max(l.n, eventChunkMin), eventChunkMax)))
		k++
	}
	l.chunks[k] = append(l.chunks[k], ev)
	l.n++
}

// lastT is the time of the last event kept, if any.
func (l *eventLog) lastT() (time.Duration, bool) {
	if l.n == 0 {
		return 0, false
	}
	c := l.chunks[len(l.chunks)-1]
	return c[len(c)-1].T, true
}

// flat returns a copy of every event, in order (nil if none).
func (l *eventLog) flat() []Event {
	if l.n == 0 {
		return nil
	}
	out := make([]Event, 0, l.n)
	for _, c := range l.chunks {
		out = append(out, c...)
	}
	return out
}

// each calls fn with every event in order, until fn returns an error.
func (l *eventLog) each(fn func(Event) error) error {
	for _, c := range l.chunks {
		for _, ev := range c {
			if err := fn(ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// sortStable puts the events in time order, keeping the order of
// appending among equal times.
func (l *eventLog) sortStable() {
	all := l.flat()
	slices.SortStableFunc(all, func(a, b Event) int { return cmp.Compare(a.T, b.T) })
	i := 0
	for _, c := range l.chunks {
		i += copy(c, all[i:])
	}
}
