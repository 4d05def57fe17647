// Package ports picks loopback ports for endpoints that must come back on
// the same port after being shut: below the kernel's ephemeral range, and
// never one this process handed out recently.
package ports

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
)

// Ports are picked in [Low, Low+Span): below Linux's default ephemeral
// range (32768–60999), so no outgoing connection is given one while its
// endpoint is shut.
const (
	Low  = 10000
	Span = 20000
)

// recent is how many issued ports are remembered and not issued again: a
// port checked free and handed out is not bound yet, so two picks in a
// row could otherwise return the same one.
const recent = 4096

var (
	mu     sync.Mutex
	issued = map[int]bool{}
	ring   []int
)

// Pick returns a loopback port that is free now and was not handed out
// among the last few thousand picks of this process.
func Pick() (int, error) {
	mu.Lock()
	defer mu.Unlock()
	for i := 0; i < 500; i++ {
		p := Low + rand.IntN(Span)
		if issued[p] {
			continue
		}
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		ln.Close()
		issued[p] = true
		ring = append(ring, p)
		if len(ring) > recent {
			delete(issued, ring[0])
			ring = ring[1:]
		}
		return p, nil
	}
	return 0, errors.New("no free loopback port below the ephemeral range")
}
