package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamSpec declares a JetStream stream created when the run starts.
type StreamSpec struct {
	Name     string
	Subjects []string
	Replicas int    // 1, 3 or 5; 0 means 1
	Storage  string // "file" (default) or "memory"
	// DuplicateWindow is how long the stream remembers message ids to
	// de-duplicate; 0 keeps nats-server's default (2 minutes).
	DuplicateWindow time.Duration
}

// JSPublisherSpec is a group of clients that publish numbered messages to
// a stream and wait for each acknowledgement before the next message.
type JSPublisherSpec struct {
	Name    string // clients are <Name>-<n>
	Count   int
	Servers []string // initial URL list by server name; empty: every server
	Options ClientOptions
	Stream  string
	// Subject may use {client}; it must be one of the stream's subjects.
	Subject string
	Rate    float64 // messages per second per client (at most: one in flight)
	Size    int
	// AckTimeout bounds each attempt (default 2s); Retries is how many
	// more attempts a message gets, with the same message id, after an
	// error or a timeout.
	AckTimeout time.Duration
	Retries    int
	// Defect plants a known-bad publisher for tests. Not in the file format.
	Defect JSPublishDefect
}

// JSPublishDefect is a JetStream publisher bug to plant.
type JSPublishDefect struct {
	// PhantomAckEvery: every Nth message is never sent but recorded as
	// acknowledged: an ack reported for a message that was never stored.
	PhantomAckEvery uint64
	// RetryAckedEvery: every Nth message is sent again with the same
	// message id RetryAfter after its ack, as a client that lost the ack
	// and retried. Within the stream's duplicate window the stream must
	// drop the copy; after it, the stream holds the message twice.
	RetryAckedEvery uint64
	RetryAfter      time.Duration
}

// JSConsumerSpec is a durable consumer with one client that acks every
// message it processes.
type JSConsumerSpec struct {
	Name    string // the durable's name and its client's id
	Stream  string
	Push    bool // a push consumer; else pull
	Servers []string
	Options ClientOptions
}

// JetStreamSpec is everything JetStream a run sets up.
type JetStreamSpec struct {
	Streams    []StreamSpec
	Publishers []JSPublisherSpec
	Consumers  []JSConsumerSpec
}

// JetStream runs a scenario's streams, publishers and durable consumers.
// Its clients are recorded on the timeline as any fleet client is (they
// connect, reconnect and are counted by the same properties); an extra
// admin connection, not recorded, creates streams and reads them back.
type JetStream struct {
	cluster *Cluster
	tl      *Timeline
	spec    JetStreamSpec
	clients *Fleet // connection plumbing and events for the JetStream clients

	admin *nats.Conn
	ajs   jetstream.JetStream

	mu      sync.Mutex
	pubs    []*jsPublisher
	cons    []*jsConsumer
	stopPub chan struct{}
	pubWG   sync.WaitGroup
	stopped bool
	// lastCurrent is Current's last answer, for RecordCurrent.
	lastCurrent string
}

// RecordCurrent writes Current's last answer on the timeline (js_stream
// with Detail "current" or "not current: ..."): what a wait saw.
func (j *JetStream) RecordCurrent() {
	j.mu.Lock()
	detail := j.lastCurrent
	j.mu.Unlock()
	if detail != "" {
		j.tl.Add(Event{Kind: JSStream, Detail: detail})
	}
}

// jsErrNoSuitablePeers (nats-server's JSClusterNoPeersErr, "no suitable
// peers for placement") answers a replicated stream created while the
// meta group is still learning its peers: right after the meta leader is
// elected, on a busy machine, it may know fewer servers than the stream
// needs replicas. It passes once they have joined, so it is retried.
const jsErrNoSuitablePeers jetstream.ErrorCode = 10005

// jsAPITimeout bounds one JetStream API request of the harness.
const jsAPITimeout = 2 * time.Second

// NewJetStream connects the admin connection; nothing is created until
// Start.
func NewJetStream(c *Cluster, tl *Timeline, spec JetStreamSpec) (*JetStream, error) {
	f, err := NewFleet(c, tl, nil)
	if err != nil {
		return nil, err
	}
	var urls []string
	for _, n := range c.Names() {
		u, err := c.ClientURL(n)
		if err != nil {
			return nil, err
		}
		urls = append(urls, u)
	}
	admin, err := nats.Connect(strings.Join(urls, ","), nats.Name("natschaos-admin"),
		nats.RetryOnFailedConnect(true), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond),
		nats.PingInterval(time.Second), nats.NoCallbacksAfterClientClose())
	if err != nil {
		return nil, fmt.Errorf("jetstream admin connection: %w", err)
	}
	ajs, err := jetstream.New(admin)
	if err != nil {
		admin.Close()
		return nil, err
	}
	return &JetStream{cluster: c, tl: tl, spec: spec, clients: f, admin: admin, ajs: ajs, stopPub: make(chan struct{})}, nil
}

// Start creates every stream (waiting for JetStream's meta leader, then
// for each stream's leader and current replicas), every durable consumer
// with its client, then starts the publishers.
func (j *JetStream) Start(ctx context.Context, within time.Duration) error {
	for _, s := range j.spec.Streams {
		if err := j.createStream(ctx, s, within); err != nil {
			return err
		}
	}
	for _, c := range j.spec.Consumers {
		if err := j.startConsumer(ctx, c, within); err != nil {
			return err
		}
	}
	for _, p := range j.spec.Publishers {
		for n := 0; n < max(1, p.Count); n++ {
			if err := j.startPublisher(ctx, p, n); err != nil {
				return err
			}
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, p := range j.pubs {
		j.pubWG.Add(1)
		go p.run(j.stopPub, &j.pubWG)
	}
	return nil
}

func (j *JetStream) createStream(ctx context.Context, s StreamSpec, within time.Duration) error {
	cfg := jetstream.StreamConfig{Name: s.Name, Subjects: s.Subjects, Replicas: max(1, s.Replicas), Storage: jetstream.FileStorage, Duplicates: s.DuplicateWindow}
	if s.Storage == "memory" {
		cfg.Storage = jetstream.MemoryStorage
	}
	err := retryUntil(ctx, within, func(ctx context.Context) error {
		_, err := j.ajs.CreateOrUpdateStream(ctx, cfg)
		var api *jetstream.APIError
		if errors.As(err, &api) && api.Code != 503 && api.ErrorCode != jsErrNoSuitablePeers {
			return permanent{err} // refused (bad config), not unavailable
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("stream %s: not created within %v: %w", s.Name, within, err)
	}
	info, err := j.healthy(ctx, s.Name, within)
	if err != nil {
		return err
	}
	j.tl.Add(Event{Kind: JSStream, Stream: s.Name, Subject: strings.Join(s.Subjects, ","), Count: uint64(cfg.Replicas),
		Detail: strings.ToLower(cfg.Storage.String()), Server: info.Cluster.Leader})
	return nil
}

// healthy waits until a stream has a leader and every replica is online
// and current, and returns its info.
func (j *JetStream) healthy(ctx context.Context, stream string, within time.Duration) (*jetstream.StreamInfo, error) {
	var info *jetstream.StreamInfo
	err := retryUntil(ctx, within, func(ctx context.Context) error {
		s, err := j.ajs.Stream(ctx, stream)
		if err != nil {
			return err
		}
		info = s.CachedInfo()
		return streamHealth(info)
	})
	if err != nil {
		return info, fmt.Errorf("stream %s: not healthy within %v: %w", stream, within, err)
	}
	return info, nil
}

func streamHealth(info *jetstream.StreamInfo) error {
	if info.Cluster == nil {
		return nil // not clustered: a single server is its own leader
	}
	if info.Cluster.Leader == "" {
		return errors.New("no leader")
	}
	for _, p := range info.Cluster.Replicas {
		if p.Offline || !p.Current {
			return fmt.Errorf("replica %s not current (offline %v, lag %d)", p.Name, p.Offline, p.Lag)
		}
	}
	return nil
}

// Leader returns the server that leads a stream now, waiting up to within
// for one to be elected, and records it on the timeline for step.
func (j *JetStream) Leader(ctx context.Context, stream string, step int, within time.Duration) (string, error) {
	leader := ""
	err := retryUntil(ctx, within, func(ctx context.Context) error {
		s, err := j.ajs.Stream(ctx, stream)
		if err != nil {
			return err
		}
		info := s.CachedInfo()
		if info.Cluster == nil || info.Cluster.Leader == "" {
			return errors.New("no leader")
		}
		leader = info.Cluster.Leader
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("stream %s: no leader within %v: %w", stream, within, err)
	}
	j.tl.Add(Event{Kind: JSLeader, Stream: stream, Server: leader, Step: step})
	return leader, nil
}

// permanent marks an error retrying cannot cure.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// retryUntil calls try until it succeeds, fails for good (a permanent
// error), ctx ends or within passes; it returns try's last error.
func retryUntil(ctx context.Context, within time.Duration, try func(context.Context) error) error {
	deadline := time.Now().Add(within)
	for {
		actx, cancel := context.WithTimeout(ctx, jsAPITimeout)
		err := try(actx)
		cancel()
		if err == nil {
			return nil
		}
		if p, ok := err.(permanent); ok {
			return p.error
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// connect makes one recorded client of the JetStream fleet.
func (j *JetStream) connect(ctx context.Context, group string, n int, servers []string, opts ClientOptions) (*nats.Conn, string, error) {
	if err := j.clients.startClient(ctx, GroupSpec{Name: group, Servers: servers, Options: opts}, n); err != nil {
		return nil, "", err
	}
	id := fmt.Sprintf("%s-%d", group, n)
	j.clients.mu.Lock()
	defer j.clients.mu.Unlock()
	for _, cl := range j.clients.clients {
		if cl.id == id {
			return cl.nc, id, nil
		}
	}
	return nil, "", fmt.Errorf("client %s: not started", id)
}

// StopPublishing stops every publisher and waits for each to record its
// last outcome (at most one attempt cycle).
func (j *JetStream) StopPublishing() {
	j.mu.Lock()
	if !j.stopped {
		j.stopped = true
		close(j.stopPub)
	}
	j.mu.Unlock()
	j.pubWG.Wait()
}

// Finish ends a run's JetStream part once the faults are healed: it
// stops the publishers, waits (up to within) for every stream to be
// healthy, reads each back and records what it holds, waits for every
// consumer to have been delivered what its stream holds, records what
// each received, and closes every client. The timeline then holds all
// js_no_loss and js_no_duplicates need.
func (j *JetStream) Finish(ctx context.Context, within time.Duration) {
	j.StopPublishing()
	held := map[string]map[string][]Range{}
	for _, s := range j.spec.Streams {
		held[s.Name] = j.readBack(ctx, s.Name, within)
	}
	j.mu.Lock()
	cons := append([]*jsConsumer(nil), j.cons...)
	j.mu.Unlock()
	deadline := time.Now().Add(within)
	for _, c := range cons {
		c.waitFor(ctx, held[c.stream], deadline)
	}
	for _, c := range cons {
		c.stop()
		c.record(j.tl)
	}
	j.Close()
}

// Close stops everything without reading anything back.
func (j *JetStream) Close() {
	j.StopPublishing()
	j.mu.Lock()
	cons := append([]*jsConsumer(nil), j.cons...)
	j.mu.Unlock()
	for _, c := range cons {
		c.stop()
	}
	j.clients.Close()
	j.admin.Close()
}

// Current says whether every stream has a leader and every replica is
// online and current, with why not. It records nothing, so that callers
// holding a timeline subscriber's lock may ask; RecordCurrent writes its
// last answer.
func (j *JetStream) Current(ctx context.Context) (bool, string) {
	var why []string
	for _, s := range j.spec.Streams {
		actx, cancel := context.WithTimeout(ctx, jsAPITimeout)
		st, err := j.ajs.Stream(actx, s.Name)
		cancel()
		if err == nil {
			err = streamHealth(st.CachedInfo())
		}
		if err != nil {
			why = append(why, s.Name+": "+err.Error())
		}
	}
	detail := "current"
	if len(why) > 0 {
		detail = "not current: " + strings.Join(why, "; ")
	}
	j.mu.Lock()
	j.lastCurrent = detail
	j.mu.Unlock()
	return len(why) == 0, detail
}
