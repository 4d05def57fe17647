package sim

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// mutePongServer speaks just enough of the NATS protocol for a client to
// connect and subscribe, and answers only its first answered PINGs: a
// server that stops reading without closing the connection.
type mutePongServer struct {
	addr  string
	pings atomic.Int32
}

func newMutePongServer(t *testing.T, answered int32) *mutePongServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &mutePongServer{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.serve(c, answered)
			}()
		}
	}()
	return s
}

func (s *mutePongServer) serve(c net.Conn, answered int32) {
	if _, err := c.Write([]byte(`INFO {"server_id":"mute","server_name":"X","version":"2.15.2","proto":1,"max_payload":1048576}` + "\r\n")); err != nil {
		return
	}
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if strings.HasPrefix(line, "PING") && s.pings.Add(1) <= answered {
			if _, err := c.Write([]byte("PONG\r\n")); err != nil {
				return
			}
		}
	}
}
