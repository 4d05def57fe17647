package sim

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// jsAckWait is the durables' ack wait: a delivery whose ack was lost in a
// fault is redelivered within it, so the end of a run need not wait 30s.
const jsAckWait = 2 * time.Second

// jsConsumer is one durable consumer and the client that processes it:
// every message is recorded by its message id, then acked.
type jsConsumer struct {
	name, stream, client string
	push                 bool
	cc                   jetstream.ConsumeContext

	mu      sync.Mutex
	got     map[string]*seqSet // by publisher
	foreign uint64
	stopped bool
}

func (j *JetStream) startConsumer(ctx context.Context, spec JSConsumerSpec, within time.Duration) error {
	nc, id, err := j.connect(ctx, spec.Name, 0, spec.Servers, spec.Options)
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("client %s: %w", id, err)
	}
	c := &jsConsumer{name: spec.Name, stream: spec.Stream, client: id, push: spec.Push, got: map[string]*seqSet{}}
	cfg := jetstream.ConsumerConfig{Durable: spec.Name, AckPolicy: jetstream.AckExplicitPolicy, AckWait: jsAckWait}
	mode := "pull"
	err = retryUntil(ctx, within, func(ctx context.Context) error {
		if spec.Push {
			cfg.DeliverSubject = "natschaos.deliver." + spec.Name
			cfg.IdleHeartbeat = time.Second
			pc, err := js.CreateOrUpdatePushConsumer(ctx, spec.Stream, cfg)
			if err != nil {
				return err
			}
			c.cc, err = pc.Consume(c.handle)
			return err
		}
		pc, err := js.CreateOrUpdateConsumer(ctx, spec.Stream, cfg)
		if err != nil {
			return err
		}
		c.cc, err = pc.Consume(c.handle, jetstream.PullHeartbeat(time.Second), jetstream.ConsumeErrHandler(func(jetstream.ConsumeContext, error) {}))
		return err
	})
	if err != nil {
		return fmt.Errorf("consumer %s on %s: not started within %v: %w", spec.Name, spec.Stream, within, err)
	}
	if spec.Push {
		mode = "push"
	}
	j.mu.Lock()
	j.cons = append(j.cons, c)
	j.mu.Unlock()
	j.tl.Add(Event{Kind: JSConsumerReady, Client: id, Sub: spec.Name, Stream: spec.Stream, Detail: mode})
	return nil
}

func (c *jsConsumer) handle(m jetstream.Msg) {
	pub, seq, ok := ParseMsgID(m.Headers().Get(nats.MsgIdHdr))
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return // not acked: the run is over
	}
	if !ok {
		c.foreign++
	} else {
		s := c.got[pub]
		if s == nil {
			s = &seqSet{}
			c.got[pub] = s
		}
		s.add(seq)
	}
	c.mu.Unlock()
	_ = m.Ack() // a lost ack means a redelivery, counted as a duplicate
}

// waitFor waits until the consumer has been delivered every sequence the
// stream holds, or the deadline passes.
func (c *jsConsumer) waitFor(ctx context.Context, held map[string][]Range, deadline time.Time) {
	for !c.covers(held) && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *jsConsumer) covers(held map[string][]Range) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for pub, want := range held {
		var got []Range
		if s := c.got[pub]; s != nil {
			got = s.ranges
		}
		if !rangesCover(got, want) {
			return false
		}
	}
	return true
}

// rangesCover says whether sorted disjoint ranges got contain every
// sequence of want.
func rangesCover(got, want []Range) bool {
	i := 0
	for _, w := range want {
		for seq := w.First; seq <= w.Last; {
			for i < len(got) && got[i].Last < seq {
				i++
			}
			if i == len(got) || got[i].First > seq {
				return false
			}
			seq = got[i].Last + 1
		}
	}
	return true
}

func (c *jsConsumer) stop() {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return
	}
	c.stopped = true
	cc := c.cc
	c.mu.Unlock()
	if cc != nil {
		cc.Stop()
	}
}

// record writes one JSDelivery per publisher it received from.
func (c *jsConsumer) record(tl *Timeline) {
	c.mu.Lock()
	defer c.mu.Unlock()
	pubs := make([]string, 0, len(c.got))
	for p := range c.got {
		pubs = append(pubs, p)
	}
	slices.Sort(pubs)
	for _, p := range pubs {
		s := c.got[p]
		tl.Add(Event{Kind: JSDelivery, Sub: c.name, Stream: c.stream, Client: p, Received: slices.Clone(s.ranges), Duplicates: s.duplicates})
	}
	if c.foreign > 0 {
		tl.Add(Event{Kind: JSDelivery, Sub: c.name, Stream: c.stream, Count: c.foreign, Detail: fmt.Sprintf("%d messages without a natschaos message id", c.foreign)})
	}
}
