package faults

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

// pattern is the byte at offset i of the tests' streams: a reordered,
// lost or repeated byte shows.
func pattern(i int) byte { return byte(i % 251) }

// writePattern writes n pattern bytes to c in 4 KB pieces.
func writePattern(c net.Conn, n int) error {
	buf := make([]byte, 4096)
	for off := 0; off < n; off += len(buf) {
		m := min(len(buf), n-off)
		for i := range m {
			buf[i] = pattern(off + i)
		}
		if _, err := c.Write(buf[:m]); err != nil {
			return err
		}
	}
	return nil
}

// readPattern reads n bytes from r and checks them; after reads the
// first after bytes it calls mid once.
func readPattern(r io.Reader, n, after int, mid func()) error {
	buf := make([]byte, 8192)
	got := 0
	for got < n {
		m, err := r.Read(buf)
		for i := range m {
			if buf[i] != pattern(got+i) {
				return fmt.Errorf("byte %d is %d, want %d", got+i, buf[i], pattern(got+i))
			}
		}
		if got < after && got+m >= after && mid != nil {
			mid()
		}
		got += m
		if err != nil {
			return fmt.Errorf("after %d of %d bytes: %w", got, n, err)
		}
	}
	return nil
}

// A fault injected while a link on the direct path carries data moves
// the link onto the toxic chain: every byte arrives once and in order,
// and the toxic applies from then on.
func TestDirectPathHandsOverMidFlow(t *testing.T) {
	l, _ := newLayer(t, true)
	srv := newTCPServer(t, echo)
	ca, _, err := l.Attach("A")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Up("A", "ID-A", srv.addr(), srv.addr()); err != nil {
		t.Fatal(err)
	}
	c := dialTCP(t, ca)
	const n = 4 << 20
	errc := make(chan error, 1)
	go func() { errc <- writePattern(c, n) }()
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	var id string
	if err := readPattern(c, n, n/4, func() {
		id = inject(t, l, Spec{Target: "client:A", Kind: "latency", Params: Values{"latency": 30 * time.Millisecond}})
	}); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Time{})
	if d := roundTrip(t, c, "after"); d < 30*time.Millisecond {
		t.Fatalf("round trip %v after the latency fault, want at least 30ms", d)
	}
	heal(t, l, id)
}

// A handover does not wait for a pump stuck writing to a peer that does
// not read: the unwritten bytes go through the chain once the peer reads.
func TestDirectPathHandsOverWhileBlocked(t *testing.T) {
	l, _ := newLayer(t, true)
	release := make(chan struct{})
	got := make(chan error, 1)
	const n = 16 << 20 // far more than the sockets buffer
	srv := newTCPServer(t, func(c net.Conn) {
		<-release
		got <- readPattern(c, n, 0, nil)
	})
	ca, _, err := l.Attach("A")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Up("A", "ID-A", srv.addr(), srv.addr()); err != nil {
		t.Fatal(err)
	}
	c := dialTCP(t, ca)
	errc := make(chan error, 1)
	go func() { errc <- writePattern(c, n) }()
	select {
	case err := <-errc:
		t.Fatalf("the writer finished (%v) though the server reads nothing", err)
	case <-time.After(200 * time.Millisecond): // long enough to fill the buffers; nothing to wait for
	}
	start := time.Now()
	id := inject(t, l, Spec{Target: "client:A", Kind: "latency", Params: Values{"latency": 1 * time.Millisecond}})
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("inject took %v with a blocked pump", d)
	}
	close(release)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	heal(t, l, id)
}
