package faults

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
)

// Every dial to a route endpoint comes from 127.0.0.1, so its address says
// nothing about who dialled. The route protocol does: the dialling server
// sends CONNECT at once, and its "name" is its server ID (nats-server
// route.go, sendRouteConnect). The accepting server speaks first only with
// its INFO, which the layer has not let through yet.

// maxConnectLine bounds the bytes read while looking for CONNECT's end.
const maxConnectLine = 64 << 10

var errNotRoute = errors.New("first line is not a route CONNECT")

// identify reads the dialler's first line and records its server ID. It
// waits as long as the dialler takes: nats-server sends CONNECT at once,
// but a server starved of CPU (tens of thousands of clients on two cores)
// has taken over five seconds, and refusing its route then made the run
// fail for the harness's reasons. The wait ends when the line comes, when
// the dialler hangs up, or when the layer closes (Close closes pending
// dials).
func (d *dial) identify() error {
	tmp := make([]byte, 512)
	for {
		if i := bytes.Index(d.buf, []byte("\r\n")); i >= 0 {
			id, err := connectName(d.buf[:i])
			d.id = id
			return err
		}
		if len(d.buf) >= maxConnectLine {
			return errNotRoute
		}
		n, err := d.conn.Read(tmp)
		d.buf = append(d.buf, tmp[:n]...)
		if err != nil {
			return err
		}
	}
}

// connectName parses `CONNECT {...}` and returns its "name" field.
func connectName(line []byte) (string, error) {
	verb, body, ok := bytes.Cut(line, []byte(" "))
	if !ok || !bytes.EqualFold(verb, []byte("CONNECT")) {
		return "", fmt.Errorf("%w: %.40q", errNotRoute, line)
	}
	var c struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &c); err != nil || c.Name == "" {
		return "", fmt.Errorf("%w: CONNECT without a name", errNotRoute)
	}
	return c.Name, nil
}

// isHangup says the dialler went away, which is not a reason to worry.
func isHangup(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// unidentifiedDial counts a route dial whose first line is not a route
// CONNECT naming a server. Such a link is refused, never passed uncut,
// and Err reports it: a partition that cannot see a link cannot cut it.
func (l *Layer) unidentifiedDial(d *dial, why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unidentified++
	if len(l.unidentReasons) < 10 {
		kind := "route"
		if d.key.leaf {
			kind = "leaf"
		}
		l.unidentReasons = append(l.unidentReasons, fmt.Sprintf("%s dial to %s: %s", kind, d.key.dst, why))
	}
}
