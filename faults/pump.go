package faults

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// The direct path. A link that no active fault puts a toxic on is copied
// by one goroutine per direction, socket to socket, with a pooled buffer:
// toxiproxy's chain costs a copy into a fresh chunk and two goroutine
// hand-offs per read, for nothing while no toxic is on it. When a fault
// puts a toxic on the link's collection, the pumps stop where they are
// and hand the link over to the chain (pipeLinks): what a pump had read
// and not yet written goes through the chain first, so nothing is lost
// or reordered, and the toxic applies to everything from then on.

// pumps is a link's direct path: its two copy loops.
type pumps struct {
	handover atomic.Bool // set before the sockets' deadlines interrupt them
	wg       sync.WaitGroup
	left     [2][]byte // per direction (0 up, 1 down): read, not written, at the handover
}

// pumpBufs are the pumps' copy buffers, as large as toxiproxy's.
var pumpBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (k *link) startPumps(prefix []byte) {
	p := k.pumps
	go k.pump(p, 0, k.up, k.down, prefix)
	go k.pump(p, 1, k.down, k.up, nil)
}

// pump copies src to dst until either fails. A failure ends the whole
// link (both sockets), as the chain's writer does; a handover's deadline
// ends only the pump, keeping what it had not written.
func (k *link) pump(p *pumps, dir int, dst, src net.Conn, prefix []byte) {
	defer k.l.wg.Done()
	defer p.wg.Done()
	if len(prefix) > 0 && !k.pumpWrite(p, dir, dst, prefix) {
		return
	}
	bp := pumpBufs.Get().(*[]byte)
	defer pumpBufs.Put(bp)
	buf := *bp
	for {
		n, err := src.Read(buf)
		if n > 0 && !k.pumpWrite(p, dir, dst, buf[:n]) {
			return
		}
		if err != nil {
			if !(p.handover.Load() && errors.Is(err, os.ErrDeadlineExceeded)) {
				k.close(false)
			}
			return
		}
	}
}

// pumpWrite writes b whole and says whether the pump goes on.
func (k *link) pumpWrite(p *pumps, dir int, dst net.Conn, b []byte) bool {
	n, err := dst.Write(b)
	if err == nil {
		return true
	}
	if p.handover.Load() && errors.Is(err, os.ErrDeadlineExceeded) {
		p.left[dir] = append([]byte(nil), b[n:]...)
		return false
	}
	k.close(false)
	return false
}

// pipeLinks hands every link of c still on the direct path over to
// toxiproxy's chain, now that a fault has put a toxic on c. Called after
// the toxics are on the collection, so the chain each link joins has them.
func (l *Layer) pipeLinks(c *coll) {
	l.mu.Lock()
	var moving []*link
	for k := range c.links {
		if !k.piped && !l.closed {
			k.piped = true
			l.wg.Add(4) // the chain's readers and writers, see startPipe
			moving = append(moving, k)
		}
	}
	l.mu.Unlock()
	for _, k := range moving {
		p := k.pumps
		p.handover.Store(true)
		past := time.Unix(1, 0)
		_ = k.down.SetDeadline(past)
		_ = k.up.SetDeadline(past)
		p.wg.Wait()
		_ = k.down.SetDeadline(time.Time{})
		_ = k.up.SetDeadline(time.Time{})
		// A link that ended meanwhile starts a chain that ends at once.
		k.startPipe(p.left[0], p.left[1])
	}
}

// toxicOnLocked says whether an active fault puts a toxic on key's links.
func (l *Layer) toxicOnLocked(key linkKey) bool {
	for _, f := range l.faults {
		if f.eff.Toxic != "" && f.scope.touches(key) {
			return true
		}
	}
	return false
}
