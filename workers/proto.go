package workers

import (
	"bufio"
	"encoding/json"
	"net"
	"sync"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// The wire protocol is one JSON object per line over one TCP connection a
// worker opens to the runner. The worker speaks first (hello, with the
// token); the runner answers welcome or refused. Then the runner sends
// commands (cmd, with an id) and the worker answers each (reply, same
// id), while streaming its events (event) and, twice a second, its
// clients per server (status). A worker's events and replies share one
// ordered stream: when the runner reads a reply, every event the command
// caused has been appended to the timeline already.

// Message types.
const (
	msgHello   = "hello"
	msgWelcome = "welcome"
	msgRefused = "refused"
	msgCmd     = "cmd"
	msgReply   = "reply"
	msgEvent   = "event"
	msgStatus  = "status"
)

// Commands.
const (
	opStart    = "start"    // Groups, PubBase, Dir: connect and subscribe; reply Pubs
	opProbe    = "probe"    // Indices: send one warm-up probe from each
	opUnseen   = "unseen"   // Pubs: reply Indices whose probe a local subscriber misses
	opPublish  = "publish"  // start the publishers
	opJoin     = "join"     // Group, First, Count, Dir
	opLeave    = "leave"    // Group, Count; reply N
	opBurst    = "burst"    // Group, Count (messages); reply N
	opDir      = "dir"      // Dir: the servers changed
	opStop     = "stop"     // stop publishing
	opQuiesce  = "quiesce"  // Quiet, Within
	opReceipts = "receipts" // record receipts (Close's first half)
	opClose    = "close"    // close every client (Close's second half)
)

type message struct {
	Type string `json:"type"`
	ID   uint64 `json:"id,omitempty"`

	Token string `json:"token,omitempty"` // hello
	Name  string `json:"name,omitempty"`  // hello: the worker's name; welcome: the name given
	// Elapsed (welcome) is the run's clock when the runner sent it, and
	// Start the run's start on the runner's wall clock (Unix nanoseconds).
	Elapsed time.Duration `json:"elapsed,omitempty"`
	Start   int64         `json:"start,omitempty"`

	Op      string                 `json:"op,omitempty"`
	Groups  []sim.GroupSpec        `json:"groups,omitempty"`
	PubBase int                    `json:"pub_base,omitempty"`
	Dir     *sim.DirectorySnapshot `json:"dir,omitempty"`
	Group   string                 `json:"group,omitempty"`
	First   int                    `json:"first,omitempty"`
	Count   int                    `json:"count,omitempty"`
	Quiet   time.Duration          `json:"quiet,omitempty"`
	Within  time.Duration          `json:"within,omitempty"`
	Pubs    []sim.PubInfo          `json:"pubs,omitempty"`
	Indices []int                  `json:"indices,omitempty"`

	N   int    `json:"n,omitempty"`
	Err string `json:"err,omitempty"`

	Event     *sim.Event     `json:"event,omitempty"`
	Connected map[string]int `json:"connected,omitempty"`
}

// wire is one end of a connection: a decoder, and an encoder safe for
// concurrent senders that flushes each message.
type wire struct {
	conn net.Conn
	dec  *json.Decoder

	mu  sync.Mutex
	bw  *bufio.Writer
	enc *json.Encoder
}

func newWire(c net.Conn) *wire {
	bw := bufio.NewWriterSize(c, 64<<10)
	return &wire{conn: c, dec: json.NewDecoder(bufio.NewReaderSize(c, 64<<10)), bw: bw, enc: json.NewEncoder(bw)}
}

func (w *wire) send(m message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.enc.Encode(m); err != nil {
		return err
	}
	return w.bw.Flush()
}

// sendBatch writes several messages and flushes once.
func (w *wire) sendBatch(ms []message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range ms {
		if err := w.enc.Encode(m); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}

func (w *wire) recv() (message, error) {
	var m message
	err := w.dec.Decode(&m)
	return m, err
}
