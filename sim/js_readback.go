package sim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// readBack waits for a stream to be healthy, reads every message it holds
// through an ordered consumer (from its leader), and records per
// publisher which sequences it holds and which more than once. It
// returns what it found, for the consumers' catch-up.
func (j *JetStream) readBack(ctx context.Context, stream string, within time.Duration) map[string][]Range {
	summary := Event{Kind: JSStreamRead, Stream: stream}
	info, err := j.healthy(ctx, stream, within)
	if info != nil && info.Cluster != nil {
		summary.Server = info.Cluster.Leader
	}
	if err != nil {
		// Read what can be read anyway: the verdict will say the
		// stream was not healthy, and the read may still show losses.
		summary.Err = err.Error()
	}
	found := map[string]*seqSet{}
	repeated := map[string][]uint64{}
	var read, foreign uint64
	rerr := j.readAll(ctx, stream, within, func(m jetstream.Msg) {
		read++
		pub, seq, ok := ParseMsgID(m.Headers().Get(nats.MsgIdHdr))
		if !ok {
			foreign++
			return
		}
		s := found[pub]
		if s == nil {
			s = &seqSet{}
			found[pub] = s
		}
		before := s.duplicates
		s.add(seq)
		if s.duplicates > before {
			repeated[pub] = append(repeated[pub], seq)
		}
	})
	if rerr != nil {
		if summary.Err != "" {
			summary.Err += "; "
		}
		summary.Err += "read: " + rerr.Error()
	}
	out := map[string][]Range{}
	pubs := make([]string, 0, len(found))
	for p := range found {
		pubs = append(pubs, p)
	}
	slices.Sort(pubs)
	for _, p := range pubs {
		s := found[p]
		out[p] = slices.Clone(s.ranges)
		j.tl.Add(Event{Kind: JSStreamRead, Stream: stream, Client: p, Received: out[p], Repeated: toRanges(repeated[p]), Duplicates: s.duplicates})
	}
	summary.Count = read
	summary.Detail = fmt.Sprintf("read %d messages (%d without a natschaos message id)", read, foreign)
	j.tl.Add(summary)
	return out
}

// readAll delivers every message of the stream, from its first sequence
// to the last it had when the read began.
func (j *JetStream) readAll(ctx context.Context, stream string, within time.Duration, each func(jetstream.Msg)) error {
	deadline := time.Now().Add(within)
	var s jetstream.Stream
	err := retryUntil(ctx, within, func(ctx context.Context) (err error) {
		s, err = j.ajs.Stream(ctx, stream)
		return err
	})
	if err != nil {
		return err
	}
	st := s.CachedInfo().State
	if st.Msgs == 0 {
		return nil
	}
	var cons jetstream.Consumer
	err = retryUntil(ctx, within, func(ctx context.Context) (err error) {
		cons, err = s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
		return err
	})
	if err != nil {
		return err
	}
	var at uint64
	for at < st.LastSeq {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("read up to stream sequence %d of %d within %v", at, st.LastSeq, within)
		}
		// Ask for no more than remain: a full batch returns at once.
		batch, err := cons.Fetch(int(min(1000, st.LastSeq-at)), jetstream.FetchMaxWait(time.Second))
		if err != nil {
			continue // the ordered consumer recreates itself
		}
		for m := range batch.Messages() {
			md, err := m.Metadata()
			if err != nil {
				continue
			}
			at = md.Sequence.Stream
			if at <= st.LastSeq {
				each(m)
			}
		}
	}
	return nil
}

// toRanges turns sorted (possibly repeated) sequences into ranges.
func toRanges(seqs []uint64) []Range {
	slices.Sort(seqs)
	var out []Range
	for _, s := range seqs {
		if n := len(out); n > 0 && s <= out[n-1].Last+1 {
			out[n-1].Last = max(out[n-1].Last, s)
			continue
		}
		out = append(out, Range{s, s})
	}
	return out
}
