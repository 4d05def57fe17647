package sim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Outcomes of a JetStream publish, as recorded in JSPublish's Detail.
const (
	JSAck     = "ack"
	JSError   = "error"
	JSTimeout = "timeout"
)

// jsFlushEvery bounds how long a run of same-outcome sequences stays
// unrecorded: the timeline shows progress, and an "at" for evidence.
const jsFlushEvery = 100 * time.Millisecond

// jsPublisher publishes one message at a time and waits for its ack, so
// each sequence has exactly one outcome; runs of equal outcomes are
// recorded as ranges, never one event per message.
type jsPublisher struct {
	id, stream, subject string
	spec                JSPublisherSpec
	js                  jetstream.JetStream
	tl                  *Timeline

	run0 jsRun // the run being accumulated
	last uint64
}

type jsRun struct {
	outcome     string
	first, last uint64
	err         string
	since       time.Time
}

// MsgID is the message id of a publisher's sequence: what the stream
// de-duplicates on and what consumers and the read-back parse.
func MsgID(client string, seq uint64) string { return client + ":" + strconv.FormatUint(seq, 10) }

// ParseMsgID splits a message id made by MsgID.
func ParseMsgID(id string) (client string, seq uint64, ok bool) {
	i := strings.LastIndexByte(id, ':')
	if i <= 0 {
		return "", 0, false
	}
	seq, err := strconv.ParseUint(id[i+1:], 10, 64)
	return id[:i], seq, err == nil && seq > 0
}

func (j *JetStream) startPublisher(ctx context.Context, p JSPublisherSpec, n int) error {
	nc, id, err := j.connect(ctx, p.Name, n, p.Servers, p.Options)
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("client %s: %w", id, err)
	}
	if p.AckTimeout <= 0 {
		p.AckTimeout = 2 * time.Second
	}
	subject := strings.ReplaceAll(p.Subject, "{client}", id)
	subject = strings.ReplaceAll(subject, "{group}", p.Name)
	j.mu.Lock()
	j.pubs = append(j.pubs, &jsPublisher{id: id, stream: p.Stream, subject: subject, spec: p, js: js, tl: j.tl})
	j.mu.Unlock()
	return nil
}

func (p *jsPublisher) run(stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	interval := time.Duration(float64(time.Second) / p.spec.Rate)
	buf := make([]byte, max(headerSize, p.spec.Size))
	next := time.Now()
	for seq := uint64(1); ; seq++ {
		if d := time.Until(next); d > 0 {
			select {
			case <-stop:
				p.finish()
				return
			case <-time.After(d):
			}
		}
		select {
		case <-stop:
			p.finish()
			return
		default:
		}
		outcome, err := p.publish(buf, seq)
		p.note(seq, outcome, err)
		next = next.Add(interval)
		if now := time.Now(); next.Before(now.Add(-time.Second)) {
			next = now // an outage stalled us: no burst to catch up
		}
	}
}

// publish sends one sequence, retrying with the same message id, and
// says how it ended.
func (p *jsPublisher) publish(buf []byte, seq uint64) (string, error) {
	if n := p.spec.Defect.PhantomAckEvery; n > 0 && seq%n == 0 {
		return JSAck, nil // the planted defect: acknowledged, never sent
	}
	encodeHeader(buf, 0, seq)
	id := MsgID(p.id, seq)
	var err error
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), p.spec.AckTimeout)
		msg := &nats.Msg{Subject: p.subject, Data: buf, Header: nats.Header{}}
		_, err = p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(id), jetstream.WithExpectStream(p.stream))
		if err == nil {
			cancel()
			p.retryAcked(msg, id, seq)
			return JSAck, nil
		}
		if attempt >= p.spec.Retries {
			cancel()
			break
		}
		// An error answered at once (no responders while a leader is
		// elected) waits out the attempt's budget rather than spin.
		<-ctx.Done()
		cancel()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) {
		return JSTimeout, err
	}
	return JSError, err
}

// retryAcked is the planted RetryAckedEvery defect: the same message id
// again, after its ack; its own outcome is not recorded (the sequence is
// acknowledged already).
func (p *jsPublisher) retryAcked(msg *nats.Msg, id string, seq uint64) {
	d := p.spec.Defect
	if d.RetryAckedEvery == 0 || seq%d.RetryAckedEvery != 0 {
		return
	}
	time.Sleep(d.RetryAfter) // the planted client's own retry delay
	ctx, cancel := context.WithTimeout(context.Background(), p.spec.AckTimeout)
	defer cancel()
	_, _ = p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(id), jetstream.WithExpectStream(p.stream))
}

func (p *jsPublisher) note(seq uint64, outcome string, err error) {
	p.last = seq
	r := &p.run0
	if r.outcome == outcome && seq == r.last+1 && time.Since(r.since) < jsFlushEvery {
		r.last = seq
		return
	}
	p.flush()
	*r = jsRun{outcome: outcome, first: seq, last: seq, since: time.Now()}
	if err != nil {
		r.err = err.Error()
	}
}

func (p *jsPublisher) flush() {
	r := p.run0
	if r.outcome == "" {
		return
	}
	p.tl.Add(Event{Kind: JSPublish, Client: p.id, Stream: p.stream, Subject: p.subject, Seq: r.first, Count: r.last - r.first + 1, Detail: r.outcome, Err: r.err})
	p.run0 = jsRun{}
}

func (p *jsPublisher) finish() {
	p.flush()
	p.tl.Add(Event{Kind: JSPublishEnd, Client: p.id, Stream: p.stream, Subject: p.subject, Seq: p.last})
}
