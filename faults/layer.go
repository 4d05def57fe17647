package faults

import (
	"context"
	"errors"
	"sync"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"

	"github.com/natschaos/natschaos/sim"
)

// Options configure a Layer.
type Options struct {
	// ClientProxies puts a proxy in front of every server's client port.
	// Without it client links go direct (Attach returns no client address)
	// and client:<server> faults and Freeze are refused. A scenario that
	// injects neither can switch it off: each proxied client link costs two
	// more file descriptors (see the package doc).
	ClientProxies bool
	// OpaqueRoutes passes route dials without identifying the dialler:
	// with route TLS the dialler's CONNECT is encrypted. Route links then
	// have no source server, so partitions, freezes and route or server
	// faults cannot be exact; callers must refuse them (the scenario
	// validator does).
	OpaqueRoutes bool
	// OpaqueLeaves passes leaf dials without identifying the leaf: with
	// leaf TLS its CONNECT is encrypted. Only a hub's whole leaf side can
	// then be cut exactly (leaf.go).
	OpaqueLeaves bool
}

// dialTimeout bounds the proxy's own dial to a server: far above what a
// healthy run needs and far below a scenario's timeouts. A route
// dialler's own wait (for its CONNECT line, for its ID to be registered)
// has no bound: a starved dialler is held until it identifies itself or
// hangs up, never cut (see identify).
const dialTimeout = 2 * time.Second

type serverState int

const (
	stateDown serverState = iota // attached but not running: dials are reset
	stateStarting
	stateUp
)

// server is one attached server: its endpoints and what runs behind them.
type server struct {
	name     string
	state    serverState
	id       string // nats-server ID of the running process
	clientUp string // real client address ("" when client links go direct)
	routeUp  string // real cluster address
	cp, rp   *endpoint
	leafSide // its leaf endpoint (a hub) or its being a leaf (leaf.go)
	// Gateway endpoint, real gateway address and cluster (gateway.go).
	gp        *endpoint
	gatewayUp string
	cluster   string
}

// Layer is the fault layer: it implements sim.Network, so every link of a
// cluster passes through it, and injects faults on those links.
type Layer struct {
	tl   *sim.Timeline
	opts Options
	api  *toxiproxy.ApiServer
	ctx  context.Context // cancelled by Close: aborts dials to servers
	stop context.CancelFunc

	// ctl serialises fault changes (inject, heal, expiry, Close) so a heal
	// never runs in the middle of its own fault's setup.
	ctl sync.Mutex

	mu             sync.Mutex
	closed         bool
	servers        map[string]*server
	byID           map[string]string // nats-server ID -> server name (old IDs kept)
	colls          map[linkKey]*coll
	faults         map[string]*fault  // active faults by id
	seq            int                // fault ids
	linkSeq        uint64             // link names, unique per layer
	pending        map[*dial]struct{} // accepted, not yet a link nor refused
	held           int                // of which held now
	heldPairs      map[[2]string]bool // route pairs (sorted) that ever had a dial held by a fault
	wake           chan struct{}      // closed and replaced on every change held dials wait for
	unidentified   int
	routeDials     RouteDials
	unidentReasons []string
	errs           []error

	wg sync.WaitGroup // every goroutine the layer starts, waited for by Close
}

// New creates an empty layer that records its faults on tl (nil: on a
// timeline of its own).
func New(tl *sim.Timeline, opts Options) *Layer {
	if tl == nil {
		tl = sim.NewTimeline()
	}
	ctx, stop := context.WithCancel(context.Background())
	// toxiproxy gets a silent logger of its own; zerolog's global one is
	// the program's (the one stock toxic that logs through it, bandwidth,
	// is replaced by bandwidthToxic).
	return &Layer{
		tl:      tl,
		opts:    opts,
		api:     toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop()),
		ctx:     ctx,
		stop:    stop,
		servers: map[string]*server{},
		byID:    map[string]string{},
		colls:   map[linkKey]*coll{},
		faults:  map[string]*fault{},
		pending: map[*dial]struct{}{},
		wake:    make(chan struct{}),
	}
}

var _ sim.Network = (*Layer)(nil)

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("faults: layer closed")

// bumpLocked wakes every held dial so it decides again.
func (l *Layer) bumpLocked() {
	close(l.wake)
	l.wake = make(chan struct{})
}

// goLocked starts a goroutine Close waits for. The lock makes the
// WaitGroup's Add happen before Close starts waiting, or not at all.
func (l *Layer) goLocked(fn func()) bool {
	if l.closed {
		return false
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		fn()
	}()
	return true
}
