package faults

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/natschaos/natschaos/internal/ports"
	"github.com/natschaos/natschaos/sim"
)

// TestMain checks that no goroutine is left behind, and no port reserved.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) { os.Exit(ports.ExitCode(code)) }))
}

// newLayer makes a layer closed (and checked) at the end of the test.
func newLayer(t testing.TB, clientProxies bool) (*Layer, *sim.Timeline) {
	t.Helper()
	tl := sim.NewTimeline()
	l := New(tl, Options{ClientProxies: clientProxies})
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if err := l.Err(); err != nil {
			t.Errorf("layer: %v", err)
		}
	})
	return l, tl
}

// tcpServer is a stand-in for a server: it accepts connections and runs
// fn on each, and closes them all when the test ends.
type tcpServer struct {
	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newTCPServer(t testing.TB, fn func(net.Conn)) *tcpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &tcpServer{ln: ln, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns[c] = struct{}{}
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				fn(c)
			}()
		}
	}()
	t.Cleanup(s.close)
	return s
}

func (s *tcpServer) addr() string { return s.ln.Addr().String() }

func (s *tcpServer) close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func echo(c net.Conn) { _, _ = io.Copy(c, c) }

// roundTrip writes msg on c and checks that the echo comes back.
func roundTrip(t testing.TB, c net.Conn, msg string) time.Duration {
	t.Helper()
	start := time.Now()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
	buf := make([]byte, len(msg))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("read: %v", err)
	}
	_ = c.SetReadDeadline(time.Time{})
	if string(buf) != msg {
		t.Fatalf("echo %q, want %q", buf, msg)
	}
	return time.Since(start)
}

func dialTCP(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedWithin says whether the peer closes (or resets) c within d,
// reading and discarding anything that comes first.
func closedWithin(c net.Conn, d time.Duration) (bool, error) {
	_ = c.SetReadDeadline(time.Now().Add(d))
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, 4096)
	for {
		_, err := c.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return false, nil
		}
		return true, err
	}
}

// eventsOf lists the fault events of one fault.
func eventsOf(tl *sim.Timeline, id string) []sim.Event {
	var out []sim.Event
	for _, ev := range tl.Events() {
		if ev.Fault == id {
			out = append(out, ev)
		}
	}
	return out
}

// refused says whether a dial to addr is refused within d: the dial fails
// (the reset can beat connect's return on loopback) or the link closes.
func refused(addr string, d time.Duration) bool {
	c, err := net.DialTimeout("tcp", addr, d)
	if err != nil {
		return true
	}
	defer c.Close()
	closed, _ := closedWithin(c, d)
	return closed
}
