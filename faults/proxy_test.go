package faults

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// A client proxy refuses dials until its server is up (as a process not
// listening yet would), then passes bytes, and refuses again once it is
// down.
func TestClientProxyStates(t *testing.T) {
	l, _ := newLayer(t, true)
	srv := newTCPServer(t, echo)
	ca, ra, err := l.Attach("A")
	if err != nil {
		t.Fatal(err)
	}
	if ca == "" || ra == "" {
		t.Fatalf("attach gave %q %q", ca, ra)
	}

	// Down: refused at once.
	if !refused(ca, time.Second) {
		t.Fatal("dial to a down server not refused")
	}

	// Starting: still refused, even once the route listener exists.
	l.Starting("A")
	if !refused(ca, time.Second) {
		t.Fatal("client dial to a starting server not refused")
	}
	if err := l.RouteListening("A", "127.0.0.1:1"); err != nil {
		t.Fatal(err)
	}
	if !refused(ca, time.Second) {
		t.Fatal("client dial accepted before the server is up")
	}
	if err := l.Up("A", "ID-A", srv.addr(), "127.0.0.1:1"); err != nil {
		t.Fatal(err)
	}
	c := dialTCP(t, ca)
	if _, err := c.Write([]byte("early")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Read(buf); err != nil || string(buf) != "early" {
		t.Fatalf("held bytes after up: %q %v", buf, err)
	}
	_ = c.SetReadDeadline(time.Time{})
	roundTrip(t, c, "hello")
	if n := l.ClientLinks("A"); n != 1 {
		t.Fatalf("client links = %d, want 1", n)
	}

	// Down closes live links and refuses new ones.
	l.Down("A")
	if closed, _ := closedWithin(c, time.Second); !closed {
		t.Fatal("live link survived Down")
	}
	testwait.Until(t, time.Second, "no client links", func() bool { return l.ClientLinks("A") == 0 })
	if !refused(ca, time.Second) {
		t.Fatal("dial after Down not refused")
	}
}

// Without client proxies Attach gives no client address and client
// faults are refused.
func TestNoClientProxies(t *testing.T) {
	l, _ := newLayer(t, false)
	ca, ra, err := l.Attach("A")
	if err != nil || ca != "" || ra == "" {
		t.Fatalf("attach = %q %q %v", ca, ra, err)
	}
	if _, err := l.Inject(Spec{Target: "client:A", Kind: "latency", Params: Values{"latency": 10 * time.Millisecond}}); err == nil {
		t.Fatal("client fault accepted without client proxies")
	}
	if _, err := l.Freeze("A", 0); err == nil {
		t.Fatal("freeze accepted without client proxies")
	}
}
