package faults

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/log"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// echoLayer is a layer with one server A whose client port echoes.
func echoLayer(t *testing.T) (*Layer, *sim.Timeline, string) {
	t.Helper()
	l, tl := newLayer(t, true)
	return l, tl, upEcho(t, l, "A", echo)
}

// upEcho attaches a server whose client and cluster ports both run fn.
func upEcho(t *testing.T, l *Layer, name string, fn func(net.Conn)) string {
	t.Helper()
	srv := newTCPServer(t, fn)
	ca, _, err := l.Attach(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Up(name, "ID-"+name, srv.addr(), srv.addr()); err != nil {
		t.Fatal(err)
	}
	return ca
}

func inject(t *testing.T, l *Layer, spec Spec) string {
	t.Helper()
	id, err := l.Inject(spec)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func heal(t *testing.T, l *Layer, id string) {
	t.Helper()
	if err := l.Heal(id); err != nil {
		t.Fatal(err)
	}
}

// checkWindow checks the fault recorded exactly one start and one end.
func checkWindow(t *testing.T, tl *sim.Timeline, id, kind string, cuts bool) {
	t.Helper()
	evs := eventsOf(tl, id)
	if len(evs) != 2 || evs[0].Kind != sim.FaultStart || evs[1].Kind != sim.FaultEnd {
		t.Fatalf("%s: events %+v, want one start and one end", id, evs)
	}
	for _, ev := range evs {
		if ev.FaultKind != kind || ev.Cuts != cuts || len(ev.Servers) == 0 || ev.Target == "" {
			t.Fatalf("%s: event %+v: want kind %s, cuts %v, servers and target", id, ev, kind, cuts)
		}
	}
}

func TestLatency(t *testing.T) {
	l, tl, ca := echoLayer(t)
	c := dialTCP(t, ca)
	base := roundTrip(t, c, "ping")

	id := inject(t, l, Spec{Target: "client:A", Kind: "latency", Params: Values{"latency": 60 * time.Millisecond}})
	if rtt := roundTrip(t, c, "ping"); rtt < 115*time.Millisecond {
		t.Fatalf("round trip with 60ms each way = %v (base %v)", rtt, base)
	}
	heal(t, l, id)
	if rtt := roundTrip(t, c, "ping"); rtt > 50*time.Millisecond {
		t.Fatalf("round trip after heal = %v", rtt)
	}
	id2 := inject(t, l, Spec{Target: "client:A", Kind: "latency", Direction: "upstream", Params: Values{"latency": 60 * time.Millisecond, "jitter": 5 * time.Millisecond}})
	if rtt := roundTrip(t, c, "ping"); rtt < 50*time.Millisecond || rtt > 110*time.Millisecond {
		t.Fatalf("round trip with 60ms upstream only = %v", rtt)
	}
	heal(t, l, id2)
	checkWindow(t, tl, id, "latency", false)
	if ev := eventsOf(tl, id2)[0]; !strings.Contains(ev.Detail, "direction=upstream") || !strings.Contains(ev.Detail, "jitter=5ms") {
		t.Fatalf("detail %q", ev.Detail)
	}
}

// The layer leaves zerolog's global logger to the program: it neither
// replaces it nor writes to it (toxiproxy's stock bandwidth toxic did, on
// every interrupt).
func TestBandwidth(t *testing.T) {
	var global bytes.Buffer
	saved := log.Logger
	log.Logger = zerolog.New(&global)
	t.Cleanup(func() { log.Logger = saved })
	l, tl, ca := echoLayer(t)
	c := dialTCP(t, ca)
	msg := strings.Repeat("x", 40<<10)
	id := inject(t, l, Spec{Target: "client:A", Kind: "bandwidth", Direction: "upstream", Params: Values{"rate": int64(100 << 10)}})
	if d := roundTrip(t, c, msg); d < 300*time.Millisecond {
		t.Fatalf("40KB at 100KB/s took %v", d)
	}
	heal(t, l, id)
	if d := roundTrip(t, c, msg); d > 200*time.Millisecond {
		t.Fatalf("40KB after heal took %v", d)
	}
	checkWindow(t, tl, id, "bandwidth", false)
	if global.Len() != 0 {
		t.Errorf("the layer wrote to zerolog's global logger: %s", global.String())
	}
	log.Info().Msg("mine")
	if !strings.Contains(global.String(), "mine") {
		t.Error("the layer replaced zerolog's global logger")
	}
}

func TestTimeoutBlackholes(t *testing.T) {
	l, tl, ca := echoLayer(t)
	c := dialTCP(t, ca)
	roundTrip(t, c, "ping")
	id := inject(t, l, Spec{Target: "client:A", Kind: "timeout"})
	if _, err := c.Write([]byte("lost")); err != nil {
		t.Fatal(err)
	}
	if closed, _ := closedWithin(c, 200*time.Millisecond); closed {
		t.Fatal("black hole closed the link or answered")
	}
	// A new link is accepted, and swallowed too.
	c2 := dialTCP(t, ca)
	c2.Write([]byte("lost too"))
	if closed, _ := closedWithin(c2, 100*time.Millisecond); closed {
		t.Fatal("new link not black-holed")
	}
	heal(t, l, id)
	// Both lost bytes: closed on heal, since their streams have holes.
	for _, conn := range []net.Conn{c, c2} {
		if closed, _ := closedWithin(conn, time.Second); !closed {
			t.Fatal("link that lost bytes survived the heal")
		}
	}
	roundTrip(t, dialTCP(t, ca), "ping")
	checkWindow(t, tl, id, "timeout", true)

	// With a timeout, links close by themselves.
	c3 := dialTCP(t, ca)
	start := time.Now()
	id = inject(t, l, Spec{Target: "client:A", Kind: "timeout", Params: Values{"timeout": 100 * time.Millisecond}})
	if closed, _ := closedWithin(c3, 2*time.Second); !closed || time.Since(start) < 90*time.Millisecond {
		t.Fatalf("timeout=100ms: closed %v after %v", closed, time.Since(start))
	}
	heal(t, l, id)
}

func TestResetPeer(t *testing.T) {
	l, tl, ca := echoLayer(t)
	c := dialTCP(t, ca)
	roundTrip(t, c, "ping")
	id := inject(t, l, Spec{Target: "client:A", Kind: "reset_peer"})
	closed, err := closedWithin(c, time.Second)
	if !closed || !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reset_peer: closed %v with %v, want connection reset", closed, err)
	}
	if !refused(ca, time.Second) {
		t.Fatal("new link not reset")
	}
	heal(t, l, id)
	roundTrip(t, dialTCP(t, ca), "ping")
	checkWindow(t, tl, id, "reset_peer", true)

	// With a timeout, data flows until the reset.
	c = dialTCP(t, ca)
	id = inject(t, l, Spec{Target: "client:A", Kind: "reset_peer", Params: Values{"timeout": 150 * time.Millisecond}})
	roundTrip(t, c, "still here")
	if closed, err := closedWithin(c, 2*time.Second); !closed || !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reset after timeout: closed %v with %v", closed, err)
	}
	heal(t, l, id)
}

func TestSlicer(t *testing.T) {
	l, tl, ca := echoLayer(t)
	c := dialTCP(t, ca)
	id := inject(t, l, Spec{Target: "client:A", Kind: "slicer", Direction: "downstream",
		Params: Values{"average_size": int64(10), "size_variation": int64(4), "delay": 5 * time.Millisecond}})
	msg := strings.Repeat("0123456789", 30)
	// 300 bytes in ~30 slices 5ms apart, intact and in order.
	if d := roundTrip(t, c, msg); d < 100*time.Millisecond {
		t.Fatalf("sliced round trip took %v", d)
	}
	heal(t, l, id)
	checkWindow(t, tl, id, "slicer", false)
}

func TestLimitData(t *testing.T) {
	l, tl, ca := echoLayer(t)
	c := dialTCP(t, ca)
	// Downstream only: the echo of all 120 bytes comes back cut at 100.
	id := inject(t, l, Spec{Target: "client:A", Kind: "limit_data", Direction: "downstream", Params: Values{"bytes": int64(100)}})
	c.Write([]byte(strings.Repeat("a", 60)))
	c.Write([]byte(strings.Repeat("b", 60)))
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	got, err := io.ReadAll(c)
	if err != nil || len(got) != 100 {
		t.Fatalf("read %d bytes (%v), want exactly 100 then EOF", len(got), err)
	}
	heal(t, l, id)
	roundTrip(t, dialTCP(t, ca), strings.Repeat("c", 200))
	checkWindow(t, tl, id, "limit_data", false)
}

func TestSlowClose(t *testing.T) {
	l, tl, _ := echoLayer(t)
	// B reads three bytes and hangs up.
	cb := upEcho(t, l, "B", func(c net.Conn) { io.ReadFull(c, make([]byte, 3)) })
	closeDelay := func() time.Duration {
		c := dialTCP(t, cb)
		start := time.Now()
		c.Write([]byte("bye"))
		if closed, _ := closedWithin(c, 2*time.Second); !closed {
			t.Fatal("not closed")
		}
		return time.Since(start)
	}
	id := inject(t, l, Spec{Target: "client:B", Kind: "slow_close", Direction: "downstream", Params: Values{"delay": 250 * time.Millisecond}})
	if d := closeDelay(); d < 240*time.Millisecond {
		t.Fatalf("close seen after %v with slow_close 250ms", d)
	}
	heal(t, l, id)
	if d := closeDelay(); d > 100*time.Millisecond {
		t.Fatalf("close seen after %v after heal", d)
	}
	checkWindow(t, tl, id, "slow_close", false)
}

func TestDown(t *testing.T) {
	l, tl, ca := echoLayer(t)
	c := dialTCP(t, ca)
	roundTrip(t, c, "ping")
	id := inject(t, l, Spec{Target: "client:A", Kind: "down", Duration: 300 * time.Millisecond})
	if closed, _ := closedWithin(c, time.Second); !closed {
		t.Fatal("live link survived down")
	}
	if !refused(ca, time.Second) {
		t.Fatal("new link not refused")
	}
	// The duration ends it by itself.
	testwait.Until(t, 2*time.Second, "fault expired", func() bool { return len(l.Active()) == 0 })
	roundTrip(t, dialTCP(t, ca), "ping")
	checkWindow(t, tl, id, "down", true)
	if ev := eventsOf(tl, id)[1]; ev.Detail != "expired" {
		t.Fatalf("end detail %q, want expired", ev.Detail)
	}
	if err := l.Heal(id); err == nil {
		t.Fatal("healing an expired fault succeeded")
	}
}

func TestInjectRejects(t *testing.T) {
	l, _, _ := echoLayer(t)
	for _, tc := range []struct {
		spec Spec
		want string
	}{
		{Spec{Target: "client:A", Kind: "latncy"}, `did you mean "latency"`},
		{Spec{Target: "client:A", Kind: "latency", Params: Values{"latncy": 1 * time.Second}}, `did you mean "latency"`},
		{Spec{Target: "client:A", Kind: "latency"}, "latency is required"},
		{Spec{Target: "client:A", Kind: "latency", Params: Values{"latency": "fast"}}, "duration"},
		{Spec{Target: "client:Z", Kind: "down"}, "no server"},
		{Spec{Target: "route:A-A", Kind: "down"}, "two different"},
		{Spec{Target: "A", Kind: "down"}, "want client"},
		{Spec{Target: "client:A", Kind: "down", Direction: "upstream"}, "whole connections"},
		{Spec{Target: "client:A", Kind: "latency", Direction: "sideways", Params: Values{"latency": 1 * time.Second}}, "direction"},
		{Spec{Target: "client:A", Kind: "bandwidth", Params: Values{"rate": int64(0)}}, "rate"},
		{Spec{Target: "client:A", Kind: "slicer", Params: Values{"average_size": int64(4), "size_variation": int64(4)}}, "average_size"},
	} {
		if _, err := l.Inject(tc.spec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.spec, err, tc.want)
		}
	}
	if _, err := l.Partition([][]string{{"A"}}, "", 0); err == nil {
		t.Error("one-group partition accepted")
	}
	if _, err := l.Partition([][]string{{"A"}, {"Z"}}, "", 0); err == nil {
		t.Error("partition naming an unknown server accepted")
	}
	if len(l.Active()) != 0 {
		t.Fatalf("rejected faults left active: %v", l.Active())
	}
}

func TestKindsRegistry(t *testing.T) {
	var names []string
	for _, k := range Kinds() {
		names = append(names, k.Name)
	}
	want := "bandwidth down latency limit_data reset_peer slicer slow_close timeout"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("kinds %q, want %q", got, want)
	}
	// Every built-in kind runs on an external toxiproxy too, and says so in
	// its own file.
	for _, k := range Kinds() {
		if k.External == nil || k.Doc == "" {
			t.Errorf("%s: External %v, Doc %q", k.Name, k.External != nil, k.Doc)
		}
	}
}

// The timeline's Detail names what the scenario gave, in its units.
func TestDescribeGivenParams(t *testing.T) {
	bw, _ := LookupKind("bandwidth")
	if got := describe(bw, Values{"rate": int64(64 << 10)}, dirUp, time.Second); got != "rate=64KB/s direction=upstream duration=1s" {
		t.Errorf("bandwidth: %q", got)
	}
	lat, _ := LookupKind("latency")
	if got := describe(lat, Values{"latency": 200 * time.Millisecond}, dirBoth, 0); got != "latency=200ms direction=both" {
		t.Errorf("latency without jitter: %q", got)
	}
}

func TestCheckParamsTyped(t *testing.T) {
	for _, tc := range []struct {
		kind string
		v    Values
		want string // "" for none
	}{
		{"latency", Values{"latency": 10 * time.Millisecond}, ""},
		{"latency", Values{"latency": time.Duration(0)}, "latency must be positive, got 0s"},
		{"latency", Values{"latency": "10ms"}, "latency must be a duration, got string"},
		{"slicer", Values{"average_size": int64(8), "size_variation": int64(8)}, "size_variation must be below average_size"},
		{"limit_data", Values{}, "bytes is required"},
		{"down", Values{"bytes": int64(1)}, `takes no parameter "bytes"`},
	} {
		errs := CheckParams(tc.kind, tc.v)
		got := ""
		if len(errs) > 0 {
			got = errs[0].Error()
		}
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%s %v: %q, want %q", tc.kind, tc.v, got, tc.want)
		}
	}
}
