package sim

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// Subscription is one subscription every client of a group makes.
type Subscription struct {
	Subject string
	// Queue, when set, joins a queue group: the group is one logical
	// subscriber, each message must reach exactly one member.
	Queue        string
	PendingMsgs  int
	PendingBytes int
	// Delay is simulated processing time per message (a slow consumer).
	Delay time.Duration
}

// Publish makes every client of a group publish numbered messages.
type Publish struct {
	// Subject may use {client} (the client's id) and {group}.
	Subject string
	Rate    float64 // messages per second per client
	Size    int     // bytes per message, at least the 12-byte header
	// Defect plants a known-bad publisher, so tests can show the checkers
	// catching what a buggy application would do. Not in the file format.
	Defect PublishDefect
}

// PublishDefect is a publisher bug to plant.
type PublishDefect struct {
	// RepeatEvery: every Nth message is sent twice (a naive retry).
	RepeatEvery uint64
	// SwapEvery: every Nth message goes out before the one preceding it.
	SwapEvery uint64
}

// GroupSpec is a group of identical clients.
type GroupSpec struct {
	Name  string
	Count int
	// Servers is the initial URL list by server name; empty means every
	// server the cluster declares.
	Servers []string
	// First is the index of the group's first client: 0, or where a
	// worker's slice of the group begins. Not in the file format.
	First     int
	Options   ClientOptions
	Subscribe []Subscription
	Publish   *Publish
	// Defect plants a known-bad client application, so tests can show the
	// checkers and the explorer catching it. Not in the file format.
	Defect ClientDefect
	// Security: TLS verification, credentials and probes; nil for none.
	Security *ClientSecurity
}

// ClientDefect is a client application bug to plant.
type ClientDefect struct {
	// ForgetSubsAfterReconnects: on its Nth reconnect the client silently
	// drops every subscription, as an application that fails to resubscribe.
	ForgetSubsAfterReconnects int
}

// Fleet runs groups of nats.go clients against a cluster and records what
// each of them sees.
type Fleet struct {
	cluster Directory
	tl      *Timeline
	groups  []GroupSpec
	// pubBase offsets publisher indices: a worker's fleet numbers its
	// publishers apart from the other workers' (fleet_worker.go).
	pubBase int

	mu       sync.Mutex
	clients  []*client
	next     map[string]int // by group: the index its next joining client gets
	trackers map[string]*tracker
	order    []string // tracker ids in creation order
	pubs     []*publisher

	pubWG   sync.WaitGroup
	stopPub chan struct{}
	bgWG    sync.WaitGroup
	stopBg  chan struct{}
	stopped bool
	closed  bool
}

type client struct {
	id, group string
	index     int // n of "<group>-<n>"
	nc        *nats.Conn
	fleet     *Fleet

	mu         sync.Mutex
	server     string // the server it is connected to, "" when not
	subs       []*subHandle
	subscribed bool // every subscription of its group is made
	ready      sync.Once
	knowMu     sync.Mutex // held while reading, remembering and recording Known: see knowledge.go
	known      string     // the last Known recorded, joined: see knowledge.go
	rawKnown   string     // the URL list Known was last computed from, joined
	defect     ClientDefect
	reconnects int
	left       bool           // it left the fleet (a leave step): closed on purpose
	strat      *strategyState // nil: the library's own behaviour
	auth       *authState
	probe      *Probe
}

type subHandle struct {
	sub     *nats.Subscription
	tracker *tracker
	// dropped is what the library had dropped when the client left: a
	// closed connection no longer tells.
	dropped int
}

func (h *subHandle) noteDropped() {
	if d, err := h.sub.Dropped(); err == nil {
		h.dropped = d
	}
}

// NewFleet prepares the groups; nothing connects until Start.
func NewFleet(c *Cluster, tl *Timeline, groups []GroupSpec) (*Fleet, error) {
	return newFleet(c, tl, groups)
}

func newFleet(c Directory, tl *Timeline, groups []GroupSpec) (*Fleet, error) {
	for _, g := range groups {
		if g.Count < 0 {
			return nil, fmt.Errorf("group %s: negative count", g.Name)
		}
		for _, s := range g.Servers {
			if _, err := c.ClientURL(s); err != nil {
				return nil, fmt.Errorf("group %s: %w", g.Name, err)
			}
		}
		if p := g.Publish; p != nil && (p.Rate <= 0 || p.Subject == "") {
			return nil, fmt.Errorf("group %s: publish needs a subject and a positive rate", g.Name)
		}
	}
	next := map[string]int{}
	for _, g := range groups {
		if _, dup := next[g.Name]; dup {
			return nil, fmt.Errorf("group %s declared twice", g.Name)
		}
		next[g.Name] = g.First + g.Count
	}
	return &Fleet{cluster: c, tl: tl, groups: groups, next: next, trackers: map[string]*tracker{}, stopPub: make(chan struct{}), stopBg: make(chan struct{})}, nil
}

// connectParallelism bounds concurrent connects: enough to start a
// thousand clients in well under a second without a SYN storm.
const connectParallelism = 32

// Start connects every client, makes its subscriptions and waits until the
// servers have them, then starts the publishers. Clients whose servers
// are not reachable yet keep retrying in the background (the library's
// RetryOnFailedConnect); Start fails only if ctx ends first.
func (f *Fleet) Start(ctx context.Context) error {
	var jobs []clientJob
	for _, g := range f.groups {
		for n := g.First; n < g.First+g.Count; n++ {
			jobs = append(jobs, clientJob{g, n})
		}
	}
	if err := f.connectAll(ctx, jobs); err != nil {
		return err
	}
	f.startKnowledgePoller()
	f.preparePublishers()
	f.warmUp(ctx, warmUpWithin)
	f.runPublishers()
	return nil
}

// clientJob is one client to connect: the n-th (0-based) of group g.
type clientJob struct {
	g GroupSpec
	n int
}

// connectAll starts the clients of jobs, connectParallelism at a time, and
// returns the first error.
func (f *Fleet) connectAll(ctx context.Context, jobs []clientJob) error {
	feed := make(chan clientJob)
	errs := make(chan error, connectParallelism)
	var wg sync.WaitGroup
	for w := 0; w < min(connectParallelism, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range feed {
				if err := f.startClient(ctx, j.g, j.n); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
send:
	for _, j := range jobs {
		select {
		case feed <- j:
		case <-ctx.Done():
			break send
		}
	}
	close(feed)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

func (f *Fleet) urlsFor(g GroupSpec) ([]string, error) {
	names := g.Servers
	if len(names) == 0 {
		names = f.cluster.Names()
	}
	var urls []string
	for _, n := range names {
		if f.cluster.IsRemoved(n) {
			continue // a client joining later is not configured with it
		}
		u, err := f.cluster.ClientURL(n)
		if err != nil {
			return nil, err
		}
		urls = append(urls, u)
	}
	return urls, nil
}

func (f *Fleet) startClient(ctx context.Context, g GroupSpec, n int) error {
	urls, err := f.urlsFor(g)
	if err != nil {
		return err
	}
	cl := &client{id: fmt.Sprintf("%s-%d", g.Name, n), group: g.Name, index: n, fleet: f, defect: g.Defect}
	cl.strat = newStrategyState(g.Options.Strategy, cl.id)
	secOpts, err := cl.securityOptions(g.Security, g.Options.Timeout)
	if err != nil {
		return fmt.Errorf("client %s: %w", cl.id, err)
	}
	opts := append(append(append(g.Options.natsOptions(), cl.strategyOptions()...), secOpts...),
		nats.Name(cl.id),
		nats.RetryOnFailedConnect(true),
		nats.NoCallbacksAfterClientClose(),
		nats.ConnectHandler(cl.onConnect),
		nats.ReconnectHandler(cl.onReconnect),
		nats.DisconnectErrHandler(cl.onDisconnect),
		nats.ClosedHandler(cl.onClosed),
		nats.DiscoveredServersHandler(cl.onDiscovered),
		nats.LameDuckModeHandler(cl.onLameDuck),
		// Setting a handler also keeps the library from printing errors.
		nats.ErrorHandler(cl.onError),
	)
	nc, err := nats.Connect(strings.Join(urls, ","), opts...)
	if err != nil {
		return fmt.Errorf("client %s: %w", cl.id, err)
	}
	cl.nc = nc
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		nc.Close()
		return errors.New("fleet closed")
	}
	f.clients = append(f.clients, cl)
	f.startProbe(cl, g.Security)
	f.mu.Unlock()

	for i, s := range g.Subscribe {
		if err := cl.subscribe(i, s); err != nil {
			return err
		}
	}
	if len(g.Subscribe) == 0 {
		return nil
	}
	// A subscription counts from when a server has it. Connected now: flush
	// to be sure. Not yet (its servers are not started): the library sends
	// the subscriptions when it first connects, before onConnect runs.
	cl.mu.Lock()
	cl.subscribed = true
	cl.mu.Unlock()
	if nc.IsConnected() {
		if err := nc.FlushTimeout(5 * time.Second); err == nil {
			cl.markReady()
		}
	}
	return nil
}

func (cl *client) subscribe(i int, s Subscription) error {
	f := cl.fleet
	var t *tracker
	id := fmt.Sprintf("%s/%d", cl.id, i)
	if s.Queue != "" {
		// Every member of a queue group shares one tracker, wherever its
		// group is declared: NATS groups by (subject, queue name).
		id = "queue:" + s.Queue + ":" + s.Subject
	}
	f.mu.Lock()
	t = f.trackers[id]
	if t == nil {
		owner := cl.id
		if s.Queue != "" {
			owner = cl.group
		}
		t = newTracker(id, owner, s.Subject, s.Queue, f.tl.Since)
		f.trackers[id] = t
		f.order = append(f.order, id)
	}
	f.mu.Unlock()

	delay := s.Delay
	handler := func(m *nats.Msg) {
		t.record(m.Data)
		if delay > 0 {
			time.Sleep(delay) // simulated processing: this is the slow consumer
		}
	}
	var sub *nats.Subscription
	var err error
	if s.Queue != "" {
		sub, err = cl.nc.QueueSubscribe(s.Subject, s.Queue, handler)
	} else {
		sub, err = cl.nc.Subscribe(s.Subject, handler)
	}
	if err != nil {
		return fmt.Errorf("client %s: subscribe %q: %w", cl.id, s.Subject, err)
	}
	if s.PendingMsgs != 0 || s.PendingBytes != 0 {
		pm, pb := s.PendingMsgs, s.PendingBytes
		if pm == 0 {
			pm = nats.DefaultSubPendingMsgsLimit
		}
		if pb == 0 {
			pb = nats.DefaultSubPendingBytesLimit
		}
		if err := sub.SetPendingLimits(pm, pb); err != nil {
			return fmt.Errorf("client %s: pending limits: %w", cl.id, err)
		}
	}
	h := &subHandle{sub: sub, tracker: t}
	cl.mu.Lock()
	cl.subs = append(cl.subs, h)
	cl.mu.Unlock()
	t.mu.Lock()
	t.subsUsed = append(t.subsUsed, h)
	t.mu.Unlock()
	return nil
}

// markReady records that the client's subscriptions are on a server.
func (cl *client) markReady() { cl.ready.Do(cl.recordReady) }

func (cl *client) recordReady() {
	cl.mu.Lock()
	subs := append([]*subHandle(nil), cl.subs...)
	cl.mu.Unlock()
	for _, h := range subs {
		h.tracker.mu.Lock()
		h.tracker.ready = true
		h.tracker.mu.Unlock()
		cl.fleet.tl.Add(Event{Kind: SubReady, Client: cl.id, Group: cl.group, Sub: h.tracker.id, Subject: h.tracker.subject, Queue: h.tracker.queue})
	}
}

// knownOf maps a client's URL list (nc.Servers) to server names.
func (cl *client) knownOf(urls []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range urls {
		u, err := url.Parse(s)
		if err != nil {
			continue
		}
		name, ok := cl.fleet.cluster.ServerForAddr(u.Host)
		if !ok {
			name = u.Host // an address no declared server owns: a bypass
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// ClientIDs lists every client's id.
func (f *Fleet) ClientIDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.clients {
		out = append(out, c.id)
	}
	return out
}

// ConnectedTo counts clients per server as the clients themselves see it.
// For progress displays only: verdicts come from the timeline.
func (f *Fleet) ConnectedTo() map[string]int {
	f.mu.Lock()
	cls := append([]*client(nil), f.clients...)
	f.mu.Unlock()
	out := map[string]int{}
	for _, c := range cls {
		c.mu.Lock()
		if c.server != "" && !c.left {
			out[c.server]++
		}
		c.mu.Unlock()
	}
	return out
}

// background runs fn on a goroutine the fleet's Close waits for, unless
// the fleet is already closed; fn watches f.stopBg to end early.
func (f *Fleet) background(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.bgWG.Add(1)
	go func() {
		defer f.bgWG.Done()
		fn()
	}()
}

// every runs fn on a goroutine the fleet's Close waits for: first after
// first, then after whatever fn returns, until Close. The caller makes
// sure the fleet is not closing (bgWG is not being waited on).
func (f *Fleet) every(first time.Duration, fn func() time.Duration) {
	f.bgWG.Add(1)
	go func() {
		defer f.bgWG.Done()
		t := time.NewTimer(first)
		defer t.Stop()
		for {
			select {
			case <-f.stopBg:
				return
			case <-t.C:
				t.Reset(fn())
			}
		}
	}()
}
