package faults

import (
	"fmt"
	"net"
	"sync"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/Shopify/toxiproxy/v2/stream"
)

// linkKey names a collection: the links that share one set of toxics.
// Route links are keyed by who dialled whom, so a fault on route:A-B puts
// its toxics on exactly two collections, A>B and B>A.
type linkKey struct {
	route    bool
	leaf     bool   // a leaf link: src is the leaf ("" when opaque), dst the hub server
	gateway  bool   // a route-like link between clusters (gateway.go)
	src, dst string // route links: dialler and acceptor; client links: "" and the server
}

func (k linkKey) String() string {
	if k.leaf {
		return "leaf:" + k.src + ">" + k.dst
	}
	if k.gateway {
		return "gateway:" + k.src + ">" + k.dst
	}
	if k.route {
		return "route:" + k.src + ">" + k.dst
	}
	return "client:" + k.dst
}

// coll is one linkKey's toxic collection and its live links. The
// collection is toxiproxy's; it belongs to a proxy that never listens.
type coll struct {
	key   linkKey
	tc    *toxiproxy.ToxicCollection
	links map[*link]struct{}
}

// collLocked returns the collection for k, creating it with the toxics of
// every active fault that touches it.
func (l *Layer) collLocked(k linkKey) *coll {
	if c := l.colls[k]; c != nil {
		return c
	}
	c := &coll{key: k, tc: toxiproxy.NewProxy(l.api, k.String(), "", "").Toxics, links: map[*link]struct{}{}}
	l.colls[k] = c
	// No link uses the new collection yet, so adding toxics cannot block.
	for _, f := range l.activeLocked() {
		if err := l.addToxics(c, f); err != nil {
			l.internalErrorLocked(err)
		}
	}
	return c
}

// link is one proxied connection: the dialler's side (down) and the
// server's side (up), piped both ways through its collection's toxics.
type link struct {
	l        *Layer
	c        *coll
	name     string
	down, up net.Conn
	born     time.Time
	once     sync.Once

	// Under the layer's lock: piped once the link runs (or is about to
	// run) through toxiproxy; pumps while it runs on the direct path.
	piped bool
	pumps *pumps
}

// newLinkLocked registers a link, so faults injected from now on see it,
// and arms the resets of active faults that touch it. A link that no
// active fault puts a toxic on starts on the direct path (see pump.go).
func (l *Layer) newLinkLocked(d *dial, up net.Conn) *link {
	l.linkSeq++
	c := l.collLocked(d.key)
	k := &link{l: l, c: c, name: fmt.Sprintf("%s#%d", d.key, l.linkSeq), down: d.conn, up: up, born: time.Now()}
	c.links[k] = struct{}{}
	if l.toxicOnLocked(d.key) {
		k.piped = true
		l.wg.Add(4) // two readers and two writers, see linkReader and linkWriter
	} else {
		k.pumps = &pumps{}
		k.pumps.wg.Add(2) // now: a handover may come before start
		l.wg.Add(2)       // one pump per direction
	}
	for _, f := range l.activeLocked() {
		if f.eff.Reset && f.scope.touches(d.key) {
			f.armResetLocked(k)
		}
	}
	return k
}

// start runs the link on the path newLinkLocked chose.
func (k *link) start(prefix []byte) {
	if k.pumps != nil {
		k.startPumps(prefix)
		return
	}
	k.startPipe(prefix, nil)
}

// startPipe pipes the link through its collection: toxiproxy runs a
// reader, the toxic chain and a writer for each direction. up and down
// are what each direction must send first: the dialler's bytes read
// before the link existed (a route's CONNECT), or what the direct path
// had not written yet when it handed over, replayed through the chains
// so their toxics apply to them too.
func (k *link) startPipe(up, down []byte) {
	api := k.l.api
	k.c.tc.StartLink(api, k.name+"/up", &linkReader{k: k, conn: k.down, prefix: up}, &linkWriter{k: k, conn: k.up}, stream.Upstream)
	k.c.tc.StartLink(api, k.name+"/down", &linkReader{k: k, conn: k.up, prefix: down}, &linkWriter{k: k, conn: k.down}, stream.Downstream)
}

// close ends the link once: both sockets, so both directions' readers
// fail and their chains drain to the writers. rst sends a TCP reset
// instead of a FIN, as a peer that resets would.
func (k *link) close(rst bool) {
	k.once.Do(func() {
		k.l.mu.Lock()
		delete(k.c.links, k)
		k.l.mu.Unlock()
		if rst {
			setLingerZero(k.down)
			setLingerZero(k.up)
		}
		k.down.Close()
		k.up.Close()
	})
}

func closeLinks(links []*link, rst bool) {
	for _, k := range links {
		k.close(rst)
	}
}

// linksLocked lists the live links whose key matches.
func (l *Layer) linksLocked(match func(linkKey) bool) []*link {
	var out []*link
	for key, c := range l.colls {
		if match(key) {
			for k := range c.links {
				out = append(out, k)
			}
		}
	}
	return out
}

func setLingerZero(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
}

// reset refuses a connection the way a closed port would look to a
// client that got through the TCP handshake: with a reset.
func reset(c net.Conn) {
	setLingerZero(c)
	c.Close()
}

// linkReader is the source toxiproxy reads from. It replays the prefix
// first and tells the layer when the reader is done (on the first error),
// which is the last thing Close waits for on this side.
type linkReader struct {
	k      *link
	conn   net.Conn
	prefix []byte
	once   sync.Once
}

func (r *linkReader) Read(p []byte) (int, error) {
	if len(r.prefix) > 0 {
		n := copy(p, r.prefix)
		r.prefix = r.prefix[n:]
		return n, nil
	}
	n, err := r.conn.Read(p)
	if err != nil {
		r.once.Do(r.k.l.wg.Done)
	}
	return n, err
}

// linkWriter is the destination toxiproxy writes to. Stock toxiproxy stops
// reading its chain when a write fails, which leaves every toxic and the
// reader blocked for good. This writer instead closes its socket, so the
// other direction's reader fails and ends the link (as a dead peer would),
// and discards from then on, so its own chain drains to the end.
type linkWriter struct {
	k      *link
	conn   net.Conn
	failed bool // only the writer goroutine touches it
	once   sync.Once
}

func (w *linkWriter) Write(p []byte) (int, error) {
	if w.failed {
		return len(p), nil
	}
	n, err := w.conn.Write(p)
	if err != nil {
		w.failed = true
		w.conn.Close()
		return len(p), nil
	}
	return n, nil
}

// Close is called once, by toxiproxy's writer when its chain has ended.
func (w *linkWriter) Close() error {
	w.once.Do(func() {
		w.k.close(false)
		w.k.l.wg.Done()
	})
	return nil
}
