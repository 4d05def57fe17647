package faults

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// fakeRoutes attaches servers whose cluster ports echo, so a test can play
// a dialling server by sending its CONNECT line.
func fakeRoutes(t *testing.T, l *Layer, names ...string) map[string]string {
	t.Helper()
	rps := map[string]string{}
	for _, n := range names {
		srv := newTCPServer(t, echo)
		_, ra, err := l.Attach(n)
		if err != nil {
			t.Fatal(err)
		}
		client := ""
		if l.opts.ClientProxies {
			client = srv.addr()
		}
		if err := l.Up(n, "ID-"+n, client, srv.addr()); err != nil {
			t.Fatal(err)
		}
		rps[n] = ra
	}
	return rps
}

// routeDial dials a route proxy as server from and sends its CONNECT.
func routeDial(t *testing.T, rp, from string) (net.Conn, string) {
	t.Helper()
	c := dialTCP(t, rp)
	line := fmt.Sprintf("CONNECT {\"name\":\"ID-%s\",\"verbose\":false}\r\n", from)
	if _, err := c.Write([]byte(line)); err != nil {
		t.Fatal(err)
	}
	return c, line
}

// answered says whether the echo of line comes back within d.
func answered(c net.Conn, line string, d time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(d))
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, len(line))
	_, err := io.ReadFull(c, buf)
	return err == nil && string(buf) == line
}

func TestRouteLinksIdentified(t *testing.T) {
	l, _ := newLayer(t, false)
	rp := fakeRoutes(t, l, "A", "B", "C")
	c, line := routeDial(t, rp["B"], "A")
	if !answered(c, line, 2*time.Second) {
		t.Fatal("route A>B did not pass")
	}
	c2, line2 := routeDial(t, rp["A"], "B") // the other side dials too: same pair
	if !answered(c2, line2, 2*time.Second) {
		t.Fatal("route B>A did not pass")
	}
	got := l.RouteLinks()
	if len(got) != 1 || got[[2]string{"A", "B"}] != 2 {
		t.Fatalf("route links %v, want A-B: 2", got)
	}
}

func TestRouteUnidentified(t *testing.T) {
	l := New(nil, Options{})
	t.Cleanup(func() { l.Close() })
	rp := fakeRoutes(t, l, "A", "B")
	c := dialTCP(t, rp["B"])
	c.Write([]byte("HELLO there\r\n"))
	if closed, _ := closedWithin(c, time.Second); !closed {
		t.Fatal("unidentified dial passed")
	}
	testwait.Until(t, time.Second, "counted", func() bool { return l.Unidentified() == 1 })
	if l.Err() == nil {
		t.Fatal("Err is nil with an unidentified dial")
	}
	if len(l.RouteLinks()) != 0 {
		t.Fatalf("links %v", l.RouteLinks())
	}
}

// A close-mode partition closes the cut links, holds new dials across the
// cut silently, passes dials inside a group, and releases held dials on heal.
func TestPartitionCloseFake(t *testing.T) {
	l, tl := newLayer(t, false)
	rp := fakeRoutes(t, l, "A", "B", "C")
	ab, line := routeDial(t, rp["B"], "A")
	if !answered(ab, line, 2*time.Second) {
		t.Fatal("A>B did not pass")
	}
	id, err := l.Partition([][]string{{"A"}, {"B", "C"}}, ModeClose, 0)
	if err != nil {
		t.Fatal(err)
	}
	if closed, _ := closedWithin(ab, time.Second); !closed {
		t.Fatal("cut link A>B still open")
	}
	ba, line := routeDial(t, rp["A"], "B")
	testwait.Until(t, time.Second, "B>A held", func() bool { return l.Held() == 1 })
	if answered(ba, line, 100*time.Millisecond) {
		t.Fatal("dial across the cut passed")
	}
	bc, line2 := routeDial(t, rp["C"], "B")
	if !answered(bc, line2, 2*time.Second) {
		t.Fatal("dial inside a group did not pass")
	}
	heal(t, l, id)
	if !answered(ba, line, 2*time.Second) {
		t.Fatal("held dial not released on heal")
	}
	if got := l.RouteLinks(); got[[2]string{"A", "B"}] != 1 || got[[2]string{"B", "C"}] != 1 {
		t.Fatalf("links after heal %v", got)
	}
	checkWindow(t, tl, id, "partition", true)
	if ev := eventsOf(tl, id)[0]; len(ev.Groups) != 2 || ev.Target != "partition:A|B,C" {
		t.Fatalf("start event %+v", ev)
	}
}

// A stall-mode partition closes nothing and passes nothing; what was held
// flows on heal.
func TestPartitionStallFake(t *testing.T) {
	l, _ := newLayer(t, false)
	rp := fakeRoutes(t, l, "A", "B")
	ab, line := routeDial(t, rp["B"], "A")
	if !answered(ab, line, 2*time.Second) {
		t.Fatal("A>B did not pass")
	}
	id, err := l.Partition([][]string{{"A"}, {"B"}}, ModeStall, 0)
	if err != nil {
		t.Fatal(err)
	}
	ab.Write([]byte("PING\r\n"))
	if answered(ab, "PING\r\n", 200*time.Millisecond) {
		t.Fatal("stalled link answered")
	}
	if l.RouteLinks()[[2]string{"A", "B"}] != 1 {
		t.Fatal("stalled link closed")
	}
	heal(t, l, id)
	if !answered(ab, "PING\r\n", 2*time.Second) {
		t.Fatal("held bytes not delivered on heal")
	}
}

// A partition must place every running server.
func TestPartitionNeedsEveryRunningServer(t *testing.T) {
	l, _ := newLayer(t, false)
	fakeRoutes(t, l, "A", "B", "C")
	if _, err := l.Partition([][]string{{"A"}, {"B"}}, "", 0); err == nil {
		t.Fatal("partition leaving C out accepted")
	}
	l.Down("C")
	id, err := l.Partition([][]string{{"A"}, {"B"}}, "", 0)
	if err != nil {
		t.Fatalf("C is down, may be left out: %v", err)
	}
	heal(t, l, id)
	if _, err := l.Partition([][]string{{"A"}, {"B"}}, "sideways", 0); err == nil {
		t.Fatal("bad mode accepted")
	}
}

// Freeze holds every link of the server, client and route, both ways and
// whoever dialled, and new dials; on heal everything flows in order.
func TestFreezeFake(t *testing.T) {
	l, tl := newLayer(t, true)
	ca := upEcho(t, l, "X", echo)
	rp := fakeRoutes(t, l, "Y", "Z")
	l.mu.Lock()
	rpX := l.servers["X"].rp.addr()
	l.mu.Unlock()

	cli := dialTCP(t, ca)
	roundTrip(t, cli, "hi")
	xy, lineXY := routeDial(t, rp["Y"], "X") // X dialled Y
	zx, lineZX := routeDial(t, rpX, "Z")     // Z dialled X
	yz, lineYZ := routeDial(t, rp["Z"], "Y") // not X's
	if !answered(xy, lineXY, 2*time.Second) || !answered(zx, lineZX, 2*time.Second) || !answered(yz, lineYZ, 2*time.Second) {
		t.Fatal("routes did not pass")
	}
	id, err := l.Freeze("X", 0)
	if err != nil {
		t.Fatal(err)
	}
	cli.Write([]byte("one"))
	xy.Write([]byte("two"))
	zx.Write([]byte("three"))
	if answered(cli, "one", 150*time.Millisecond) || answered(xy, "two", 10*time.Millisecond) || answered(zx, "three", 10*time.Millisecond) {
		t.Fatal("frozen server's link answered")
	}
	if rtt := roundTrip(t, yz, "four"); rtt > 100*time.Millisecond {
		t.Fatalf("Y-Z link slowed by X's freeze: %v", rtt)
	}
	late := dialTCP(t, ca)
	late.Write([]byte("late"))
	testwait.Until(t, time.Second, "new dial held", func() bool { return l.Held() == 1 })
	heal(t, l, id)
	if !answered(cli, "one", 2*time.Second) || !answered(xy, "two", 2*time.Second) ||
		!answered(zx, "three", 2*time.Second) || !answered(late, "late", 2*time.Second) {
		t.Fatal("held bytes not delivered on heal")
	}
	checkWindow(t, tl, id, "freeze", true)
}

// A starting server's route endpoint refuses until its real route listener
// exists, then passes route dials at once (it is still starting): the
// endpoint behaves like the server's own socket.
func TestRouteEndpointOpensWithTheRouteListener(t *testing.T) {
	l, _ := newLayer(t, false)
	rp := fakeRoutes(t, l, "A") // A is up and dials B
	_ = rp
	srv := newTCPServer(t, echo)
	_, rb, err := l.Attach("B")
	if err != nil {
		t.Fatal(err)
	}
	l.Starting("B")
	l.Identify("B", "ID-B")
	if !refused(rb, time.Second) {
		t.Fatal("route dial accepted before B listens")
	}
	if err := l.RouteListening("B", srv.addr()); err != nil {
		t.Fatal(err)
	}
	c, line := routeDial(t, rb, "A")
	if !answered(c, line, 2*time.Second) {
		t.Fatal("route A>B did not pass while B was starting with its listener up")
	}
}
