package ports

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
)

// Ports are picked in [low, low+span): below Linux's default ephemeral
// range (32768–60999), so no outgoing connection is given one while its
// endpoint is shut. Variables only so that a test can narrow the range.
var (
	low  = 10000
	span = 20000
)

// recent is how many issued ports are remembered and not issued again: a
// port checked free and handed out is not bound yet, so two picks in a
// row could otherwise return the same one.
const recent = 4096

var (
	mu       sync.Mutex
	issued   = map[int]bool{}
	ring     []int
	reserved = map[int]io.Closer{}
)

// Pick returns a loopback port that is free now, was not handed out among
// the last few thousand picks of this process, and is not reserved by
// another natschaos process. It stays reserved until Release: an endpoint
// is shut while its server is down, and a concurrent natschaos process
// (go test runs packages in parallel) must not take the port meanwhile.
func Pick() (int, error) {
	mu.Lock()
	defer mu.Unlock()
	for i := 0; i < 500; i++ {
		p := low + rand.IntN(span)
		if issued[p] {
			continue
		}
		hold, err := reserve(p)
		if err != nil {
			continue // another natschaos process holds it
		}
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			if hold != nil {
				hold.Close()
			}
			continue
		}
		ln.Close()
		issued[p] = true
		if hold != nil {
			reserved[p] = hold
		}
		ring = append(ring, p)
		if len(ring) > recent {
			delete(issued, ring[0])
			ring = ring[1:]
		}
		return p, nil
	}
	return 0, errors.New("no free loopback port below the ephemeral range")
}

// Release gives up the reservation of a picked port whose endpoint is gone
// for good (or is held by a running server that picks afresh on restart).
// This process still does not issue it again for a while.
func Release(p int) {
	mu.Lock()
	defer mu.Unlock()
	if hold, ok := reserved[p]; ok {
		hold.Close()
		delete(reserved, p)
	}
}

// Reserved is how many ports this process holds reserved (for tests).
func Reserved() int {
	mu.Lock()
	defer mu.Unlock()
	return len(reserved)
}

// ExitCode is a test binary's exit code with the reservations checked:
// after the tests every picked port must have been released, or an
// endpoint or a cluster was not closed. Use it in goleak.Cleanup.
func ExitCode(code int) int {
	if n := Reserved(); code == 0 && n > 0 {
		fmt.Fprintf(os.Stderr, "ports: %d picked ports still reserved after the tests: an endpoint or a cluster was not closed\n", n)
		return 1
	}
	return code
}
