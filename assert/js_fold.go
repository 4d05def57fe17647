package assert

import (
	"time"

	"github.com/natschaos/natschaos/sim"
)

// jsFold is a timeline's JetStream part, folded for js_no_loss and
// js_no_duplicates.
type jsFold struct {
	pubs    map[string]*jsPub
	streams map[string]*jsStreamRead
	cons    map[string]string                 // durable -> stream
	deliv   map[string]map[string][]sim.Range // durable -> publisher -> delivered
	leaders []sim.Event                       // js_leader: which server a step resolved
}

type jsPub struct {
	client, stream string
	acked          []sim.Range
	ackAt          []jsRangeAt // when each acked run was recorded
	errored        []sim.Range
	timedOut       []sim.Range
	end            uint64
	ended          bool
}

type jsRangeAt struct {
	r  sim.Range
	at time.Duration
}

type jsStreamRead struct {
	read   bool // the summary event is there
	err    string
	leader string
	count  uint64
	held   map[string][]sim.Range // publisher -> sequences stored
	dups   map[string]sim.Event   // publisher -> its read event, when it has duplicates
}

func foldJS(events []sim.Event) *jsFold {
	f := &jsFold{pubs: map[string]*jsPub{}, streams: map[string]*jsStreamRead{}, cons: map[string]string{}, deliv: map[string]map[string][]sim.Range{}}
	pub := func(ev sim.Event) *jsPub {
		p := f.pubs[ev.Client]
		if p == nil {
			p = &jsPub{client: ev.Client, stream: ev.Stream}
			f.pubs[ev.Client] = p
		}
		return p
	}
	stream := func(name string) *jsStreamRead {
		s := f.streams[name]
		if s == nil {
			s = &jsStreamRead{held: map[string][]sim.Range{}, dups: map[string]sim.Event{}}
			f.streams[name] = s
		}
		return s
	}
	for _, ev := range events {
		switch ev.Kind {
		case sim.JSPublish:
			if ev.Count == 0 {
				continue
			}
			p := pub(ev)
			r := sim.Range{First: ev.Seq, Last: ev.Seq + ev.Count - 1}
			switch ev.Detail {
			case sim.JSAck:
				p.acked = append(p.acked, r)
				p.ackAt = append(p.ackAt, jsRangeAt{r, ev.T})
			case sim.JSTimeout:
				p.timedOut = append(p.timedOut, r)
			default:
				p.errored = append(p.errored, r)
			}
		case sim.JSPublishEnd:
			p := pub(ev)
			p.end, p.ended = ev.Seq, true
		case sim.JSConsumerReady:
			f.cons[ev.Sub] = ev.Stream
		case sim.JSDelivery:
			if ev.Client == "" {
				continue
			}
			m := f.deliv[ev.Sub]
			if m == nil {
				m = map[string][]sim.Range{}
				f.deliv[ev.Sub] = m
			}
			m[ev.Client] = append(m[ev.Client], ev.Received...)
		case sim.JSStreamRead:
			s := stream(ev.Stream)
			if ev.Client == "" {
				s.read, s.err, s.leader, s.count = true, ev.Err, ev.Server, ev.Count
				continue
			}
			s.held[ev.Client] = append(s.held[ev.Client], ev.Received...)
			if ev.Duplicates > 0 {
				s.dups[ev.Client] = ev
			}
		case sim.JSLeader:
			f.leaders = append(f.leaders, ev)
		}
	}
	for _, p := range f.pubs {
		p.acked, p.errored, p.timedOut = normalized(p.acked), normalized(p.errored), normalized(p.timedOut)
	}
	for _, s := range f.streams {
		for k, v := range s.held {
			s.held[k] = normalized(v)
		}
	}
	for _, m := range f.deliv {
		for k, v := range m {
			m[k] = normalized(v)
		}
	}
	return f
}

// ackedAt is when the run holding seq was recorded as acknowledged.
func (p *jsPub) ackedAt(seq uint64) time.Duration {
	for _, a := range p.ackAt {
		if a.r.First <= seq && seq <= a.r.Last {
			return a.at
		}
	}
	return 0
}

// missing calls fn for each run of want (sorted, disjoint) not in have,
// with its position among what have holds in [lo, hi]: all (have holds
// nothing), prefix, middle or suffix.
func missing(want, have []sim.Range, fn func(first, last uint64, position string)) {
	if len(want) == 0 {
		return
	}
	lo, hi := want[0].First, want[len(want)-1].Last
	var firstHave, lastHave uint64
	some := false
	for _, r := range have {
		if f, l := max(r.First, lo), min(r.Last, hi); f <= l {
			if !some {
				firstHave, some = f, true
			}
			lastHave = l
		}
	}
	for _, w := range want {
		forEachGap(w.First, w.Last, have, nil, func(a, b uint64) {
			pos := "middle"
			switch {
			case !some:
				pos = "all"
			case b < firstHave:
				pos = "prefix"
			case a > lastHave:
				pos = "suffix"
			}
			fn(a, b, pos)
		})
	}
}
