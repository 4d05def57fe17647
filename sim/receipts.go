package sim

import (
	"encoding/binary"
	"errors"
	"sort"
	"sync"
	"time"
)

// headerSize is the prefix of every message a fleet publisher sends: the
// publisher's index (4 bytes) and the message's sequence (8 bytes).
const headerSize = 12

func encodeHeader(buf []byte, pub int, seq uint64) {
	binary.BigEndian.PutUint32(buf[0:4], uint32(pub))
	binary.BigEndian.PutUint64(buf[4:12], seq)
}

var errNotNumbered = errors.New("message not from a fleet publisher")

func decodeHeader(data []byte) (pub int, seq uint64, err error) {
	if len(data) < headerSize {
		return 0, 0, errNotNumbered
	}
	return int(binary.BigEndian.Uint32(data[0:4])), binary.BigEndian.Uint64(data[4:12]), nil
}

// seqSet is the set of sequences received from one publisher, kept as
// sorted disjoint ranges: in-order receipt only extends the last range, so
// memory grows with the number of gaps, never with the number of messages.
type seqSet struct {
	ranges     []Range
	max        uint64
	duplicates uint64
	reordered  uint64
	// firstDup and lastDup are when the first and the last duplicate
	// arrived, on the timeline's clock: with the subscriber's reconnects
	// they tell a duplicate explained by a failover from a silent one.
	firstDup, lastDup time.Duration
	// dupSeqs spans the sequences that arrived more than once: with the
	// publisher's progress samples they say when those messages were
	// published, which a loaded machine does not blur the way it delays
	// their arrival.
	dupSeqs Range
}

func (s *seqSet) add(seq uint64) {
	n := len(s.ranges)
	if n > 0 && seq == s.ranges[n-1].Last+1 {
		s.ranges[n-1].Last = seq
		s.max = seq
		return
	}
	if n == 0 || seq > s.ranges[n-1].Last+1 {
		s.ranges = append(s.ranges, Range{seq, seq})
		s.max = seq
		return
	}
	// Below the highest sequence seen: a duplicate, or a late arrival
	// filling a gap.
	i := sort.Search(n, func(i int) bool { return s.ranges[i].Last >= seq })
	if i < n && s.ranges[i].First <= seq {
		if s.duplicates == 0 || seq < s.dupSeqs.First {
			s.dupSeqs.First = seq
		}
		if seq > s.dupSeqs.Last {
			s.dupSeqs.Last = seq
		}
		s.duplicates++
		return
	}
	s.insert(i, seq)
}

// insert adds a sequence below the highest seen, at index i of the ranges.
func (s *seqSet) insert(i int, seq uint64) {
	n := len(s.ranges)
	if seq < s.max {
		s.reordered++
	}
	// Insert, merging with the neighbours it touches.
	switch {
	case i > 0 && s.ranges[i-1].Last+1 == seq && i < n && seq+1 == s.ranges[i].First:
		s.ranges[i-1].Last = s.ranges[i].Last
		s.ranges = append(s.ranges[:i], s.ranges[i+1:]...)
	case i > 0 && s.ranges[i-1].Last+1 == seq:
		s.ranges[i-1].Last = seq
	case i < n && seq+1 == s.ranges[i].First:
		s.ranges[i].First = seq
	default:
		s.ranges = append(s.ranges, Range{})
		copy(s.ranges[i+1:], s.ranges[i:])
		s.ranges[i] = Range{seq, seq}
	}
}

// tracker is one logical subscriber's receipt: a plain subscription, or a
// whole queue group (its members share one tracker, so a message must reach
// the group exactly once).
type tracker struct {
	id, client, subject, queue string
	clock                      func() time.Duration // the timeline's

	mu       sync.Mutex
	pubs     map[int]*seqSet
	total    uint64
	foreign  uint64 // messages not from a fleet publisher
	subsUsed []*subHandle
	ready    bool         // a member's subscription is on a server
	probes   map[int]bool // warm-up probes seen, by publisher
}

func newTracker(id, client, subject, queue string, clock func() time.Duration) *tracker {
	return &tracker{id: id, client: client, subject: subject, queue: queue, clock: clock, pubs: map[int]*seqSet{}}
}

func (t *tracker) record(data []byte) {
	pub, seq, err := decodeHeader(data)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil && seq == 0 {
		// A warm-up probe: interest from this subscriber has reached the
		// publisher's server. Not a numbered message.
		if t.probes == nil {
			t.probes = map[int]bool{}
		}
		t.probes[pub] = true
		return
	}
	t.total++
	if err != nil {
		t.foreign++
		return
	}
	s := t.pubs[pub]
	if s == nil {
		s = &seqSet{}
		t.pubs[pub] = s
	}
	before := s.duplicates
	s.add(seq)
	if s.duplicates != before && t.clock != nil {
		now := t.clock()
		if before == 0 {
			s.firstDup = now
		}
		s.lastDup = now
	}
}

func (t *tracker) received() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}

func (t *tracker) sawProbe(pub int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.probes[pub] || !t.ready
}
