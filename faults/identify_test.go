package faults

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// starvedFor is how long the tests' diallers take to identify themselves:
// past what a healthy dialler needs, as a server starved of CPU does.
const starvedFor = 1200 * time.Millisecond

// A dialler that sends its CONNECT line late, in pieces, is held until
// the line is whole and then passed: not cut, not counted unidentified.
func TestSlowRouteDiallerHeldThenPassed(t *testing.T) {
	l, _ := newLayer(t, false)
	rp := fakeRoutes(t, l, "A", "B")
	c := dialTCP(t, rp["B"])
	line := `CONNECT {"name":"ID-A","verbose":false}` + "\r\n"
	if _, err := c.Write([]byte(line[:5])); err != nil {
		t.Fatal(err)
	}
	if closed, err := closedWithin(c, starvedFor); closed {
		t.Fatalf("a dialler slow to identify itself was cut: %v", err)
	}
	if _, err := c.Write([]byte(line[5:])); err != nil {
		t.Fatal(err)
	}
	if !answered(c, line, 2*time.Second) {
		t.Fatal("the late CONNECT did not pass")
	}
	r := l.RouteDialRecord()
	if r.Passed != 1 || r.Refused != 0 || r.SlowestIdentify < starvedFor {
		t.Fatalf("record %v, want one dial passed after identifying in at least %v", r, starvedFor)
	}
	if l.Unidentified() != 0 {
		t.Fatal(l.Err())
	}
}

// A dial from a server whose ID the layer learns late (a process server
// starved before its log names its ID) is held until the ID is
// registered, then passed.
func TestRouteDialFromUnregisteredIDHeldThenPassed(t *testing.T) {
	l, _ := newLayer(t, false)
	rp := fakeRoutes(t, l, "A", "B")
	if _, _, err := l.Attach("X"); err != nil {
		t.Fatal(err)
	}
	c, line := routeDial(t, rp["B"], "X")
	testwait.Until(t, time.Second, "dial held", func() bool { return l.Held() == 1 })
	if answered(c, line, starvedFor) {
		t.Fatal("a dial from an unregistered ID passed")
	}
	if l.Held() != 1 {
		t.Fatalf("%d dials held after %v, want the dial still held", l.Held(), starvedFor)
	}
	l.Identify("X", "ID-X")
	if !answered(c, line, 2*time.Second) {
		t.Fatal("the held dial did not pass once its ID was registered")
	}
	if r := l.RouteDialRecord(); r.Passed != 1 || r.Held != 1 || r.Refused != 0 {
		t.Fatalf("record %v", r)
	}
	if l.Unidentified() != 0 {
		t.Fatal(l.Err())
	}
}
